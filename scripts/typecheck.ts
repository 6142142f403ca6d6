// `npm run typecheck`: type-checks the .astro components and every TypeScript file, as
// `astro check` does (Astro's sync, which writes .astro/types.d.ts, then @astrojs/check). The
// checker and TypeScript are not part of the book's install: they bring Astro's language server
// (about 74 MB, with a CSS, an HTML and a YAML language service and Prettier) that reading,
// writing and testing the book do not use. They live in tools/typecheck/ and install there the
// first time this runs. Arguments go to the checker (e.g. `npm run typecheck -- --watch`).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureOwnInstall } from "./own-install.ts";

const tools = new URL("../tools/typecheck/", import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));

function run(script: URL | string, args: string[]): void {
  const path = typeof script === "string" ? script : fileURLToPath(script);
  const { status, error } = spawnSync(process.execPath, [path, ...args], { stdio: "inherit", cwd: root });
  if (status !== 0) process.exit(status ?? (console.error(error), 1));
}

ensureOwnInstall(tools, "the type checker's own packages (once; about 74 MB)");
// Astro's sync first: the content collections' and modules' types the checker reads.
run(fileURLToPath(new URL("../node_modules/astro/bin/astro.mjs", import.meta.url)), ["sync"]);
run(new URL("node_modules/@astrojs/check/bin/astro-check.js", tools), ["--root", root, ...process.argv.slice(2)]);
