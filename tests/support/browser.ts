import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Chromium from CHROME_PATH or Debian's package; a clear message when there is none. */
export function chromePath(): string {
  const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error(
      "No Chromium found for the browser tests (looked at CHROME_PATH, /usr/bin/chromium and " +
        "/usr/bin/chromium-browser). Install one with `sudo apt-get install -y chromium` " +
        "(Debian/Ubuntu), or point CHROME_PATH at a Chrome or Chromium binary.",
    );
  }
  return found;
}

/** Launches headless Chromium with the flags that work offline on a closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromePath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
