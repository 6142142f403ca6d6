// A chart as data (Plot options + a text alternative) and its one renderer.
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "@observablehq/plot";
import { describe } from "../../engine/index.ts";
import { hashText, prefixIds } from "./markup.ts";

/**
 * What every chart function returns: Plot options without a `document`, and a text alternative
 * of one or two sentences that states what the chart shows, computed from the data.
 */
export type ChartSpec = {
  /** Options for `Plot.plot`; the renderer adds the `document`. */
  options: PlotOptions;
  /** The chart's text alternative (read by screen readers, shown nowhere else). */
  alt: string;
  /**
   * The same chart laid out for a phone's narrow column (panels stacked instead of side by side),
   * for charts too wide to shrink legibly. Figures show it below 500px; cells draw `options`.
   */
  phone?: PlotOptions;
};

/**
 * Makes a ChartSpec whose options also carry the alt text as Plot's `ariaLabel`, so a cell that
 * draws `Plot.plot(spec.options)` itself still gets a chart that says what it shows.
 */
export function labelled(spec: ChartSpec): ChartSpec {
  const label = (options: PlotOptions) => ({ ariaLabel: spec.alt, ...options });
  return {
    options: label(spec.options),
    alt: spec.alt,
    ...(spec.phone ? { phone: label(spec.phone) } : {}),
  };
}

/** Options for {@link renderChart}. */
export type RenderOptions = {
  /**
   * Prefix for the element ids inside the chart (Plot's clip-path ids restart in every process).
   * Defaults to a hash of the rendered chart, so equal charts share ids and different ones don't.
   */
  idPrefix?: string;
};

/**
 * Renders a chart to HTML with the given DOM `document` (linkedom's in Node or a worker, the page's
 * in a browser). The root gets `role="img"` and the alt text as its `aria-label`; Plot's labelled
 * groups inside are hidden from assistive technology, since the alt text speaks for the whole.
 */
export function renderChart(
  spec: ChartSpec,
  document: unknown,
  { idPrefix }: RenderOptions = {},
): string {
  if (
    spec === null ||
    typeof spec !== "object" ||
    typeof spec.options !== "object"
  ) {
    throw new TypeError(
      `renderChart: received ${describe(spec)}; expected a ChartSpec { options, alt } ` +
        "as returned by a chart function such as costCurve().",
    );
  }
  if (typeof spec.alt !== "string" || spec.alt.trim() === "") {
    throw new TypeError(
      `renderChart: the chart has no alt text (received ${describe(spec.alt)}); ` +
        "every chart needs a sentence that says what it shows.",
    );
  }
  if (document === null || typeof document !== "object") {
    throw new TypeError(
      `renderChart: received ${describe(document)} as the document; expected a DOM document, ` +
        "for example linkedom's " +
        'parseHTML("<!doctype html><html><body></body></html>").document.',
    );
  }
  const root = Plot.plot({ ...spec.options, document: document as Document });
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", spec.alt);
  for (const element of root.querySelectorAll("[aria-label]")) {
    element.setAttribute("aria-hidden", "true");
  }
  const html = root.outerHTML;
  return prefixIds(html, `${idPrefix ?? `nn-${hashText(html)}`}-`);
}
