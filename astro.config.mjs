// @ts-check
import { defineConfig } from "astro/config";
import starlight from "@astrojs/starlight";
import { unified } from "@astrojs/markdown-remark";
import remarkMath from "remark-math";
import rehypeKatex from "rehype-katex";
import { bookSidebar } from "./src/chapter-schema.ts";
import contentSecurityPolicy from "./src/csp.ts";
import checkLinks from "./src/links.ts";
import devChapters from "./src/dev-chapters.ts";
import recordBuild, { lastBuild, lastBuildFile, previewing } from "./src/last-build.ts";
import remarkCells from "./src/notebook/remark-cells.ts";
import { EMBED_SCRIPT } from "./src/embed.ts";
import book from "./book.config.ts";
import { forgetStaleContent } from "./src/content-cache.ts";
import remarkChapterRefs from "./src/chapter-refs.ts";

/**
 * Where the book is served from. `/` by default; set BASE_PATH=/course/nn/ (for example) to host
 * it under a sub-path, and SITE_URL to the origin it is served from.
 */
/** Astro's caches (a separate one lets the tests build a second book beside the first). */
const cacheDir = process.env.BOOK_CACHE_DIR ?? "./node_modules/.astro";

// `npm run preview` serves the last build under the base path it was built with (src/last-build.ts).
const previewed = previewing() ? lastBuild(lastBuildFile(cacheDir)) : null;
const base = process.env.BASE_PATH ?? previewed?.base ?? "/";

/** The chapters. BOOK_CONTENT_DIR points the build at another folder (the tests use it). */
const contentDir = process.env.BOOK_CONTENT_DIR ?? "./content";
// a chapter file renamed since the last build: the content cache would still import the old one
if (process.argv.includes("build")) forgetStaleContent(contentDir, cacheDir);

export default defineConfig({
  // Canonical URLs and the sitemap name the host: only when it is known (SITE_URL).
  site: process.env.SITE_URL || undefined,
  base,
  ...(previewed && !process.argv.includes("--outDir") ? { outDir: previewed.outDir } : {}),
  trailingSlash: "always",
  // A separate cache lets a second build (the tests build a broken book) run beside the first.
  cacheDir,
  vite: {
    build: {
      // Fonts stay files (Vite would inline KaTeX's smallest as a data: URL), so the content
      // security policy can load fonts from the site only (src/csp.ts).
      assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf|eot)$/.test(file) ? false : undefined),
      // Two chunks are large on purpose and load only when asked for: the cells' worker (engine,
      // Plot, KaTeX, the TypeScript stripper; about 1.5 MB, 460 KB gzipped) at the first Run, the
      // editor (CodeMirror, about 520 KB) at the first edit. Anything larger still warns.
      chunkSizeWarningLimit: 1600,
      rolldownOptions: {
        onwarn(warning, warn) {
          // Astro marks each MDX page's module "use astro:head-inject" for its own use; the
          // bundler says, once per chapter, that it may not keep the directive. Astro does not
          // need it kept, and the reader can do nothing about it: only this warning is dropped.
          const headInject =
            warning.code === "MODULE_LEVEL_DIRECTIVE" && warning.message.includes('"use astro:head-inject"');
          if (!headInject) warn(warning);
        },
      },
    },
    // `npm run dev`: the packages the page, the editor and the cells' worker import in the
    // browser, bundled when the server starts. Vite's first scan follows the components' scripts
    // (the page's and the editor's packages) but not the worker, which the first Run starts:
    // without this list Vite found the worker's packages then, bundled them, and reloaded the
    // page under the reader. A new browser-side package import belongs here (the dev server's
    // "optimized dependencies changed. reloading" names it).
    optimizeDeps: {
      include: [
        // the worker (src/notebook/client/worker.ts and what it imports)
        "@observablehq/plot",
        "@observablehq/runtime",
        "acorn",
        "acorn-walk",
        "@jridgewell/sourcemap-codec",
        "katex",
        "linkedom/worker",
        "sucrase",
        // the editor (src/notebook/client/editor.ts)
        "codemirror",
        "@codemirror/lang-javascript",
        "@codemirror/language",
        "@codemirror/merge",
        "@codemirror/state",
        "@codemirror/view",
        "@lezer/highlight",
        // the page (src/notebook/client/share.ts, src/notebook/sanitize-policy.ts)
        "dompurify",
        "lz-string",
      ],
    },
  },
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath, remarkCells, remarkChapterRefs],
      // KaTeX renders at build time to HTML + MathML; no math JavaScript reaches the browser.
      rehypePlugins: [[rehypeKatex, { output: "htmlAndMathml", throwOnError: true }]],
    }),
  },
  integrations: [
    starlight({
      // the book's title, description and logo: book.config.ts
      title: book.title,
      description: book.description,
      ...(book.logo ? { logo: book.logo } : {}),
      markdown: { processedDirs: [contentDir] },
      components: {
        MarkdownContent: "./src/components/overrides/MarkdownContent.astro",
        TableOfContents: "./src/components/overrides/TableOfContents.astro",
        MobileTableOfContents: "./src/components/overrides/MobileTableOfContents.astro",
        SkipLink: "./src/components/overrides/SkipLink.astro",
      },
      customCss: [
        "katex/dist/katex.min.css",
        "./src/styles/book.css",
        "./src/styles/print.css",
        "./src/styles/embed.css",
        "./src/styles/handouts.css",
      ],
      // Draw nothing before the content column has begun: a page painted without it jumps.
      head: [
        { tag: "link", attrs: { rel: "expect", href: "#nn-content-start", blocking: "render" } },
        // `?embed`: the chapter without the book's chrome, for a course platform's iframe
        { tag: "script", content: EMBED_SCRIPT },
      ],
      // a page with math asks for KaTeX's text fonts first thing (src/route-data.ts)
      routeMiddleware: "./src/route-data.ts",
      lastUpdated: false,
      pagination: true,
      sidebar: bookSidebar(contentDir),
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
    }),
    // Every built page carries the book's content security policy as a <meta> (src/csp.ts).
    contentSecurityPolicy(),
    // A link inside the site that leads nowhere fails the build, naming the page (src/links.ts).
    checkLinks(),
    // `npm run dev` restarts itself when a chapter is added, removed, renamed or reordered.
    devChapters(contentDir),
    // each build records its base path and folder for `npm run preview`
    recordBuild(lastBuildFile(cacheDir)),
    // Starlight adds @astrojs/sitemap unless an integration of that name is present. Without
    // SITE_URL there is no sitemap to write (it lists absolute addresses), and the README says
    // so; this empty stand-in keeps the sitemap from saying "requires `site`" on every build.
    ...(process.env.SITE_URL ? [] : [{ name: "@astrojs/sitemap", hooks: {} }]),
  ],
});
