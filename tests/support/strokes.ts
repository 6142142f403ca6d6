// Pen strokes that trace a handwritten digit: the image thinned to its one-pixel skeleton
// (Zhang and Suen's thinning, 1984), and a short stroke between every two touching skeleton
// pixels. Drawn with a pen about two pixels wide, they give back the digit's shape.

/** A stroke from one pixel's centre to another's, in pixel units (x to the right, y down). */
export type Stroke = { from: [number, number]; to: [number, number] };

/** The pixels of the digit's skeleton: 1 on the centre line of its strokes, 0 elsewhere. */
export function skeleton(pixels: ArrayLike<number>, width: number, height: number, ink = 0.5): Uint8Array {
  const on = Uint8Array.from({ length: width * height }, (_, i) => (pixels[i] > ink ? 1 : 0));
  const get = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : on[y * width + x];
  // The eight neighbours clockwise from the one above: P2, P3, …, P9.
  const around = (x: number, y: number) => [
    get(x, y - 1), get(x + 1, y - 1), get(x + 1, y), get(x + 1, y + 1),
    get(x, y + 1), get(x - 1, y + 1), get(x - 1, y), get(x - 1, y - 1),
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!on[y * width + x]) continue;
          const p = around(x, y);
          const count = p.reduce((a, b) => a + b, 0);
          const turns = p.filter((v, i) => v === 0 && p[(i + 1) % 8] === 1).length;
          const [p2, , p4, , p6, , p8] = p;
          const keep =
            pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0;
          if (count >= 2 && count <= 6 && turns === 1 && keep) remove.push(y * width + x);
        }
      }
      for (const i of remove) on[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
  return on;
}

/** Strokes joining every two touching pixels of the skeleton (each pair once). */
export function strokes(pixels: ArrayLike<number>, width: number, height: number): Stroke[] {
  const on = skeleton(pixels, width, height);
  const get = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : on[y * width + x];
  const found: Stroke[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!get(x, y)) continue;
      let alone = true;
      // Right, down-left, down, down-right: each pair of neighbours is met once.
      for (const [dx, dy] of [[1, 0], [-1, 1], [0, 1], [1, 1]]) {
        if (get(x + dx, y + dy)) {
          found.push({ from: [x, y], to: [x + dx, y + dy] });
          alone = false;
        }
      }
      const touched = [[-1, 0], [-1, -1], [0, -1], [1, -1]].some(([dx, dy]) => get(x + dx, y + dy));
      if (alone && !touched) found.push({ from: [x, y], to: [x, y] });
    }
  }
  return found;
}

/**
 * The same strokes joined into as few pen paths as a hand would draw: each path a list of pixel
 * centres, every two neighbours in it one of `strokes`, each stroke drawn once. (A pen lifted
 * between every two pixels asks the pad's readers for a new reading at each lift: dozens of runs
 * for one digit.) A path starts where an odd number of strokes meet, when there is such a place,
 * so that it goes as far as it can.
 */
export function penPaths(traced: Stroke[]): [number, number][][] {
  const key = ([x, y]: [number, number]) => `${x},${y}`;
  const unused = new Set(traced.map((_, i) => i));
  const at = new Map<string, number[]>();
  traced.forEach(({ from, to }, i) => {
    for (const end of from === to || key(from) === key(to) ? [from] : [from, to]) {
      at.set(key(end), [...(at.get(key(end)) ?? []), i]);
    }
  });
  const left = (point: [number, number]) => (at.get(key(point)) ?? []).filter((i) => unused.has(i));
  const paths: [number, number][][] = [];
  while (unused.size > 0) {
    const ends = [...unused].flatMap((i) => [traced[i].from, traced[i].to]);
    let point = ends.find((end) => left(end).length % 2 === 1) ?? ends[0];
    const path: [number, number][] = [point];
    for (let next = left(point); next.length > 0; next = left(point)) {
      const { from, to } = traced[next[0]];
      unused.delete(next[0]);
      point = key(from) === key(point) ? to : from;
      if (key(point) !== key(path[path.length - 1])) path.push(point);
    }
    paths.push(path);
  }
  return paths;
}
