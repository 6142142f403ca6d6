/**
 * The reader's progress in the sidebar, on every page: beside each chapter, how many of its
 * exercises they solved (✓ when all), or ✓ for a chapter read to its end. A chapter counts as read
 * when the reader reaches its last paragraph. Reads the catalog the page carries
 * (`#nb-course`, data only) and the progress in localStorage (src/course/progress.ts).
 */
import { browserStorage, loadProgress, markRead, updateProgress } from "./progress.ts";

const base: string = import.meta.env.BASE_URL;

const storage = browserStorage;

const carrier = document.getElementById("nb-course");
let exercises: Record<string, string[]> = {};
try {
  const parsed: unknown = JSON.parse(carrier?.dataset.exercises ?? "{}");
  if (parsed && typeof parsed === "object") exercises = parsed as Record<string, string[]>;
} catch {
  // no catalog: no marks
}

/** The chapter slug a sidebar link points to, or null. */
function slugOf(link: HTMLAnchorElement): string | null {
  const path = new URL(link.href, location.href).pathname;
  if (!path.startsWith(base)) return null;
  const slug = path.slice(base.length).replace(/\/$/, "");
  return slug in exercises ? slug : null;
}

function drawMarks(): void {
  const progress = loadProgress(storage(), base);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav.sidebar a[href]")) {
    const slug = slugOf(link);
    if (!slug) continue;
    const ids = exercises[slug] ?? [];
    const solved = ids.filter((id) => progress.exercises[`${slug}/${id}`]).length;
    const read = Boolean(progress.chapters[slug]);
    let mark = link.querySelector<HTMLElement>(".nb-progress-mark");
    if (!read && solved === 0) {
      mark?.remove();
      continue;
    }
    if (!mark) {
      mark = document.createElement("span");
      mark.className = "nb-progress-mark";
      link.append(mark);
    }
    const all = ids.length > 0 && solved === ids.length;
    mark.textContent = ids.length === 0 || all ? "✓" : `${solved}/${ids.length}`;
    mark.dataset.complete = String(all || (ids.length === 0 && read));
    const parts = [read ? "read" : "", ids.length ? `${solved} of ${ids.length} ${ids.length === 1 ? "exercise" : "exercises"} solved` : ""];
    mark.setAttribute("aria-label", `(${parts.filter(Boolean).join(", ")})`);
    mark.setAttribute("role", "img");
  }
}

// Reaching the chapter's last block marks it read.
const chapter = carrier?.dataset.chapter;
const last = document.querySelector(".sl-markdown-content > :last-child");
if (chapter && last && "IntersectionObserver" in window) {
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    updateProgress(storage(), base, (p) => markRead(p, chapter));
    drawMarks();
  });
  seen.observe(last);
}

drawMarks();
document.addEventListener("nb-progress", drawMarks);
addEventListener("storage", (event) => {
  if (event.key === null || event.key.startsWith("nb:progress:")) drawMarks();
});
