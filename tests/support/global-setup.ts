import type { TestProject } from "vitest/node";
import { CELL_RECORD, buildError, startBuild } from "./book-build.ts";
import { BASE, SITE_DIR, serveSite } from "./site.ts";
import { findChromium, findFirefox, inCI, missing, skipLine, type Need } from "./skip.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the test build of the book is served, ending in the base path ("" when skipped). */
    siteUrl: string;
    /** What `astro build` printed for the test build. */
    buildOutput: string;
    /** Chromium's path for the browser tests ("" when there is none). */
    chromium: string;
    /** Firefox's path for the Firefox suite ("" when there is none). */
    firefox: string;
  }
}

/**
 * Builds the book once for every test file (set REUSE_BUILD=1 to reuse test-output/site while
 * working on tests; SKIP_SITE=1 to skip it) and serves it on a free loopback port. Under CI
 * nothing may be skipped: a missing Chromium or Firefox, or SKIP_SITE=1, fails the run here.
 */
export default async function setup(project: TestProject) {
  const unmet = (["site", "chromium", "firefox"] as Need[]).flatMap((need) => {
    const why = missing(need);
    return why ? [{ need, why }] : [];
  });
  if (unmet.length > 0 && inCI()) {
    throw new Error(
      `CI never skips a suite, but this run would: ${unmet.map(({ need, why }) => `${need} (${why})`).join("; ")}. ` +
        "Install Chromium and Firefox (.ci/run does with apt-get) and do not set SKIP_SITE in CI.",
    );
  }
  for (const { need, why } of unmet) {
    const what =
      need === "site"
        ? "the suites that need the built book"
        : need === "firefox"
          ? "the Firefox suite"
          : "the browser suites";
    console.warn(`\n${skipLine(what, need, why)}\n`);
  }
  project.provide("chromium", findChromium() ?? "");
  project.provide("firefox", findFirefox() ?? "");
  // SKIP_SITE=1 runs only tests that do not need the built book (engine, notebook core …).
  if (process.env.SKIP_SITE === "1") {
    project.provide("siteUrl", "");
    project.provide("buildOutput", "");
    return;
  }
  // Not awaited: the unit tests run meanwhile; each book file waits for it (wait-for-build.ts).
  const build = startBuild();
  const { url, server } = await serveSite(SITE_DIR, BASE);
  project.provide("siteUrl", url);
  project.provide("buildId", build.buildId);
  project.provide("cellRecord", CELL_RECORD);
  return async () => {
    build.stop(); // when the run ends before the build (a run of unit files only)
    await new Promise<void>((done) => server.close(() => done()));
    const status = await build.done;
    if (status.status !== 0 && status.status !== null) throw buildError(status);
  };
}
