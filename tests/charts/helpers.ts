// Test helpers: draw a chart with linkedom and read its marks back in data units.
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { ChartSpec } from "../../src/charts/index.ts";

/** A fresh server-side document, as PlotFigure uses. */
export function freshDocument(): Document {
  return parseHTML("<!doctype html><html><body></body></html>").document as unknown as Document;
}

type Scale = { apply(v: unknown): number; invert(v: number): number; domain: unknown[] };
/** A rendered chart: its root element and its scales. */
export type Drawn = { root: Element; x: Scale; y: Scale; scale(name: string): Scale | undefined };

/** Draws the spec's options with Plot into a linkedom document, keeping Plot's scale accessors. */
export function draw(spec: ChartSpec): Drawn {
  const root = Plot.plot({ ...spec.options, document: freshDocument() }) as unknown as Element & {
    scale(name: string): Scale | undefined;
  };
  // with a legend Plot returns a <figure>: swatches first, the chart's <svg> last
  const isSvg = (el: Element) => el.tagName.toLowerCase() === "svg";
  const svg = isSvg(root) ? root : [...root.children].filter(isSvg).pop()!;
  return {
    root: svg,
    x: root.scale("x") as Scale,
    y: root.scale("y") as Scale,
    scale: (name) => root.scale(name),
  };
}

/** The mark groups with this aria-label (Plot labels each mark's <g>: "line", "dot", "bar"…). */
export function marks(root: Element, label: string): Element[] {
  return [...root.querySelectorAll(`g[aria-label="${label}"]`)];
}

/** Positions of the dots inside a group: circles (cx, cy) or symbol paths (translate). */
export function dotPositions(group: Element): { x: number; y: number }[] {
  return [...group.querySelectorAll("circle, path")].map((el) => {
    const cx = el.getAttribute("cx");
    if (cx !== null) return { x: Number(cx), y: Number(el.getAttribute("cy")) };
    const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(el.getAttribute("transform") ?? "");
    if (!m) throw new Error(`no position on ${el.outerHTML.slice(0, 80)}`);
    return { x: Number(m[1]), y: Number(m[2]) };
  });
}

/** The vertices of an SVG path made of M/L commands. */
export function vertices(d: string): { x: number; y: number }[] {
  const pairs = d.matchAll(/[ML]\s*([-\d.e]+)[ ,]([-\d.e]+)/g);
  return [...pairs].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

/** A pixel position back in data units, through the chart's x and y scales. */
export function inData(drawn: Drawn, p: { x: number; y: number }): [number, number] {
  return [drawn.x.invert(p.x), drawn.y.invert(p.y)];
}

/** The strings of the <text> elements inside a group. */
export function texts(group: Element): (string | null)[] {
  return [...group.querySelectorAll("text")].map((t) => t.textContent);
}
