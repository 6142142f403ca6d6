import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, inject, test } from "vitest";
import { buildSite } from "../support/site.ts";
import { describeChapters } from "../support/suites.ts";

// The student's edition (the default build) and the teacher's (BOOK_EDITION=teacher): what each
// shows of an exercise, and the instructors' notes only the teacher's has.
const CHAPTER = `---
title: Doubling
order: 2
objectives:
  - Double a number.
---

## Double it

<Exercise id="double" title="doubling">

Write \`double\`.

\`\`\`ts cell id=double-answer
function double(x) {
  return x;
}
\`\`\`

\`\`\`ts check
check.sameFunction(double, (x) => 2 * x, { name: "double", cases: [[1], [2.5]] });
check.pass("It doubles.");
\`\`\`

<Hint>Multiply.</Hint>

\`\`\`ts solution
function double(x) {
  return 2 * x;
}
\`\`\`

\`\`\`ts wrong expect="returned nothing"
function double(x) {
  2 * x;
}
\`\`\`

</Exercise>

<ForInstructors>Ask why 2 * x and x + x agree.</ForInstructors>
`;

describe("the teacher's edition", () => {
  test("BOOK_EDITION=teacher shows each solution, the check, the mistakes it knows, and the instructors' notes", () => {
    const work = resolve("test-output/teacher-book");
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(work, "content"), { recursive: true });
    writeFileSync(join(work, "content", "index.mdx"), "---\ntitle: Home\ntemplate: splash\n---\n");
    writeFileSync(join(work, "content", "02-doubling.mdx"), CHAPTER);
    const { status, output } = buildSite(join(work, "dist"), "/", {
      BOOK_CONTENT_DIR: join(work, "content"),
      BOOK_CACHE_DIR: join(work, "cache"),
      BOOK_EDITION: "teacher",
    });
    expect(status, output.slice(-3000)).toBe(0);
    const { document } = parseHTML(readFileSync(join(work, "dist", "doubling", "index.html"), "utf8"));
    const key = document.querySelector(".nn-exercise__answer-key")!;
    expect(key.textContent).toContain("return 2 * x;");
    expect(key.textContent).toContain('check.sameFunction(double, (x) => 2 * x');
    expect(key.textContent).toContain("It answers with “returned nothing…” to:");
    expect(document.querySelector(".nn-exercise__solution")).toBeNull(); // shown, not behind a button
    expect(document.querySelector(".nn-instructors")!.textContent).toContain("Ask why 2 * x and x + x agree.");
    expect(document.querySelector(".nb-cell--check .nb-hidden-code")!.textContent).toContain("Show the check's code");
    // the student's verdict for the starter is in the page, as in the student's edition
    expect(document.querySelector(".nb-cell--check .nb-verdict")!.getAttribute("data-verdict")).toBe("fail");
  }, 180_000);
});

describeChapters(["error-and-backpropagation"], ["site"], "the student's edition", () => {
  test("the book's default build keeps solutions behind their button and has no instructors' notes or check code", async () => {
    const html = await (await fetch(`${inject("siteUrl")}error-and-backpropagation/`)).text();
    const { document } = parseHTML(html);
    expect(document.querySelector(".nn-instructors")).toBeNull();
    // (the sidebar links the page "For instructors"; the chapter itself has no such note)
    expect(document.querySelector(".sl-markdown-content")!.textContent).not.toContain("For instructors");
    expect(document.querySelector(".sl-markdown-content")!.textContent).not.toContain("Ask in class");
    expect(document.querySelector(".nn-exercise__answer-key")).toBeNull();
    expect(document.querySelector("details.nn-exercise__solution summary")!.textContent).toBe("Show the solution");
    expect(document.querySelector(".nb-cell--check .nb-hidden-code")).toBeNull();
    const region = document.querySelector("nb-exercise section[aria-labelledby]")!;
    expect(document.getElementById(region.getAttribute("aria-labelledby")!)!.textContent).toBe("Exercise 6.1: the backward rule of tanh");
  });
});
