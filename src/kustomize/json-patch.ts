/**
 * RFC 6902 JSON patch on origin-tracked nodes, with the semantics of evanphx/json-patch v4 (what kustomize uses):
 * `add` inserts into lists (index or `-`), `remove` needs the target to exist (`replace` of a missing map key
 * adds it), negative indexes count from the end, `test` compares values. Values written by an operation keep the origin of the patch text, so a
 * finding on a value a JSON patch introduced points at the patch. (A generic RFC 6902 library would lose the
 * origins, and the origin-tracked tree is the point; the algorithm is a few dozen lines.)
 */
import { BuildFailure } from "./failure.js";
import { yaml11Boolean } from "../parse/yaml-file.js";
import { goNumber, goTimestamp, TIMESTAMP_LED } from "./go-yaml-scalar.js";
import type { Src } from "./source.js";
import { isOMap, isOScalar, isOSeq, omap, oscalar, oseq, overwriting, sameValue, withEntry, withoutEntry, type OEntry, type ONode, type OSeq } from "./onode.js";

export interface JsonOp {
  op: string;
  path: string;
  from: string | null;
  value: ONode | undefined;
  /** Where the operation is written (its first line), for a removal the object remembers. */
  at: Src | null;
}

/** Reads the operations of a parsed patch document (a list of `{op, path, value?, from?}`). */
export function readOps(doc: ONode, what: string): JsonOp[] {
  if (!isOSeq(doc)) throw new BuildFailure(`${what}: a JSON 6902 patch must be a list of operations`);
  return doc.items.map((item, i) => {
    if (!isOMap(item)) throw new BuildFailure(`${what}: operation ${i} is not a map`);
    const s = (k: string): string | null => {
      const v = item.entries.get(k)?.value;
      return isOScalar(v) && typeof v.v === "string" ? v.v : null;
    };
    const op = s("op");
    const path = s("path");
    if (op === null || path === null) throw new BuildFailure(`${what}: operation ${i} needs "op" and "path"`);
    const value = item.entries.get("value")?.value;
    return { op, path, from: s("from"), value: value === undefined ? undefined : asYaml11(value), at: item.src };
  });
}

/**
 * An operation's value as kustomize reads it: the patch goes through YAML-to-JSON with go-yaml v2, a YAML 1.1
 * reader, so a plain `yes`, `on` or `y` is the boolean true (`privileged: yes` in a JSON patch makes the container
 * privileged), `0644` is the octal 420, `1_000` is 1000 and `0b101` is 5; a date stays a string. Quoted and block
 * scalars stay strings.
 */
function asYaml11(n: ONode): ONode {
  if (isOMap(n)) {
    let changed = false;
    const entries = new Map<string, OEntry>();
    for (const [k, e] of n.entries) {
      const v = asYaml11(e.value);
      changed ||= v !== e.value;
      entries.set(k, v === e.value ? e : { key: e.key, value: v });
    }
    return changed ? omap(entries, n.src) : n;
  }
  if (isOSeq(n)) {
    const items = n.items.map(asYaml11);
    return items.some((x, i) => x !== n.items[i]) ? oseq(items, n.src) : n;
  }
  const at = n.src;
  if (at === null || n.v === null || typeof n.v === "boolean" || at.e - at.s > 64) return n;
  const raw = at.f.text.slice(at.s, at.e);
  if (raw === "" || "\"'|>!&*".includes(raw[0]!) || raw.includes("\n")) return n;
  const bool = yaml11Boolean(raw);
  if (bool !== undefined) return oscalar(bool, at);
  // go-yaml v2 leaves a timestamp a string (the resource reading, go-yaml v3, makes it one).
  if (TIMESTAMP_LED.test(raw) && goTimestamp(raw) !== null) return n.v === raw ? n : oscalar(raw, at);
  const number = goNumber(raw);
  return number !== null && number !== n.v ? oscalar(number, at) : n;
}

function parsePointer(p: string, what: string): string[] {
  if (p === "") return [];
  if (!p.startsWith("/")) throw new BuildFailure(`${what}: JSON pointer "${p}" must start with "/"`);
  return p
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function index(seg: string, len: number, forAdd: boolean, what: string): number {
  if (forAdd && seg === "-") return len;
  if (!/^-?\d+$/.test(seg)) throw new BuildFailure(`${what}: "${seg}" is not a list index`);
  let i = Number(seg);
  // Negative indexes count from the end; for `add` the end is one past the last item (evanphx/json-patch).
  if (i < 0) i += forAdd ? len + 1 : len;
  if (i < 0 || (forAdd ? i > len : i >= len)) throw new BuildFailure(`${what}: list index ${seg} out of range`);
  return i;
}

function getAt(root: ONode, segs: readonly string[], what: string): ONode {
  let cur = root;
  for (const seg of segs) {
    if (isOMap(cur)) {
      const e = cur.entries.get(seg);
      if (!e) throw new BuildFailure(`${what}: path not found (missing "${seg}")`);
      cur = e.value;
    } else if (isOSeq(cur)) {
      cur = cur.items[index(seg, cur.items.length, false, what)]!;
    } else throw new BuildFailure(`${what}: path not found ("${seg}" under a scalar)`);
  }
  return cur;
}

/** Applies `fn` to the parent container of the last segment; rebuilds the path immutably. */
function atParent(root: ONode, segs: readonly string[], what: string, fn: (parent: ONode, last: string) => ONode): ONode {
  if (segs.length === 0) throw new BuildFailure(`${what}: the whole document cannot be targeted`);
  const rec = (node: ONode, depth: number): ONode => {
    if (depth === segs.length - 1) return fn(node, segs[depth]!);
    const seg = segs[depth]!;
    if (isOMap(node)) {
      const e = node.entries.get(seg);
      if (!e) throw new BuildFailure(`${what}: path not found (missing "${seg}")`);
      return withEntry(node, seg, rec(e.value, depth + 1), e.key);
    }
    if (isOSeq(node)) {
      const i = index(seg, node.items.length, false, what);
      const items = node.items.slice();
      items[i] = rec(items[i]!, depth + 1);
      return oseq(items, node.src);
    }
    throw new BuildFailure(`${what}: path not found ("${seg}" under a scalar)`);
  };
  return rec(root, 0);
}

/** Adds `value` at `segs`; a map written over a map remembers the keys it leaves out as removed at `at`. */
function add(root: ONode, segs: readonly string[], value: ONode, what: string, at: Src | null): ONode {
  if (segs.length === 0) return value;
  return atParent(root, segs, what, (parent, last) => {
    if (isOMap(parent)) {
      const old = parent.entries.get(last);
      return withEntry(parent, last, overwriting(value, old?.value, at), old?.key ?? value.src);
    }
    if (isOSeq(parent)) {
      const items = parent.items.slice();
      items.splice(index(last, items.length, true, what), 0, value);
      return oseq(items, parent.src);
    }
    throw new BuildFailure(`${what}: cannot add under a scalar`);
  });
}

/** Removes the value at `segs`; a removed map key is remembered with `at`, where the operation is written. */
function remove(root: ONode, segs: readonly string[], what: string, at: Src | null): ONode {
  return atParent(root, segs, what, (parent, last) => {
    if (isOMap(parent)) {
      if (!parent.entries.has(last)) throw new BuildFailure(`${what}: cannot remove "${last}": not found`);
      return withoutEntry(parent, last, at);
    }
    if (isOSeq(parent)) {
      const items = (parent as OSeq).items.slice();
      items.splice(index(last, items.length, false, what), 1);
      return oseq(items, parent.src);
    }
    throw new BuildFailure(`${what}: cannot remove under a scalar`);
  });
}

/** Replaces the value at `segs`; a map written over a map remembers the keys it leaves out as removed at `at`. */
function replace(root: ONode, segs: readonly string[], value: ONode, what: string, at: Src | null): ONode {
  if (segs.length === 0) return value;
  return atParent(root, segs, what, (parent, last) => {
    if (isOMap(parent)) {
      // kustomize's json-patch replaces a missing map key as if added.
      const old = parent.entries.get(last);
      return withEntry(parent, last, overwriting(value, old?.value, at), old?.key ?? value.src);
    }
    if (isOSeq(parent)) {
      const items = parent.items.slice();
      const i = index(last, items.length, false, what);
      items[i] = overwriting(value, items[i], at);
      return oseq(items, parent.src);
    }
    throw new BuildFailure(`${what}: cannot replace under a scalar`);
  });
}

export function applyJsonPatch(doc: ONode, ops: readonly JsonOp[], what: string): ONode {
  let cur = doc;
  for (const op of ops) {
    const w = `${what}: ${op.op} ${op.path}`;
    const segs = parsePointer(op.path, w);
    const need = (): ONode => {
      if (op.value === undefined) throw new BuildFailure(`${w}: missing "value"`);
      return op.value;
    };
    switch (op.op) {
      case "add":
        cur = add(cur, segs, need(), w, op.at);
        break;
      case "remove":
        cur = remove(cur, segs, w, op.at);
        break;
      case "replace":
        cur = replace(cur, segs, need(), w, op.at);
        break;
      case "move":
      case "copy": {
        if (op.from === null) throw new BuildFailure(`${w}: missing "from"`);
        const from = parsePointer(op.from, w);
        const v = getAt(cur, from, w);
        if (op.op === "move") cur = remove(cur, from, w, op.at);
        cur = add(cur, segs, v, w, op.at);
        break;
      }
      case "test":
        if (!sameValue(getAt(cur, segs, w), need())) throw new BuildFailure(`${w}: test failed`);
        break;
      default:
        throw new BuildFailure(`${w}: unknown operation`);
    }
  }
  return cur;
}
