/**
 * For authors: `npm run cells -- content/01-the-neuron.mdx [more files]` runs each chapter's cells
 * as the build does and prints every cell's outputs or error as text. Exits with 1 when a cell
 * would fail the build.
 */
import { checkChapterFile, type CellRun } from "./node-host.ts";
import { formatNumber, originText, progressText } from "./render.ts";
import { readVerdict } from "./remark-exercises.ts";
import { formatValue } from "./inputs.ts";
import type { Inspected, Output } from "./types.ts";

function treeText(value: Inspected, indent: string): string {
  switch (value.type) {
    case "primitive":
    case "function":
      return value.text;
    case "circular":
      return `[circular ${value.label}]`;
    case "object": {
      if (value.entries.length === 0) return `${value.label} ${value.more ? "{…}" : "{}"}`;
      const inner = `${indent}  `;
      const lines = value.entries.map((e) => `${inner}${e.key}: ${treeText(e.value, inner)}`);
      if (value.more) lines.push(`${inner}… ${value.more} more`);
      return `${value.label} {\n${lines.join("\n")}\n${indent}}`;
    }
  }
}

/** One output as plain text, for a terminal. */
export function outputText(output: Output): string {
  switch (output.kind) {
    case "text":
      return output.text;
    case "value":
      return treeText(output.value, "");
    case "table": {
      const header = [output.rowLabels ? "" : null, ...output.columns].filter((c) => c !== null);
      const rows = output.rows.map((row, i) => [
        ...(output.rowLabels ? [output.rowLabels[i]] : []),
        ...row.map((c) => (typeof c === "number" ? formatNumber(c) : (c ?? "—"))),
      ]);
      const all = [header, ...rows];
      const widths = header.map((_, j) => Math.max(...all.map((r) => String(r[j]).length)));
      const line = (r: unknown[]) => r.map((c, j) => String(c).padStart(widths[j])).join("  ");
      const notes = [
        output.moreRows ? `${output.moreRows} more rows` : "",
        output.moreColumns ? `${output.moreColumns} more columns` : "",
      ].filter(Boolean);
      const note = notes.length ? [`(${notes.join(", ")})`] : [];
      return [output.caption, line(header), ...rows.map(line), ...note].join("\n");
    }
    case "html":
      // an exercise's verdict, as its words
      if (output.html.includes("data-verdict=")) return `[verdict] ${readVerdict(output.html).text}`;
      return `[${output.svg ? "svg" : "html"}, ${output.html.length} characters]`;
    case "error": {
      const where = output.line ? ` (cell line ${output.line}, column ${output.column})` : "";
      const excerpt = output.excerpt ? `\n  ${output.excerpt}` : "";
      // An error inside another cell's function: said as the page says it, with that cell's line.
      if (output.origin) {
        const there = output.origin.excerpt ? `\n  ${output.origin.cell}:${output.origin.line} | ${output.origin.excerpt}` : "";
        const here = output.excerpt ? `\n  ${output.line} | ${output.excerpt}` : "";
        return `${output.name} ${originText(output)}: ${output.message}${there}${here}`;
      }
      return `${output.name}: ${output.message}${where}${excerpt}`;
    }
    case "progress":
      return `[training] ${progressText(output)}`;
    case "input":
      return `[${output.spec.type}] ${output.spec.label}: ${formatValue(output.spec, output.value)}`;
  }
}

function cellText(run: CellRun): string {
  const { options } = run.cell;
  const flags = (["hidden", "readonly", "norun", "throws"] as const).filter((f) => options[f]);
  const marks = flags.length ? ` [${flags.join(" ")}]` : "";
  const title = `── ${options.id} (line ${run.cell.fenceLine})${marks}`;
  if (!run.result) return `${title}\n(not run: norun)`;
  const time = `${run.result.durationMs.toFixed(0)} ms${run.result.status === "done" ? "" : `, ${run.result.status}`}`;
  const body = run.result.outputs.map(outputText).join("\n") || "(no output)";
  return `${title} · ${time}\n${body}`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("Usage: npm run cells -- content/01-the-neuron.mdx [more chapter files]");
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const chapter = await checkChapterFile(file);
  console.log(`# ${file}: ${chapter.cells.length} cell${chapter.cells.length === 1 ? "" : "s"}`);
  for (const run of chapter.cells) console.log(`${cellText(run)}\n`);
  for (const problem of [...chapter.problems, ...chapter.exerciseProblems]) {
    failed = true;
    console.error(`✗ ${problem.message}`);
  }
}
process.exit(failed ? 1 : 0);
