import { describe, expect, test } from "vitest";
import { inlineScriptHashes, pagePolicy, RUNNER_HASH } from "../../src/csp.ts";
import { RUNNER_POLICY, RUNNER_SCRIPT, RUNNER_SRCDOC } from "../../src/notebook/client/runner-frame.ts";

// The kernel's runner frame (src/notebook/client/runner.ts) is a srcdoc document: it inherits the
// page's policy, which must allow its one script by hash, and adds a stricter policy of its own.
describe("the runner frame", () => {
  test("its one script is the one every page's policy allows by hash", () => {
    expect(inlineScriptHashes(RUNNER_SRCDOC)).toEqual([RUNNER_HASH]);
    expect(RUNNER_SRCDOC).toContain(`<script>${RUNNER_SCRIPT}</script>`);
    expect(pagePolicy(["'sha256-abc'"])).toContain(`script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' 'sha256-abc' ${RUNNER_HASH};`);
  });

  test("its own policy loads nothing and connects nowhere; workers from blob: only", () => {
    expect(RUNNER_SRCDOC).toContain(`<meta http-equiv="content-security-policy" content="${RUNNER_POLICY}">`);
    const directives = new Map(RUNNER_POLICY.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...v]) => [name, v]));
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("worker-src")).toEqual(["blob:"]);
    expect([...directives.keys()].sort()).toEqual(["default-src", "script-src", "worker-src"]);
  });

  test("it never asks for allow-same-origin (that would put it back in the page's process)", () => {
    expect(RUNNER_SRCDOC).not.toContain("allow-same-origin");
  });
});
