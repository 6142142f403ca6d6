/**
 * Cell dependencies from the kernel's analysis (what each cell declares and references): which
 * earlier cells must run before a cell, and which later cells go stale when it runs again.
 */

/** One cell as the dependency graph sees it, in page order. */
export interface CellNames {
  id: string;
  /** Top-level names the cell declares. */
  declares: readonly string[];
  /** Free names the cell uses. */
  references: readonly string[];
}

// The earlier cells a cell reads from: for each name, the last earlier cell declaring it.
function providers(cells: readonly CellNames[], index: number): number[] {
  const found = new Set<number>();
  for (const name of cells[index].references) {
    for (let j = index - 1; j >= 0; j--) {
      if (cells[j].declares.includes(name)) {
        found.add(j);
        break;
      }
    }
  }
  return [...found];
}

/**
 * The earlier cells (indices, in page order) that cell `index` needs, directly or through each
 * other, and that are not in `ran`: run these first.
 */
export function prerequisites(
  cells: readonly CellNames[],
  index: number,
  ran: ReadonlySet<string>,
): number[] {
  const needed = new Set<number>();
  const visit = (i: number) => {
    for (const j of providers(cells, i)) {
      if (needed.has(j) || ran.has(cells[j].id)) continue;
      needed.add(j);
      visit(j);
    }
  };
  visit(index);
  return [...needed].sort((a, b) => a - b);
}

/** The later cells (indices, in page order) that read what cell `index` declares, transitively. */
export function dependents(cells: readonly CellNames[], index: number): number[] {
  const affected = new Set<number>([index]);
  for (let j = index + 1; j < cells.length; j++) {
    if (providers(cells, j).some((k) => affected.has(k))) affected.add(j);
  }
  affected.delete(index);
  return [...affected].sort((a, b) => a - b);
}
