/**
 * Suites that need more than Node: skipped, with the run's one loud line, when the built book,
 * Chromium or Firefox is missing (never in CI: global-setup.ts fails the run there instead); and
 * suites about one chapter, which run only when this edition of the book has it.
 */
import { describe, inject } from "vitest";
import { contentDir, hasChapter } from "./chapters.ts";
import { missing, skipLine, type Need } from "./skip.ts";

/**
 * `describe`, skipped with one loud line when the run lacks what the suite needs: the built book
 * (`site`, not built under SKIP_SITE=1), Chromium (`chromium`) or Firefox (`firefox`).
 */
export function describeNeeding(needs: Need[], name: string, body: () => void): void {
  const unmet = needs.find((need) => !available(need));
  if (unmet) console.warn(skipLine(`"${name}"`, unmet, missing(unmet) ?? "it is unavailable"));
  describe.skipIf(unmet !== undefined)(name, body);
}

/** The one line said for a suite about chapters this edition leaves out. */
export function chapterSkipLine(name: string, absent: string[], dir = contentDir()): string {
  const which = absent.map((slug) => `"${slug.replace(/\/$/, "")}"`).join(", ");
  return `○ not run "${name}": this edition has no chapter ${which} in ${dir}, so its tests do not apply.`;
}

/**
 * A suite about the chapters at `slugs` (their addresses): it runs only when the book has every
 * one of them, and says so in one line when it does not (a fork that removes a chapter stays
 * green; not a failure in CI either: the chapter is meant to be absent). Otherwise `describeNeeding`.
 */
export function describeChapters(slugs: string[], needs: Need[], name: string, body: () => void): void {
  const absent = slugs.filter((slug) => !hasChapter(slug));
  if (absent.length > 0) {
    console.info(chapterSkipLine(name, absent));
    describe.skip(name, body);
    return;
  }
  describeNeeding(needs, name, body);
}

function available(need: Need): boolean {
  if (need === "site") return inject("siteUrl") !== "";
  return inject(need) !== "";
}
