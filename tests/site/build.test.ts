import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import { chapters } from "../support/chapters.ts";
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
  test("has ten chapters, 0 to 9, each a page in the sidebar in order, then the reference", () => {
    const list = chapters();
    expect(list.map(({ file }) => file.slice(0, 2))).toEqual(
      ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09"],
    );
    const sidebar = [...page(list[0].slug).querySelectorAll("nav.sidebar a")].map(
      (a) => a.getAttribute("href"),
    );
    expect(sidebar).toEqual([
      ...list.map(({ slug }) => `${BASE}${slug}/`),
      `${BASE}reference/reading-a-cell/`,
      `${BASE}reference/glossary/`,
    ]);
  });

  test("every link inside a page's text leads to a page and a heading that exist", () => {
    const broken: string[] = [];
    const htmlFiles = files(SITE_DIR).filter((file) => file.endsWith("index.html"));
    const idsOf = new Map(
      htmlFiles.map((file) => {
        const { document } = parseHTML(readFileSync(file, "utf8"));
        return [file, new Set([...document.querySelectorAll("[id]")].map((el) => el.id))];
      }),
    );
    for (const file of htmlFiles) {
      const { document } = parseHTML(readFileSync(file, "utf8"));
      for (const a of document.querySelectorAll(".sl-markdown-content a[href], .hero a[href]")) {
        const href = a.getAttribute("href")!;
        if (/^[a-z]+:/.test(href)) continue;
        const [path, fragment] = href.split("#");
        const target = path === ""
          ? file
          : join(path.startsWith("/") ? join(SITE_DIR, path.slice(BASE.length)) : join(file, "..", path), "index.html");
        const name = relative(SITE_DIR, file);
        if (!idsOf.has(target)) broken.push(`${name}: ${href} (no such page)`);
        else if (fragment && !idsOf.get(target)!.has(decodeURIComponent(fragment))) {
          broken.push(`${name}: ${href} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
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
    const source = readFileSync(join("content", file), "utf8");
    const doc = page(slug);
    const body = doc.querySelector(".sl-markdown-content");
    expect(body, `${slug} has no content`).toBeTruthy();
    // Every formula in the source became KaTeX; none failed or stayed as raw TeX.
    // (Cells are left out: their template literals' `${…}` are not TeX.)
    const prose = source.replace(/^```[\s\S]*?^```/gm, "");
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
  test.each(["", "weights-and-bias", "reference/glossary"])(
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

test("the KaTeX stylesheet the site ships is the KaTeX that renders the formulas", () => {
  // Two versions name their size classes differently: subscripts then print full size.
  const version = (from: string) =>
    JSON.parse(readFileSync(createRequire(from).resolve("katex/package.json"), "utf8")).version;
  const rehypeKatex = createRequire(import.meta.url).resolve("rehype-katex");
  expect(version(rehypeKatex)).toBe(version(import.meta.url));
});

describe("a small book built at the root path", () => {
  const work = resolve("test-output/bad-book");

  function buildWith(chapter: string) {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(work, "content"), { recursive: true });
    writeFileSync(join(work, "content", "index.mdx"), "---\ntitle: Home\ntemplate: splash\n---\n");
    writeFileSync(join(work, "content", "03-broken-chapter.mdx"), chapter);
    return buildSite(join(work, "dist"), "/", {
      BOOK_CONTENT_DIR: join(work, "content"),
      BOOK_CACHE_DIR: join(work, "cache"),
    });
  }

  test("a good chapter builds, with links from /", () => {
    const { status, output } = buildWith(
      "---\ntitle: Fine\norder: 3\nobjectives:\n  - See that a good chapter builds.\n---\n" +
        "The sum $z = \\sum_i w_i x_i$.\n",
    );
    expect(status, output.slice(-3000)).toBe(0);
    const html = readFileSync(join(work, "dist", "broken-chapter", "index.html"), "utf8");
    expect(html).toContain('href="/broken-chapter/"');
    expect(html).toContain('class="katex"');
    expect(html).not.toContain("/book/");
  }, 120_000);

  test("a bad frontmatter field fails the build, naming the file and the field (order)", () => {
    const { status, output } = buildWith(
      "---\ntitle: Broken\norder: three\nobjectives:\n  - Notice the broken field.\n---\nText.\n",
    );
    expect(status).not.toBe(0);
    expect(output).toContain("03-broken-chapter.mdx");
    expect(output).toMatch(/order/);
  }, 120_000);

  test("with SITE_URL, every page names its canonical URL and the book has a sitemap", () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(work, "content"), { recursive: true });
    writeFileSync(join(work, "content", "index.mdx"), "---\ntitle: Home\ntemplate: splash\n---\n");
    writeFileSync(
      join(work, "content", "01-fine.mdx"),
      "---\ntitle: Fine\norder: 1\nobjectives:\n  - See the canonical URL.\n---\nText.\n",
    );
    const { status, output } = buildSite(join(work, "dist"), "/nn/", {
      BOOK_CONTENT_DIR: join(work, "content"),
      BOOK_CACHE_DIR: join(work, "cache"),
      SITE_URL: "https://course.example.edu",
    });
    expect(status, output.slice(-3000)).toBe(0);
    const html = readFileSync(join(work, "dist", "fine", "index.html"), "utf8");
    expect(html).toContain('<link rel="canonical" href="https://course.example.edu/nn/fine/"');
    expect(readdirSync(join(work, "dist"))).toContain("sitemap-index.xml");
  }, 120_000);

  test("a missing field fails the build, naming the file and the field (objectives)", () => {
    const { status, output } = buildWith("---\ntitle: Broken\norder: 3\n---\nText.\n");
    expect(status).not.toBe(0);
    expect(output).toContain("03-broken-chapter.mdx");
    expect(output).toContain("a chapter needs `objectives:`");
  }, 120_000);
});
