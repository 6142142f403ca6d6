import { describe, expect, it } from "vitest";
import { editionOf } from "../../src/course/edition.ts";

describe("editionOf", () => {
  it("editionOf() reads BOOK_EDITION: the student's by default, the teacher's by name", () => {
    expect(editionOf(undefined)).toBe("student");
    expect(editionOf("")).toBe("student");
    expect(editionOf("student")).toBe("student");
    expect(editionOf(" teacher ")).toBe("teacher");
  });

  it("editionOf() refuses anything else, saying what it accepts", () => {
    expect(() => editionOf("teachers")).toThrow(
      'BOOK_EDITION="teachers" is not an edition (expected "student", the default, or "teacher"): BOOK_EDITION=teacher npm run build',
    );
  });
});
