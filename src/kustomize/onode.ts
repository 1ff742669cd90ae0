/**
 * Origin-tracked YAML values. Every node remembers the source span it came from; maps also remember where each
 * key was written. Nodes are immutable: a transform builds new nodes along the path it changes and shares the
 * rest, so parsed files are shared by every build of a session and no transform can disturb another.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Scalar as YamlScalar } from "yaml";
import { aliasTargets } from "../parse/yaml-aliases.js";
import type { JsonPath } from "../core/path.js";
import { BuildFailure } from "./failure.js";
import { goPlainValue, goTimestamp, goV2PlainValue, resolvePlain, TIMESTAMP_LED } from "./go-yaml-scalar.js";
import { src, toOrigin, type SourceFile, type Src } from "./source.js";

/** First characters of go-yaml v3's plain booleans (`true`, `False` …); `yes`, `on`, `y` and the like are strings there. */
const GO_BOOLEAN_FIRST = new Set(["t", "T", "f", "F"].map((c) => c.charCodeAt(0)));

/** A plain string YAML 1.2 keeps a string but go-yaml reads otherwise: `1_000`, `0b101`, `0X1F`, `-0x1`, a timestamp. */
const GO_DIFFERS = (v: string): boolean => v.includes("_") || /^[-+]?0[bBoOxX]/.test(v) || TIMESTAMP_LED.test(v);

/**
 * A plain text that may read differently under go-yaml: it starts with a digit, a sign or a dot. Tested on the first
 * character's code (every plain string scalar of every file rendered is asked: no regular expression run for it).
 */
function digitLed(v: string): boolean {
  const c = v.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
}

export type Scalar = string | number | boolean | null;

export interface OScalar {
  readonly t: "s";
  readonly v: Scalar;
  /** Where the value was written (for an image an `images:` override rewrote, its most specific override line). */
  readonly src: Src | null;
  /**
   * Only on an image reference an `images:` override rewrote: where each part of it was written (the `newName`,
   * `newTag` or `digest` line, or the line the override left that part on); a null part is `src`'s.
   */
  readonly parts?: ImageParts;
}

/** Where the name, tag and digest of a rewritten image reference were decided (a part may be absent: no tag). */
export interface ImageParts {
  readonly name: Src | null;
  readonly tag: Src | null;
  readonly digest: Src | null;
}

export interface OEntry {
  readonly key: Src | null;
  readonly value: ONode;
}

export interface OMap {
  readonly t: "m";
  readonly entries: ReadonlyMap<string, OEntry>;
  readonly src: Src | null;
  /**
   * Keys a patch removed from this map (a JSON 6902 `remove`/`move`, or a `replace`/`add` of a map that leaves them
   * out; a strategic-merge `null`, `$patch: delete`, or a map `$patch: replace` that leaves them out) and are still not set: where the removal is written and what it removed. Absent when none.
   */
  readonly removed?: ReadonlyMap<string, ORemoval>;
}

/** A map key a patch removed: where the removal is written, and the value it removed (with its own removals). */
export interface ORemoval {
  readonly at: Src;
  readonly value: ONode;
}

export interface OSeq {
  readonly t: "q";
  readonly items: readonly ONode[];
  readonly src: Src | null;
}

export type ONode = OScalar | OMap | OSeq;

export function oscalar(v: Scalar, at: Src | null, parts?: ImageParts): OScalar {
  return parts === undefined ? { t: "s", v, src: at } : { t: "s", v, src: at, parts };
}

export function omap(entries: ReadonlyMap<string, OEntry>, at: Src | null, removed?: ReadonlyMap<string, ORemoval>): OMap {
  return removed === undefined || removed.size === 0 ? { t: "m", entries, src: at } : { t: "m", entries, src: at, removed };
}

/** `m`'s removals less those of keys `entries` sets again (a key set after its removal is no longer removed). */
export function removalsKept(m: OMap, entries: ReadonlyMap<string, OEntry>): ReadonlyMap<string, ORemoval> | undefined {
  if (m.removed === undefined) return undefined;
  let kept: Map<string, ORemoval> | undefined;
  for (const key of m.removed.keys()) {
    if (!entries.has(key)) continue;
    kept ??= new Map(m.removed);
    kept.delete(key);
  }
  return kept ?? m.removed;
}

export function oseq(items: readonly ONode[], at: Src | null): OSeq {
  return { t: "q", items, src: at };
}

export const EMPTY_MAP: OMap = omap(new Map(), null);

export function isOMap(n: ONode | undefined | null): n is OMap {
  return n !== undefined && n !== null && n.t === "m";
}

export function isOSeq(n: ONode | undefined | null): n is OSeq {
  return n !== undefined && n !== null && n.t === "q";
}

export function isOScalar(n: ONode | undefined | null): n is OScalar {
  return n !== undefined && n !== null && n.t === "s";
}

export function isNull(n: ONode | undefined | null): boolean {
  return n === undefined || n === null || (n.t === "s" && n.v === null);
}

export function get(n: ONode | undefined | null, key: string): ONode | undefined {
  return n !== undefined && n !== null && n.t === "m" ? n.entries.get(key)?.value : undefined;
}

/** The string value of a scalar field, or undefined. */
export function str(n: ONode | undefined | null, key?: string): string | undefined {
  const v = key === undefined ? n : get(n, key);
  return v !== undefined && v !== null && v.t === "s" && typeof v.v === "string" ? v.v : undefined;
}

export function getIn(n: ONode | undefined, path: readonly string[]): ONode | undefined {
  let cur = n;
  for (const k of path) cur = get(cur, k);
  return cur;
}

/** A copy of `m` with `key` set (appended when new, replaced in place when present). */
export function withEntry(m: OMap, key: string, value: ONode, keySrc?: Src | null): OMap {
  const entries = new Map(m.entries);
  const old = entries.get(key);
  entries.set(key, { key: keySrc === undefined ? (old?.key ?? value.src) : keySrc, value });
  return omap(entries, m.src, removalsKept(m, entries));
}

/** A copy of `m` without `key`; with `removedAt` (where a patch removes it), the map remembers the removal. */
export function withoutEntry(m: OMap, key: string, removedAt: Src | null = null): OMap {
  const old = m.entries.get(key);
  if (old === undefined) return m;
  const entries = new Map(m.entries);
  entries.delete(key);
  return omap(entries, m.src, removedAt === null ? m.removed : withRemoval(m.removed, key, { at: removedAt, value: old.value }));
}

/**
 * `next`, a map a patch writes over the map `old` (a JSON 6902 `replace` or `add` of a whole `securityContext`),
 * remembering the keys of `old` it leaves out as removed at `at`, where the patch is written.
 */
export function overwriting(next: ONode, old: ONode | undefined, at: Src | null): ONode {
  if (at === null || next.t !== "m" || old?.t !== "m") return next;
  let removed = next.removed;
  for (const [k, e] of old.entries) if (!next.entries.has(k)) removed = withRemoval(removed, k, { at, value: e.value });
  return removed === next.removed ? next : omap(next.entries, next.src, removed);
}

/** `removed` with one more removal (the latest removal of a key is the one remembered). */
export function withRemoval(removed: ReadonlyMap<string, ORemoval> | undefined, key: string, removal: ORemoval): ReadonlyMap<string, ORemoval> {
  const out = new Map(removed);
  out.delete(key);
  out.set(key, removal);
  return out;
}

/** Replaces the node at `path` (which must exist up to its parent) through `fn`; unchanged when absent. */
export function updateIn(n: ONode, path: readonly (string | number)[], fn: (old: ONode | undefined) => ONode | undefined, create = false): ONode {
  if (path.length === 0) return fn(n) ?? n;
  const [head, ...rest] = path;
  if (n.t === "m" && typeof head === "string") {
    const entry = n.entries.get(head);
    if (entry === undefined) {
      if (rest.length === 0) {
        const v = fn(undefined);
        return v === undefined ? n : withEntry(n, head, v, v.src);
      }
      if (!create) return n;
      const child = updateIn(omap(new Map(), null), rest, fn, create);
      return withEntry(n, head, child, child.src);
    }
    if (rest.length === 0) {
      const v = fn(entry.value);
      if (v === undefined) return withoutEntry(n, head);
      return v === entry.value ? n : withEntry(n, head, v, entry.key);
    }
    const child = updateIn(entry.value, rest, fn, create);
    return child === entry.value ? n : withEntry(n, head, child, entry.key);
  }
  if (n.t === "q" && typeof head === "number" && head >= 0 && head < n.items.length) {
    const item = n.items[head]!;
    const child = rest.length === 0 ? fn(item) : updateIn(item, rest, fn, create);
    if (child === item) return n;
    const items = n.items.slice();
    if (child === undefined) items.splice(head, 1);
    else items[head] = child;
    return oseq(items, n.src);
  }
  return n;
}

/** Plain JSON data, like `Document.toJS()`. */
export function toJS(n: ONode): unknown {
  switch (n.t) {
    case "s":
      return n.v;
    case "q":
      return n.items.map(toJS);
    case "m": {
      const out: Record<string, unknown> = {};
      for (const [k, e] of n.entries) out[k] = toJS(e.value);
      return out;
    }
  }
}

/** Plain JSON data with every removal a patch made put back (a removed key after the map's own keys). */
export function toJSRestored(n: ONode): unknown {
  if (n.t === "s") return n.v;
  if (n.t === "q") return n.items.map(toJSRestored);
  const out: Record<string, unknown> = {};
  for (const [k, e] of n.entries) out[k] = toJSRestored(e.value);
  if (n.removed) for (const [k, r] of n.removed) out[k] = toJSRestored(r.value);
  return out;
}

/** A removal a patch made somewhere in `root`: the path of the removed key, and the removal. */
export interface PathRemoval {
  readonly path: JsonPath;
  readonly removal: ORemoval;
}

/** Every removal still in effect in `root` (not those inside a removed value), in document order. */
export function removalsIn(root: ONode): PathRemoval[] {
  const out: PathRemoval[] = [];
  // One path stack for the walk (every object of every render is walked once): copied only for a removal found.
  const path: Array<string | number> = [];
  const walk = (n: ONode): void => {
    if (n.t === "s") return;
    if (n.t === "q") {
      n.items.forEach((item, i) => {
        path.push(i);
        walk(item);
        path.pop();
      });
      return;
    }
    for (const [k, e] of n.entries) {
      path.push(k);
      walk(e.value);
      path.pop();
    }
    if (n.removed) for (const [k, removal] of n.removed) out.push({ path: [...path, k], removal });
  };
  walk(root);
  return out;
}

/** Builds nodes from plain data, every node pointing at `at`. */
export function fromJS(v: unknown, at: Src | null): ONode {
  if (Array.isArray(v)) return oseq(v.map((x) => fromJS(x, at)), at);
  if (typeof v === "object" && v !== null) {
    const entries = new Map<string, OEntry>();
    for (const [k, x] of Object.entries(v)) entries.set(k, { key: at, value: fromJS(x, at) });
    return omap(entries, at);
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null) return oscalar(v, at);
  return oscalar(String(v), at);
}

/** Structural equality of values (origins ignored). */
export function sameValue(a: ONode, b: ONode): boolean {
  if (a.t !== b.t) return false;
  if (a.t === "s") return a.v === (b as OScalar).v;
  if (a.t === "q") {
    const bi = (b as OSeq).items;
    return a.items.length === bi.length && a.items.every((x, i) => sameValue(x, bi[i]!));
  }
  const be = (b as OMap).entries;
  if (a.entries.size !== be.size) return false;
  for (const [k, e] of a.entries) {
    const o = be.get(k);
    if (o === undefined || !sameValue(e.value, o.value)) return false;
  }
  return true;
}

/**
 * The node at `path` and the key span that led to it (null for list items and the root). When the path is not set,
 * the nearest existing ancestor, and `removal`: the patch that removed the next key of the path from it, if one did.
 */
export function nodeAt(root: ONode, path: JsonPath): { node: ONode; key: Src | null; complete: boolean; ancestors: ONode[]; removal?: ORemoval } {
  let node = root;
  let key: Src | null = null;
  const ancestors: ONode[] = [];
  for (const seg of path) {
    let next: ONode | undefined;
    let nextKey: Src | null = null;
    if (node.t === "m" && typeof seg === "string") {
      const e = node.entries.get(seg);
      if (e) {
        next = e.value;
        nextKey = e.key;
      }
    } else if (node.t === "q" && typeof seg === "number") {
      next = node.items[seg];
    }
    if (next === undefined) {
      const removal = node.t === "m" && typeof seg === "string" ? node.removed?.get(seg) : undefined;
      return removal === undefined ? { node, key, complete: false, ancestors } : { node, key, complete: false, ancestors, removal };
    }
    ancestors.push(node);
    node = next;
    key = nextKey;
  }
  return { node, key, complete: true, ancestors };
}

export interface YamlConvertLimits {
  maxAliases: number;
  /**
   * The document is read as YAML 1.1 (a kustomization, as kustomize reads it): its `yes`/`on` booleans stay booleans.
   * Otherwise (resources and patches, go-yaml v3) a boolean written `yes` or `on` is the string it was written as.
   */
  yaml11?: boolean;
  /**
   * A key written twice in one map, as the reader kustomize uses for the file treats it: `refuse` (a resource: go-yaml
   * v3's "mapping key already defined", the default), `last` (a kustomization: sigs.k8s.io/yaml keeps the last) or
   * `first` (a strategic merge patch: kyaml finds the first field; see `containsDuplicateKeys`).
   */
  duplicateKeys?: DuplicateKeys;
}

export type DuplicateKeys = "refuse" | "first" | "last";

/** Maps and lists holding a map that had a key written twice (read with `first` or `last`), at any depth. */
const withDuplicateKeys = new WeakSet<ONode>();

/**
 * Whether the node is, or holds, a map read with a key written twice. kustomize reads such a map in a strategic
 * merge patch by its first key when it merges it into the object, but copies it as written when the object lacks
 * the field, and then fails to read the object back (kubectl kustomize: "mapping key … already defined").
 */
export function containsDuplicateKeys(n: ONode): boolean {
  return withDuplicateKeys.has(n);
}

/** The failure for a key written twice in a file read with `refuse`, in go-yaml's words. */
function duplicateKey(file: SourceFile, name: string, first: Src | null, again: Src | null): BuildFailure {
  const at = again ? toOrigin(again) : null;
  const before = first ? ` at line ${toOrigin(first).line}` : "";
  return new BuildFailure(`${file.path}${at ? `:${at.line}:${at.column}` : ""}: invalid YAML: mapping key "${name}" already defined${before}`);
}

/**
 * Converts a parsed YAML document's contents. Spans follow `ParsedDoc.locate`: a scalar points at itself, a
 * map or list at its first line (its key is kept on the map entry), a `key:` with no value at the key.
 */
export function fromYaml(doc: Document.Parsed, file: SourceFile, limits: YamlConvertLimits, plain?: unknown): ONode {
  let aliases = 0;
  const duplicates = limits.duplicateKeys ?? "refuse";
  // Whether the node's `toJS` is the document's own `toJS` (`plain`): no alias, merge key or key the library reads
  // otherwise, and every scalar the value the library read (not one go-yaml reads differently).
  let alike = plain !== undefined;
  let targets: ReadonlyMap<Alias, Node | undefined> | null = null;
  const resolve = (alias: Alias): Node | undefined => (targets ??= aliasTargets(doc)).get(alias);
  const convert = (node: unknown, keySrc: Src | null, depth: number): ONode => {
    if (depth > 200) throw new BuildFailure(`${file.path}: YAML nests too deeply`);
    // Scalars first: most nodes are (each test below reads a symbol-keyed property of many shapes of node).
    if (isScalar(node)) {
      const r = node.range;
      const at = r ? src(file, r[0], r[1]) : keySrc;
      const v = node.value;
      let value: Scalar =
        v === null || v === undefined ? null : typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : String(v);
      // Plain numbers and digit-led strings as kustomize reads them (`0755` is octal, `1_000` a number), and YAML 1.1's
      // `yes`/`on`/`y` (a parse handed over by the review reads them as booleans) as the strings go-yaml v3 keeps.
      if (r && node.type === "PLAIN" && node.tag === undefined && limits.yaml11) {
        value = goV2PlainValue(node.source ?? file.text.slice(r[0], r[1]));
        if (typeof value === "number" && !Number.isFinite(value)) {
          throw new BuildFailure(`${file.path}:${toOrigin(at!).line}: a value that is not a finite number (.inf, .nan) fails kustomize's conversion to JSON`);
        }
      } else if (r && node.type === "PLAIN" && node.tag === undefined) {
        const first = file.text.charCodeAt(r[0]);
        // Only a number written with a leading 0 or a sign, or a string with `_`, `0b` or a date's shape, can differ.
        if (typeof value === "number" ? first === 48 || first === 43 || first === 45 : typeof value === "string" && digitLed(value) && GO_DIFFERS(value)) {
          value = goPlainValue(file.text.slice(r[0], r[1]), value);
        } else if (typeof value === "boolean" && !GO_BOOLEAN_FIRST.has(first)) {
          // A `yes`, `on`, `y` (not `true`/`false` in any case) that the handed-over parse read as a boolean.
          value = file.text.slice(r[0], r[1]);
        }
      } else if (r && node.tag !== undefined) value = taggedValue(node.tag, file.text.slice(r[0], r[1]), value, file.path);
      if (typeof value === "string" && r && endsTextUnbroken(node, file.text, r[1])) value = value.slice(0, -1);
      if (node.type === "BLOCK_FOLDED" && node.tag === undefined && typeof value === "string" && !limits.yaml11 && r) value = goFolded(value);
      if (typeof value === "number" && !Number.isFinite(value) && r) {
        // `.inf`/`.nan` are go-yaml floats JSON cannot hold; a number too large for a float (`1e400`) is a string there.
        const raw = file.text.slice(r[0], r[1]);
        if (GO_NOT_FINITE.test(raw)) throw new BuildFailure(`${file.path}:${toOrigin(at!).line}: a value that is not a finite number (.inf, .nan) fails kustomize's conversion to JSON`);
        value = raw;
      }
      if (alike && !Object.is(value, v)) alike = false;
      if (value === null && r && r[0] === r[1] && keySrc) return oscalar(null, keySrc);
      return oscalar(value, at);
    }
    if (isMap(node)) {
      refuseUnsupportedTag(node, file);
      let entries = new Map<string, OEntry>();
      let merge: MergeKey | null = null;
      // The map had a key written twice, or holds a map that had (read with `first` or `last`).
      let marked = false;
      for (const pair of node.items) {
        if (!isPair(pair)) {
          alike = false;
          continue;
        }
        const k = pair.key as Node | null;
        if (!isScalar(k)) throw new BuildFailure(`${file.path}: a map key that is not a scalar is not supported`);
        if (isMergeKey(k)) {
          if (merge !== null) throw new BuildFailure(`${file.path}: duplicate merge key`);
          merge = { value: pair.value as Node | null, at: entries.size };
          alike = false;
          continue;
        }
        const kr = k.range;
        const name = keyName(k, file, limits);
        // The library names a key `toJS` of it (null: ""), and defines `__proto__` where `toJS` here assigns it.
        if (alike && (typeof k.value !== "string" || name === "__proto__")) alike = false;
        const kSrc = kr ? src(file, kr[0], kr[1]) : null;
        if (kr && k.type === "PLAIN" && !limits.yaml11) refuseNonStringKey(file, kr[0], kr[1], k.tag);
        const value = pair.value === null ? oscalar(null, kSrc) : convert(pair.value, kSrc, depth + 1);
        const earlier = entries.get(name);
        if (earlier !== undefined) {
          if (duplicates === "refuse") throw duplicateKey(file, name, earlier.key, kSrc);
          alike = false;
          marked = true;
          if (duplicates === "first") continue;
        }
        if (duplicates !== "refuse" && withDuplicateKeys.has(value)) marked = true;
        entries.set(name, { key: kSrc, value });
      }
      if (merge !== null) {
        if (entries.has("<<")) throw new BuildFailure(`${file.path}: a map with both a merge key and a quoted "<<" key is not supported`);
        const sources = mergeSources(merge.value, resolve, node, file.path).map((s) => convert(s, null, depth + 1) as OMap);
        entries = limits.yaml11 ? mergedInOrder(entries, merge.at, sources) : mergedOwnFirst(entries, sources);
      }
      const out = omap(entries, collectionSrc(node, node.items, file, keySrc));
      if (marked) withDuplicateKeys.add(out);
      return out;
    }
    if (isSeq(node)) {
      refuseUnsupportedTag(node, file);
      const out = oseq(
        node.items.map((item) => convert(item, null, depth + 1)),
        collectionSrc(node, node.items, file, keySrc),
      );
      if (duplicates !== "refuse" && out.items.some((item) => withDuplicateKeys.has(item))) withDuplicateKeys.add(out);
      return out;
    }
    if (isAlias(node)) {
      alike = false;
      if (++aliases > limits.maxAliases) throw new BuildFailure(`${file.path}: too many YAML alias expansions`);
      return convert(resolve(node), keySrc, depth + 1);
    }
    if (node !== null && node !== undefined) alike = false;
    return oscalar(null, keySrc);
  };
  const root = convert(doc.contents, null, 0);
  if (alike) plainValues.set(root, plain);
  return root;
}

/** Nodes converted from a document whose plain value was handed over and reads the same: that value. */
const plainValues = new WeakMap<ONode, unknown>();

/**
 * `toJS(n)` already computed, when `n` is a document's root as converted from a parse whose plain value was handed
 * over (nodes are immutable: a transform that changes anything in it builds a new root). Shared: read only.
 */
export function knownPlainValue(n: ONode): unknown {
  return plainValues.get(n);
}

/**
 * A block scalar (`|`, `>`, `|+`) whose last line ends the text with no line break after it (a file without a final
 * newline, an inline patch in a `|-` block): the `yaml` package still gives it a final line break, go-yaml (and so
 * kustomize) none — there is no line break to clip or keep. kubectl kustomize agrees
 * (test/kustomize/kubectl-cases/block-scalar-at-eof).
 */
function endsTextUnbroken(node: YamlScalar, text: string, end: number): boolean {
  if (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED") return false;
  const last = text.charCodeAt(text.length - 1);
  return end >= text.length && last !== 10 && last !== 13 && typeof node.value === "string" && node.value.endsWith("\n");
}

/**
 * A folded block (`>`) as kustomize reads it. kustomize writes each object out with go-yaml v3 and reads it back, and
 * go-yaml's folded-style writer decides whether a line break needs a blank line after it by looking at the first
 * character of the whole value instead of at the next line (`k := 0` in emitterc.go's write_folded_scalar). Read back,
 * for a run of line breaks after a line that does not start with white space:
 * - when the value's first character (after leading breaks) is not white space: the run gains one line break if the
 *   next line starts with white space (a more-indented line) or, in a kept (`>+`) block, if it ends the value;
 * - when it is white space: the run loses one if the next line does not (one line break becomes a space).
 * kubectl kustomize agrees (test/kustomize/kubectl-cases/folded-more-indented); the YAML spec's reading is the input.
 */
function goFolded(value: string): string {
  const lead = value.search(/[^\n]/);
  if (lead < 0) return value;
  // The common case, text lines only: nothing changes (one test, no copies).
  if (value[lead] !== " " && value[lead] !== "\t" && !/\n[ \t]/.test(value) && !value.endsWith("\n\n")) return value;
  const body = value.replace(/^\n+/, "");
  const leading = value.length - body.length;
  const content = body.replace(/\n+$/, "");
  if (content === "") return value;
  const trailing = body.length - content.length;
  const firstIsText = !/^[ \t]/.test(content);
  const spaced = (line: string): boolean => line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9;
  const parts = content.split(/(\n+)/);
  if (parts.length === 1 && trailing < 2) return value;
  let out = "\n".repeat(leading) + parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const before = parts[i - 1]!;
    const after = parts[i + 1]!;
    let breaks = parts[i]!.length;
    if (!spaced(before)) {
      if (firstIsText && spaced(after)) breaks += 1;
      else if (!firstIsText && !spaced(after)) breaks -= 1;
    }
    out += (breaks === 0 ? " " : "\n".repeat(breaks)) + after;
  }
  // Trailing breaks matter only when kept: go-yaml writes `+` for a value ending in two or more.
  const last = parts[parts.length - 1]!;
  return out + "\n".repeat(trailing >= 2 && firstIsText && !spaced(last) ? trailing + 1 : trailing);
}

/**
 * A map key's name. A plain `n:`, `y:`, `on:`, `off:`, `yes:`, `no:` key is a string to go-yaml v3 (and to kustomize);
 * the review's parse, handed over, reads YAML 1.1's booleans (its `n` is false): the key is its own text, as written.
 * In a kustomization (go-yaml v2) a key go-yaml keeps a string is its text (`12:30`, `2024-01-01`), not the number
 * or date YAML 1.1 reads.
 */
function keyName(k: YamlScalar, file: SourceFile, limits: YamlConvertLimits): string {
  const kr = k.range;
  if (!kr || k.type !== "PLAIN" || k.tag !== undefined) return String(k.value);
  if (limits.yaml11) {
    const v2 = goV2PlainValue(k.source ?? file.text.slice(kr[0], kr[1]));
    return typeof v2 === "string" ? v2 : String(k.value);
  }
  return typeof k.value === "boolean" && !GO_BOOLEAN_FIRST.has(file.text.charCodeAt(kr[0])) ? file.text.slice(kr[0], kr[1]) : String(k.value);
}

/** go-yaml's spellings of infinity and not-a-number. */
const GO_NOT_FINITE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** First characters of a plain text go-yaml v3 may read as something other than a string (numbers, `~`, true/false/null). */
const MAYBE_NOT_STRING = /^[-+.0-9~tTfFnN]|^$/;

/** MAYBE_NOT_STRING's first characters, tested on the file's text before the key's text is cut out of it. */
const MAYBE_NOT_STRING_FIRST: ReadonlySet<number> = new Set([..."-+.0123456789~tTfFnN"].map((c) => c.charCodeAt(0)));

/**
 * A plain map key go-yaml v3 reads as a number, boolean, null or timestamp: kustomize cannot turn the object into
 * JSON (`json: unsupported type: map[interface {}]interface {}`) and fails the build; so does the render.
 */
function refuseNonStringKey(file: SourceFile, start: number, end: number, tag: string | undefined): void {
  if (tag !== undefined || (start < end && !MAYBE_NOT_STRING_FIRST.has(file.text.charCodeAt(start)))) return;
  // A key led by a letter (`name`, `namespace`, `template`, `type`) is not a string only when it is one of go-yaml's
  // words for true, false or null (`False`, `NULL`: five letters at most): the common keys are not cut out and resolved.
  if (end - start > 5 && isAsciiLetter(file.text.charCodeAt(start))) return;
  const text = file.text.slice(start, end);
  if (!MAYBE_NOT_STRING.test(text)) return;
  const goTag = resolvePlain(text).tag;
  const kind = goTag !== "str" && goTag !== "merge" ? goTag : TIMESTAMP_LED.test(text) && goTimestamp(text) !== null ? "timestamp" : null;
  if (kind !== null) {
    throw new BuildFailure(`${file.path}:${file.position(start)[0]}: a map key go-yaml reads as ${kind === "int" ? "an" : "a"} ${kind}, not a string, fails kustomize's conversion to JSON`);
  }
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Collection tags go-yaml reads otherwise than the `yaml` package's YAML 1.2 schema (a set is a map of nulls there). */
const UNSUPPORTED_COLLECTION_TAGS: ReadonlySet<string> = new Set(["set", "omap", "pairs"].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * An explicitly tagged scalar as go-yaml v3 reads it: `!!timestamp` is printed as Go prints a time, `!!int`/`!!float`
 * are numbers however the text is spelled; a text go-yaml would not accept under its tag is refused.
 */
function taggedValue(tag: string, raw: string, read: Scalar, path: string): Scalar {
  const refuse = (): never => {
    throw new BuildFailure(`${path}: a scalar tagged ${tag.replace("tag:yaml.org,2002:", "!!")} is not supported by the in-process render`);
  };
  switch (tag) {
    case "tag:yaml.org,2002:timestamp":
      return goTimestamp(raw) ?? refuse();
    case "tag:yaml.org,2002:int":
    case "tag:yaml.org,2002:float": {
      if (typeof read === "number") return read;
      const r = resolvePlain(raw);
      return typeof r.value === "number" && Number.isFinite(r.value) && (r.tag === "int" || tag.endsWith("float")) ? r.value : refuse();
    }
    default:
      return read;
  }
}

/** A `<<` key of a map: its value, and how many of the map's own keys were written before it. */
interface MergeKey {
  value: Node | null;
  at: number;
}

/**
 * A YAML merge key: a plain `<<` (how a YAML 1.2 parse keeps it), the `yaml` library's `<<` symbol (a parse with
 * merge keys on) or an explicit `!!merge` tag. A quoted `"<<"` is an ordinary key, as in go-yaml.
 */
function isMergeKey(k: YamlScalar): boolean {
  return typeof k.value === "symbol" || (k.value === "<<" && k.type === "PLAIN") || k.tag === "tag:yaml.org,2002:merge";
}

/**
 * The maps a merge key's value names, highest precedence first: one map (written inline or through an alias) or a
 * list of them, where the first wins. Anything else fails as it fails kyaml (`map merge requires map or sequence of
 * maps as the value`). A map merged in whose own `<<` kyaml has not resolved yet when it copies it (written inside the
 * map that merges it) is refused rather than guessed.
 */
function mergeSources(value: Node | null, resolve: (a: Alias) => Node | undefined, into: Node, path: string): Node[] {
  const mapOf = (n: unknown, inList: boolean): Node => {
    const target = isAlias(n) ? resolve(n) : n;
    if (inList && isSeq(n)) throw new BuildFailure(`${path}: invalid map merge: received a nested sequence`);
    if (!isMap(target)) {
      throw new BuildFailure(`${path}: ${isAlias(n) ? "invalid map merge: received alias for a non-map value" : "map merge requires map or sequence of maps as the value"}`);
    }
    const before = target.range && into.range ? target.range[1] <= into.range[0] : false;
    if (!before && target.items.some((p) => isScalar(p.key) && isMergeKey(p.key))) {
      throw new BuildFailure(`${path}: a merge key inside a map merged in from the same map is not supported`);
    }
    return target;
  };
  if (isSeq(value)) return value.items.map((item) => mapOf(item, true));
  return [mapOf(value, false)];
}

/**
 * kyaml's merge (resources and strategic-merge patches): the map's own keys win wherever they are written and keep
 * their order; keys only the merged maps have follow, in kyaml's order (the lowest-precedence map's first), each
 * with the value (and origin, in the map it was merged from) of the highest-precedence map that has it.
 */
function mergedOwnFirst(own: Map<string, OEntry>, sources: readonly OMap[]): Map<string, OEntry> {
  const out = new Map(own);
  for (let i = sources.length - 1; i >= 0; i--) {
    for (const [name, entry] of sources[i]!.entries) if (!own.has(name)) out.set(name, entry);
  }
  return out;
}

/**
 * go-yaml v2's merge (a kustomization, read as Kustomize reads it): keys are set in the order they are written, so
 * the merged maps override own keys written before the `<<` and are overridden by those after it.
 */
function mergedInOrder(own: Map<string, OEntry>, at: number, sources: readonly OMap[]): Map<string, OEntry> {
  const written = [...own];
  const out = new Map(written.slice(0, at));
  for (let i = sources.length - 1; i >= 0; i--) for (const [name, entry] of sources[i]!.entries) out.set(name, entry);
  for (const [name, entry] of written.slice(at)) out.set(name, entry);
  return out;
}

/** Collection tags go-yaml reads otherwise than the `yaml` package's YAML 1.2 schema are refused. */
function refuseUnsupportedTag(node: Node, file: SourceFile): void {
  if (node.tag !== undefined && UNSUPPORTED_COLLECTION_TAGS.has(node.tag)) {
    throw new BuildFailure(`${file.path}: the YAML tag ${node.tag.replace("tag:yaml.org,2002:", "!!")} is not supported by the in-process render`);
  }
}

/** A map's or list's span: from its start to the end of its first key (a map), else its first character. */
function collectionSrc(node: Node, items: readonly unknown[], file: SourceFile, keySrc: Src | null): Src | null {
  const r = node.range;
  if (!r) return keySrc;
  const first = items[0];
  const firstKey = isPair(first) ? (first.key as Node | null) : null;
  if (firstKey?.range) return src(file, r[0], firstKey.range[1]);
  return src(file, r[0], r[0] + 1);
}
