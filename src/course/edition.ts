/**
 * Which edition of the book a build makes: the student's (the default) or the teacher's, chosen
 * with `BOOK_EDITION=teacher npm run build`. The teacher's edition shows every exercise's
 * solution, its check and the mistakes the check recognises, and the authors' notes for
 * instructors (`<ForInstructors>`), which the student's edition leaves out of its pages entirely.
 */
export type Edition = "student" | "teacher";

/** The edition named by BOOK_EDITION; anything but "student", "teacher" or nothing is an error. */
export function editionOf(value: string | undefined): Edition {
  const name = (value ?? "").trim();
  if (name === "" || name === "student") return "student";
  if (name === "teacher") return "teacher";
  throw new Error(
    `BOOK_EDITION=${JSON.stringify(value)} is not an edition (expected "student", the default, or "teacher"): ` +
      "BOOK_EDITION=teacher npm run build",
  );
}

/** This build's edition. */
export const EDITION: Edition = editionOf(process.env.BOOK_EDITION);
