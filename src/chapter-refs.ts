/**
 * The remark plugin behind `<ChapterRef slug="gradient-descent" />`: it imports the component in
 * every page that uses it (authors write no import) and tells each reference where it stands
 * (`at="07-gradient-descent.mdx:20"`), so a reference to a chapter the edition leaves out is
 * reported at its file and line. The component itself names and numbers the chapter.
 */
import { parse } from "acorn";
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import type { Root } from "mdast";
import type { VFile } from "vfile";

/** The component every reference renders with. */
export const CHAPTER_REF_COMPONENT = fileURLToPath(
  new URL("./components/ChapterRef.astro", import.meta.url),
);

type Tree = { type: string; name?: string; children?: Tree[] } & Record<string, unknown>;

/** Every `<ChapterRef>` element of a tree, inline or on its own line. */
export function chapterRefs(tree: Tree): Tree[] {
  const found: Tree[] = [];
  const visit = (node: Tree) => {
    const jsx = node.type === "mdxJsxTextElement" || node.type === "mdxJsxFlowElement";
    if (jsx && node.name === "ChapterRef") found.push(node);
    node.children?.forEach(visit);
  };
  visit(tree);
  return found;
}

/** The plugin: `remarkPlugins: [remarkChapterRefs]` (no options). */
export default function remarkChapterRefs() {
  return function transform(root: Root, file: VFile): void {
    const tree = root as unknown as Tree;
    const refs = chapterRefs(tree);
    if (refs.length === 0) return;
    const where = file.path ? relative(process.cwd(), file.path) : "chapter.mdx";
    for (const ref of refs) {
      const line = (ref.position as { start?: { line?: number } } | undefined)?.start?.line ?? 1;
      const attributes = ref.attributes as { name: string }[];
      if (!attributes.some((a) => a.name === "at")) {
        attributes.push({ type: "mdxJsxAttribute", name: "at", value: `${where}:${line}` } as never);
      }
    }
    const imported = tree.children!.some(
      (node) => node.type === "mdxjsEsm" && /\bimport\s+ChapterRef\b/.test(String(node.value ?? "")),
    );
    if (!imported) {
      const value = `import ChapterRef from ${JSON.stringify(CHAPTER_REF_COMPONENT)};`;
      const estree = parse(value, { ecmaVersion: "latest", sourceType: "module" });
      tree.children!.unshift({ type: "mdxjsEsm", value, data: { estree }, children: [] });
    }
  };
}

/**
 * The places (file:line → slug) where a `<ChapterRef>` names a chapter this edition leaves out,
 * gathered while the pages render and listed once at the end of the build (src/links.ts). Kept on
 * `globalThis`, since the pages render from a bundle other than the integration's module.
 */
export function missingChapterRefs(): Map<string, string> {
  const shared = globalThis as { __bookMissingChapterRefs?: Map<string, string> };
  return (shared.__bookMissingChapterRefs ??= new Map());
}

/** The build's list of references to missing chapters: a line each, then what to do. */
export function missingChapterRefsMessage(places: Map<string, string>): string {
  const lines = [...places].map(([at, slug]) => `  ${at}: <ChapterRef slug="${slug}">`);
  return (
    `${places.size} reference${places.size === 1 ? "" : "s"} to a chapter this edition leaves out, ` +
    `rendered as plain words without a link; reword each sentence, or add the chapter back:\n${lines.join("\n")}`
  );
}
