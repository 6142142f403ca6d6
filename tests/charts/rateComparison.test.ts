import { describe, expect, it } from "vitest";
import { costs, rateComparison } from "../../src/charts/index.ts";
import { draw, marks } from "./helpers.ts";

describe("rateComparison(options)", () => {
  it("titles each panel with its rate and what its walk did, judged from the walk", () => {
    const drawn = draw(rateComparison({ start: -0.5 }));
    const titles = marks(drawn.root, "fx-axis tick label")[0] ?? drawn.root;
    const text = titles.textContent ?? "";
    for (const title of ["α = 0.05crawls", "α = 0.6converges", "α = 2.1diverges"])
      expect(text).toContain(title);
  });

  it("tells each walk in words, from one start", () => {
    const spec = rateComparison({ start: 6 });
    // the walk with α = 0.6, written out
    let w = 6;
    for (let k = 0; k < 8; k++) w -= 0.6 * costs.convex.dJ(w);
    expect(Math.abs(w - 3)).toBeLessThan(0.01);
    expect(spec.alt).toMatch(
      /^Gradient descent on J\(w\) = ½\(w − 3\)² \+ 1 \(lowest at w = 3\) from w = 6, in three panels side by side\. /,
    );
    expect(spec.alt).toContain("With α = 0.05, it ends after 8 steps at w = 4.99");
    expect(spec.alt).toContain(
      "With α = 0.6, it reaches w = 3 (J = 1) after 8 steps, at the minimum.",
    );
    expect(spec.alt).toMatch(
      /With α = 2\.1, it jumps back and forth across the minimum .* it diverges\.$/,
    );
  });

  it("fits a phone: 460 wide, so its 12 px text stays above 9 px at 390 px", () => {
    expect(rateComparison().options.width).toBeLessThanOrEqual(460);
  });

  it("refuses anything but three rates", () => {
    expect(() => rateComparison({ rates: [0.1, 1] as never })).toThrow(
      "rateComparison: received 2 rates [0.1,1]; expected three, from small to large, such as [0.05, 0.6, 2.1]",
    );
  });
});
