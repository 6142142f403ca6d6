/**
 * The tests' one build of the book. The global setup starts it and does not wait: the "unit"
 * project's files (vitest.config.ts runs them first) use the second core meanwhile, and each file
 * of the "book" project waits for the build before it starts (wait-for-build.ts). The build says
 * it ended by writing BUILD_STATUS, with its id; it records every cell it ran in CELL_RECORD
 * (src/notebook/cell-record.ts), which the content tests read.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { readCellRecord } from "../../src/notebook/cell-record.ts";
import { BASE, SITE_DIR, buildSiteAsync } from "./site.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The id of the build the tests use (its record of cells carries it). */
    buildId: string;
    /** Where that build recorded its cells. */
    cellRecord: string;
  }
}

/** The build's record of the cells it ran. */
export const CELL_RECORD = `${SITE_DIR}.cells.json`;
/** Written when the build ends: its id, exit status and output. */
export const BUILD_STATUS = `${SITE_DIR}.status.json`;

export interface BuildStatus {
  buildId: string;
  /** The build's exit status (0: built). */
  status: number | null;
  output: string;
  seconds: number;
}

/**
 * Starts the build (or, with REUSE_BUILD=1 and a build there, reuses it: its id is its record's).
 * Returns its id at once, the status when it ends, and a way to stop it.
 */
export function startBuild(): { buildId: string; done: Promise<BuildStatus>; stop: () => void } {
  mkdirSync(dirname(BUILD_STATUS), { recursive: true });
  if (process.env.REUSE_BUILD === "1" && existsSync(SITE_DIR)) {
    const buildId = readCellRecord(CELL_RECORD)?.buildId ?? "a reused build without a record of cells";
    const status: BuildStatus = { buildId, status: 0, output: "(reused an earlier build)", seconds: 0 };
    writeFileSync(BUILD_STATUS, JSON.stringify(status));
    return { buildId, done: Promise.resolve(status), stop: () => {} };
  }
  const buildId = randomUUID();
  // nothing of an earlier build may pass for this one's
  rmSync(BUILD_STATUS, { force: true });
  rmSync(CELL_RECORD, { force: true });
  const started = performance.now();
  const { child, done } = buildSiteAsync(SITE_DIR, BASE, { BOOK_BUILD_ID: buildId, BOOK_CELL_RECORD: CELL_RECORD });
  const ended = done.then(({ status, output }) => {
    const result: BuildStatus = { buildId, status, output, seconds: (performance.now() - started) / 1000 };
    writeFileSync(BUILD_STATUS, JSON.stringify(result));
    return result;
  });
  return { buildId, done: ended, stop: () => child.exitCode === null && child.kill() };
}

/** The error a failed build makes, with the end of its output. */
export function buildError(status: BuildStatus): Error {
  return new Error(`The book did not build (exit status ${status.status}):\n${status.output.slice(-6000)}`);
}

function readStatus(): BuildStatus | null {
  try {
    return JSON.parse(readFileSync(BUILD_STATUS, "utf8")) as BuildStatus;
  } catch {
    return null; // not written yet (or being written)
  }
}

/**
 * Waits until the build `buildId` has ended (its status file names it), checking every 200 ms;
 * throws with its output when it failed, or when it has not ended within `timeoutMs`.
 */
export async function waitForBuild(buildId: string, timeoutMs = 30 * 60_000): Promise<BuildStatus> {
  const start = performance.now();
  for (;;) {
    const status = readStatus();
    if (status?.buildId === buildId) {
      if (status.status !== 0) throw buildError(status);
      return status;
    }
    if (performance.now() - start > timeoutMs) {
      throw new Error(`The book's build ${buildId} did not end within ${timeoutMs / 60_000} min`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
