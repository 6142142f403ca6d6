/**
 * Plot's document. Cells call `Plot.plot({...})` as they would in a page, but at build time and
 * in the worker there is no page: the host hands the kernel a DOM document (linkedom's), and this
 * module gives cells a Plot whose `plot` and `legend` draw into it when the cell passes no
 * `document` of its own. A mark's own `.plot()` (`Plot.dot(data).plot()`) reaches Plot through
 * the shared `Mark` prototype, which cannot be wrapped per kernel: it is patched once and draws
 * into the document of the latest kernel that asked for one.
 */

/** The module name under which cells import Plot. */
export const PLOT = "@observablehq/plot";

// The document Plot draws into when a mark's own `.plot()` gets none (set by the latest kernel).
let markDocument: unknown;

/** Plot with the host's document filled in, so `Plot.plot({...})` needs no `document` option. */
export function withDocument(
  plot: Record<string, unknown>,
  document: unknown,
): Record<string, unknown> {
  const draw = plot.plot as (options?: object) => unknown;
  const legend = plot.legend as (options?: object) => unknown;
  const Mark = plot.Mark as { prototype: { plot?: Function; __nbPatched?: boolean } } | undefined;
  markDocument = document;
  if (Mark && typeof Mark.prototype.plot === "function" && !Mark.prototype.__nbPatched) {
    const original = Mark.prototype.plot;
    Mark.prototype.plot = function (options: object = {}) {
      return original.call(this, { document: markDocument, ...options });
    };
    Mark.prototype.__nbPatched = true;
  }
  return {
    ...plot,
    plot: (options: object = {}) => draw({ document, ...options }),
    legend: (options: object = {}) => legend({ document, ...options }),
  };
}
