// Markup helpers shared by the charts drawn at build time and the outputs drawn in the page.

/**
 * Gives every element id in a piece of markup a prefix, and rewrites the references to it
 * (`url(#id)`, `href="#id"`), so that two charts on one page never share an id. Charts drawn at
 * build time and outputs drawn in the page both go through it.
 */
export function prefixIds(html: string, prefix: string): string {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  let out = html;
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out
      .replace(new RegExp(`(\\sid=")${escaped}"`, "g"), `$1${prefix}${id}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, "g"), `url(#${prefix}${id})`)
      .replace(new RegExp(`(href=")#${escaped}"`, "g"), `$1#${prefix}${id}"`);
  }
  return out;
}

/**
 * A short, stable hash of a text (a cell's source, a chart's markup) (cyrb53: 53 bits, as 14 hex digits). The page carries
 * it as `data-hash`, so saved edits can tell when the author changed the cell they were based on.
 */
export function hashText(source: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 =
    Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^
    Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 =
    Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^
    Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, "0");
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
