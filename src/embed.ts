/**
 * Embedding a chapter in a course platform: the script that `?embed` turns on, inlined in every
 * page's head (astro.config.mjs) so the page is drawn without the book's chrome from the first
 * paint (src/styles/embed.css). With `&section=<id of a heading>`, only that section shows (from
 * its heading to the next heading of the same level); the chapter's other cells stay in the page,
 * hidden, so the section's cells can still read them.
 */
export const EMBED_SCRIPT = `(() => {
  const query = new URLSearchParams(location.search);
  if (!query.has("embed")) return;
  document.documentElement.dataset.embed = "";
  const section = query.get("section");
  if (!section) return;
  addEventListener("DOMContentLoaded", () => {
    const heading = document.getElementById(section);
    const content = document.querySelector(".sl-markdown-content");
    const start = heading && heading.closest(".sl-markdown-content > *");
    if (!content || !start) return;
    const level = (el) => Number(/level-h(\\d)/.exec(el.className)?.[1] ?? 9);
    const depth = level(start);
    let inside = false;
    for (const block of content.children) {
      if (block === start) inside = true;
      else if (inside && level(block) <= depth) inside = false;
      if (!inside) block.setAttribute("data-embed-outside", "");
    }
    for (const objectives of document.querySelectorAll(".chapter-objectives")) objectives.setAttribute("data-embed-outside", "");
  });
})();`;
