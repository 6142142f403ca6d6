// Which of KaTeX's fonts a page's formulas use, found from the classes KaTeX writes, so the page
// can preload exactly those (each is 10–30 KB; a page that preloads all twenty wastes 400 KB).
import ams from "katex/dist/fonts/KaTeX_AMS-Regular.woff2?url";
import mainBold from "katex/dist/fonts/KaTeX_Main-Bold.woff2?url";
import mainItalic from "katex/dist/fonts/KaTeX_Main-Italic.woff2?url";
import mainRegular from "katex/dist/fonts/KaTeX_Main-Regular.woff2?url";
import mathItalic from "katex/dist/fonts/KaTeX_Math-Italic.woff2?url";
import size1 from "katex/dist/fonts/KaTeX_Size1-Regular.woff2?url";
import size2 from "katex/dist/fonts/KaTeX_Size2-Regular.woff2?url";
import size3 from "katex/dist/fonts/KaTeX_Size3-Regular.woff2?url";
import size4 from "katex/dist/fonts/KaTeX_Size4-Regular.woff2?url";

/** A font and the class (in KaTeX's HTML) that means a formula draws with it. */
const fonts: [url: string, used: RegExp][] = [
  [mainRegular, /class="katex"/],
  [mathItalic, /\bmathnormal\b/],
  [mainBold, /\b(mathbf|boldsymbol)\b/],
  [mainItalic, /\bmathit\b/],
  [ams, /\bamsrm\b/],
  // big delimiters and operators: \big( … \Bigg), \sum and \int in display style
  [size1, /\b(delimsizing size1|small-op|delim-size1)\b/],
  [size2, /\b(delimsizing size2|op-symbol large-op)\b/],
  [size3, /\bdelimsizing size3\b/],
  [size4, /\b(delimsizing size4|delim-size4)\b/],
];

/** The URLs of the KaTeX fonts that this HTML's formulas need, Main-Regular first. */
export function katexFonts(html: string): string[] {
  if (!html.includes('class="katex"')) return [];
  return fonts.filter(([, used]) => used.test(html)).map(([url]) => url);
}

/** KaTeX's two text fonts, which nearly every formula draws with: letters, digits, operators. */
export const textFonts: readonly string[] = [mainRegular, mathItalic];

/** Whether a page's source writes math ($…$ or $$…$$ outside code). */
export function writesMath(source: string): boolean {
  const prose = source.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return /\$[^$\s][^$]*\$/.test(prose);
}
