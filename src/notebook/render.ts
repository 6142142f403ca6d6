/**
 * Outputs → HTML. One function for both sides: at build time its HTML ships in the page as is;
 * in the browser it is sanitized (DOMPurify) before it is inserted. Pure string work: no DOM.
 * Objects open with <details>, so everything can be read with JavaScript off.
 */
import { escapeHtml } from "../charts/markup.ts";
import { formatNumber } from "./format.ts";
import { renderInput, type InputSpec, type InputValue } from "./inputs.ts";
import type { Inspected, Output, TableCell } from "./types.ts";

export { escapeHtml, formatNumber };

function tableCell(value: TableCell): string {
  if (typeof value === "number") {
    return `<td class="nb-num">${escapeHtml(formatNumber(value))}</td>`;
  }
  if (value === null) return `<td class="nb-null">—</td>`;
  return `<td>${escapeHtml(value)}</td>`;
}

function renderTable(output: Extract<Output, { kind: "table" }>): string {
  const { caption, columns, rowLabels, rows, moreRows, moreColumns } = output;
  const corner = rowLabels ? `<td class="nb-corner"></td>` : "";
  const more = moreColumns > 0 ? `<th scope="col" class="nb-more">+${moreColumns}</th>` : "";
  const headers = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("");
  const head = `<tr>${corner}${headers}${more}</tr>`;
  const body = rows
    .map((row, i) => {
      const label = rowLabels ? `<th scope="row">${escapeHtml(rowLabels[i])}</th>` : "";
      const ellipsis = moreColumns > 0 ? "<td>…</td>" : "";
      return `<tr>${label}${row.map(tableCell).join("")}${ellipsis}</tr>`;
    })
    .join("");
  const notes: string[] = [];
  if (moreRows > 0) notes.push(`${moreRows} more row${moreRows === 1 ? "" : "s"}`);
  if (moreColumns > 0) notes.push(`${moreColumns} more column${moreColumns === 1 ? "" : "s"}`);
  const note = notes.length ? ` (${notes.join(", ")} not shown)` : "";
  return (
    `<div class="nb-table" tabindex="0" role="group" aria-label="${escapeHtml(caption)}">` +
    `<table><caption>${escapeHtml(caption + note)}</caption><thead>${head}</thead>` +
    `<tbody>${body}</tbody></table></div>`
  );
}

// A nested object shown open: a few plain values (a short list of numbers, a small record), which
// the prose may be about; bigger or deeper ones stay closed until the reader opens them.
function isSmallAndFlat(value: Inspected): boolean {
  return (
    value.type === "object" &&
    value.more === 0 &&
    value.entries.length <= 12 &&
    value.entries.every((e) => e.value.type === "primitive")
  );
}

function renderInspected(value: Inspected, open: boolean): string {
  switch (value.type) {
    case "primitive":
      return `<span class="nb-${value.kind}">${escapeHtml(value.text)}</span>`;
    case "function":
      return `<span class="nb-function">${escapeHtml(value.text)}</span>`;
    case "circular":
      return `<span class="nb-circular">[circular ${escapeHtml(value.label)}]</span>`;
    case "object": {
      const label = escapeHtml(value.label);
      if (value.entries.length === 0) {
        return `<span class="nb-label">${label} ${value.more ? "{…}" : "{}"}</span>`;
      }
      const items = value.entries
        .map((e) => {
          const key = `<span class="nb-key">${escapeHtml(e.key)}</span>`;
          return `<li>${key}: ${renderInspected(e.value, isSmallAndFlat(e.value))}</li>`;
        })
        .join("");
      const more = value.more > 0 ? `<li class="nb-more">… ${value.more} more</li>` : "";
      const tag = `<details class="nb-tree"${open ? " open" : ""}>`;
      return `${tag}<summary>${label}</summary><ul>${items}${more}</ul></details>`;
    }
  }
}

/** One line saying where a training run is: "epoch 12/50 · loss 0.2134 · accuracy 94%". */
export function progressText(output: Extract<Output, { kind: "progress" }>): string {
  const of = output.epochs ? `/${output.epochs}` : "";
  const parts = [`epoch ${output.epoch}${of}`, `loss ${formatNumber(output.loss)}`];
  if (output.accuracy !== null) parts.push(`accuracy ${formatNumber(output.accuracy * 100)}%`);
  return parts.join(" · ");
}

// A line of a cell with a caret under the column: `gutter` says which line (and which cell).
function snippet(gutter: string, excerpt: string | null, column: number | null): string {
  if (excerpt === null) return "";
  const caret = column !== null ? `\n${" ".repeat(gutter.length + column - 1)}^` : "";
  return `<pre>${escapeHtml(gutter + excerpt + caret)}</pre>`;
}

/**
 * Where an error arose in another cell, said as a reader follows it: "in rule, declared in
 * cell spiral-rule, line 3 (called from this cell, line 5)". Plain text; the page adds the link.
 */
export function originText(output: Extract<Output, { kind: "error" }>): string {
  const origin = output.origin;
  if (!origin) return "";
  const calls = origin.via.map((v) => `cell ${v.cell}, line ${v.line}`);
  if (output.line !== null) calls.push(`this cell, line ${output.line}`);
  const called = calls.length ? ` (called from ${calls.join(", from ")})` : "";
  return `in ${origin.name ?? "a function"}, declared in cell ${origin.cell}, line ${origin.line}${called}`;
}

function renderError(output: Extract<Output, { kind: "error" }>): string {
  const { origin, line, column } = output;
  if (origin) {
    return (
      `<div class="nb-error" data-phase="${output.phase}">` +
      `<p><strong>${escapeHtml(output.name)}</strong> ${escapeHtml(originText(output))}: ` +
      `${escapeHtml(output.message)}</p>` +
      snippet(`${origin.cell}:${origin.line} | `, origin.excerpt, origin.column) +
      (line !== null ? snippet(`${line} | `, output.excerpt, column) : "") +
      `</div>`
    );
  }
  const where =
    line !== null ? ` (line ${line}${column !== null ? `, column ${column}` : ""})` : "";
  return (
    `<div class="nb-error" data-phase="${output.phase}">` +
    `<p><strong>${escapeHtml(output.name)}</strong>: ` +
    `${escapeHtml(output.message)}${escapeHtml(where)}</p>` +
    (line !== null ? snippet(`${line} | `, output.excerpt, column) : "") +
    `</div>`
  );
}

/** One output as HTML. */
export function renderOutput(output: Output): string {
  switch (output.kind) {
    case "text":
      const stream = output.stream ? ` nb-${output.stream}` : "";
      return `<pre class="nb-text${stream}">${escapeHtml(output.text)}</pre>`;
    case "value":
      return `<div class="nb-value">${renderInspected(output.value, true)}</div>`;
    case "table":
      return renderTable(output);
    case "html":
      return `<div class="nb-html">${output.html}</div>`;
    case "error":
      return renderError(output);
    case "progress":
      return (
        `<div class="nb-training"${output.runs && output.runs > 1 ? ` data-runs="${output.runs}"` : ""}>` +
        `<p class="nb-training-text">${escapeHtml(progressText(output))}</p>` +
        `${output.chart ?? ""}</div>`
      );
    case "input":
      return renderInput(output.key, output.spec, output.value);
  }
}

/** A run's outputs as HTML, in order (empty string when there are none). */
export function renderOutputs(outputs: readonly Output[]): string {
  return outputs.map(renderOutput).join("");
}

/**
 * A run's outputs in the parts a page puts together: markup from the cell (to sanitize), and the
 * controls the cell declared (made by the page itself from their plain data, with `renderInput`).
 */
export type OutputPart =
  | { kind: "html"; html: string }
  | { kind: "input"; key: string; spec: InputSpec; value: InputValue };

export function outputParts(outputs: readonly Output[]): OutputPart[] {
  const parts: OutputPart[] = [];
  for (const output of outputs) {
    if (output.kind === "input") {
      parts.push({ kind: "input", key: output.key, spec: output.spec, value: output.value });
      continue;
    }
    const html = renderOutput(output);
    const last = parts.at(-1);
    if (last?.kind === "html") last.html += html;
    else parts.push({ kind: "html", html });
  }
  return parts;
}
