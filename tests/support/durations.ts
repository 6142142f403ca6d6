/**
 * A reporter that ends the run with where its time went: each test file's time (setup, import,
 * tests), slowest first, and the book's build (from its status file). CI prints it; it says which
 * file to make faster.
 */
import type { Reporter, TestModule } from "vitest/node";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BUILD_STATUS, type BuildStatus } from "./book-build.ts";
import { SLOWEST, SLOW_FILE_S } from "./sequencer.ts";

const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(6);

export default class Durations implements Reporter {
  #start = performance.now();

  onTestRunStart(): void {
    this.#start = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((module) => {
        const d = module.diagnostic();
        const total = d.setupDuration + d.collectDuration + d.duration;
        return { module, d, total };
      })
      .sort((a, b) => b.total - a.total);
    const lines = ["", "Where the test run's time went (seconds; setup includes waiting for the build):"];
    lines.push(`${"total".padStart(6)} ${"setup".padStart(6)} ${"import".padStart(6)} ${"tests".padStart(6)}  file`);
    for (const { module, d, total } of rows) {
      const name = `${module.project.name} ${relative(process.cwd(), module.moduleId)}`;
      lines.push(`${seconds(total)} ${seconds(d.setupDuration)} ${seconds(d.collectDuration)} ${seconds(d.duration)}  ${name}`);
    }
    const sum = rows.reduce((s, r) => s + r.total, 0);
    lines.push(`${seconds(sum)} summed over ${rows.length} files; ${seconds(performance.now() - this.#start)} from the start of the run`);
    try {
      if (!modules.some((module) => module.project.name === "book")) throw new Error("no build");
      const build = JSON.parse(readFileSync(BUILD_STATUS, "utf8")) as BuildStatus;
      lines.push(`${seconds(build.seconds * 1000)} the book's build (${build.buildId})`);
    } catch {
      // no build in this run (or no status of it)
    }
    // a long file the sequencer does not know may start last on a clean clone
    for (const { module, d } of rows) {
      const file = relative(module.project.config.root, module.moduleId);
      if (d.duration / 1000 > SLOW_FILE_S && !(file in SLOWEST)) {
        lines.push(`${file} took ${seconds(d.duration).trim()} s: add it to SLOWEST in tests/support/sequencer.ts, or a clean run may start it last`);
      }
    }
    console.log(lines.join("\n"));
  }
}
