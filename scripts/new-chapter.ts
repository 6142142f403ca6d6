/**
 * `npm run new:chapter -- "Momentum" [--after gradient-descent | --order 7.5] [--dir content]`
 *
 * Scaffolds a chapter that builds and passes the book's tests as it is: prose, a formula, a cell
 * with a control (an input), a cell that draws a chart, and a self-check. It is placed where the
 * author says: after a chapter (`--after slug`), at an order (`--order N`), or last. No other file
 * changes: chapters are read in increasing `order`, a number that may be fractional (7.5 sits
 * between 7 and 8), and every "chapter N" in the prose is computed (<ChapterRef>), so the chapters
 * after it renumber themselves.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chapterFiles, chapterId } from "../src/chapter-schema.ts";

/** A title's address: "Momentum and Adam" → "momentum-and-adam". */
export function slugOf(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * The order for a chapter placed after `after` (a slug), or at the end: the next whole number if
 * it is free, otherwise halfway to the next chapter.
 */
export function orderAfter(chapters: { slug: string; order: number }[], after?: string): number {
  const known = chapters.filter(({ order }) => Number.isFinite(order));
  if (after === undefined) return known.length === 0 ? 0 : Math.floor(known.at(-1)!.order) + 1;
  const index = known.findIndex(({ slug }) => slug === after);
  if (index === -1) {
    throw new Error(
      `--after "${after}": no such chapter (expected one of ${known.map(({ slug }) => slug).join(", ")}).`,
    );
  }
  const here = known[index].order;
  const next = known[index + 1]?.order ?? Infinity;
  return Math.floor(here) + 1 < next ? Math.floor(here) + 1 : (here + next) / 2;
}

/** The file name: the order as a prefix ("07.5-momentum.mdx"), dropped from the address. */
export function fileName(order: number, slug: string): string {
  const [whole, fraction] = String(order).split(".");
  return `${whole.padStart(2, "0")}${fraction ? `.${fraction}` : ""}-${slug}.mdx`;
}

/** The chapter's source: everything a chapter needs, each piece a working example to edit. */
export function scaffold(title: string, order: number, slug: string): string {
  const id = slug.slice(0, 24).replace(/-$/, "");
  return `---
title: ${JSON.stringify(title)}
description: >-
  One sentence about ${title}, for search results and link previews.
order: ${order}
objectives:
  - Say in one sentence what ${title} is and why it matters.
  - Change a number in a cell and predict what the chart does.
---

import SelfCheck from "../src/components/SelfCheck.astro";

This is <ChapterRef slug="${slug}" form="number" />, about **${title}**. Write one
idea per paragraph, in plain words, and speak to the reader. To point at
another chapter, write \`<ChapterRef slug="the-neuron" />\`: its number and
title are computed, so they stay right when chapters are added, removed or
moved.

## The idea in a formula

Give every symbol its meaning. A weighted sum, for example:

$$
z = \\sum_{i=1}^{n} w_i x_i + b
$$

where $x_i$ are the inputs, $w_i$ their weights and $b$ the bias.

## Try it

The first cell makes a control; the second reads its value, and runs again
whenever you move it.

\`\`\`ts cell id=${id}-rate
const lr = view(Inputs.range([0.05, 2.2], { label: "learning rate α", step: 0.05, value: 0.3 }));
\`\`\`

\`\`\`ts cell id=${id}-walk
import { costCurve } from "charts";
costCurve({ start: -1, lr, steps: 8 })
\`\`\`

## Exercise

<Exercise id="${id}-sum" title="the weighted sum">

Write \`weightedSum(x, w, b)\`: each input times its weight, added up, plus
the bias. The check runs your function on chosen and random inputs each time
you run the cell.

\`\`\`ts cell id=${id}-answer
function weightedSum(x, w, b) {
  return 0; // your code
}
\`\`\`

\`\`\`ts check
check.sameFunction(weightedSum, (x, w, b) => x.reduce((z, xi, i) => z + xi * w[i], b), {
  name: "weightedSum",
  cases: [[[1, 2], [0.5, -1], 0.25], [[3], [2], 0]],
  random: { n: 20, seed: 1, args: (r) => [[r.uniform(-2, 2), r.uniform(-2, 2)], [r.uniform(-2, 2), r.uniform(-2, 2)], r.uniform(-1, 1)] },
  mistakes: [{ reference: (x, w) => x.reduce((z, xi, i) => z + xi * w[i], 0), message: "the bias b is missing." }],
});
check.pass("Your weighted sum adds every input times its weight, then the bias.");
\`\`\`

<Hint>Go through the inputs with a loop, or with \`reduce\`.</Hint>

<Hint>Start the sum at \`b\` and add \`x[i] * w[i]\` for each \`i\`.</Hint>

\`\`\`ts solution
function weightedSum(x, w, b) {
  let z = b;
  for (let i = 0; i < x.length; i++) z += x[i] * w[i];
  return z;
}
\`\`\`

\`\`\`ts wrong expect="bias b is missing"
function weightedSum(x, w, b) {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += x[i] * w[i];
  return z;
}
\`\`\`

<ForInstructors>About 5 minutes. Ask what the sum is when every weight is 0.</ForInstructors>

</Exercise>

## Check yourself

<SelfCheck question="What does the second cell draw, and what changes when
  you move the slider?">
  Eight steps of gradient descent on a cost curve; a larger learning rate
  takes longer steps, and a rate too large overshoots the minimum.
</SelfCheck>

<SelfCheck question="Which symbol of the formula is the bias?">
  $b$, the number added to the weighted sum.
</SelfCheck>
`;
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      after: { type: "string" },
      order: { type: "string" },
      dir: { type: "string", default: process.env.BOOK_CONTENT_DIR ?? "content" },
    },
  });
  const title = positionals.join(" ").trim();
  const usage = 'usage: npm run new:chapter -- "Momentum" [--after gradient-descent | --order 7.5]';
  if (!title) throw new Error(`no title given. ${usage}`);
  if (values.after !== undefined && values.order !== undefined) {
    throw new Error(`give --after or --order, not both. ${usage}`);
  }
  const dir = values.dir!;
  const chapters = chapterFiles(dir);
  const slug = slugOf(title);
  if (!slug) throw new Error(`"${title}" has no letters or digits to make an address from; give another title.`);
  const clash = chapters.find((chapter) => chapter.slug === slug);
  if (clash) throw new Error(`a chapter at /${slug}/ exists already: ${join(dir, clash.file)}. Give another title.`);
  let order: number;
  if (values.order !== undefined) {
    order = Number(values.order);
    if (!(Number.isFinite(order) && order >= 0)) {
      throw new Error(`--order "${values.order}": expected a number from 0, such as 3 or 7.5.`);
    }
    const taken = chapters.find((chapter) => chapter.order === order);
    if (taken) {
      throw new Error(
        `--order ${order} is taken by ${join(dir, taken.file)}; use --after ${taken.slug} to go after it.`,
      );
    }
  } else {
    order = orderAfter(chapters, values.after);
  }
  const file = join(dir, fileName(order, slug));
  if (existsSync(file) || chapterId(fileName(order, slug)) !== slug) {
    throw new Error(`cannot write ${file}: it exists, or its name would not give the address /${slug}/.`);
  }
  writeFileSync(file, scaffold(title, order, slug));
  const position = chapterFiles(dir).findIndex((chapter) => chapter.slug === slug);
  console.log(`wrote ${file}: chapter ${position} (order ${order}), the page /${slug}/.`);
}

if (import.meta.main) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`new:chapter: ${(error as Error).message}`);
    process.exit(1);
  }
}
