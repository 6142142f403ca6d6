import { JSDOM } from "jsdom";
import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import {
  confineCssValue,
  confineStyle,
  createOutputSanitizer,
  prefixedId,
} from "../../src/notebook/sanitize-policy.ts";
import { sanitizeBuildOutput, nodeOutputSanitizer } from "../../src/notebook/sanitize-node.ts";
import { hostileHtml, hostileVectors } from "../support/hostile.ts";

const STRANGER = "https://stranger.example";
const rename = (id: string) => prefixedId("p-", id);

/** Parses sanitized markup the way the page will (jsdom: the HTML standard's parser). */
function parse(html: string): Document {
  return new JSDOM(`<!doctype html><body>${html}`).window.document;
}

describe("confineStyle", () => {
  test("confineStyle(css) keeps Plot's styles", () => {
    expect(confineStyle("background:transparent;font-size:12px;overflow:visible", rename)).toBe(
      "background: transparent; font-size: 12px; overflow: visible",
    );
    expect(confineStyle("max-width:initial", rename)).toBe("max-width: initial");
  });

  test("confineStyle(css) drops fixed and sticky positioning, however it is written", () => {
    for (const css of [
      "position:fixed",
      "POSITION : Fixed !important",
      "position: sticky",
      "position: -webkit-sticky",
      "position: var(--p)",
    ]) {
      expect(confineStyle(`${css}; color: red`, rename), css).toBe("color: red");
    }
    expect(confineStyle("position: absolute; top: 0", rename)).toBe("position: absolute; top: 0");
  });

  test("confineStyle(css) drops every url() but one to an element, and image functions", () => {
    for (const css of [
      `background: url(${STRANGER}/a.png)`,
      `background: URL( '${STRANGER}/a.png' )`,
      `--x: url("${STRANGER}/a.png")`,
      `background-image: image-set("${STRANGER}/a.png" 1x)`,
      `background-image: -webkit-image-set("${STRANGER}/a.png" 1x)`,
      `mask-image: src("${STRANGER}/a.png")`,
      `background: cross-fade(url(#a), url(${STRANGER}/b.png))`,
      `width: expression(alert(1))`,
      "behavior: url(x.htc)",
      "-moz-binding: url(x.xml#b)",
    ]) {
      expect(confineStyle(`${css}; color: red`, rename), css).toBe("color: red");
    }
  });

  test("confineStyle(css) drops a style with an escape or a comment whole", () => {
    expect(confineStyle(`color: red; background: \\75rl(${STRANGER}/a.png)`, rename)).toBe("");
    expect(confineStyle("color: red; position: f\\69xed", rename)).toBe("");
    expect(confineStyle("color: red; /* ; */ position: fixed", rename)).toBe("");
    expect(confineStyle("color: red; content: 'unbalanced", rename)).toBe("");
  });

  test("confineStyle(css) renames url(#id) whatever its quoting", () => {
    expect(confineStyle(`clip-path: url(#a); mask: url('#b'); filter: url( "#c" )`, rename)).toBe(
      "clip-path: url(#p-a); mask: url(#p-b); filter: url(#p-c)",
    );
  });

  test("confineCssValue(value) is null for a url() to anything but an element", () => {
    expect(confineCssValue("url(#plot-clip-1)", rename)).toBe("url(#p-plot-clip-1)");
    expect(confineCssValue("url(#a) red", rename)).toBe("url(#p-a) red");
    expect(confineCssValue(`url(#a), url(${STRANGER}/x.svg#b)`, rename)).toBeNull();
    expect(confineCssValue("url(data:image/png;base64,AAAA)", rename)).toBeNull();
  });
});

describe("the output policy", () => {
  const sanitizer = nodeOutputSanitizer();

  test.each(Object.entries(hostileVectors(STRANGER)))(
    "toHtml() leaves nothing of %s that calls another host, runs script or leaves the box",
    (name, html) => {
      const clean = sanitizer.toHtml(html, "nbo1-");
      expect(clean, name).not.toContain("stranger.example");
      expect(clean, name).not.toMatch(/javascript:|alert|<script|<style|@import/i);
      expect(clean, name).not.toMatch(/\son[a-z]+=/i);
      expect(clean, name).not.toMatch(/position:\s*(fixed|sticky)/i);
      expect(clean, name).not.toMatch(/\s(popover|popovertarget|autofocus|ping|srcset|poster)=/i);
      const doc = parse(clean);
      const banned = "form, input, button, select, textarea, img, picture, source, video, audio, iframe, object, embed, link, meta, base, dialog, use, feimage";
      expect(doc.body.querySelectorAll(banned).length, name).toBe(0);
    },
  );

  test("toHtml() keeps the harmless part of a hostile output", () => {
    const clean = sanitizer.toHtml(hostileHtml(STRANGER), "nbo1-");
    const doc = parse(clean);
    expect(doc.querySelector(".hostile-marker")?.textContent).toBe("Hostile output rendered");
    // The form's text stays, as text.
    expect(doc.body.textContent).toContain("Password");
    // The huge absolute box stays (the page's containment confines it), without a fixed twin.
    expect(doc.querySelector(".hostile-huge")?.getAttribute("style")).toContain("position: absolute");
    expect(doc.querySelector(".hostile-overlay")?.getAttribute("style")).not.toContain("position");
  });

  test("toHtml() prefixes every id and every reference to one, whatever the quoting", () => {
    const html =
      `<div id='a'>1</div><div id=b>2</div><div id="c">3</div>` +
      `<a href="#a">to a</a><label for=b aria-labelledby="a c">l</label><a name=top>t</a>` +
      `<svg><clipPath id="clip"><rect/></clipPath><rect clip-path="url('#clip')" ` +
      `style='clip-path:url("#clip")' mask=url(#clip) /><use href="#clip"/></svg>`;
    const doc = parse(sanitizer.toHtml(html, "nbo7-"));
    expect([...doc.querySelectorAll("[id]")].map((el) => el.id)).toEqual([
      "nbo7-a",
      "nbo7-b",
      "nbo7-c",
      "nbo7-clip",
    ]);
    expect(doc.querySelector("a")?.getAttribute("href")).toBe("#nbo7-a");
    expect(doc.querySelector("label")?.getAttribute("for")).toBe("nbo7-b");
    expect(doc.querySelector("label")?.getAttribute("aria-labelledby")).toBe("nbo7-a nbo7-c");
    expect(doc.querySelector("a[name]")?.getAttribute("name")).toBe("nbo7-top");
    const rect = doc.querySelector("rect[clip-path]")!;
    expect(rect.getAttribute("clip-path")).toBe("url(#nbo7-clip)");
    expect(rect.getAttribute("mask")).toBe("url(#nbo7-clip)");
    expect(rect.getAttribute("style")).toBe("clip-path: url(#nbo7-clip)");
  });

  test("toHtml() makes an id usable in an unquoted url() and keeps its references in step", () => {
    const html = `<svg><clipPath id="a b.c"><rect/></clipPath><rect clip-path="url('#a b.c')"/></svg>`;
    const doc = parse(sanitizer.toHtml(html, "q-"));
    expect(doc.querySelector("clipPath")?.id).toBe("q-a_b_c");
    expect(doc.querySelector("rect[clip-path]")?.getAttribute("clip-path")).toBe("url(#q-a_b_c)");
  });

  test("toHtml() keeps a picture the worker drew (a data:image URL) and drops one from afar", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const html = `<svg><image href="${png}" width="1" height="1"/><image href="${STRANGER}/a.png"/><image href="/book/favicon.svg"/></svg>`;
    const images = parse(sanitizer.toHtml(html, "r-")).querySelectorAll("image");
    expect([...images].map((image) => image.getAttribute("href"))).toEqual([png, null, null]);
  });

  test("toHtml() keeps links to follow but not their scripts", () => {
    const html = `<a href="https://observablehq.com/plot/">Plot</a><a href="javascript:alert(1)">x</a>`;
    const links = parse(sanitizer.toHtml(html, "r-")).querySelectorAll("a");
    expect([...links].map((a) => a.getAttribute("href"))).toEqual(["https://observablehq.com/plot/", null]);
  });

  test("toHtml() refuses an id prefix that could not be an id", () => {
    expect(() => sanitizer.toHtml("<p>x</p>", "1-")).toThrow(/id prefix "1-" is not usable/);
  });

  test("createOutputSanitizer(window) refuses a DOM that DOMPurify cannot work on (linkedom)", () => {
    const { window } = parseHTML("<!doctype html><html><body></body></html>");
    expect(() => createOutputSanitizer(window as never)).toThrow(/linkedom's is not enough/);
  });

  test("sanitizeBuildOutput(html, cellId) prefixes ids with the cell's id", () => {
    expect(sanitizeBuildOutput(`<div id="x">1</div>`, "train")).toBe(`<div id="nbs-train-x">1</div>`);
    expect(sanitizeBuildOutput("", "train")).toBe("");
  });
});
