/**
 * Starlight's route data, adjusted per page before it is drawn. A page with math asks for
 * KaTeX's two text fonts at the top of its head, beside its stylesheets: the preloads that
 * MarkdownContent writes are in the body, found a moment later, and a font that arrives after
 * the first paint re-measures the formulas on screen and moves the lines around them.
 */
import { defineRouteMiddleware } from "@astrojs/starlight/route-data";
import { textFonts, writesMath } from "./styles/katex-fonts.ts";

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  if (!writesMath(route.entry.body ?? "")) return;
  const preloads = textFonts.map((href) => ({
    tag: "link" as const,
    attrs: { rel: "preload", href, as: "font", type: "font/woff2", crossorigin: "" },
  }));
  // right after the viewport, before the stylesheets and scripts
  const viewport = route.head.findIndex(({ attrs }) => attrs?.name === "viewport");
  route.head.splice(viewport + 1, 0, ...preloads);
});
