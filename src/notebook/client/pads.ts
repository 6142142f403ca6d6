/**
 * The controls drawn by the page: the point editor (`Inputs.points`) and the drawing pad
 * (`Inputs.draw`). Pointer (mouse, finger, pen) and keyboard both work. Loaded when the reader
 * first touches or focuses one, or when a saved value must be shown in one.
 */
import { PLOT_SIZE, formatValue, pointMarkData, type InputSpec, type Point } from "../inputs.ts";

type PointsSpec = Extract<InputSpec, { type: "points" }>;
type DrawSpec = Extract<InputSpec, { type: "draw" }>;

/** Called with each value as the reader changes it (`final` once a stroke or a drag ends). */
export type Emit = (value: unknown, final: boolean) => void;

const attached = new WeakSet<HTMLElement>();
/** A drawing pad's grid is kept on its element (784 numbers are not kept in an attribute). */
type Pad = HTMLElement & { nbGrid?: number[] };
const grids = {
  get: (control: HTMLElement) => (control as Pad).nbGrid,
  set: (control: HTMLElement, grid: number[]) => void ((control as Pad).nbGrid = grid),
};

function note(control: HTMLElement, text: string): void {
  const element = control.querySelector<HTMLElement>("[data-role=note]");
  if (element) element.textContent = text;
}

// Keeps a drag's pointer events coming to the element (a replayed event's pointer may be gone).
function capture(element: Element, event: PointerEvent): void {
  try {
    element.setPointerCapture(event.pointerId);
  } catch {
    // The pointer was already released: the press still counts.
  }
}

// ---- a pad holds its place --------------------------------------------------------------------
// What changes size above a pad must not move it under the reader's pen: in chapter 8 a first
// stroke starts the training, whose chart further up grows and then gives way to a shorter one
// (the pad jumped 250 px). While a pad has the focus and is on screen, a frame in which it moved
// within the page scrolls it back to where it was on the screen (the notebook's own scrolls for a
// cell above the screen count in). A scroll in a frame where it did not move within the page is
// the reader's: the place it scrolled the pad to is held from then on.
function holdInPlace(pad: Element): void {
  let frame = 0;
  let held = 0; // the pad's top on the screen, to hold
  let last = { inPage: 0, scrollY: 0 }; // its top in the page and the page's scroll, last frame
  const top = () => pad.getBoundingClientRect().top;
  const watch = () => {
    const now = top();
    if (Math.abs(now + window.scrollY - last.inPage) < 0.5) {
      if (window.scrollY !== last.scrollY) held = now; // the reader scrolled it there
    } else {
      const height = pad.getBoundingClientRect().height;
      const seen = held < window.innerHeight && held + height > 0;
      if (seen && Math.abs(now - held) >= 0.5) {
        window.scrollBy({ top: now - held, behavior: "instant" });
      }
    }
    last = { inPage: top() + window.scrollY, scrollY: window.scrollY };
    frame = requestAnimationFrame(watch);
  };
  const start = () => {
    cancelAnimationFrame(frame);
    held = top();
    last = { inPage: held + window.scrollY, scrollY: window.scrollY };
    frame = requestAnimationFrame(watch);
  };
  pad.addEventListener("focus", start);
  pad.addEventListener("blur", () => cancelAnimationFrame(frame));
  if (document.activeElement === pad) start(); // focused before this module loaded
}

// ---- the point editor -------------------------------------------------------------------------

function pointsSpec(control: HTMLElement): PointsSpec {
  const range = (name: "x" | "y"): [number, number] => {
    const [lo, hi] = (control.dataset[name] ?? "-1 1").split(" ").map(Number);
    return [lo, hi];
  };
  const classes = [...control.querySelectorAll("fieldset label")].map((l) => l.textContent ?? "");
  return {
    type: "points",
    label: "",
    x: range("x"),
    y: range("y"),
    classes: [classes[0] ?? "class 0", classes[1] ?? "class 1"],
    value: [],
  };
}

/** The points a point editor holds now. */
export function readPoints(control: HTMLElement): Point[] {
  try {
    return JSON.parse(control.dataset.value ?? control.dataset.default ?? "[]") as Point[];
  } catch {
    return [];
  }
}

function showPoints(control: HTMLElement, points: Point[]): void {
  const spec = pointsSpec(control);
  control.dataset.value = JSON.stringify(points);
  const marks = control.querySelector(".nb-points-marks");
  marks?.replaceChildren(
    ...pointMarkData(spec, points).map(([tag, attributes]) => {
      const mark = document.createElementNS("http://www.w3.org/2000/svg", tag);
      for (const [name, value] of attributes) mark.setAttribute(name, value);
      return mark;
    }),
  );
  note(control, formatValue(spec, points));
}

function attachPoints(control: HTMLElement, emit: Emit): void {
  const svg = control.querySelector<SVGSVGElement>("svg.nb-points-plot")!;
  const cursor = control.querySelector<SVGPathElement>(".nb-points-cursor")!;
  const spec = pointsSpec(control);
  const [x0, x1] = spec.x;
  const [y0, y1] = spec.y;
  const chosen = (): 0 | 1 =>
    control.querySelector<HTMLInputElement>("input[data-role=class]:checked")?.value === "1" ? 1 : 0;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  // From the pointer to the plot's units, and to data.
  const toData = (event: PointerEvent) => {
    const box = svg.getBoundingClientRect();
    const u = ((event.clientX - box.left) / box.width) * PLOT_SIZE;
    const v = ((event.clientY - box.top) / box.height) * PLOT_SIZE;
    return {
      u,
      v,
      x: round(Math.min(x1, Math.max(x0, x0 + (u / PLOT_SIZE) * (x1 - x0)))),
      y: round(Math.min(y1, Math.max(y0, y1 - (v / PLOT_SIZE) * (y1 - y0)))),
    };
  };
  const toPlot = (p: { x: number; y: number }) => ({
    u: ((p.x - x0) / (x1 - x0)) * PLOT_SIZE,
    v: PLOT_SIZE - ((p.y - y0) / (y1 - y0)) * PLOT_SIZE,
  });
  const nearest = (u: number, v: number, within: number): number => {
    let best = -1;
    let distance = within;
    readPoints(control).forEach((p, i) => {
      const at = toPlot(p);
      const d = Math.hypot(at.u - u, at.v - v);
      if (d <= distance) [best, distance] = [i, d];
    });
    return best;
  };
  const change = (points: Point[], final: boolean) => {
    showPoints(control, points);
    emit(points, final);
  };

  holdInPlace(svg);
  let drag: { index: number; moved: boolean; id: number } | null = null;
  svg.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    svg.focus({ preventScroll: true });
    const at = toData(event);
    const hit = nearest(at.u, at.v, 12);
    capture(svg, event);
    if (hit >= 0) {
      drag = { index: hit, moved: false, id: event.pointerId };
      return;
    }
    const points = readPoints(control);
    if (points.length >= 400) return;
    change([...points, { x: at.x, y: at.y, label: chosen() }], true);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || drag.id !== event.pointerId) return;
    const at = toData(event);
    const points = readPoints(control);
    const point = points[drag.index];
    if (!point) return;
    drag.moved = true;
    points[drag.index] = { ...point, x: at.x, y: at.y };
    change(points, false);
  });
  const end = (event: PointerEvent) => {
    if (!drag || drag.id !== event.pointerId) return;
    const points = readPoints(control);
    // A point clicked without moving is removed; one dragged lands where it was let go.
    if (!drag.moved) points.splice(drag.index, 1);
    drag = null;
    change(points, true);
  };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);

  // The keyboard: a cross moved with the arrows.
  let cross = { x: round((x0 + x1) / 2), y: round((y0 + y1) / 2) };
  const showCross = () => {
    const at = toPlot(cross);
    cursor.setAttribute("transform", `translate(${at.u.toFixed(1)} ${at.v.toFixed(1)})`);
    cursor.setAttribute("visibility", "visible");
    note(control, `Cross at (${cross.x}, ${cross.y}). ${formatValue(spec, readPoints(control))}`);
  };
  svg.addEventListener("focus", showCross);
  svg.addEventListener("blur", () => cursor.setAttribute("visibility", "hidden"));
  svg.addEventListener("keydown", (event) => {
    const step = (event.shiftKey ? 0.01 : 0.05) * (x1 - x0);
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    if (event.key in moves) {
      const [dx, dy] = moves[event.key];
      cross = {
        x: round(Math.min(x1, Math.max(x0, cross.x + dx))),
        y: round(Math.min(y1, Math.max(y0, cross.y + dy))),
      };
      showCross();
    } else if (event.key === "Enter" || event.key === " ") {
      const points = readPoints(control);
      if (points.length < 400) change([...points, { ...cross, label: chosen() }], true);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      const at = toPlot(cross);
      const hit = nearest(at.u, at.v, 30);
      if (hit < 0) return;
      const points = readPoints(control);
      points.splice(hit, 1);
      change(points, true);
    } else if (event.key === "0" || event.key === "1") {
      const radio = control.querySelectorAll<HTMLInputElement>("input[data-role=class]")[Number(event.key)];
      if (radio) radio.checked = true;
    } else return;
    event.preventDefault();
  });
  control.querySelector("button[data-command=clear]")?.addEventListener("click", () => change([], true));
}

// ---- the drawing pad --------------------------------------------------------------------------

/** Cells per side of the pad's grid, and the pad's pixels per cell. */
function gridOf(control: HTMLElement) {
  const width = Number(control.dataset.width ?? 28);
  const height = Number(control.dataset.height ?? 28);
  return { width, height, scale: 10 };
}

/** The grid a drawing pad holds now. */
export function readGrid(control: HTMLElement): number[] {
  const { width, height } = gridOf(control);
  return grids.get(control) ?? new Array(width * height).fill(0);
}

// Paints a grid on the pad (a saved drawing, or Clear).
function paintGrid(control: HTMLElement, grid: number[]): void {
  const canvas = control.querySelector<HTMLCanvasElement>("canvas.nb-draw-pad")!;
  const context = canvas.getContext("2d")!;
  const { width, scale } = gridOf(control);
  context.clearRect(0, 0, canvas.width, canvas.height);
  grid.forEach((v, i) => {
    if (v <= 0) return;
    context.fillStyle = `rgba(0, 0, 0, ${v})`;
    context.fillRect((i % width) * scale, Math.floor(i / width) * scale, scale, scale);
  });
  grids.set(control, grid);
}

// The grid from the pad's pixels: each cell is the mean ink of its square.
function sample(control: HTMLElement): number[] {
  const canvas = control.querySelector<HTMLCanvasElement>("canvas.nb-draw-pad")!;
  const { width, height, scale } = gridOf(control);
  const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
  const grid = new Array(width * height).fill(0);
  for (let py = 0; py < canvas.height; py++) {
    for (let px = 0; px < canvas.width; px++) {
      grid[Math.floor(py / scale) * width + Math.floor(px / scale)] += data[(py * canvas.width + px) * 4 + 3];
    }
  }
  return grid.map((sum) => Math.round((sum / (255 * scale * scale)) * 1000) / 1000);
}

function attachDraw(control: HTMLElement, emit: Emit): void {
  const canvas = control.querySelector<HTMLCanvasElement>("canvas.nb-draw-pad")!;
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  const spec: DrawSpec = { type: "draw", label: "", ...gridOf(control), value: [] };
  const { width, height, scale } = gridOf(control);
  // A brush as wide as a pen stroke of the handwritten digits: about two cells.
  const brush = () => {
    context.lineCap = "round";
    context.lineJoin = "round";
    context.lineWidth = scale * 2.2;
    context.strokeStyle = "#000";
    context.fillStyle = "#000";
  };
  let frame = 0;
  const changed = (final: boolean) => {
    const send = () => {
      frame = 0;
      const grid = sample(control);
      grids.set(control, grid);
      note(control, formatValue(spec, grid));
      emit(grid, final);
    };
    if (final) {
      if (frame) cancelAnimationFrame(frame);
      send();
    } else frame ||= requestAnimationFrame(send);
  };
  const at = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * canvas.width,
      y: ((event.clientY - box.top) / box.height) * canvas.height,
    };
  };
  holdInPlace(canvas);
  let last: { x: number; y: number; id: number } | null = null;
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.focus({ preventScroll: true });
    capture(canvas, event);
    brush();
    const p = at(event);
    context.beginPath();
    context.arc(p.x, p.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fill();
    last = { ...p, id: event.pointerId };
    changed(false);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last || last.id !== event.pointerId) return;
    const p = at(event);
    brush();
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(p.x, p.y);
    context.stroke();
    last = { ...p, id: event.pointerId };
    changed(false);
  });
  const end = (event: PointerEvent) => {
    if (!last || last.id !== event.pointerId) return;
    last = null;
    changed(true);
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  // The keyboard: a square moved with the arrows; Space inks it, Shift+arrows ink as they go.
  let cell = { x: Math.floor(width / 2), y: Math.floor(height / 2) };
  const outline = () => {
    paintGrid(control, readGrid(control));
    context.strokeStyle = "#d62728";
    context.lineWidth = 2;
    context.strokeRect(cell.x * scale + 1, cell.y * scale + 1, scale - 2, scale - 2);
  };
  const ink = (value: number) => {
    const grid = [...readGrid(control)];
    grid[cell.y * width + cell.x] = value;
    paintGrid(control, grid);
    note(control, formatValue(spec, grid));
    emit(grid, true);
  };
  canvas.addEventListener("focus", () => {
    if (!last) outline();
  });
  canvas.addEventListener("blur", () => paintGrid(control, readGrid(control)));
  canvas.addEventListener("keydown", (event) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    if (event.key in moves) {
      if (event.shiftKey) ink(1);
      const [dx, dy] = moves[event.key];
      cell = {
        x: Math.min(width - 1, Math.max(0, cell.x + dx)),
        y: Math.min(height - 1, Math.max(0, cell.y + dy)),
      };
      if (event.shiftKey) ink(1);
    } else if (event.key === " " || event.key === "Enter") ink(1);
    else if (event.key === "Delete" || event.key === "Backspace") ink(0);
    else return;
    event.preventDefault();
    outline();
  });
  control.querySelector("button[data-command=clear]")?.addEventListener("click", () => {
    const grid = new Array(width * height).fill(0);
    paintGrid(control, grid);
    note(control, formatValue(spec, grid));
    emit(grid, true);
  });
}

/**
 * Wires a point editor or a drawing pad (once). A pointerdown that came before the wiring (the
 * module loads on the first touch) is replayed, so the first stroke is not lost.
 */
export function attach(control: HTMLElement, emit: Emit, early?: PointerEvent): void {
  if (attached.has(control)) return;
  attached.add(control);
  if (control.classList.contains("nb-input--points")) attachPoints(control, emit);
  else attachDraw(control, emit);
  if (early && (early.target as Element).isConnected) {
    (early.target as Element).dispatchEvent(new PointerEvent("pointerdown", early));
  }
}

/** Shows a value (a saved one, a link's, the default) in a point editor or a drawing pad. */
export function write(control: HTMLElement, value: unknown): void {
  if (control.classList.contains("nb-input--points")) {
    if (Array.isArray(value)) showPoints(control, value as Point[]);
  } else if (Array.isArray(value)) {
    paintGrid(control, value as number[]);
    const spec: DrawSpec = { type: "draw", label: "", ...gridOf(control), value: [] };
    note(control, formatValue(spec, value as number[]));
  }
}
