import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, describe, expect, test } from "vitest";
import { lastBuild, lastBuildFile } from "../../src/last-build.ts";
import { brokenLinks } from "../../src/links.ts";
import { allPages, chapters, contentDir } from "../support/chapters.ts";
import { BASE, SITE_DIR, buildSite } from "../support/site.ts";
import { describeNeeding } from "../support/suites.ts";


function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function page(slug: string): Document {
  return parseHTML(readFileSync(join(SITE_DIR, slug, "index.html"), "utf8")).document;
}

describeNeeding(["site"], "the built book", () => {
  test("each chapter of this edition is a page in the sidebar in reading order, then the reference", () => {
    const list = chapters();
    console.info(`the built book: ${list.length} chapters of ${contentDir()} (${list.map(({ slug }) => slug).join(", ")})`);
    const sidebar = [...page(list[0].slug).querySelectorAll("nav.sidebar a")].map(
      (a) => a.getAttribute("href"),
    );
    expect(sidebar).toEqual([
      ...list.map(({ slug }) => `${BASE}${slug}/`),
      `${BASE}reference/reading-a-cell/`,
      `${BASE}reference/glossary/`,
      `${BASE}reference/your-progress/`,
      `${BASE}reference/for-instructors/`,
    ]);
    // each says its number, its position from 0
    for (const [number, { slug }] of list.entries()) {
      expect(page(slug).querySelector(".chapter-objectives__number")?.textContent).toBe(`Chapter ${number} · `);
    }
  });

  // (read from the built pages: a browser clicking through them found the same addresses, at a
  // page load each)
  test("next and previous links walk every page in order, the chapters then the reference, both ways", () => {
    const list = allPages().slice(1); // the landing page links to neither
    const docs = list.map((path) => page(path.replace(/\/$/, "")));
    const link = (doc: Document, rel: string) => doc.querySelector(`a[rel="${rel}"]`)?.getAttribute("href") ?? null;
    const nexts = docs.map((doc) => link(doc, "next"));
    const prevs = docs.map((doc) => link(doc, "prev"));
    expect(nexts).toEqual([...list.slice(1).map((path) => `${BASE}${path}`), null]);
    expect(prevs).toEqual([null, ...list.slice(0, -1).map((path) => `${BASE}${path}`)]);
  });

  test("the title comes from book.config.ts, the fork's one place for it", async () => {
    const { default: book } = await import("../../book.config.ts");
    const doc = page(chapters()[0].slug);
    expect(doc.querySelector("title")?.textContent).toContain(book.title);
    expect(doc.querySelector('meta[property="og:site_name"]')?.getAttribute("content")).toBe(book.title);
  });

  test("every reference to a chapter names it by its number and links it", () => {
    const numbers = new Map(chapters().map(({ slug }, number) => [`${BASE}${slug}/`, number]));
    const wrong: string[] = [];
    let count = 0;
    for (const slug of [...numbers.keys()].map((path) => path.slice(BASE.length, -1)).concat("reference/glossary")) {
      for (const a of page(slug).querySelectorAll(".sl-markdown-content a.chapter-ref")) {
        count++;
        const number = numbers.get(a.getAttribute("href")!.split("#")[0]);
        // "chapter 7, …", "Chapter 7" or "7" (in "chapters 6 and 7")
        const said = /^(?:chapter )?(\d+)\b/i.exec(a.textContent ?? "");
        if (!said || Number(said[1]) !== number) wrong.push(`${slug}: ${a.outerHTML}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(count).toBeGreaterThan(100);
  });

  test("every link inside a page leads to a page and a heading that exist", async () => {
    expect(await brokenLinks(SITE_DIR, BASE)).toEqual([]);
    // the glossary links every term to where it is explained
    const glossary = page("reference/glossary");
    expect(glossary.querySelectorAll(".sl-markdown-content a[href*='#']").length).toBeGreaterThan(50);
  });

  test.skipIf(process.env.SITE_URL)("names no host it does not know: no canonical URL, no sitemap", () => {
    for (const file of files(SITE_DIR).filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(file, "utf8");
      expect(html, relative(SITE_DIR, file)).not.toMatch(/rel="(canonical|sitemap)"/);
      expect(html).not.toContain("example.org");
    }
    expect(readdirSync(SITE_DIR).filter((f) => f.startsWith("sitemap"))).toEqual([]);
  });

  test.each(chapters())("$file: formulas are KaTeX markup, figures are SVG", ({ file, slug }) => {
    const source = readFileSync(join(contentDir(), file), "utf8");
    const doc = page(slug);
    const body = doc.querySelector(".sl-markdown-content");
    expect(body, `${slug} has no content`).toBeTruthy();
    // Every formula in the source became KaTeX; none failed or stayed as raw TeX.
    // (Cells are left out: their template literals' `${…}` are not TeX.)
    // (Nor are the notes for instructors, which this, the student's edition, leaves out.)
    const prose = source.replace(/^```[\s\S]*?^```/gm, "").replace(/<ForInstructors>[\s\S]*?<\/ForInstructors>/g, "");
    const formulas = prose.match(/\$\$[\s\S]+?\$\$|\$[^$\n]+\$/g) ?? [];
    expect(doc.querySelectorAll(".katex").length).toBeGreaterThanOrEqual(formulas.length);
    expect(doc.querySelectorAll(".katex-error").length).toBe(0);
    // The prose (not code, not KaTeX's MathML source) has no TeX left over.
    const text = body!.cloneNode(true) as Element;
    for (const el of text.querySelectorAll("annotation, script, template, pre, code, .expressive-code")) {
      el.remove();
    }
    expect(text.textContent).not.toMatch(/\$\$|\\frac|\\sum/);
    // At least one figure drawn as SVG, and every figure says what it shows.
    const svgs = [...body!.querySelectorAll("svg")].filter((svg) => !svg.closest("a, button"));
    expect(svgs.length, `${slug} has no SVG figure`).toBeGreaterThan(0);
    // (Expressive Code draws code blocks as `figure.frame`: those are code, not figures.)
    for (const figure of body!.querySelectorAll("figure:not(.frame)")) {
      const labelled =
        figure.matches("[aria-label]") ||
        figure.querySelector("[role=img][aria-label], [role=img][aria-labelledby], svg[aria-label]");
      expect(labelled, `a figure in ${slug} has no text alternative: ${figure.outerHTML.slice(0, 300)}`).toBeTruthy();
    }
    // Charts drawn by cells say what they show too (Plot's `ariaLabel` option).
    for (const svg of body!.querySelectorAll(".nb-output svg")) {
      if (svg.parentElement?.closest("svg")) continue; // a part of a larger chart
      if (svg.closest("figure[aria-label], [role=img][aria-label]")) continue;
      if (svg.closest(".plot-d6a7b5-swatches, [class*=swatch]")) continue;
      // A control drawn as SVG (the point editor) is named by its visible label.
      const name = svg.getAttribute("aria-label") ?? (svg.closest(".nb-input") ? svg.getAttribute("aria-labelledby") : null);
      expect(name, `a cell chart in ${slug} has no aria-label: ${svg.outerHTML.slice(0, 300)}`).toBeTruthy();
    }
    // It opens with its objectives and ends with a self-check.
    expect(doc.querySelector(".chapter-objectives li")).toBeTruthy();
    expect(body!.querySelectorAll("details").length).toBeGreaterThanOrEqual(2);
  });

  test("loads nothing from another host, and every local address is under the base path", () => {
    const offenders: string[] = [];
    for (const file of files(SITE_DIR)) {
      const name = relative(SITE_DIR, file);
      if (file.endsWith(".html")) {
        const { document } = parseHTML(readFileSync(file, "utf8"));
        const loads = [
          ...[...document.querySelectorAll("script[src], img[src], iframe[src], source[src], audio[src], video[src], embed[src]")].map((el) => el.getAttribute("src")),
          ...[...document.querySelectorAll("link[href]")]
            .filter((el) => !/^(canonical|sitemap|alternate)$/.test(el.getAttribute("rel") ?? ""))
            .map((el) => el.getAttribute("href")),
          ...[...document.querySelectorAll("[srcset]")].map((el) => el.getAttribute("srcset")),
        ];
        for (const url of loads) {
          if (/^(https?:)?\/\//.test(url ?? "")) offenders.push(`${name}: loads ${url}`);
          else if (url?.startsWith("/") && !url.startsWith(BASE)) offenders.push(`${name}: ${url} is outside ${BASE}`);
        }
      } else if (/\.(css|js|mjs)$/.test(file)) {
        const text = readFileSync(file, "utf8");
        for (const match of text.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')]+)/g)) {
          offenders.push(`${name}: url(${match[1]})`);
        }
        for (const match of text.matchAll(/(?:import\(|from|importScripts\()\s*["'](https?:\/\/[^"']+)/g)) {
          offenders.push(`${name}: imports ${match[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test("ships KaTeX's stylesheet and fonts itself", () => {
    const assets = readdirSync(join(SITE_DIR, "_astro"));
    expect(assets.some((file) => /^KaTeX_Main-Regular.*\.woff2$/.test(file))).toBe(true);
    const css = assets.filter((file) => file.endsWith(".css")).map((file) => readFileSync(join(SITE_DIR, "_astro", file), "utf8")).join("\n");
    expect(css).toContain(".katex");
  });

  // A font that arrives after the first paint re-measures the formulas on screen and moves the
  // lines around them: a page with math asks for KaTeX's text fonts before anything else.
  // a chapter of this edition with formulas (a fork may have removed any given one)
  const withMath = chapters().find(({ file }) => /\$[^$\n]+\$/.test(readFileSync(join(contentDir(), file), "utf8")));
  test.each(["", ...(withMath ? [withMath.slug] : []), "reference/glossary"])(
    "%s asks for KaTeX's text fonts in its head, before its stylesheets, and once",
    (slug) => {
      const html = readFileSync(join(SITE_DIR, slug, "index.html"), "utf8");
      const head = html.slice(0, html.indexOf("</head>"));
      const fonts = ["KaTeX_Main-Regular", "KaTeX_Math-Italic"];
      for (const font of fonts) {
        const preload = head.search(new RegExp(`<link rel="preload" href="[^"]*${font}[^"]*" as="font"`));
        expect(preload, font).toBeGreaterThan(0);
        expect(preload, `${font} before the stylesheets`).toBeLessThan(head.indexOf('rel="stylesheet"'));
        expect(html.split(`${font}.`).length - 1, `${font} asked for once`).toBe(1);
      }
    },
  );

  test("a page without math asks for no KaTeX font", () => {
    expect(readFileSync(join(SITE_DIR, "reference/reading-a-cell", "index.html"), "utf8")).not.toContain("KaTeX_");
  });

  test("has a search index", () => {
    expect(readdirSync(join(SITE_DIR, "pagefind"))).toContain("pagefind.js");
  });
});

// The book's own build recorded its folder and base path (src/last-build.ts) in Astro's cache
// folder, the one `npm run preview` reads: preview serves it under /book/ with no BASE_PATH.
describeNeeding(["site"], "npm run preview", () => {
  test("serves what the last build made, under its base path", async () => {
    const cacheDir = resolve(process.env.BOOK_CACHE_DIR ?? "node_modules/.astro");
    expect(
      lastBuild(lastBuildFile(cacheDir)),
      "the record of the last build in this cache folder names the tests' build (under REUSE_BUILD=1, " +
        "another build may have written it since)",
    ).toEqual({ base: BASE, outDir: `${SITE_DIR}/` });
    const port = 4900 + Math.floor(Math.random() * 500);
    // as `npm run preview` runs it: no BASE_PATH, and none of Vitest's variables
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(BASE_PATH|BASE_URL|MODE|DEV|PROD|SSR|TEST|VITEST.*)$/.test(name)),
    );
    const astro = resolve("node_modules/astro/bin/astro.mjs");
    const preview = spawn(process.execPath, [astro, "preview", "--ignore-lock", "--host", "127.0.0.1", "--port", String(port)], {
      env: { ...env, BOOK_CACHE_DIR: cacheDir },
      detached: true,
    });
    let log = "";
    preview.stdout!.on("data", (chunk) => (log += chunk));
    preview.stderr!.on("data", (chunk) => (log += chunk));
    try {
      await new Promise<void>((ready, fail) => {
        preview.stdout!.on("data", () => log.includes(`${port}`) && ready());
        preview.on("exit", () => fail(new Error(`astro preview exited:\n${log}`)));
      });
      const first = chapters()[0].slug;
      const page = await fetch(`http://127.0.0.1:${port}${BASE}${first}/`);
      expect(page.status, log).toBe(200);
      const html = await page.text();
      // the very page the build wrote
      expect(html).toBe(readFileSync(join(SITE_DIR, first, "index.html"), "utf8"));
      const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
      expect(css).toMatch(new RegExp(`^${BASE}`));
      expect((await fetch(`http://127.0.0.1:${port}${css}`)).status).toBe(200);
    } finally {
      process.kill(-preview.pid!);
    }
  }, 120_000);
});

test("the KaTeX stylesheet the site ships is the KaTeX that renders the formulas", () => {
  // Two versions name their size classes differently: subscripts then print full size.
  const version = (from: string) =>
    JSON.parse(readFileSync(createRequire(from).resolve("katex/package.json"), "utf8")).version;
  const rehypeKatex = createRequire(import.meta.url).resolve("rehype-katex");
  expect(version(rehypeKatex)).toBe(version(import.meta.url));
});

describe("a small book built at the root path", () => {
  const work = resolve("test-output/bad-book");
  const content = join(work, "content");
  const home = "---\ntitle: Home\ntemplate: splash\n---\n";
  const chapter = (title: string, order: string, body: string) =>
    `---\ntitle: ${title}\norder: ${order}\nobjectives:\n  - See what the build makes of it.\n---\n${body}`;

  /** Builds a book of these files (name → source) into work/dist; its status and output. */
  function buildBook(
    files: Record<string, string>,
    base = "/",
    env: Record<string, string> = {},
    newChapters: string[][] = [],
  ) {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(content, { recursive: true });
    for (const [name, source] of Object.entries({ "index.mdx": home, ...files })) {
      writeFileSync(join(content, name), source);
    }
    // chapters import components as "../src/components/…", as in the book's own content/
    symlinkSync(resolve("src"), join(work, "src"));
    for (const args of newChapters) {
      const run = spawnSync(process.execPath, ["scripts/new-chapter.ts", ...args, "--dir", content], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`new:chapter ${args.join(" ")} failed: ${run.stderr}`);
    }
    return buildSite(join(work, "dist"), base, {
      BOOK_CONTENT_DIR: content,
      BOOK_CACHE_DIR: join(work, "cache"),
      ...env,
    });
  }

  // One good build of two chapters (orders 3 and 10: chapters 0 and 1), one of which names a
  // chapter this edition leaves out.
  test("builds, numbers chapters by position, links them from /, and lists references to a missing chapter once", () => {
    const { status, output } = buildBook(
      {
        "03-first.mdx": chapter(
          "First",
          "3",
          "The sum $z = \\sum_i w_i x_i$.\n\n" +
            'Next comes <ChapterRef slug="second" />, then <ChapterRef slug="gradient-descent" form="number" />.\n' +
            "\n## A heading\n",
        ),
        "10-second.mdx": chapter(
          "Second",
          "10",
          '<ChapterRef slug="first" form="number" capital /> came first; see\n' +
            '<ChapterRef slug="first" section="a-heading" capital>its heading</ChapterRef>.\n',
        ),
      },
      "/",
      { SITE_URL: "https://course.example.edu" },
      // npm run new:chapter -- "Momentum" --after first: order 4, so chapter 1
      [["Momentum", "--after", "first"]],
    );
    expect(status, output.slice(-3000)).toBe(0);
    const first = readFileSync(join(work, "dist", "first", "index.html"), "utf8");
    const second = readFileSync(join(work, "dist", "second", "index.html"), "utf8");
    expect(first).toContain('href="/first/"');
    expect(first).toContain('class="katex"');
    expect(first).not.toContain("/book/");
    // references are computed: order 3 is chapter 0, the new chapter (order 4) 1, order 10 2
    expect(first).toContain('<a href="/second/" class="chapter-ref">chapter 2, Second</a>');
    expect(second).toContain('<a href="/first/" class="chapter-ref">Chapter 0</a> came first');
    expect(second).toContain('<a href="/first/#a-heading" class="chapter-ref">Chapter 0, <em>its heading</em></a>');
    expect(second).toContain("Chapter 2 · ");
    // the scaffolded chapter builds as it is: a formula, a chart drawn by its cell, a control, a
    // self-check, its objectives first
    const momentum = parseHTML(readFileSync(join(work, "dist", "momentum", "index.html"), "utf8")).document;
    expect(readdirSync(content)).toContain("04-momentum.mdx");
    expect(momentum.querySelector(".chapter-objectives__number")?.textContent).toBe("Chapter 1 · ");
    expect(momentum.querySelectorAll(".sl-markdown-content .katex").length).toBeGreaterThan(0);
    expect(momentum.querySelector(".nb-output svg[aria-label]")).toBeTruthy();
    expect(momentum.querySelector(".nb-input input[type=range]")).toBeTruthy();
    expect(momentum.querySelectorAll(".sl-markdown-content details").length).toBeGreaterThanOrEqual(2);
    expect(momentum.querySelector("a.chapter-ref")?.textContent).toBe("chapter 1");
    // and an exercise, numbered by the chapter, whose starter gets its "Not yet"
    expect(momentum.querySelector(".nn-exercise__title")?.textContent).toBe("Exercise 1.1: the weighted sum");
    expect(momentum.querySelector(".nb-cell--check .nb-verdict")?.getAttribute("data-verdict")).toBe("fail");
    // a chapter the edition leaves out: plain words, and one line naming the place
    expect(first).toContain('<span class="chapter-ref chapter-ref--missing">gradient descent</span>');
    expect(output).toContain(
      "1 reference to a chapter this edition leaves out, rendered as plain words without a link; " +
        "reword each sentence, or add the chapter back:\n" +
        '  test-output/bad-book/content/03-first.mdx:9: <ChapterRef slug="gradient-descent">\n',
    );
    expect(output.split("03-first.mdx:9").length - 1, "listed once").toBe(1);
    // with SITE_URL, every page names its canonical URL and the book has a sitemap
    expect(first).toContain('<link rel="canonical" href="https://course.example.edu/first/"');
    expect(readdirSync(join(work, "dist"))).toContain("sitemap-index.xml");
  }, 120_000);

  test("a broken link written by hand fails the build, naming the page and the target", () => {
    const { status, output } = buildBook(
      {
        "01-first.mdx": chapter("First", "1", "See [nothing](../nowhere/) and [this](#no-such-heading).\n"),
      },
      "/nn/",
    );
    expect(status).not.toBe(0);
    expect(output).toContain("2 broken links in the built book:");
    expect(output).toContain("  /nn/first/: ../nowhere/ (no such page)");
    expect(output).toContain("  /nn/first/: #no-such-heading (no such heading)");
  }, 120_000);

  // The schema's messages are tested on the schema (chapter-schema.test.ts); this build shows that
  // Astro names the file.
  test("a bad frontmatter field fails the build, naming the file and the field (order)", () => {
    const { status, output } = buildBook({
      "03-broken-chapter.mdx":
        "---\ntitle: Broken\norder: three\nobjectives:\n  - Notice the broken field.\n---\nText.\n",
    });
    expect(status).not.toBe(0);
    expect(output).toContain("03-broken-chapter.mdx");
    expect(output).toMatch(/order/);
  }, 120_000);
});

// `npm run dev` follows the chapters (src/dev-chapters.ts): a chapter added, renamed or removed
// while the server runs makes it restart with a new sidebar. (In this file, not beside it: a build
// running at the same time rewrites .astro/ under the dev server.)
describe("npm run dev", () => {
  const devWork = resolve("test-output/dev-book");
  const devContent = join(devWork, "content");
  const devChapter = (title: string, order: number) =>
    `---\ntitle: ${title}\norder: ${order}\nobjectives:\n  - See the dev server follow.\n---\nText.\n`;
  let server: ChildProcess | undefined;
  let devLog = "";

  afterAll(() => {
    if (server?.pid) process.kill(-server.pid);
  });

  function viteless(): NodeJS.ProcessEnv {
    return Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(BASE_URL|MODE|DEV|PROD|SSR|TEST|VITEST.*)$/.test(name)),
    );
  }

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
    throw new Error(`${what}: not within 90 s (last answer ${last})\n${devLog.slice(-3000)}`);
  }


  test("the dev server restarts for an added, a renamed and a removed chapter, and its pages answer with the new sidebar", async () => {
    rmSync(devWork, { recursive: true, force: true });
    mkdirSync(devContent, { recursive: true });
    symlinkSync(resolve("src"), join(devWork, "src"));
    writeFileSync(join(devContent, "index.mdx"), "---\ntitle: Home\ntemplate: splash\n---\n");
    writeFileSync(join(devContent, "01-one.mdx"), devChapter("One", 1));
    const port = 4400 + Math.floor(Math.random() * 500);
    server = spawn(process.execPath, [resolve("node_modules/astro/bin/astro.mjs"), "dev", "--host", "127.0.0.1", "--port", String(port)], {
      // (without Vitest's variables: BASE_URL=/ would become the book's base, VITEST changes Astro's dev server)
      env: { ...viteless(), NODE_ENV: "development", BOOK_CONTENT_DIR: devContent, BOOK_CACHE_DIR: join(devWork, "cache"), BASE_PATH: "/" },
      detached: true,
    });
    server.stdout!.on("data", (chunk) => (devLog += chunk));
    server.stderr!.on("data", (chunk) => (devLog += chunk));
    const page = `http://127.0.0.1:${port}/one/`;
    await until(page, (status) => status === 200, "the first page");

    writeFileSync(join(devContent, "02-two.mdx"), devChapter("Two", 2));
    await until(page, (status, html) => status === 200 && html.includes('href="/two/"'), "an added chapter in the sidebar");

    renameSync(join(devContent, "02-two.mdx"), join(devContent, "02-deux.mdx"));
    const renamed = await until(page, (status, html) => status === 200 && html.includes('href="/deux/"'), "a renamed chapter");
    expect(renamed).not.toContain('href="/two/"');

    unlinkSync(join(devContent, "02-deux.mdx"));
    await until(page, (status, html) => status === 200 && !html.includes('href="/deux/"'), "a removed chapter");
    // each change restarted the server once (a request in the second before it may still see 500)
    expect(devLog.match(/the chapters changed/g)).toHaveLength(3);
  }, 300_000);
});
