/** `npm run new:chapter` (scripts/new-chapter.ts): where a new chapter goes and what it is called. */
import { expect, test } from "vitest";
import { fileName, orderAfter, slugOf } from "../../scripts/new-chapter.ts";
import { chapterId } from "../../src/chapter-schema.ts";

const book = [
  { slug: "why", order: 0 },
  { slug: "neuron", order: 1 },
  { slug: "descent", order: 7 },
  { slug: "digits", order: 8 },
  { slug: "beyond", order: 12 },
];

test("orderAfter() takes the next whole number when it is free, else halfway to the next chapter", () => {
  expect(orderAfter(book, "descent")).toBe(7.5);
  expect(orderAfter(book, "digits")).toBe(9);
  expect(orderAfter([...book, { slug: "momentum", order: 7.5 }].sort((a, b) => a.order - b.order), "descent")).toBe(7.25);
});

test("orderAfter() puts a chapter last without --after, and first in an empty book", () => {
  expect(orderAfter(book)).toBe(13);
  expect(orderAfter([])).toBe(0);
});

test("orderAfter() names the chapters it knows when --after names none of them", () => {
  expect(() => orderAfter(book, "nothing")).toThrow(
    '--after "nothing": no such chapter (expected one of why, neuron, descent, digits, beyond).',
  );
});

test("slugOf() and fileName() give an address that the file name maps back to", () => {
  expect(slugOf("Momentum & Adam: Faster Descent")).toBe("momentum-adam-faster-descent");
  expect(slugOf("Rétropropagation")).toBe("retropropagation");
  expect(fileName(7.5, "momentum")).toBe("07.5-momentum.mdx");
  expect(fileName(13, "momentum")).toBe("13-momentum.mdx");
  expect(chapterId(fileName(7.25, "momentum"))).toBe("momentum");
});
