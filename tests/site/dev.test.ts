/**
 * `npm run dev` follows the chapters (src/dev-chapters.ts): a chapter added, renamed or removed
 * while the server runs makes it restart with a new sidebar: the pages answer again, and the
 * sidebar lists the chapters as they now are.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, expect, test } from "vitest";

const work = resolve("test-output/dev-book");
const content = join(work, "content");
const chapter = (title: string, order: number) =>
  `---\ntitle: ${title}\norder: ${order}\nobjectives:\n  - See the dev server follow.\n---\nText.\n`;
let server: ChildProcess | undefined;
let log = "";

function viteless(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(BASE_URL|MODE|DEV|PROD|SSR|TEST|VITEST.*)$/.test(name)),
  );
}

afterAll(() => {
  if (server?.pid) process.kill(-server.pid);
});

/** Asks for `path` until `ok` holds for the answer (the server restarts meanwhile), or 90 s pass. */
async function until(url: string, ok: (status: number, html: string) => boolean, what: string) {
  const deadline = Date.now() + 90_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const html = await response.text();
      if (ok(response.status, html)) return html;
      last = `${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((done) => setTimeout(done, 500)); // polling a server that is restarting
  }
  throw new Error(`${what}: not within 90 s (last answer ${last})\n${log.slice(-3000)}`);
}

test("the dev server restarts for an added, a renamed and a removed chapter, and its pages answer with the new sidebar", async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(content, { recursive: true });
  symlinkSync(resolve("src"), join(work, "src"));
  writeFileSync(join(content, "index.mdx"), "---\ntitle: Home\ntemplate: splash\n---\n");
  writeFileSync(join(content, "01-one.mdx"), chapter("One", 1));
  const port = 4400 + Math.floor(Math.random() * 500);
  server = spawn(process.execPath, [resolve("node_modules/astro/bin/astro.mjs"), "dev", "--host", "127.0.0.1", "--port", String(port)], {
    // (without Vitest's variables: BASE_URL=/ would become the book's base, VITEST changes Astro's dev server)
    env: { ...viteless(), NODE_ENV: "development", BOOK_CONTENT_DIR: content, BOOK_CACHE_DIR: join(work, "cache"), BASE_PATH: "/" },
    detached: true,
  });
  server.stdout!.on("data", (chunk) => (log += chunk));
  server.stderr!.on("data", (chunk) => (log += chunk));
  const page = `http://127.0.0.1:${port}/one/`;
  await until(page, (status) => status === 200, "the first page");

  writeFileSync(join(content, "02-two.mdx"), chapter("Two", 2));
  await until(page, (status, html) => status === 200 && html.includes('href="/two/"'), "an added chapter in the sidebar");

  renameSync(join(content, "02-two.mdx"), join(content, "02-deux.mdx"));
  const renamed = await until(page, (status, html) => status === 200 && html.includes('href="/deux/"'), "a renamed chapter");
  expect(renamed).not.toContain('href="/two/"');

  unlinkSync(join(content, "02-deux.mdx"));
  await until(page, (status, html) => status === 200 && !html.includes('href="/deux/"'), "a removed chapter");
  // each change restarted the server once (a request in the second before it may still see 500)
  expect(log.match(/the chapters changed/g)).toHaveLength(3);
}, 300_000);
