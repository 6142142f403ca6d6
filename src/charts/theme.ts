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

/** Default dimensions and type size for every chart (px); a chart may override them. */
export const defaults = {
  width: 560,
  height: 300,
  fontSize: 12,
} as const;

/** Room under the x axis for its tick labels and its label at 12px. */
export const axisRoom = { marginBottom: 40 } as const;

/**
 * The inline style every chart gets: a transparent background (Plot adds none, but a host page
 * might) and a type size that stays legible when a phone scales the chart down.
 */
export const chartStyle = {
  background: "transparent",
  fontSize: `${defaults.fontSize}px`,
  overflow: "visible",
} as const;
