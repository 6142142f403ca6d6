import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { BASE, SITE_DIR, buildSite, serveSite } from "./site.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the test build of the book is served, ending in the base path. */
    siteUrl: string;
    /** What `astro build` printed for the test build. */
    buildOutput: string;
  }
}

/**
 * Builds the book once for every test file (set REUSE_BUILD=1 to reuse test-output/site while
 * working on tests; SKIP_SITE=1 to skip it) and serves it on a free loopback port.
 */
export default async function setup(project: TestProject) {
  // SKIP_SITE=1 runs only tests that do not need the built book (engine, notebook core …).
  if (process.env.SKIP_SITE === "1") {
    project.provide("siteUrl", "");
    project.provide("buildOutput", "");
    return;
  }
  let output = "(reused an earlier build)";
  if (!(process.env.REUSE_BUILD === "1" && existsSync(SITE_DIR))) {
    const build = buildSite(SITE_DIR, BASE);
    if (build.status !== 0) throw new Error(`The book did not build:\n${build.output.slice(-6000)}`);
    output = build.output;
  }
  const { url, server } = await serveSite(SITE_DIR, BASE);
  project.provide("siteUrl", url);
  project.provide("buildOutput", output);
  return () => new Promise<void>((done) => server.close(() => done()));
}
