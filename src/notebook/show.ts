/**
 * What a value looks like as outputs: the one place that decides it, for a cell's value, each
 * value a generator yields, and `display(value)`. The book's own kinds come first (a `tex`
 * formula, a diagram `{ svg, alt }`, a chart spec `{ options, alt }` drawn with Plot into the
 * host's document); everything else goes to `toOutputs` (inspect.ts): text, tables, DOM, trees.
 */
import { htmlOutput, toOutputs } from "./inspect.ts";
import { PLOT } from "./plot-document.ts";
import { Tex } from "./tex.ts";
import type { ModuleMap, Output } from "./types.ts";

/** Turns a value into outputs; `prefix` keeps element ids unique per output. */
export type Show = (value: unknown, prefix: string) => Output[];

/** A chart of the book (src/charts): Plot options and the sentence that says what they show. */
function isChartSpec(value: unknown): value is { options: Record<string, unknown>; alt: string } {
  if (typeof value !== "object" || value === null) return false;
  const { options, alt } = value as { options?: unknown; alt?: unknown };
  return (
    typeof alt === "string" &&
    typeof options === "object" &&
    options !== null &&
    Array.isArray((options as { marks?: unknown }).marks)
  );
}

/** A diagram of the book (src/charts/diagrams): its SVG markup and what it shows. */
function isDiagram(value: unknown): value is { svg: string; alt: string } {
  if (typeof value !== "object" || value === null) return false;
  const { svg, alt } = value as { svg?: unknown; alt?: unknown };
  return typeof svg === "string" && svg.trimStart().startsWith("<svg") && typeof alt === "string";
}

/** `show` for a kernel: charts are drawn with its Plot when the host gave it a document. */
export function makeShow(modules: ModuleMap, document: unknown): Show {
  type PlotModule = { plot?: (o: object) => unknown } | undefined;
  const plot = document ? (modules[PLOT] as PlotModule) : undefined;
  return (value, prefix) => {
    if (value instanceof Tex) {
      return [{ kind: "html", html: `<p class="nb-tex">${value.html}</p>`, svg: false }];
    }
    if (isDiagram(value)) return [htmlOutput(value.svg, prefix)];
    if (plot?.plot && isChartSpec(value)) {
      return toOutputs(plot.plot({ ...value.options, ariaLabel: value.alt }), prefix);
    }
    return toOutputs(value, prefix);
  };
}
