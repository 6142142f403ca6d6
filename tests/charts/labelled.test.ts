import { expect, test } from "vitest";
import * as charts from "../../src/charts/index.ts";

const points = [
  { x1: 0, x2: 0, label: 0 as const },
  { x1: 1, x2: 1, label: 1 as const },
];

const specs: Record<string, charts.ChartSpec> = {
  activationCurves: charts.activationCurves(),
  neuronResponse: charts.neuronResponse(),
  biasShift: charts.biasShift(),
  decisionLine: charts.decisionLine({ w: [1, 1], b: -1.5, points }),
  perceptronMistakes: charts.perceptronMistakes({ mistakes: [3, 1, 0] }),
  costCurve: charts.costCurve(),
  learningRates: charts.learningRates(),
  lossCurve: charts.lossCurve([{ epoch: 1, loss: 0.7 }, { epoch: 2, loss: 0.4 }]),
  decisionBoundary: charts.decisionBoundary({ predict: (x1) => (x1 > 0.5 ? 0.9 : 0.1), points, resolution: 8 }),
  digitGrid: charts.digitGrid({ images: [new Array(4).fill(0.5)], width: 2, height: 2 }),
};

test.each(Object.entries(specs))("%s() options carry the alt text as Plot's ariaLabel", (_, spec) => {
  expect(spec.alt.length).toBeGreaterThan(20);
  expect(spec.options.ariaLabel).toBe(spec.alt);
});
