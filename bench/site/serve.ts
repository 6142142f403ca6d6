// A static host for the built book, as real hosts serve it: gzip for text, long cache for
// fingerprinted assets, revalidation for pages. Loopback only.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".bin": "application/octet-stream",
  ".pf_meta": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
  ".pf_index": "application/octet-stream",
};

/** Types worth compressing (fonts, images and Pagefind's own packed files are already small). */
const compressible = /^(text\/|application\/(json|xml|javascript|wasm)|image\/svg)/;

/** One response as the host sends it: status, headers and body bytes (gzipped if asked). */
export type Served = { status: number; headers: Record<string, string>; body: Buffer };

/**
 * What a static host answers for `path` (already stripped of the base path) in `dir`: the file,
 * `index.html` for a folder, or 404.html with status 404. `gzip` says whether the client accepts it.
 */
export function respond(dir: string, path: string, gzip: boolean): Served {
  let file = normalize(join(dir, path));
  if (!file.startsWith(normalize(dir))) return { status: 403, headers: {}, body: Buffer.alloc(0) };
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  const found = existsSync(file);
  if (!found) file = join(dir, "404.html");
  const type = types[extname(file)] ?? "application/octet-stream";
  let body = readFileSync(file);
  const headers: Record<string, string> = {
    "content-type": type,
    // Astro fingerprints what it writes to _astro/: safe to keep for a year.
    "cache-control": path.startsWith("_astro/")
      ? "public, max-age=31536000, immutable"
      : "public, max-age=0, must-revalidate",
    vary: "accept-encoding",
  };
  if (gzip && compressible.test(type) && body.length > 512) {
    body = gzipSync(body, { level: 9 });
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = String(body.length);
  return { status: found ? 200 : 404, headers, body };
}

/** Serves `dir` at `base` on a free loopback port; resolves with the site's URL. */
export function serveStatic(dir: string, base = "/"): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const { status, headers, body } = respond(dir, path.slice(base.length), gzip);
    res.writeHead(status, headers).end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      done({ url: `http://127.0.0.1:${port}${base}`, server });
    });
  });
}
