/**
 * Share links: a cell's code compressed into the URL fragment (`#cell=<id>&code=<lz-string>`), so
 * a link carries an experiment without any server. Opening one never runs it.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";

/** What a page's fragment held. */
export type SharedCell =
  | { kind: "none" }
  | { kind: "cell"; cellId: string; code: string }
  | { kind: "malformed"; reason: string };

/** The link that opens `pageUrl` with cell `cellId` holding `code`. */
export function shareUrl(pageUrl: string, cellId: string, code: string): string {
  const url = new URL(pageUrl);
  const params = new URLSearchParams({ cell: cellId });
  url.hash = `${params.toString()}&code=${compressToEncodedURIComponent(code)}`;
  return url.href;
}

/** Reads a fragment such as `#cell=xor&code=…`; a broken one that names `cell=` is "malformed". */
export function parseShareFragment(hash: string): SharedCell {
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  if (!/(^|&)(cell|code)=/.test(fragment)) return { kind: "none" };
  // The code uses URI-safe characters and "+" (a space to URLSearchParams): split by hand.
  const fields = new Map<string, string>();
  for (const part of fragment.split("&")) {
    const at = part.indexOf("=");
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  const cell = fields.get("cell");
  const packed = fields.get("code");
  if (!cell) {
    return { kind: "malformed", reason: "the link names no cell (expected #cell=<id>&code=…)" };
  }
  if (!packed) return { kind: "malformed", reason: `the link carries no code for cell "${cell}"` };
  let code: string | null = null;
  try {
    code = decompressFromEncodedURIComponent(packed);
  } catch {
    code = null;
  }
  if (code === null || code === "") {
    return { kind: "malformed", reason: `the code in the link for cell "${cell}" is damaged` };
  }
  let cellId = cell;
  try {
    cellId = decodeURIComponent(cell);
  } catch {
    return { kind: "malformed", reason: "the cell name in the link is damaged" };
  }
  return { kind: "cell", cellId, code };
}
