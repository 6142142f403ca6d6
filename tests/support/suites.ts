/**
 * Suites that need more than Node: skipped, with the run's one loud line, when the built book or
 * Chromium is missing (never in CI: global-setup.ts fails the run there instead).
 */
import { describe, inject } from "vitest";
import { missing, skipLine, type Need } from "./skip.ts";

/**
 * `describe`, skipped with one loud line when the run lacks what the suite needs: the built book
 * (`site`, not built under SKIP_SITE=1) or Chromium (`chromium`).
 */
export function describeNeeding(needs: Need[], name: string, body: () => void): void {
  const unmet = needs.find((need) => !available(need));
  if (unmet) console.warn(skipLine(`"${name}"`, unmet, missing(unmet) ?? "it is unavailable"));
  describe.skipIf(unmet !== undefined)(name, body);
}

function available(need: Need): boolean {
  return need === "site" ? inject("siteUrl") !== "" : inject("chromium") !== "";
}
