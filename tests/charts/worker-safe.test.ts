import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Cells import src/charts as the module "charts" inside a Web Worker: no Node APIs, no DOM;
// only Plot, the engine (pure too) and its own files.
describe("src/charts", () => {
  const root = join(import.meta.dirname, "../../src/charts");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) =>
    f.endsWith(".ts"),
  );
  const allowed = (path: string) =>
    (path.startsWith(".") && !path.includes("../../")) ||
    path === "../../engine/index.ts" ||
    path === "@observablehq/plot";

  it("imports nothing but Plot, the engine and its own files", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = readFileSync(join(root, file), "utf8");
      for (const m of source.matchAll(/^import[^"]*"([^"]+)"/gm)) {
        expect([file, m[1], allowed(m[1])]).toEqual([file, m[1], true]);
      }
      const usesHost = /\b(process\.|require\(|window\.|globalThis\.document)/.test(source);
      expect([file, usesHost]).toEqual([file, false]);
    }
  });
});
