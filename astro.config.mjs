// @ts-check
import { defineConfig } from "astro/config";
import starlight from "@astrojs/starlight";
import { unified } from "@astrojs/markdown-remark";
import remarkMath from "remark-math";
import rehypeKatex from "rehype-katex";
import { chapterSidebar } from "./src/chapter-schema.ts";

/**
 * Where the book is served from. `/` by default; set BASE_PATH=/course/nn/ (for example) to host
 * it under a sub-path, and SITE_URL to the origin it is served from.
 */
const base = process.env.BASE_PATH ?? "/";

export default defineConfig({
  site: process.env.SITE_URL ?? "https://example.org",
  base,
  trailingSlash: "always",
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath],
      // KaTeX renders at build time to HTML + MathML; no math JavaScript reaches the browser.
      rehypePlugins: [[rehypeKatex, { output: "htmlAndMathml", throwOnError: true }]],
    }),
  },
  integrations: [
    starlight({
      title: "Neural Networks, Cell by Cell",
      description:
        "A runnable textbook of deep learning's foundations: the neuron, the perceptron, the multi-layer perceptron, backpropagation and gradient descent, with code you can edit and run in the page.",
      markdown: { processedDirs: ["./content"] },
      customCss: ["katex/dist/katex.min.css", "./src/styles/book.css"],
      lastUpdated: false,
      pagination: true,
      sidebar: [{ label: "Chapters", items: chapterSidebar("./content") }],
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
    }),
  ],
});
