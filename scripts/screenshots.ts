// `npm run screenshots`: full-page screenshots of every page of the built book, at 1280 px in the
// light and the dark theme and at 390 px, into test-output/screenshots/ (to look at what a change
// did). It runs the site's browser suite (tests/e2e/site.test.ts) with SCREENSHOTS=1, which builds
// the book first; REUSE_BUILD=1 reuses the last test build. `npm test` takes no screenshots.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const { status } = spawnSync(
  process.execPath,
  [vitest, "run", "--project", "book", "tests/e2e/site.test.ts", ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, SCREENSHOTS: "1" }, cwd: fileURLToPath(new URL("..", import.meta.url)) },
);
console.log(status === 0 ? "Screenshots in test-output/screenshots/." : "The site suite failed; some screenshots may be missing.");
process.exit(status ?? 1);
