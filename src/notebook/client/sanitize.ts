/**
 * Sanitizing cell output: HTML and SVG from a cell (a shared link's code included) go through
 * DOMPurify before they reach the page, so no output can run script or restyle the book.
 */
import DOMPurify from "dompurify";

/** A cell's HTML output as a fragment that is safe to insert: no script, handlers or styles. */
export function sanitizeHtml(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, {
    // HTML + SVG profiles keep Plot's figures, titles and legends.
    USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
    // <style> would restyle the whole page (Plot's stylesheet ships with the page instead), and
    // <img> is only a vehicle for onerror here.
    FORBID_TAGS: ["style", "img"],
    RETURN_DOM_FRAGMENT: true,
  });
}
