import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from "yaml";
import type { JsonPath, PathSeg } from "../../core/path.js";

/**
 * Maps character offsets of a file to the JSON path of the scalar that contains them. The file is parsed
 * again only when a rule asks (i.e. only for files with a raw-text hit), so clean files cost nothing.
 */
export class OffsetPaths {
  private docs: Document.Parsed[] | null = null;

  constructor(private readonly text: string) {}

  /**
   * Path of the scalar value around `offset` in document `docIndex` (for a map key: the path of the map, so
   * that the key text never ends up in a finding); null in comments and between nodes.
   */
  pathAt(docIndex: number, offset: number): JsonPath | null {
    this.docs ??= parseAllDocuments(this.text, { uniqueKeys: false }) as Document.Parsed[];
    const doc = this.docs[docIndex];
    if (!doc) return null;
    let node: unknown = doc.contents;
    const path: PathSeg[] = [];
    // Depth is bounded: documents deeper than the parse limit never reach the rules.
    for (;;) {
      if (isScalar(node)) return inside(node, offset) ? path : null;
      let next: unknown = undefined;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = pair.key as Node | null;
          const seg = isScalar(key) ? String(key.value) : null;
          if (seg === null) continue;
          // Inside a key: report the map that holds it, never a path that would contain the credential.
          if (isScalar(key) && inside(key, offset)) return path;
          if (pair.value && inside(pair.value as Node, offset)) {
            path.push(seg);
            next = pair.value;
            break;
          }
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          if (next === undefined && item && inside(item as Node, offset)) {
            path.push(i);
            next = item;
          }
        });
      }
      if (next === undefined) return null;
      node = next;
    }
  }
}

function inside(node: Node, offset: number): boolean {
  const r = node.range;
  return !!r && offset >= r[0] && offset < r[1];
}
