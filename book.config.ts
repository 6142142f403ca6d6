/**
 * The book's identity, in one place for an instructor's fork: its title, its one-line
 * description (search results, link previews) and, optionally, a logo shown beside the title.
 * Which chapters the book has, and in what order, is the content/ folder: one MDX file a chapter,
 * ordered by the `order:` of its frontmatter (README, "Write a chapter").
 */
/** What a fork sets about itself. */
export interface BookConfig {
  title: string;
  description: string;
  /**
   * A logo, e.g. `{ src: "./src/assets/logo.svg", alt: "Our university" }` (a file in the
   * repository; `replacesTitle: true` shows it instead of the title). None by default.
   */
  logo?: { src: string; alt?: string; replacesTitle?: boolean };
}

const book: BookConfig = {
  title: "Neural Networks, Cell by Cell",
  description:
    "A runnable textbook of deep learning's foundations: the neuron, the perceptron, the multi-layer perceptron, backpropagation and gradient descent, with code you can edit and run in the page.",
  // logo: { src: "./src/assets/logo.svg", alt: "Our university" },
};

export default book;
