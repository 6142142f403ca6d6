/**
 * MathML elements whose children are fixed in number (MathML Core): a subscript is a base and a
 * script, a fraction a numerator and a denominator … KaTeX can write one with a child too many
 * (`J_{\min}` puts `min` and an invisible function application in the subscript of `msub`); a
 * browser then logs "Invalid markup" and a screen reader reads the formula wrongly.
 */
export const FIXED_CHILDREN: Record<string, number> = {
  msub: 2,
  msup: 2,
  msubsup: 3,
  mfrac: 2,
  mroot: 2,
  munder: 2,
  mover: 2,
  munderover: 3,
};

/** What is wrong under `root`: "msub has 3 children, not 2", one line per offending element. */
export function wrongChildCounts(root: ParentNode): string[] {
  const found: string[] = [];
  for (const [tag, count] of Object.entries(FIXED_CHILDREN)) {
    for (const element of root.querySelectorAll(tag)) {
      if (element.children.length !== count) {
        found.push(`<${tag}> has ${element.children.length} children, not ${count}`);
      }
    }
  }
  return found;
}
