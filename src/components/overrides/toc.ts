/**
 * <book-toc>: marks the section being read in a table of contents (aria-current on its link),
 * and on a phone names it in the bar and closes the list once a link is chosen.
 *
 * The current section is the last heading that has scrolled above the line under the top bar.
 * An IntersectionObserver watches the headings alone (a dozen or so per chapter) against the
 * region above that line, so nothing runs while the reader scrolls between two headings, and a
 * jump (a link, a search result) that carries a heading from below the screen to above it is
 * seen too.
 */
/** Further above the screen than any page reaches (px). */
const ABOVE = 1e6;

class BookToc extends HTMLElement {
  private observer: IntersectionObserver | undefined;
  private readonly above = new Map<Element, boolean>();
  private headings: HTMLElement[] = [];
  private links = new Map<string, HTMLAnchorElement>();
  private current: HTMLAnchorElement | undefined;

  connectedCallback(): void {
    this.links = new Map(
      [...this.querySelectorAll<HTMLAnchorElement>("a[href^='#']")].map((a) => [
        decodeURIComponent(a.hash.slice(1)),
        a,
      ]),
    );
    // the page title stands for "Overview"; then every heading the list links to
    this.headings = [...this.links.keys()]
      .map((id) => document.getElementById(id))
      .filter((heading): heading is HTMLElement => heading !== null);
    this.watch();
    let resized: ReturnType<typeof setTimeout> | undefined;
    addEventListener("resize", () => {
      clearTimeout(resized);
      resized = setTimeout(() => this.watch(), 200);
    });
    if (this.hasAttribute("data-mobile")) this.closeOnChoice();
  }

  /** Observes the headings against the line under the top bar (its height changes with width). */
  private watch(): void {
    this.observer?.disconnect();
    const bar = document.querySelector("header")?.getBoundingClientRect().height ?? 0;
    const summary = this.querySelector("summary")?.getBoundingClientRect().height ?? 0;
    const line = Math.round(bar + summary + 32);
    // the region: from far above the page's top down to the line
    const below = document.documentElement.clientHeight - line;
    this.observer = new IntersectionObserver((entries) => this.update(entries), {
      rootMargin: `${ABOVE}px 0px ${-below}px 0px`,
    });
    for (const heading of this.headings) this.observer.observe(heading);
  }

  private update(entries: IntersectionObserverEntry[]): void {
    for (const { target, isIntersecting } of entries) this.above.set(target, isIntersecting);
    const passed = this.headings.filter((heading) => this.above.get(heading));
    const heading = passed.at(-1) ?? this.headings[0];
    const link = heading && this.links.get(heading.id);
    if (!link || link === this.current) return;
    this.current?.removeAttribute("aria-current");
    link.setAttribute("aria-current", "true");
    this.current = link;
    const named = this.querySelector("[data-current]");
    if (named) named.textContent = link.textContent;
  }

  /** On a phone: the list closes when a link is chosen, on a tap outside it, and on Escape. */
  private closeOnChoice(): void {
    const details = this.querySelector("details");
    if (!details) return;
    const close = () => {
      details.open = false;
    };
    details.addEventListener("click", (event) => {
      if ((event.target as Element).closest("a")) close();
    });
    addEventListener("click", (event) => {
      if (!details.contains(event.target as Node)) close();
    });
    addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !details.open) return;
      const focused = details.contains(document.activeElement);
      close();
      if (focused) details.querySelector("summary")?.focus();
    });
  }
}

if (!customElements.get("book-toc")) customElements.define("book-toc", BookToc);
