/**
 * The book's content security policy. Every built page carries it in a `<meta http-equiv>` (which
 * works on any static host): scripts, workers, fonts and data come from the site itself; images
 * from the site, `data:` and `blob:` only; no connection to another host; no plugin, no `<base>`.
 *
 * Astro's own `security.csp` hashes the scripts Astro bundles but not Starlight's inline ones
 * (its theme and search scripts are `is:inline`), and puts its `<meta>` after the first of them;
 * so this integration hashes every inline script of each finished page instead, and puts the
 * policy first in `<head>`, right after the charset. The README shows the header form for hosts
 * that set headers (the only way to add `frame-ancestors`, which a `<meta>` cannot carry).
 */
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import { parseHTML } from "linkedom";
import { RUNNER_SCRIPT } from "./notebook/client/runner-frame.ts";

/**
 * The directives of the page policy, in order. `script-src` also gets the hash of each inline
 * script of the page. Why each source is there:
 * - `'unsafe-eval'`, `worker-src blob:`: the kernel worker starts from a `blob:` URL so that it
 *   inherits this policy (no connection to another host from a cell's code, even where the host
 *   sets no headers), and it runs the reader's cells with `eval`. No code on the page itself
 *   evaluates strings; outputs carry no script (the sanitizer);
 * - the hash of the runner frame's script (RUNNER_HASH): the kernel runs in a sandboxed `srcdoc`
 *   frame, which inherits this policy (and adds a stricter one of its own), so its one inline
 *   script must be allowed here, by its hash: that script and no other;
 * - `'wasm-unsafe-eval'`: Pagefind's search compiles its WebAssembly, and so does the engine's
 *   fast path in the worker;
 * - `style-src 'unsafe-inline'`: Plot's figures, Expressive Code and CodeMirror use inline styles
 *   and `<style>` (outputs' styles are confined by the sanitizer instead, sanitize-policy.ts);
 * - `img-src data: blob:`: Plot's rasters, drawn in the worker, arrive as `data:` images.
 */
export const PAGE_DIRECTIVES: readonly (readonly [string, ...string[]])[] = [
  ["default-src", "'self'"],
  ["script-src", "'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"],
  ["style-src", "'self'", "'unsafe-inline'"],
  ["img-src", "'self'", "data:", "blob:"],
  ["font-src", "'self'"],
  ["connect-src", "'self'"],
  ["worker-src", "'self'", "blob:"],
  ["object-src", "'none'"],
  ["base-uri", "'self'"],
  ["form-action", "'self'"],
];

/**
 * The policy as an HTTP header, for hosts that set headers: the page policy without hashes, plus
 * `frame-ancestors`. A browser enforces the header and each page's `<meta>` together (a load must
 * pass both), so the header's `'unsafe-inline'` opens nothing on a page, whose `<meta>` allows
 * only its own hashed inline scripts.
 */
export const HEADER_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

/** The CSP hash of a script's text (`'sha256-…'`). */
export function scriptHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** The hash of the runner frame's script (src/notebook/client/runner-frame.ts), on every page. */
export const RUNNER_HASH = scriptHash(RUNNER_SCRIPT);

/** The page policy with the given script hashes (`'sha256-…'`), and the runner frame's. */
export function pagePolicy(scriptHashes: readonly string[]): string {
  return PAGE_DIRECTIVES.map(([name, ...sources]) =>
    [name, ...sources, ...(name === "script-src" ? [...scriptHashes, RUNNER_HASH] : [])].join(" "),
  ).join("; ");
}

// A script the browser runs: no type, a JavaScript MIME type or "module" (JSON data does not run).
function runs(script: Element): boolean {
  const type = (script.getAttribute("type") ?? "").trim().toLowerCase();
  return type === "" || type === "module" || /^(text|application)\/(java|ecma)script$/.test(type);
}

/** The CSP hashes (`'sha256-…'`) of a page's inline scripts, each once, in page order. */
export function inlineScriptHashes(html: string): string[] {
  const { document } = parseHTML(html);
  const hashes = new Set<string>();
  for (const script of document.querySelectorAll("script")) {
    if (script.hasAttribute("src") || !runs(script)) continue;
    hashes.add(scriptHash(script.textContent ?? ""));
  }
  return [...hashes];
}

/**
 * The page with its policy as the first thing in `<head>` after the charset (a `<meta>` policy
 * covers only what comes after it). Throws for a page without `<head>`.
 */
export function withPolicy(html: string): string {
  const meta = `<meta http-equiv="content-security-policy" content="${pagePolicy(inlineScriptHashes(html))}">`;
  const anchor = /<meta charset=["']?utf-8["']?\s*\/?>/i.exec(html) ?? /<head(\s[^>]*)?>/i.exec(html);
  if (!anchor) throw new Error("withPolicy: the page has no <head> to put its policy in");
  const at = anchor.index + anchor[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The integration: after the build, every page gets its policy. */
export default function contentSecurityPolicy(): AstroIntegration {
  return {
    name: "book:content-security-policy",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const files = await htmlFiles(fileURLToPath(dir));
        for (const file of files) await writeFile(file, withPolicy(await readFile(file, "utf8")));
        logger.info(`content security policy added to ${files.length} pages`);
      },
    },
  };
}
