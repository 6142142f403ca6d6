/**
 * The one policy for cell output HTML, applied by the browser (DOMPurify on the page's window,
 * client/sanitize.ts) and by the build (DOMPurify on jsdom's window, sanitize-node.ts), so a page
 * looks the same before and after Run. Output from a stranger's shared link must stay in its box
 * and call no one:
 *
 * - no script, event handler or `javascript:` URL (DOMPurify's HTML + SVG profiles);
 * - no `<style>` (it would restyle the whole book: Plot's stylesheet ships with the page), no form
 *   or form control, nothing that loads a resource: `<img>`, `<video poster>`, `<audio>`,
 *   `<source srcset>`, `<feImage>`, `<input type=image>`, SVG `<image>` unless its picture is a
 *   `data:image/…` URL (Plot's rasters), `<use href>` and other references unless they point
 *   inside the output;
 * - styles are kept (Plot's figures use them) but confined: no `position: fixed` or `sticky`, no
 *   `url()` but to an element of the output, no image function that fetches (`image-set()`, …);
 *   the page adds `contain: paint` and `isolation: isolate` around every output (outputs.css);
 * - every id gets a prefix unique to the output, and so does every reference to one (`href="#a"`,
 *   `url(#a)`, `url('#a')`, `url("#a")`, `for`, `aria-labelledby` …), so two outputs never
 *   collide and an output cannot point at the page's own elements. Working on the parsed DOM,
 *   the rewrite does not depend on how the markup quoted its attributes.
 */
import createDOMPurify, {
  type Config,
  type DOMPurify,
  type UponSanitizeAttributeHookEvent,
  type WindowLike,
} from "dompurify";

/** Elements an output may not contain, on top of what DOMPurify's profiles leave out. */
export const FORBIDDEN_TAGS = [
  // Restyles the whole page.
  "style",
  // Load a resource (img is also the classic vehicle for onerror).
  "img",
  "picture",
  "source",
  "video",
  "audio",
  "track",
  "feimage",
  // Forms post anywhere; their controls belong on the page, not in an output.
  "form",
  "input",
  "button",
  "select",
  "option",
  "optgroup",
  "datalist",
  "textarea",
  // Opens above the page (top layer) with a little help.
  "dialog",
];

/** Attributes an output may not carry, on any element. */
export const FORBIDDEN_ATTRIBUTES = [
  // Load a resource or send a request.
  "src",
  "srcset",
  "poster",
  "background",
  "action",
  "formaction",
  "ping",
  "integrity",
  "crossorigin",
  "nonce",
  // Put an element above the page, or make one act on another.
  "popover",
  "popovertarget",
  "popovertargetaction",
  "command",
  "commandfor",
  "interestfor",
  "autofocus",
];

const CONFIG: Config = {
  // The HTML and SVG profiles keep Plot's figures, titles and legends; MathML, `tex` formulas.
  USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
  FORBID_TAGS: FORBIDDEN_TAGS,
  FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
  // KaTeX wraps its MathML in <semantics> with the TeX source as an <annotation>: without them the
  // source would be read out as text.
  ADD_TAGS: ["semantics", "annotation"],
  ADD_ATTR: ["encoding"],
};

/** Attributes whose value is one id. */
const ID_ATTRIBUTES = new Set([
  "id",
  "name",
  "for",
  "form",
  "list",
  "aria-activedescendant",
  "aria-details",
  "aria-errormessage",
]);

/** Attributes whose value is a space-separated list of ids. */
const ID_LIST_ATTRIBUTES = new Set([
  "aria-labelledby",
  "aria-describedby",
  "aria-controls",
  "aria-owns",
  "aria-flowto",
  "headers",
  "itemref",
]);

/** Attributes that hold a URL, where `#id` points inside the document. */
const URL_ATTRIBUTES = new Set(["href", "xlink:href", "usemap"]);

/** Elements whose `href` is a link to follow (DOMPurify vets its scheme), not a resource. */
const LINK_TAGS = new Set(["a", "area"]);

/** Attributes that hold prose, never CSS: exempt from the CSS checks below. */
const TEXT_ATTRIBUTE = /^(aria-|data-)|^(alt|title)$/;

/** The `position` values that stay inside the output's box (it is their containing block). */
const CONTAINED_POSITIONS = new Set(["static", "relative", "absolute"]);

/** CSS functions that fetch (or run) something, besides `url()`. */
const FETCHING_FUNCTION =
  /(^|[^\w-])(-(webkit|moz|ms|o)-)?(image-set|image|cross-fade|element|paint|src|expression|attr)\s*\(/i;

/** `url(` as CSS reads it, whatever the case. */
const URL_FUNCTION = /url\s*\(/gi;

/** A `url()` that points at an element of the document, with or without quotes. */
const LOCAL_URL = /url\s*\(\s*(?:'#([^'()\\]+)'|"#([^"()\\]+)"|#([^'"()\\\s]+))\s*\)/gi;

/** Properties that ran code in old browsers. */
const FORBIDDEN_PROPERTIES = new Set(["behavior", "-moz-binding", "-ms-behavior"]);

/**
 * Rewrites the `url(#id)` references of a CSS value with `rename`. Returns null when the value
 * could reach outside the output: a `url()` to anything but an element, an image function that
 * fetches, or a backslash (a CSS escape could spell either).
 */
export function confineCssValue(value: string, rename: (id: string) => string): string | null {
  if (value.includes("\\")) return null;
  if (FETCHING_FUNCTION.test(value)) return null;
  const urls = value.match(URL_FUNCTION)?.length ?? 0;
  let local = 0;
  const rewritten = value.replace(LOCAL_URL, (_, single?: string, double?: string, bare?: string) => {
    local++;
    return `url(#${rename(single ?? double ?? bare ?? "")})`;
  });
  return local === urls ? rewritten : null;
}

// Splits a declaration list at the semicolons that are not inside quotes or parentheses.
// Null when quotes or parentheses do not balance: the browser's reading could differ from ours.
function splitDeclarations(css: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") {
      if (--depth < 0) return null;
    } else if (c === ";" && depth === 0) {
      parts.push(css.slice(start, i));
      start = i + 1;
    }
  }
  if (quote || depth !== 0) return null;
  parts.push(css.slice(start));
  return parts;
}

/**
 * A `style` attribute as the policy keeps it: the declarations that stay inside the output's box,
 * with their `url(#id)` references renamed, one `name: value` per declaration, joined by `; `.
 * Empty when nothing is left. A style with a comment or a backslash is dropped whole.
 */
export function confineStyle(css: string, rename: (id: string) => string): string {
  if (css.includes("/*") || css.includes("\\")) return "";
  const declarations = splitDeclarations(css);
  if (!declarations) return "";
  const kept: string[] = [];
  for (const declaration of declarations) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const rawName = declaration.slice(0, colon).trim();
    const name = rawName.startsWith("--") ? rawName : rawName.toLowerCase();
    let value = declaration.slice(colon + 1).trim();
    if (!/^(--[\w-]+|-?[a-z][a-z0-9-]*)$/.test(name) || value === "") continue;
    if (FORBIDDEN_PROPERTIES.has(name)) continue;
    if (name === "position") {
      const keyword = value.replace(/!\s*important$/i, "").trim().toLowerCase();
      if (!CONTAINED_POSITIONS.has(keyword)) continue;
    }
    const confined = confineCssValue(value, rename);
    if (confined === null) continue;
    value = confined;
    kept.push(`${name}: ${value}`);
  }
  return kept.join("; ");
}

/** Applies the policy to cell output HTML, with a DOMPurify bound to one window. */
export interface OutputSanitizer {
  /** The sanitized output as a fragment of the window's document, ready to insert (browser). */
  toFragment(html: string, idPrefix: string): DocumentFragment;
  /** The sanitized output as HTML, to ship in the page (build). */
  toHtml(html: string, idPrefix: string): string;
}

/**
 * The id an output's element gets: the output's prefix, then the id with anything but letters,
 * digits, `-` and `_` made `_` (so it reads the same in an attribute and in an unquoted `url()`).
 */
export function prefixedId(prefix: string, id: string): string {
  return prefix + id.replace(/[^\w-]/g, "_");
}

/**
 * The sanitizer for one window (the page's, or jsdom's at build time). `idPrefix`, given per
 * output, must be unique in the page and start with a letter: the browser numbers its outputs,
 * the build names them after their cell (`buildIdPrefix`).
 */
export function createOutputSanitizer(window: WindowLike): OutputSanitizer {
  const purify: DOMPurify = createDOMPurify(window);
  if (!purify.isSupported) {
    throw new Error(
      "createOutputSanitizer: DOMPurify does not support this window, so it would return HTML " +
        "unchanged. Pass a browser's window or jsdom's (new JSDOM('').window); linkedom's is " +
        "not enough.",
    );
  }
  let rename: (id: string) => string = (id) => id;
  purify.addHook("uponSanitizeAttribute", (node, event: UponSanitizeAttributeHookEvent) => {
    const verdict = confineAttribute(String(node.nodeName).toLowerCase(), event, rename);
    if (verdict === null) event.keepAttr = false;
    else event.attrValue = verdict;
  });
  function withPrefix<T>(idPrefix: string, sanitize: () => T): T {
    if (!/^[a-z][\w-]*$/i.test(idPrefix)) {
      throw new Error(
        `sanitize: id prefix ${JSON.stringify(idPrefix)} is not usable; expected a letter, then ` +
          'letters, digits, "-" or "_" (such as "nbo12-")',
      );
    }
    rename = (id) => prefixedId(idPrefix, id);
    try {
      return sanitize();
    } finally {
      rename = (id) => id;
    }
  }
  return {
    toFragment: (html, idPrefix) =>
      withPrefix(idPrefix, () => purify.sanitize(html, { ...CONFIG, RETURN_DOM_FRAGMENT: true })),
    toHtml: (html, idPrefix) => withPrefix(idPrefix, () => purify.sanitize(html, CONFIG)),
  };
}

// One attribute under the policy: its new value, or null to drop it. DOMPurify's own checks
// (allowed names, URL schemes, data: URIs) run after this on the value returned.
function confineAttribute(
  tag: string,
  { attrName: name, attrValue: value }: UponSanitizeAttributeHookEvent,
  rename: (id: string) => string,
): string | null {
  if (ID_ATTRIBUTES.has(name)) return value === "" ? null : rename(value);
  if (ID_LIST_ATTRIBUTES.has(name)) {
    const ids = value.split(/\s+/).filter(Boolean);
    return ids.length ? ids.map(rename).join(" ") : null;
  }
  if (URL_ATTRIBUTES.has(name)) {
    if (value.startsWith("#")) return value.length > 1 ? `#${rename(value.slice(1))}` : null;
    if (LINK_TAGS.has(tag) && name !== "usemap") return value;
    // SVG's <image> may show a picture made in the worker (Plot's rasters), nothing fetched.
    if (tag === "image" && /^data:image\//i.test(value)) return value;
    return null;
  }
  if (name === "style") return confineStyle(value, rename) || null;
  if (TEXT_ATTRIBUTE.test(name)) return value;
  // Any other value may be CSS (SVG's fill, clip-path, mask, filter, marker-end, cursor …).
  return confineCssValue(value, rename);
}

/** The id prefix of a cell's output in the built page: `nbs-<cell id>-`. */
export function buildIdPrefix(cellId: string): string {
  return `nbs-${cellId}-`;
}
