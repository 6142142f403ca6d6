import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve } from "node:path";

/** Tests build and serve the book under this sub-path, the harder way to host it. */
export const BASE = "/book/";
export const SITE_DIR = resolve(process.env.TEST_SITE_DIR ?? "test-output/site");

// `astro build` into `outDir` with the given base path: the command and its environment.
function buildCommand(outDir: string, base: string, extraEnv: Record<string, string>) {
  const astro = resolve("node_modules/astro/bin/astro.mjs");
  // A test worker's environment carries Vite's variables (BASE_URL=/ …), which the build would
  // take for its own: every page would then link to / whatever its base path.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(BASE_URL|MODE|DEV|PROD|SSR)$/.test(name)),
  );
  // Vitest sets NODE_ENV=test, which makes Astro build dev-only fallbacks (no search).
  const options = { env: { ...env, NODE_ENV: "production", BASE_PATH: base, ...extraEnv } };
  return { args: [astro, "build", "--outDir", outDir], options };
}

/** Runs `astro build` into `outDir` with the given base path; returns its output and status. */
export function buildSite(outDir: string, base: string, extraEnv: Record<string, string> = {}) {
  const { args, options } = buildCommand(outDir, base, extraEnv);
  const result = spawnSync(process.execPath, args, { ...options, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** `buildSite` without blocking: the build runs while the caller goes on. */
export function buildSiteAsync(
  outDir: string,
  base: string,
  extraEnv: Record<string, string> = {},
): { child: ChildProcess; done: Promise<{ status: number | null; output: string }> } {
  const { args, options } = buildCommand(outDir, base, extraEnv);
  const child = spawn(process.execPath, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (text: string) => chunks.push(text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => chunks.push(text));
  const done = new Promise<{ status: number | null; output: string }>((settle) => {
    child.on("error", (error) => settle({ status: null, output: `${chunks.join("")}\n${error.message}` }));
    child.on("close", (status) => settle({ status, output: chunks.join("") }));
  });
  return { child, done };
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".xml": "application/xml",
  ".bin": "application/octet-stream",
  ".pf_meta": "application/octet-stream",
};

/**
 * A static file server for `dir` mounted at `base`, as any static host would serve it; `headers`
 * go with every response (as a host that sets headers for the whole site).
 */
export function serveSite(
  dir: string,
  base: string,
  headers: Record<string, string> = {},
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404, headers).end("outside the site");
      return;
    }
    let file = normalize(join(dir, path.slice(base.length)));
    if (!file.startsWith(dir)) {
      res.writeHead(403, headers).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { ...headers, "content-type": types[".html"] });
      createReadStream(join(dir, "404.html")).pipe(res);
      return;
    }
    res.writeHead(200, {
      ...headers,
      "content-type": types[extname(file)] ?? "application/octet-stream",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      done({ url: `http://127.0.0.1:${port}${base}`, server });
    });
  });
}
