// The figures' shared look: sizes and colours that read on Starlight's light and dark themes.

/**
 * Colours for data. Mid-lightness hues keep at least 3:1 contrast against both the light
 * background (white) and the dark one (#17181c); text and axes use `currentColor`, which follows
 * the theme.
 */
export const palette = {
  /** Class 0 in classification figures (orange). */
  class0: "#e66100",
  /** Class 1 in classification figures (blue). */
  class1: "#3d6fd9",
  /** Series colours, in order: blue, orange, green, purple, red, teal, brown. */
  series: ["#3d6fd9", "#e66100", "#1a9850", "#9d4edd", "#d62728", "#0f8b8d", "#a6611a"],
  /** A marked point of interest, such as a minimum (green). */
  highlight: "#1a9850",
  /** Something gone wrong, such as a wrong prediction (red; lighter on the dark theme). */
  wrong: "var(--nn-wrong, #d62728)",
} as const;

/**
 * The colour of each activation function, the same in every chart of the book (sigmoid is blue
 * in chapter 3 and in chapter 5).
 */
export const activationColours: Record<string, string> = {
  sigmoid: palette.series[0],
  tanh: palette.series[1],
  relu: palette.series[2],
  step: palette.series[3],
  leakyRelu: palette.series[4],
  identity: palette.series[5],
  sign: palette.series[6],
};

/** The narrowest column a chart is drawn in: a 390px phone less the page's 16px margins. */
export const phoneColumn = 358;

/** The smallest rendered size (px) of chart text that carries meaning. */
export const minTextPx = 9;

/**
 * Default dimensions and type size for every chart (px); a chart may override them. A 560px chart
 * shrinks to the phone column by 358/560, so 15px type still renders at 9.6px there.
 */
export const defaults = {
  width: 560,
  height: 300,
  fontSize: 15,
} as const;

/**
 * The type size (chart px) for a chart `width` px wide: the default, or larger if the chart is so
 * wide that the phone column would shrink its text below {@link minTextPx}.
 */
export function legibleFontSize(width: number): number {
  return Math.max(defaults.fontSize, Math.ceil((minTextPx * width) / phoneColumn));
}

/** Room under the x axis for its tick labels and its label at 15px. */
export const axisRoom = { marginBottom: 44 } as const;

/**
 * The inline style every chart gets: a transparent background (Plot adds none, but a host page
 * might) and a type size that stays legible when a phone scales the chart down.
 */
export const chartStyle = {
  background: "transparent",
  fontSize: `${defaults.fontSize}px`,
  overflow: "visible",
} as const;
