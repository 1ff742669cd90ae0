/**
 * Field paths of replacements, walked the way kustomize (kyaml) walks them. A path is split on dots, `\.` escapes a
 * dot and `[a.b]` keeps a dotted map key whole (kyaml's SmarterPathSplitter). A segment is a map key, a list index
 * (`0`), a list item whose field matches (`[name=web]`, `[=value]` for a list of scalars) or, in targets, every item
 * of a list (`*`).
 *
 * The source is read with kyaml's PathGetter: `[name=web]` compares texts exactly, `-` is the last item, `*` is an
 * error. Targets are found with kyaml's PathMatcher: `[name=we]` is an unanchored (RE2) regular expression on the
 * item's field as YAML prints it, and with `create` missing fields, items and list entries are added.
 */
import { backtrackingRisk, boundedMatcher, type BoundedMatcher } from "../core/regex-safety.js";
import { BuildFailure } from "./failure.js";
import { decodeAs, resolvePlain, scalarText } from "./go-yaml-scalar.js";
import { isNull, omap, oscalar, oseq, withEntry, type OEntry, type ONode } from "./onode.js";
import type { Src } from "./source.js";

/** kyaml's PathSplitter: split on the delimiter, `\` before it escapes it; a leading empty part goes. */
function pathSplitter(path: string, delimiter: string): string[] {
  let ps = path.split(delimiter);
  if (ps.length > 1 && ps[0] === "") ps = ps.slice(1);
  const res = [ps[0]!];
  for (const p of ps.slice(1)) {
    const last = res.length - 1;
    if (res[last]!.endsWith("\\")) res[last] = `${res[last]!.slice(0, -1)}${delimiter}${p}`;
    else res.push(p);
  }
  return res;
}

/**
 * kyaml's SmarterPathSplitter (`utils.SmarterPathSplitter`): a bracketed part stays whole; brackets without `=` are a
 * map key (`[a.b]` → `a.b`) and go. Vars' field paths are split the same way (field-path.ts).
 */
export function smarterPathSplitter(path: string): string[] {
  const split = pathSplitter(path, ".");
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const elem = split[i]!;
    if (!elem.startsWith("[") || elem.endsWith("]")) {
      out.push(elem);
      continue;
    }
    const bracketed = [elem];
    while (i < split.length - 1) {
      i++;
      bracketed.push(split[i]!);
      if (split[i]!.endsWith("]")) break;
    }
    const joined = bracketed.join(".");
    out.push(joined.includes("=") ? joined : joined.replace(/^[[\]]+|[[\]]+$/g, ""));
  }
  return out;
}

const KIND_NAMES = { s: "ScalarNode", m: "MappingNode", q: "SequenceNode" } as const;

function wrongKind(expected: keyof typeof KIND_NAMES, n: ONode): BuildFailure {
  return new BuildFailure(`wrong node kind: expected ${KIND_NAMES[expected]} but got ${KIND_NAMES[n.t]}`);
}

/** The items of a list (none for null); anything else is kyaml's wrong-kind error. */
function elements(n: ONode): readonly ONode[] {
  if (isNull(n)) return [];
  if (n.t !== "q") throw wrongKind("q", n);
  return n.items;
}

function isListIndex(seg: string): boolean {
  return seg.startsWith("[") && seg.endsWith("]");
}

/** `[name=value]` → ["name", "value"] (kyaml's SplitIndexNameValue). */
function splitIndex(seg: string): [string, string] {
  const inner = seg.slice(1, -1);
  const eq = inner.indexOf("=");
  if (eq < 0) throw new BuildFailure("list path element must contain fieldName=fieldValue for element to match");
  return [inner.slice(0, eq), inner.slice(eq + 1)];
}

/** Go's strconv.Atoi, for the segments kyaml reads as list indexes; null when it is not one. */
function atoi(seg: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(seg)) return null;
  const n = Number(seg);
  return Number.isSafeInteger(n) ? n : null;
}

/** go-yaml's Value of a node: a scalar's text, "" for a map or list. */
function valueText(n: ONode): string {
  return n.t === "s" ? scalarText(n) : "";
}

/** The value at a source field path (kyaml's PathGetter without create); undefined when a part is missing. */
export function lookupSource(root: ONode, fieldPath: string): ONode | undefined {
  const segs = smarterPathSplitter(fieldPath)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return walkPath(root, segs);
}

/**
 * kyaml's PathGetter over split path segments: a number indexes a list, `-` is its last item, `[k=v]` the first map
 * item whose `k` reads `v` (`[=v]` the first scalar `v`), anything else a map key; undefined when a part is missing,
 * a BuildFailure where kyaml errs (`*`, a key in a list, an index in a map).
 */
export function walkPath(root: ONode, segs: readonly string[]): ONode | undefined {
  let node: ONode = root;
  for (const seg of segs) {
    const idx = atoi(seg);
    let next: ONode | undefined;
    if (idx !== null) {
      if (idx < 0) throw new BuildFailure(`array index ${idx} cannot be negative`);
      next = elements(node)[idx];
    } else if (seg === "-") {
      const items = elements(node);
      if (items.length === 0) throw new BuildFailure(`the last item ("-") of an empty list is not supported by the in-process render`);
      next = items[items.length - 1];
    } else if (seg === "*") {
      throw new BuildFailure("wildcard is not supported in PathGetter");
    } else if (isListIndex(seg)) {
      const [name, value] = splitIndex(seg);
      const items = elements(node);
      next = name === "" ? items.find((x) => valueText(x) === value) : items.find((x) => x.t === "m" && x.entries.has(name) && valueText(x.entries.get(name)!.value) === value);
    } else {
      if (isNull(node)) return undefined;
      if (node.t !== "m") throw wrongKind("m", node);
      next = node.entries.get(seg)?.value;
    }
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
}

/** An unanchored RE2 pattern of a `[field=pattern]` target segment; one that could stall this engine is refused. */
function itemMatcher(pattern: string): BoundedMatcher {
  const risk = backtrackingRisk(pattern);
  if (risk) throw new BuildFailure(`the list selector pattern ${JSON.stringify(pattern)} ${risk}; it could stall the review, so it is not run`);
  try {
    return boundedMatcher(new RegExp(pattern));
  } catch {
    throw new BuildFailure(`invalid list selector pattern ${JSON.stringify(pattern)}`);
  }
}

/** A scalar as go-yaml prints it (a quoted string keeps its quotes), for `[field=pattern]`. */
function printedText(n: ONode): string {
  if (n.t !== "s") throw new BuildFailure("a list selector over a field that is a map or a list is not supported by the in-process render");
  if (typeof n.v !== "string") return scalarText(n);
  const at = n.src;
  const raw = at && at.e - at.s <= n.v.length + 64 ? at.f.text.slice(at.s, at.e) : "";
  if (/^'[^\n]*'$/.test(raw) && raw.slice(1, -1).replace(/''/g, "'") === n.v) return raw;
  if (/^"[^\n]*"$/.test(raw)) {
    try {
      if (JSON.parse(raw) === n.v) return raw;
    } catch {
      // not JSON-compatible escapes: printed as go-yaml would quote it below
    }
  }
  if (raw === n.v) return raw;
  return resolvePlain(n.v).tag === "str" && n.v !== "" && !/^[\s'"[\]{},&*!|>%@`#-]|: | #|\s$|\n/.test(n.v) ? n.v : JSON.stringify(n.v);
}

export interface TargetWrite {
  /** Kind of the value written (what `create` creates at the end of the path); null when not creating. */
  create: ONode["t"] | null;
  /** Origin of created keys, items and containers: the field path as written. */
  at: Src | null;
  /** Writes the value over a found (or created, untagged) node. */
  write(node: ONode, created: boolean): ONode;
}

/** kyaml's getPathPartKind: what to create for a missing part, from the part after it. */
function partKind(next: string | undefined, last: ONode["t"]): ONode["t"] {
  if (next === undefined) return last;
  if (isListIndex(next) || (atoi(next) ?? -1) >= 0) return "q";
  return "m";
}

function empty(kind: ONode["t"], at: Src | null): ONode {
  return kind === "m" ? omap(new Map(), at) : kind === "q" ? oseq([], at) : oscalar(null, at);
}

/**
 * Writes at every node a target field path reaches (kyaml's PathMatcher, with `create`); returns the new root and
 * how many nodes were written.
 */
export function writeTarget(root: ONode, fieldPath: string, w: TargetWrite): { node: ONode; written: number } {
  const segs = smarterPathSplitter(fieldPath);
  let written = 0;
  const refuseCreateUnder = (what: string): never => {
    throw new BuildFailure(`creating "${fieldPath}" under a ${what} that is null is not supported by the in-process render`);
  };

  const walk = (node: ONode, i: number, created: boolean): ONode => {
    if (i === segs.length) {
      written++;
      return w.write(node, created);
    }
    const seg = segs[i]!;
    const idx = atoi(seg);
    if (idx !== null && idx >= 0) {
      const items = [...elements(node)];
      let fresh = false;
      if (items.length === idx && w.create !== null) {
        if (node.t !== "q") refuseCreateUnder("list");
        items.push(empty(partKind(segs[i + 1], w.create), w.at));
        fresh = true;
      }
      if (items.length < idx + 1) throw new BuildFailure(`index ${idx} specified but only ${items.length} elements found`);
      const child = walk(items[idx]!, i + 1, fresh);
      if (child === items[idx] && !fresh) return node;
      items[idx] = child;
      return oseq(items, node.src ?? w.at);
    }
    if (isListIndex(seg)) return walkItems(node, i, seg);
    if (seg === "*") {
      const items = elements(node);
      const next = items.map((x) => walk(x, i + 1, false));
      return next.some((x, j) => x !== items[j]) ? oseq(next, node.src) : node;
    }
    if (isNull(node)) {
      if (w.create !== null) refuseCreateUnder("field");
      return node;
    }
    if (seg === "") {
      // kyaml looks an empty name up as a scalar's value: an error on a map or list, a crash on a scalar.
      if (node.t !== "s") throw wrongKind("s", node);
      throw new BuildFailure(`an empty part in "${fieldPath}" is not supported by the in-process render`);
    }
    if (node.t !== "m") throw wrongKind("m", node);
    const entry: OEntry | undefined = node.entries.get(seg);
    if (entry === undefined) {
      if (w.create === null) return node;
      const child = walk(empty(partKind(segs[i + 1], w.create), w.at), i + 1, true);
      return withEntry(node, seg, child, w.at);
    }
    const child = walk(entry.value, i + 1, false);
    return child === entry.value ? node : withEntry(node, seg, child, entry.key);
  };

  const walkItems = (node: ONode, i: number, seg: string): ONode => {
    const [name, pattern] = splitIndex(seg);
    const rx = itemMatcher(pattern);
    const items = elements(node);
    let matched = false;
    const visit = (x: ONode): ONode => {
      if (name === "") {
        // kyaml hands back the matching scalar itself, whatever follows in the path.
        if (x.t !== "s") throw new BuildFailure(`"${seg}" over a list of maps or lists is not supported by the in-process render`);
        if (!rx.test(printedText(x))) return x;
        matched = true;
        written++;
        return w.write(x, false);
      }
      const f = x.t === "m" ? x.entries.get(name) : undefined;
      if (f === undefined || !rx.test(printedText(f.value))) return x;
      matched = true;
      return walk(x, i + 1, false);
    };
    let next = items.map(visit);
    if (!matched && w.create !== null) {
      if (node.t !== "q") refuseCreateUnder("list");
      const value = oscalar(decodeAs(pattern, "plain"), w.at);
      if (!rx.test(printedText(value))) throw new BuildFailure(`"${seg}" does not match the item it would create; kustomize would not finish`);
      const item: ONode = name === "" ? value : omap(new Map([[name, { key: w.at, value }]]), w.at);
      const created = name === "" ? (written++, w.write(item, true)) : walk(item, i + 1, false);
      next = [...next, created];
    }
    return next.length !== items.length || next.some((x, j) => x !== items[j]) ? oseq(next, node.src ?? w.at) : node;
  };

  return { node: walk(root, 0, false), written };
}
