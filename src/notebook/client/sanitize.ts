/**
 * Sanitizing cell output in the browser: HTML and SVG from a cell (a shared link's code included)
 * go through the output policy (../sanitize-policy.ts, DOMPurify on the page's window) before
 * they reach the page, so no output can run script, restyle the book, leave its box or call
 * another host. The build applies the same policy to the outputs it ships (../sanitize-node.ts).
 */
import { createOutputSanitizer, type OutputSanitizer } from "../sanitize-policy.ts";

let sanitizer: OutputSanitizer | null = null;
let outputs = 0;

/**
 * A cell's HTML output as a fragment that is safe to insert: no script, handlers, `<style>`,
 * forms or remote resources; styles confined; ids (and references to them) prefixed `nbo<n>-`,
 * unique to this output in the page.
 */
export function sanitizeHtml(html: string): DocumentFragment {
  sanitizer ??= createOutputSanitizer(window);
  return sanitizer.toFragment(html, `nbo${++outputs}-`);
}
