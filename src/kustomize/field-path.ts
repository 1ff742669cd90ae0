/**
 * kyaml's `RNode.GetFieldValue` lookup, which a `vars:` entry's `fieldref.fieldPath` goes through: a dotted path
 * (`spec.ports[0].port`, `spec.template.spec.containers.[name=web].image`, `metadata.annotations.[a.b/c]`, `a\.b`)
 * split like `utils.SmarterPathSplitter`, `x[0]` turned into `x`, `0`, then walked like kyaml's `PathGetter`: a
 * number indexes a list, `-` is the last item, `[k=v]` picks the first map item whose `k` is `v` (`[=v]` the first
 * scalar `v`), anything else is a map key. `null` when the path is missing, an error where kyaml errs.
 */
import { BuildFailure } from "./failure.js";
import { isNull, type ONode, type OScalar } from "./onode.js";

/** `utils.PathSplitter`: splits on `sep`, keeping `\`-escaped separators; a leading separator is dropped. */
function pathSplitter(path: string, sep: string): string[] {
  const ps = path.split(sep);
  if (ps.length > 1 && ps[0] === "") ps.shift();
  const out = [ps[0]!];
  for (let i = 1; i < ps.length; i++) {
    const last = out.length - 1;
    if (out[last]!.endsWith("\\")) out[last] = `${out[last]!.slice(0, -1)}${sep}${ps[i]!}`;
    else out.push(ps[i]!);
  }
  return out;
}

/** Go's strings.Trim(s, "[]"). */
const trimBrackets = (s: string) => s.replace(/^[[\]]+|[[\]]+$/g, "");

/** `utils.SmarterPathSplitter`: bracketed parts survive; `[k=v]` keeps its brackets, `[a.b]` becomes the key `a.b`. */
export function smarterPathSplitter(path: string, sep: string): string[] {
  const split = pathSplitter(path, sep);
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const elem = split[i]!;
    if (!(elem.startsWith("[") && !elem.endsWith("]"))) {
      out.push(elem);
      continue;
    }
    const bracketed = [elem];
    while (i < split.length - 1) {
      i++;
      bracketed.push(split[i]!);
      if (split[i]!.endsWith("]")) break;
    }
    const joined = bracketed.join(sep);
    out.push(joined.includes("=") ? joined : trimBrackets(joined));
  }
  return out;
}

/** kyaml's convertSliceIndex: `ports[0]` → `ports`, `0`. */
function convertSliceIndex(fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of fields) {
    const m = s.endsWith("]") ? /^(.*)\[(\d+)\]$/s.exec(s) : null;
    if (m === null) {
      out.push(s);
      continue;
    }
    if (m[1] !== "") out.push(m[1]!);
    out.push(m[2]!);
  }
  return out;
}

/** Go's strconv.Atoi, or null. */
function atoi(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The text go-yaml keeps as a scalar's `Value`: the string itself, or for a number, boolean or null the plain
 * text it was written as (`0x1F`, `True`, `~`), when the node still points at that text.
 */
export function scalarText(n: OScalar): string {
  if (typeof n.v === "string") return n.v;
  const raw = n.src ? n.src.f.text.slice(n.src.s, n.src.e) : null;
  if (n.v === null) return raw !== null && /^(~|null|Null|NULL)$/.test(raw) ? raw : "";
  if (raw === null) return String(n.v);
  if (typeof n.v === "boolean") return raw.toLowerCase() === String(n.v) ? raw : String(n.v);
  return Object.is(yamlNumber(raw), n.v) ? raw : String(n.v);
}

/** The number a YAML 1.2 core-schema plain scalar stands for, or undefined. */
function yamlNumber(raw: string): number | undefined {
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(raw)) return Number(raw);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(raw)) return raw.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(raw)) return NaN;
  return undefined;
}

/**
 * The node at `fieldPath` (kyaml's GetFieldValue walk), null when a part of it is missing. Throws a BuildFailure
 * where kyaml errs (a key looked up in a list, an index in a map, `[x]` without `=`, `-` on an empty list).
 */
export function lookupFieldPath(root: ONode, fieldPath: string): ONode | null {
  const parts = convertSliceIndex(smarterPathSplitter(fieldPath, "."))
    .map((p) => p.trim())
    .filter((p) => p !== "");
  let node: ONode = root;
  for (const part of parts) {
    const next = step(node, part);
    if (next === null) return null;
    node = next;
  }
  return node;
}

function step(node: ONode, part: string): ONode | null {
  const idx = atoi(part);
  if (idx !== null || part === "-") {
    if (idx !== null && idx < 0) throw new BuildFailure(`array index ${idx} cannot be negative`);
    if (isNull(node)) return null;
    if (node.t !== "q") throw new BuildFailure(`"${part}" indexes a list, but the value there is not one`);
    if (idx === null) {
      if (node.items.length === 0) throw new BuildFailure(`"-" (the last item) of an empty list`);
      return node.items[node.items.length - 1]!;
    }
    return node.items[idx] ?? null;
  }
  if (part.startsWith("[") && part.endsWith("]")) {
    const inner = part.slice(1, -1);
    const eq = inner.indexOf("=");
    if (eq < 0) throw new BuildFailure(`list path element ${part} must contain fieldName=fieldValue`);
    const key = inner.slice(0, eq);
    const value = inner.slice(eq + 1);
    if (isNull(node)) return null;
    if (node.t !== "q") throw new BuildFailure(`${part} selects a list item, but the value there is not a list`);
    if (key === "") return node.items.find((x) => (x.t === "s" ? scalarText(x) : "") === value) ?? null;
    for (const item of node.items) {
      if (item.t !== "m") continue;
      const field = item.entries.get(key)?.value;
      if (field !== undefined && (field.t === "s" ? scalarText(field) : "") === value) return item;
    }
    return null;
  }
  if (isNull(node)) return null;
  if (node.t !== "m") throw new BuildFailure(`"${part}" is a map key, but the value there is not a map`);
  return node.entries.get(part)?.value ?? null;
}
