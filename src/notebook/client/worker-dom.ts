/**
 * The worker's document: linkedom's server-side DOM, set up before Plot is imported (Plot reads
 * `window` when it loads), with canvases that really draw (OffscreenCanvas) so rasters and colour
 * legends work. Import this module first in the worker.
 */
import { parseHTML } from "linkedom/worker";

const dom = parseHTML("<!doctype html><html><head></head><body></body></html>");

/** The document cells and Plot draw into. */
export const document: Document = dom.document as unknown as Document;

// Plot looks for window.document and devicePixelRatio (and keeps its half-pixel offset with them).
(globalThis as Record<string, unknown>).window = { document, devicePixelRatio: 1 };

// Canvases hand out a token from toDataURL; after the cell returns, the token becomes a PNG.
const drawn = new Map<string, OffscreenCanvas>();
let canvases = 0;

function drawable(element: HTMLCanvasElement): void {
  let surface: OffscreenCanvas | null = null;
  const size = (name: "width" | "height", fallback: number) =>
    Number(element.getAttribute(name)) || fallback;
  const canvas = () => {
    surface ??= new OffscreenCanvas(size("width", 300), size("height", 150));
    surface.width = size("width", 300);
    surface.height = size("height", 150);
    return surface;
  };
  for (const name of ["width", "height"] as const) {
    Object.defineProperty(element, name, {
      get: () => size(name, name === "width" ? 300 : 150),
      set: (value: number) => element.setAttribute(name, String(value)),
    });
  }
  Object.assign(element, {
    getContext: (type: "2d", options?: CanvasRenderingContext2DSettings) =>
      canvas().getContext(type, options),
    toDataURL: () => {
      const token = `nb-canvas-${++canvases}-png`;
      drawn.set(token, surface ?? canvas());
      return token;
    },
  });
}

const createElement = document.createElement.bind(document);
document.createElement = ((name: string, options?: ElementCreationOptions) => {
  const element = createElement(name, options);
  if (name.toLowerCase() === "canvas") drawable(element as HTMLCanvasElement);
  return element;
}) as typeof document.createElement;

/** Replaces the canvas tokens in `html` with the PNGs they stand for (call after a cell ran). */
export async function encodeCanvases(html: string): Promise<string> {
  for (const [token, surface] of drawn) {
    if (!html.includes(token)) continue;
    const blob = await surface.convertToBlob({ type: "image/png" });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    html = html.replaceAll(token, `data:image/png;base64,${btoa(binary)}`);
  }
  drawn.clear();
  return html;
}
