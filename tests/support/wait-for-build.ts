/**
 * A setup file of the "book" project: each of its test files starts once the book's build has
 * ended (the global setup starts it without waiting; book-build.ts), and fails with the build's
 * output when it failed.
 */
import { inject } from "vitest";
import { waitForBuild } from "./book-build.ts";

if (inject("siteUrl") !== "") await waitForBuild(inject("buildId"));
