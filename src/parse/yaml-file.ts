import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node } from "yaml";
import type { JsonPath } from "../core/path.js";
import type { Resource, SourceRange } from "../core/types.js";
import { classifyDocument, resourceOf, type DocClass } from "./classify.js";
import { decodeFile } from "./decode.js";
import { hasTemplateSyntax } from "./helm-template.js";
import { hasJinjaSyntax, JINJA_TEMPLATE_NOTE } from "./jinja-template.js";
import { DEFAULT_LIMITS, type ParseLimits } from "./limits.js";

/** A problem that kept (part of) a file from being read; becomes a `guard/parse-error` finding. */
export interface ParseProblem extends SourceRange {
  message: string;
  docIndex: number;
}

export interface ParsedDoc {
  file: string;
  index: number;
  /** The document as plain data (`toJS`), what rules read. */
  value: unknown;
  class: DocClass;
  resource: Resource;
  /** Source location of the node at `path` (or of its nearest existing ancestor). */
  locate(path: JsonPath, target?: "value" | "key"): SourceRange;
  /** The same location as character offsets [start, end) in the file text. */
  spanOf(path: JsonPath, target?: "value" | "key"): readonly [number, number];
  /** Source location of a character offset range in the file text. */
  rangeOf(start: number, end: number): SourceRange;
  /** Character offsets [start, end) of the document in the file text. */
  span: readonly [number, number];
  contains(offset: number): boolean;
}

export interface ParsedFile {
  path: string;
  /** Decoded text, or null when the file could not be read at all. */
  text: string | null;
  /** Source location of a character offset range in the text (line 1 when there is no text). */
  rangeOf(start: number, end: number): SourceRange;
  docs: ParsedDoc[];
  problems: ParseProblem[];
  /** Set when the file was deliberately not reviewed (e.g. a Helm template); a note, not an error. */
  skipped: string | null;
  /** The `yaml` documents the parse produced (when the text parsed), so the Kustomize render can reuse them. */
  yamlDocuments?: readonly Document.Parsed[];
}

const FIRST_LINE: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const TEMPLATE_NOTE = "Helm/Go template syntax ({{ }}) outside strings: render it (helm template) to review it";

/** True when the document has a flow map written `{{`: template syntax outside any string. */
function opensDoubleBrace(doc: Document.Parsed, text: string): boolean {
  let found = false;
  visit(doc, {
    Map(_, node) {
      const start = node.range?.[0];
      if (node.flow && start !== undefined && text.startsWith("{{", start)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function parseYamlFile(path: string, content: string | Uint8Array, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  const decoded = decodeFile(content, limits.maxFileBytes);
  if (!decoded.ok) {
    return { path, text: null, rangeOf: () => FIRST_LINE, docs: [], problems: [{ ...FIRST_LINE, message: decoded.reason, docIndex: 0 }], skipped: null };
  }
  const text = decoded.text;
  const rangeOf = lazyRangeOf(text);
  const skippedTemplate = (): ParsedFile => ({ path, text, rangeOf, docs: [], problems: [], skipped: TEMPLATE_NOTE });
  if (hasJinjaSyntax(text)) return { path, text, rangeOf, docs: [], problems: [], skipped: JINJA_TEMPLATE_NOTE };
  const problems: ParseProblem[] = [];
  const docs: ParsedDoc[] = [];
  let yamlDocs: Document.Parsed[];
  try {
    yamlDocs = parseAllDocuments(text, { uniqueKeys: false, logLevel: "error" }) as Document.Parsed[];
  } catch (err) {
    if (hasTemplateSyntax(text)) return skippedTemplate();
    return { path, text, rangeOf, docs: [], problems: [{ ...FIRST_LINE, message: `YAML could not be parsed: ${errorMessage(err)}`, docIndex: 0 }], skipped: null };
  }
  if (text.includes("{{")) {
    // A template that happens to parse shows its `{{` as a flow map opening another; one that does not parse is
    // settled by the exact (token-level) check.
    const broken = yamlDocs.some((d) => d.errors.length > 0);
    if (broken ? hasTemplateSyntax(text) : yamlDocs.some((d) => opensDoubleBrace(d, text))) return skippedTemplate();
  }
  yamlDocs.forEach((doc, index) => {
    const first = doc.errors[0];
    if (first) {
      const [start, end] = first.pos;
      problems.push({ ...rangeOf(start, end), message: `invalid YAML: ${firstLine(first.message)}`, docIndex: index });
      return;
    }
    if (doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const bomb = /alias count/i.test(errorMessage(err));
      const msg = bomb
        ? `too many YAML alias expansions (limit ${limits.maxAliasCount}); possible alias bomb, not read`
        : `YAML could not be read: ${errorMessage(err)}`;
      // An alias to an undefined (or later) anchor, e.g. a bare `****`: point at the alias itself, found in one
      // pass in document order (anchors seen so far), not at the document start.
      let at = null as Node | null;
      if (!bomb) {
        const anchors = new Set<string>();
        visit(doc, {
          Node(_, node) {
            if (isAlias(node)) {
              if (anchors.has(node.source)) return;
              at = node;
              return visit.BREAK;
            }
            if (node.anchor) anchors.add(node.anchor);
          },
        });
      }
      const span = at?.range;
      const where = span ? rangeOf(span[0], span[1]) : nodeStart(doc.contents, rangeOf);
      problems.push({ ...where, message: msg, docIndex: index });
      return;
    }
    if (value === null || value === undefined) return;
    if (exceedsDepth(value, limits.maxDepth)) {
      problems.push({ ...nodeStart(doc.contents, rangeOf), message: `document nests deeper than ${limits.maxDepth} levels; not read`, docIndex: index });
      return;
    }
    docs.push({
      file: path,
      index,
      value,
      class: classifyDocument(value, path),
      resource: resourceOf(value),
      locate: (p, target = "value") => {
        const [a, b] = locateNode(doc, p, target);
        return a < 0 ? FIRST_LINE : rangeOf(a, b);
      },
      spanOf: (p, target = "value") => {
        const span = locateNode(doc, p, target);
        return span[0] < 0 ? [0, 0] : span;
      },
      rangeOf,
      span: [doc.range[0], doc.range[2]],
      contains: (offset) => offset >= doc.range[0] && offset < doc.range[2],
    });
  });
  return { path, text, rangeOf, docs, problems, skipped: null, yamlDocuments: yamlDocs };
}

/**
 * Offsets to 1-based line/column. The line index is built on first use only: most files have no finding, and
 * the parser's own LineCounter would cost every file a callback per line.
 */
function lazyRangeOf(text: string): (start: number, end: number) => SourceRange {
  let starts: number[] | null = null;
  const pos = (offset: number): { line: number; col: number } => {
    if (starts === null) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
  return (start, end) => {
    const a = pos(start);
    const b = pos(Math.max(start, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

function nodeStart(node: Node | null, rangeOf: (a: number, b: number) => SourceRange): SourceRange {
  const r = node?.range;
  return r ? rangeOf(r[0], r[0]) : FIRST_LINE;
}

/**
 * Depth check. Recursion is bounded by `maxDepth` (it stops there), so hostile nesting cannot blow the stack;
 * the yaml parser itself has already built the tree by then.
 */
function exceedsDepth(value: unknown, maxDepth: number, depth = 1): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (depth > maxDepth) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === "object" && v !== null && exceedsDepth(v, maxDepth, depth + 1)) return true;
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === "object" && v !== null && exceedsDepth(v, maxDepth, depth + 1)) return true;
  }
  return false;
}

/**
 * Finds the node at `path`. Scalars point at the value itself; collections point at their key (so a
 * finding about `hostPath:` marks that line, not the first line of its body). A missing path points at
 * the nearest existing ancestor.
 */
function locateNode(doc: Document.Parsed, path: JsonPath, target: "value" | "key"): [number, number] {
  let node: unknown = doc.contents;
  let key: Node | null = null;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown = undefined;
    let nextKey: Node | null = null;
    if (isMap(node) && typeof seg === "string") {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (pair) {
        next = pair.value;
        nextKey = pair.key as Node;
        if (next === null || (isScalar(next) && next.value === null && next.range?.[0] === next.range?.[1])) {
          // `key:` with no value: the key is the location.
          key = nextKey;
          node = null;
          continue;
        }
      }
    } else if (isSeq(node) && typeof seg === "number") {
      next = node.items[seg];
    }
    if (next === undefined) break;
    node = next;
    key = nextKey;
  }
  const n = node as Node | null;
  if ((target === "key" || !isScalar(n)) && key?.range) return [key.range[0], key.range[1]];
  if (n && n.range) {
    if (isScalar(n)) return [n.range[0], n.range[1]];
    // A collection without a key (a list item): its first line.
    const first = isMap(n) ? n.items[0] : isSeq(n) ? n.items[0] : undefined;
    const firstKey = isPair(first) ? (first.key as Node | null) : null;
    if (firstKey?.range) return [n.range[0], firstKey.range[1]];
    return [n.range[0], n.range[0] + 1];
  }
  if (key?.range) return [key.range[0], key.range[1]];
  return [-1, -1];
}
