import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Builds the site once (under a sub-path, as an instructor would host it) and serves it.
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Two cores: browser tests and training tests compete for them.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
