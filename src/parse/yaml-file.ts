import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Alias, type Document, type Node, type Pair, type ScalarTag, type YAMLMap } from "yaml";
import type { JsonPath } from "../core/path.js";
import type { ImagePart, Resource, SourceRange } from "../core/types.js";
import { classifyDocument, isPlainObject, resourceOf, type DocClass } from "./classify.js";
import { decodeFile, type FileContent } from "./decode.js";
import { brokenOnlyByTemplate, hasTemplateSyntax, mayHaveTemplateSyntax } from "./helm-template.js";
import { hasJinjaSyntax, JINJA_TEMPLATE_NOTE } from "./jinja-template.js";
import { hasYttSyntax, YTT_TEMPLATE_NOTE } from "./ytt-template.js";
import { floorIndex, lineStarts } from "./line-starts.js";
import { aliasTargets } from "./yaml-aliases.js";
import { attachDetachedBlockHeaders, type AttachedText } from "./detached-block-header.js";
import { DEFAULT_LIMITS, type ParseLimits } from "./limits.js";
import { documentOverflow, excessiveNesting } from "./prescan.js";
import { classifyToJsError, describeToJsError, describeYamlError } from "./yaml-errors.js";

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
  /**
   * Source location of the node at `path` (or of its nearest existing ancestor). `part` matters only for a
   * rendered image reference whose parts were written on different lines (a Kustomize `images:` override); in a
   * file the whole value is written in one place.
   */
  locate(path: JsonPath, target?: "value" | "key", part?: ImagePart): SourceRange;
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
  /**
   * The `yaml` documents the parse produced (when the text parsed), so the Kustomize render can reuse them (their
   * offsets are of `documentsTextOf(yamlDocuments)`: the file's text, or that text as go-yaml reads it).
   */
  yamlDocuments?: readonly Document.Parsed[];
  /**
   * Documents the parser read with an error (each is a `problems` entry too), as far as it read them: a Secret above
   * a stray non-YAML line still commits its password. Only the rules that judge committed content
   * (`meta.judgesCommittedContent`) read them; they are no objects to render, apply or compare.
   */
  brokenDocs?: ParsedDoc[];
}

const FIRST_LINE: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** The nodes of a List document's `items` (for their spans). */
function itemNodes(doc: Document.Parsed): readonly Node[] {
  const top = doc.contents;
  if (!isMap(top)) return [];
  const pair = top.items.find((p) => isScalar(p.key) && p.key.value === "items");
  return pair && isSeq(pair.value) ? (pair.value.items as Node[]) : [];
}

/** The items of a List document (`kind` ending in `List`, `items` a list), or null for any other document. */
function listItems(value: unknown): readonly unknown[] | null {
  return isPlainObject(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items) ? value.items : null;
}
const TEMPLATE_NOTE = "Helm/Go template syntax ({{ }}) outside strings: render it (helm template) to review it";
const QUOTED_TEMPLATE_NOTE = "Helm/Go template syntax ({{ }}) whose own quotes break the YAML strings around it: render it (helm template) to review it";

/** Whether a file's `skipped` note says it was skipped as a Helm/Go template (`{{ }}` outside strings, or breaking them). */
export function isGoTemplateNote(skipped: string | null): boolean {
  return skipped === TEMPLATE_NOTE || skipped === QUOTED_TEMPLATE_NOTE;
}

/**
 * True when the document has a flow map written `{{`: template syntax outside any string. Collections that hold no
 * `{{` in their text are not walked (an ApplicationSet's `'{{name}}'` strings no longer cost a walk of every node).
 */
export function opensDoubleBrace(doc: Document.Parsed, text: string): boolean {
  const [from, , to] = doc.range;
  const at: number[] = [];
  for (let i = text.indexOf("{{", from); i >= 0 && i < to; i = text.indexOf("{{", i + 1)) at.push(i);
  if (at.length === 0) return false;
  /** Whether some `{{` starts inside [start, end): the last one before `end` is at `start` or after. */
  const holds = ([start, , end]: readonly [number, number, number]): boolean => {
    const last = at[floorIndex(at, end - 1)]!;
    return last >= start && last < end;
  };
  const opens = (n: unknown): boolean => {
    if (isPair(n)) return opens(n.key) || opens(n.value);
    if (!isMap(n) && !isSeq(n)) return false;
    const range = n.range;
    if (isMap(n) && n.flow && range && text.startsWith("{{", range[0])) return true;
    if (range && !holds(range)) return false;
    for (const item of n.items) if (opens(item)) return true;
    return false;
  };
  return opens(doc.contents);
}

/**
 * A file read as text only (a dotenv file): no documents and no parse problem, for it is not YAML and nothing in it is
 * a YAML error. The rules that read raw text (`secrets/known-credential`) judge what it commits. Content that cannot be
 * decoded (binary, over the size limit) leaves nothing to read: a note says so, not an error.
 */
export function readTextOnlyFile(path: string, content: FileContent, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  const decoded = decodeFile(content, limits.maxFileBytes);
  if (!decoded.ok) return { path, text: null, rangeOf: () => FIRST_LINE, docs: [], problems: [], skipped: `not read as text (${decoded.reason})` };
  return { path, text: decoded.text, rangeOf: lazyRangeOf(decoded.text), docs: [], problems: [], skipped: null };
}

/** How a caller knows a file better than its name says: `helmValues`, a file an Argo CD Application names as Helm values. */
export interface ParseOptions {
  helmValues?: boolean;
}

export function parseYamlFile(path: string, content: FileContent, limits: ParseLimits = DEFAULT_LIMITS, options: ParseOptions = {}): ParsedFile {
  const decoded = decodeFile(content, limits.maxFileBytes);
  if (!decoded.ok) {
    return { path, text: null, rangeOf: () => FIRST_LINE, docs: [], problems: [{ ...FIRST_LINE, message: decoded.reason, docIndex: 0 }], skipped: null };
  }
  const text = decoded.text;
  const rangeOf = lazyRangeOf(text);
  const skippedTemplate = (): ParsedFile => ({ path, text, rangeOf, docs: [], problems: [], skipped: TEMPLATE_NOTE });
  if (hasJinjaSyntax(text)) return { path, text, rangeOf, docs: [], problems: [], skipped: JINJA_TEMPLATE_NOTE };
  if (hasYttSyntax(text)) return { path, text, rangeOf, docs: [], problems: [], skipped: YTT_TEMPLATE_NOTE };
  const refused = (offset: number, message: string): ParsedFile => ({ path, text, rangeOf, docs: [], problems: [{ ...rangeOf(offset, offset), message, docIndex: 0 }], skipped: null });
  // A template is settled before parsing when the cheap look says it may be one: the token-level check stops at the
  // first `{{`, while the parser would read (and fail on) every line of it.
  let template: boolean | null = null;
  if (text.includes("{{") && mayHaveTemplateSyntax(text)) {
    if (hasTemplateSyntax(text)) return skippedTemplate();
    template = false;
  }
  const maxDocuments = limits.maxDocuments ?? DEFAULT_LIMITS.maxDocuments;
  const tooMany = documentOverflow(text, maxDocuments);
  if (tooMany >= 0) return refused(tooMany, `file has more than ${maxDocuments} YAML documents; not read (split it into smaller files)`);
  const deep = excessiveNesting(text, limits.maxDepth);
  if (deep >= 0) return refused(deep, `document nests deeper than ${limits.maxDepth} levels; not read`);

  const problems: ParseProblem[] = [];
  const docs: ParsedDoc[] = [];
  const brokenDocs: ParsedDoc[] = [];
  let yamlDocs: Document.Parsed[];
  // Parsed from a text the `yaml` package reads as go-yaml reads the file (see attachDetachedBlockHeaders): the same
  // offsets and lines, but not the file's text, so the render does not reuse these documents.
  let readAsGoYaml: AttachedText | null = null;
  try {
    yamlDocs = parseQuietly(text);
    if (yamlDocs.some((d) => d.errors.length > 0)) {
      const attached = attachDetachedBlockHeaders(text);
      const reparsed = attached === null ? null : parseQuietly(attached.text);
      if (reparsed?.every((d) => d.errors.length === 0)) {
        yamlDocs = reparsed;
        readAsGoYaml = attached;
      }
    }
  } catch {
    if (template === null && hasTemplateSyntax(text)) return skippedTemplate();
    return refused(0, "YAML could not be parsed (the parser failed on this file)");
  }
  if (text.includes("{{")) {
    // A template that happens to parse shows its `{{` as a flow map opening another; one that does not parse is
    // settled by the exact (token-level) check, else by whether its template actions alone broke the YAML (quotes
    // inside a quoted `"{{ include "x" . }}"`).
    const broken = yamlDocs.some((d) => d.errors.length > 0);
    if (template === null && (broken ? hasTemplateSyntax(text) : yamlDocs.some((d) => opensDoubleBrace(d, text)))) return skippedTemplate();
    const firstError = yamlDocs.find((d) => d.errors.length > 0)?.errors[0]?.pos[0];
    if (firstError !== undefined && brokenOnlyByTemplate(path, text, firstError, parsesCleanly)) return { ...skippedTemplate(), skipped: QUOTED_TEMPLATE_NOTE };
  }
  const manyAliases = countOf(text, "*") > ALIAS_SCAN_FROM;
  // Document indexes rise with position; the items of a List take one each (the documents after it move up).
  let nextIndex = 0;
  yamlDocs.forEach((doc) => {
    const index = nextIndex++;
    const first = doc.errors[0];
    if (first) {
      const [start, end] = first.pos;
      const where = rangeOf(start, end);
      problems.push({ ...where, message: describeYamlError(first, where), docIndex: index });
    }
    // A document with an error is read as far as the parser got, for the credential rules only (`brokenDocs`); any
    // further problem with it is not reported again.
    const broken = first !== undefined;
    if (doc.contents === null) return;
    if (manyAliases) {
      const heavy = aliasWork(doc);
      if (heavy) {
        if (!broken) problems.push({ ...nodeStart(heavy, rangeOf), message: `too many YAML aliases in one document (over ${MAX_ALIAS_WORK.toLocaleString("en-US")} alias-anchor lookups); not read`, docIndex: index });
        return;
      }
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      if (broken) return;
      const kind = classifyToJsError(err);
      // An alias to an undefined (or later) anchor, e.g. a bare `****`: point at the alias itself, found in one
      // pass in document order (anchors seen so far), not at the document start.
      const at = kind === "unresolved-alias" ? firstUnresolvedAlias(doc) : null;
      const span = at?.range;
      const where = span ? rangeOf(span[0], span[1]) : nodeStart(doc.contents, rangeOf);
      problems.push({ ...where, message: describeToJsError(kind, limits.maxAliasCount, where), docIndex: index });
      return;
    }
    if (value === null || value === undefined) return;
    if (exceedsDepth(value, limits.maxDepth)) {
      if (broken) return;
      problems.push({ ...nodeStart(doc.contents, rangeOf), message: `document nests deeper than ${limits.maxDepth} levels; not read`, docIndex: index });
      return;
    }
    documentValues.set(doc, value);
    const locator = new NodeLocator(doc);
    // Offsets in the file's text (the documents of a rewritten text have their own: see attachDetachedBlockHeaders).
    const home = readAsGoYaml?.toOriginal;
    const found = (p: JsonPath, target: "value" | "key"): [number, number] => {
      const [a, b] = locator.locate(p, target);
      return home && a >= 0 ? [home(a), home(b)] : [a, b];
    };
    const docAt = (docIndex: number, v: unknown, prefix: JsonPath, span: readonly [number, number]): ParsedDoc => ({
      file: path,
      index: docIndex,
      value: v,
      class: classifyAs(v, path, options),
      resource: resourceOf(v),
      locate: (p, target = "value") => {
        const [a, b] = found(prefix.length ? [...prefix, ...p] : p, target);
        return a < 0 ? FIRST_LINE : rangeOf(a, b);
      },
      spanOf: (p, target = "value") => {
        const at = found(prefix.length ? [...prefix, ...p] : p, target);
        return at[0] < 0 ? [0, 0] : at;
      },
      rangeOf,
      span,
      contains: (offset) => offset >= span[0] && offset < span[1],
    });
    if (broken) {
      if (isPlainObject(value)) brokenDocs.push(docAt(index, value, [], [doc.range[0], doc.range[2]]));
      return;
    }
    const items = listItems(value);
    if (items === null) {
      docs.push(docAt(index, value, [], [doc.range[0], doc.range[2]]));
      return;
    }
    // A List (`kind: List`, `ConfigMapList` …) is what Kustomize and kubectl apply item by item: each object is
    // judged as a document of its own, at its lines.
    const nodes = itemNodes(doc);
    let firstItem = true;
    items.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const range = nodes[i]?.range;
      docs.push(docAt(firstItem ? index : nextIndex++, item, ["items", i], range ? [range[0], range[2]] : [doc.range[0], doc.range[2]]));
      firstItem = false;
    });
  });
  if (readAsGoYaml) documentsText.set(yamlDocs, readAsGoYaml);
  return { path, text, rangeOf, docs, problems, skipped: null, yamlDocuments: yamlDocs, ...(brokenDocs.length > 0 ? { brokenDocs } : {}) };
}

const YAML11_WORDS: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"].map((w) => [w, true] as const),
  ...["n", "N", "no", "No", "NO", "off", "Off", "OFF"].map((w) => [w, false] as const),
]);

/**
 * YAML 1.1's other booleans, as the Go tools that apply these files read them (kubectl, Argo CD's directory and Helm
 * sources, Helm itself: `sigs.k8s.io/yaml`, go-yaml v2): a plain `yes`, `on`, `y` is true and `no`, `off`, `n` is
 * false, so `privileged: yes` is a privileged container. Undefined for any other text.
 */
export function yaml11Boolean(text: string): boolean | undefined {
  return Object.hasOwn(YAML11_WORDS, text) ? YAML11_WORDS[text] : undefined;
}

/**
 * The engine's parse resolves those words (quoted scalars stay strings). Kustomize reads resources with go-yaml v3,
 * where they are strings: the render reads them back from the source text, see kustomize/onode.ts.
 */
const YAML11_BOOLEANS: ScalarTag[] = [
  {
    identify: (v) => typeof v === "boolean",
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test: new RegExp(`^(?:${Object.keys(YAML11_WORDS).join("|")})$`),
    resolve: (text) => yaml11Boolean(text) === true,
  },
];

/**
 * `parseAllDocuments` without the costs that hostile input multiplies: no pretty errors (the library would
 * quote each error's source line, quadratic on one long line with many errors, and we only use offsets) and no
 * stack traces for the library's error objects (a file can produce a million of them).
 */
function parseQuietly(text: string): Document.Parsed[] {
  const traces = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // `<<: *anchor` merge keys are applied as Kubernetes tooling (go-yaml) applies them: `securityContext: {<<: *priv}`
    // is privileged when the anchor says so. Only files with a `<<` pay for the option.
    return parseAllDocuments(text, { uniqueKeys: false, logLevel: "error", prettyErrors: false, merge: text.includes("<<"), customTags: YAML11_BOOLEANS }) as Document.Parsed[];
  } finally {
    Error.stackTraceLimit = traces;
  }
}

/** Whether the text parses as YAML without errors (for template checks on text that did not). */
function parsesCleanly(text: string): boolean {
  try {
    return parseQuietly(text).every((d) => d.errors.length === 0);
  } catch {
    return false;
  }
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Below this many `*` in a file, alias resolution cannot be costly and the alias count is not taken. */
const ALIAS_SCAN_FROM = 1_000;
/**
 * The `yaml` library resolves each alias by walking every anchored and alias node of the document before it:
 * aliases × (anchors + aliases) steps. Documents over this many steps are refused before `toJS`.
 */
const MAX_ALIAS_WORK = 5_000_000;

/** The first alias of a document whose resolution would exceed MAX_ALIAS_WORK, or null. */
function aliasWork(doc: Document.Parsed): Node | null {
  let aliases = 0;
  let anchored = 0;
  let firstAlias: Node | null = null;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        aliases++;
        firstAlias ??= node;
      } else if (node.anchor) anchored++;
    },
  });
  return aliases * (aliases + anchored) > MAX_ALIAS_WORK ? firstAlias : null;
}

/** The first alias, in document order, whose anchor is not defined before it. */
function firstUnresolvedAlias(doc: Document.Parsed): Node | null {
  const anchors = new Set<string>();
  let at = null as Node | null;
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
  return at;
}

/**
 * Offsets to 1-based line/column. The line index is built on first use only: most files have no finding, and
 * the parser's own LineCounter would cost every file a callback per line.
 */
function lazyRangeOf(text: string): (start: number, end: number) => SourceRange {
  let starts: number[] | null = null;
  const pos = (offset: number): { line: number; col: number } => {
    starts ??= lineStarts(text);
    const i = floorIndex(starts, offset);
    return { line: i + 1, col: offset - starts[i]! + 1 };
  };
  return (start, end) => {
    const a = pos(start);
    const b = pos(Math.max(start, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
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
 * Documents parsed from the file's text rewritten as go-yaml reads it (see attachDetachedBlockHeaders), and that text:
 * their nodes' offsets and source slices are of it (the same length and lines as the file's).
 */
const documentsText = new WeakMap<readonly Document.Parsed[], AttachedText>();

/** The text `parseYamlFile`'s documents were parsed from when it was not the file's own text, else undefined. */
export function documentsTextOf(docs: readonly Document.Parsed[]): AttachedText | undefined {
  return documentsText.get(docs);
}

/** The plain value (`toJS`) of each document the parse read: the render reuses it rather than converting again. */
const documentValues = new WeakMap<Document.Parsed, unknown>();

/**
 * The plain value `parseYamlFile` computed for one of its documents (the whole document, a List included), or
 * undefined when it computed none (a document with errors, too many aliases, too deep, empty). Shared: read only.
 */
export function documentValue(doc: Document.Parsed): unknown {
  return documentValues.get(doc);
}

/**
 * Finds nodes by JSON path in one document. Scalars point at the value itself; collections point at their key
 * (so a finding about `hostPath:` marks that line, not the first line of its body). A missing path points at the
 * nearest existing ancestor. Map keys and aliases are indexed on first use, so a rule reporting on every key of
 * a large map costs one pass over it, not one per finding.
 */
class NodeLocator {
  private readonly keys = new WeakMap<YAMLMap, Map<string, Pair>>();
  private aliases: ReadonlyMap<Alias, Node | undefined> | null = null;

  constructor(private readonly doc: Document.Parsed) {}

  private pairOf(map: YAMLMap, key: string, depth = 0): Pair | undefined {
    let index = this.keys.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        // A key written twice: the last pair is the value (the document's value is read with duplicate keys allowed,
        // the last one winning, as Argo CD's and kubectl's YAML readers take it), so findings point there.
        // A merge key reads as the library's `<<` symbol when merge keys are on; its first pair is kept.
        const name = isPair(p) && isScalar(p.key) ? (typeof p.key.value === "symbol" ? "<<" : String(p.key.value)) : null;
        if (name !== null && (name !== "<<" || !index.has(name))) index.set(name, p as Pair);
      }
      this.keys.set(map, index);
    }
    const own = index.get(key);
    if (own || depth > 8) return own;
    // A key merged in with `<<: *anchor` (or a list of anchors, the first that has it): found where it is written.
    const merge = index.get("<<");
    if (!merge || !isScalar(merge.key) || typeof merge.key.value !== "symbol") return undefined;
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    for (let source of sources) {
      if (isAlias(source)) source = this.resolve(source);
      const found = isMap(source) ? this.pairOf(source, key, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** What an alias points at: the last node before it with its anchor, as the `yaml` library resolves it. */
  private resolve(alias: Alias): Node | undefined {
    this.aliases ??= aliasTargets(this.doc);
    return this.aliases.get(alias);
  }

  locate(path: JsonPath, target: "value" | "key"): [number, number] {
    let node: unknown = this.doc.contents;
    let key: Node | null = null;
    for (const seg of path) {
      if (isAlias(node)) node = this.resolve(node);
      let next: unknown = undefined;
      let nextKey: Node | null = null;
      if (isMap(node) && typeof seg === "string") {
        const pair = this.pairOf(node, seg);
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
}

/** A document's class, a document without `apiVersion`/`kind` being Helm values when the caller knows the file is. */
function classifyAs(value: unknown, path: string, options: ParseOptions): DocClass {
  const c = classifyDocument(value, path);
  return c === "other" && options.helmValues === true ? "helm-values" : c;
}
