/**
 * Sanitizing cell output at build time: the same policy as the browser's (sanitize-policy.ts),
 * with DOMPurify on jsdom's window. DOMPurify needs a real DOM to be safe: on linkedom it is not
 * supported and returns its input unchanged; jsdom (parse5, the HTML standard's parser) is what
 * DOMPurify tests on in Node, and parses the way Chromium does, so the build's output and the
 * browser's are the same markup.
 */
import { JSDOM } from "jsdom";
import { buildIdPrefix, createOutputSanitizer, type OutputSanitizer } from "./sanitize-policy.ts";

let sanitizer: OutputSanitizer | null = null;

/** The sanitizer on jsdom's window, made once per process. */
export function nodeOutputSanitizer(): OutputSanitizer {
  sanitizer ??= createOutputSanitizer(new JSDOM("").window as never);
  return sanitizer;
}

/**
 * A cell's output HTML as the built page ships it: sanitized under the output policy, its ids
 * prefixed `nbs-<cell id>-`.
 */
export function sanitizeBuildOutput(html: string, cellId: string): string {
  if (html === "") return "";
  return nodeOutputSanitizer().toHtml(html, buildIdPrefix(cellId));
}
