/**
 * Before the page is printed, writes every control's current value beside it as text
 * (`.nb-print-value`, shown only on paper by handouts.css): a slider prints as its value, so a
 * handout says which setting produced the output under it.
 */
function valueText(control: HTMLInputElement | HTMLSelectElement): string | null {
  if (control instanceof HTMLSelectElement) return control.selectedOptions[0]?.textContent ?? control.value;
  // a slider prints as its value, unless a number box beside it already shows it
  if (control.type === "range") {
    const box = control.parentElement?.querySelector('input[type="number"]');
    return box ? null : control.value;
  }
  if (control.type === "checkbox" || control.type === "radio") return null; // printed as ticked or not
  return null;
}

addEventListener("beforeprint", () => {
  for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(".nb-output input, .nb-output select")) {
    const text = valueText(control);
    let shown = control.nextElementSibling;
    if (!(shown instanceof HTMLElement && shown.classList.contains("nb-print-value"))) {
      if (text === null) continue;
      shown = document.createElement("span");
      shown.className = "nb-print-value";
      control.after(shown);
    }
    shown.textContent = text ?? "";
  }
});
