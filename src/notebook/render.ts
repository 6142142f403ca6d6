/**
 * Outputs → HTML. One function for both sides: at build time its HTML ships in the page as is;
 * in the browser it is sanitized (DOMPurify) before it is inserted. Pure string work: no DOM.
 * Objects open with <details>, so everything can be read with JavaScript off.
 */
import type { Inspected, Output, ProgressPoint, TableCell } from "./types.ts";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A number as a table shows it: at most 4 significant digits, exponent when tiny or huge. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e9)) {
    return x.toExponential(3).replace(/\.?0+e/, "e");
  }
  return String(Number(x.toPrecision(4)));
}

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
          return `<li>${key}: ${renderInspected(e.value, false)}</li>`;
        })
        .join("");
      const more = value.more > 0 ? `<li class="nb-more">… ${value.more} more</li>` : "";
      const tag = `<details class="nb-tree"${open ? " open" : ""}>`;
      return `${tag}<summary>${label}</summary><ul>${items}${more}</ul></details>`;
    }
  }
}

// SVG pieces of the loss chart: a label, and an axis line.
function svgText(x: number, y: number, content: string, anchor = "start"): string {
  const attributes = `x="${x}" y="${y}" text-anchor="${anchor}" font-size="10" fill="currentColor"`;
  return `<text ${attributes}>${escapeHtml(content)}</text>`;
}

function svgAxis(x1: number, y1: number, x2: number, y2: number): string {
  const ends = `x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"`;
  return `<line ${ends} stroke="currentColor" stroke-opacity="0.4"/>`;
}

// The loss curve of a training run, drawn as a small SVG line chart.
function lossChart(history: ProgressPoint[], epochs: number | null): string {
  const [width, height] = [320, 120];
  const [left, right, top, bottom] = [44, 8, 18, 22];
  const first = history[0];
  const last = history[history.length - 1];
  const maxEpoch = Math.max(epochs ?? 0, last.epoch, first.epoch + 1);
  const minEpoch = first.epoch;
  const losses = history.map((p) => p.loss).filter(Number.isFinite);
  const maxLoss = Math.max(...losses, 1e-12);
  const x = (epoch: number) =>
    left + ((epoch - minEpoch) / (maxEpoch - minEpoch)) * (width - left - right);
  const y = (loss: number) =>
    top + (1 - Math.min(loss, maxLoss) / maxLoss) * (height - top - bottom);
  const points = history
    .filter((p) => Number.isFinite(p.loss))
    .map((p) => `${x(p.epoch).toFixed(1)},${y(p.loss).toFixed(1)}`)
    .join(" ");
  const label =
    `Training loss by epoch: ${formatNumber(first.loss)} at epoch ${first.epoch}, ` +
    `${formatNumber(last.loss)} at epoch ${last.epoch}.`;
  const axisY = height - bottom;
  const size = `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"`;
  return (
    `<svg class="nb-loss" ${size} role="img" aria-label="${escapeHtml(label)}">` +
    svgAxis(left, axisY, width - right, axisY) +
    svgAxis(left, top, left, axisY) +
    svgText(left - 4, top + 4, formatNumber(maxLoss), "end") +
    svgText(left - 4, axisY, "0", "end") +
    svgText(left - 4, 10, "↑ loss") +
    svgText(left, height - 6, String(minEpoch)) +
    svgText(width - right, height - 6, String(maxEpoch), "end") +
    svgText((left + width - right) / 2, height - 6, "epoch →", "middle") +
    `<polyline class="nb-loss-line" points="${points}" fill="none" stroke="currentColor" ` +
    `stroke-width="1.5"/></svg>`
  );
}

/** One line saying where a training run is: "epoch 12/50 · loss 0.2134 · accuracy 94%". */
export function progressText(output: Extract<Output, { kind: "progress" }>): string {
  const of = output.epochs ? `/${output.epochs}` : "";
  const parts = [`epoch ${output.epoch}${of}`, `loss ${formatNumber(output.loss)}`];
  if (output.accuracy !== null) parts.push(`accuracy ${formatNumber(output.accuracy * 100)}%`);
  return parts.join(" · ");
}

function renderError(output: Extract<Output, { kind: "error" }>): string {
  const where =
    output.line !== null
      ? ` (line ${output.line}${output.column !== null ? `, column ${output.column}` : ""})`
      : "";
  let snippet = "";
  if (output.excerpt !== null && output.line !== null) {
    const gutter = `${output.line} | `;
    const caret =
      output.column !== null ? `\n${" ".repeat(gutter.length + output.column - 1)}^` : "";
    snippet = `<pre>${escapeHtml(gutter + output.excerpt + caret)}</pre>`;
  }
  return (
    `<div class="nb-error" data-phase="${output.phase}">` +
    `<p><strong>${escapeHtml(output.name)}</strong>: ` +
    `${escapeHtml(output.message)}${escapeHtml(where)}</p>${snippet}</div>`
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
        `<div class="nb-training">` +
        `<p class="nb-training-text">${escapeHtml(progressText(output))}</p>` +
        `${output.history.length ? lossChart(output.history, output.epochs) : ""}</div>`
      );
  }
}

/** A run's outputs as HTML, in order (empty string when there are none). */
export function renderOutputs(outputs: readonly Output[]): string {
  return outputs.map(renderOutput).join("");
}
