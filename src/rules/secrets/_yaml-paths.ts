import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from "yaml";
import type { JsonPath, PathSeg } from "../../core/path.js";

/**
 * Maps character offsets of a file to the JSON path of the scalar that contains them. Only the document that holds
 * the offset is parsed again, and only when a rule asks (i.e. only for documents with a raw-text hit), so clean
 * files cost nothing and a file of many documents is not parsed whole for one hit.
 */
export class OffsetPaths {
  private readonly docs = new Map<number, Document.Parsed | null>();

  constructor(private readonly text: string) {}

  /**
   * Path of the scalar value around `offset` in the document with index `docIndex` spanning `span` of the text (for
   * a map key: the path of the map, so that the key text never ends up in a finding); null in comments and between
   * nodes.
   */
  pathAt(docIndex: number, span: readonly [number, number], offset: number): JsonPath | null {
    let doc = this.docs.get(docIndex);
    if (doc === undefined) {
      const parsed = parseAllDocuments(this.text.slice(span[0], span[1]), { uniqueKeys: false }) as Document.Parsed[];
      this.docs.set(docIndex, (doc = parsed.length === 1 ? parsed[0]! : null));
    }
    if (!doc) return null;
    return pathIn(doc, offset - span[0]);
  }
}

function pathIn(doc: Document.Parsed, offset: number): JsonPath | null {
  let node: unknown = doc.contents;
  const path: PathSeg[] = [];
  // Depth is bounded: documents deeper than the parse limit never reach the rules. Items are in text order, so the
  // one around the offset is found by binary search (a map with many credentials is not walked once per credential).
  for (;;) {
    if (isScalar(node)) return inside(node, offset) ? path : null;
    const items: unknown[] = isMap(node) || isSeq(node) ? node.items : [];
    const i = itemAt(items, offset);
    if (i < 0) return null;
    const item = items[i];
    if (isMap(node)) {
      if (!isPair(item)) return null;
      const key = item.key as Node | null;
      // Inside a key: report the map that holds it, never a path that would contain the credential.
      if (isScalar(key) && inside(key, offset)) return path;
      if (!isScalar(key) || !item.value || !inside(item.value as Node, offset)) return null;
      path.push(String(key.value));
      node = item.value;
    } else {
      if (!item || !inside(item as Node, offset)) return null;
      path.push(i);
      node = item;
    }
  }
}

/** Start offset of a map pair (its key, else its value) or of a list item. */
function startOf(item: unknown): number | undefined {
  if (isPair(item)) return ((item.key as Node | null)?.range ?? (item.value as Node | null)?.range)?.[0];
  return (item as Node | null)?.range?.[0];
}

/** Index of the last item that starts at or before `offset`, or -1. */
function itemAt(items: readonly unknown[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = startOf(items[mid]);
    if (start === undefined) return linearAt(items, offset);
    if (start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Fallback when an item has no position (an empty `?` pair): the last positioned item starting at or before `offset`. */
function linearAt(items: readonly unknown[], offset: number): number {
  let found = -1;
  items.forEach((it, i) => {
    const start = startOf(it);
    if (start !== undefined && start <= offset) found = i;
  });
  return found;
}

function inside(node: Node, offset: number): boolean {
  const r = node.range;
  return !!r && offset >= r[0] && offset < r[1];
}
