/**
 * Strategic merge patch as kustomize v5.5 (kyaml `merge2`, list items from the patch first) does it, on
 * origin-tracked nodes: every value keeps the origin of the file it came from (base or patch).
 *
 * - maps merge by key; a `null` in the patch deletes the field; `$patch: delete|replace|merge` on a map;
 * - lists with a merge key in the built-in schema merge by key (`$patch: delete` on an item, a `{$patch: replace}`
 *   item replaces the list); other lists — and every list of a custom resource — are replaced whole;
 * - primitive lists with a merge strategy (finalizers) are unioned, patch values first.
 * kyaml does not implement `$setElementOrder`/`$retainKeys`/`$deleteFromPrimitiveList`: they are kept as fields.
 */
import { BuildFailure } from "./failure.js";
import { containsDuplicateKeys, isNull, omap, oseq, overwriting, removalsKept, withRemoval, type OEntry, type OMap, type ONode, type OSeq } from "./onode.js";
import { toOrigin, type Src } from "./source.js";
import { fieldOf, type SchemaNode } from "./merge-schema.js";

const DIRECTIVE = "$patch";

interface Walked {
  node: ONode | undefined;
  /** True when kyaml would have mutated the destination node in place (so the list keeps this node). */
  inPlace: boolean;
}

function directiveOf(m: OMap): string | null {
  const d = m.entries.get(DIRECTIVE)?.value;
  if (d === undefined) return null;
  const v = d.t === "s" ? String(d.v) : "";
  if (v !== "delete" && v !== "replace" && v !== "merge") throw new BuildFailure(`strategic merge patch: unknown patch strategy '${v}'`);
  return v;
}

function withoutDirective(m: OMap): OMap {
  if (!m.entries.has(DIRECTIVE)) return m;
  const entries = new Map(m.entries);
  entries.delete(DIRECTIVE);
  return omap(entries, m.src);
}

function kindName(n: ONode): string {
  return n.t === "m" ? "MappingNode" : n.t === "q" ? "SequenceNode" : "ScalarNode";
}

/** Where a patch entry that removes its key says so: its `$patch: delete` line, or its key (`field: null`). */
function removalAt(pe: OEntry): Src | null {
  if (pe.value.t === "m") return pe.value.entries.get(DIRECTIVE)?.key ?? pe.key ?? pe.value.src;
  return pe.key ?? pe.value.src;
}

/** Merges `patch` into `dest`; undefined when the patch deletes the whole object. */
export function strategicMerge(dest: OMap, patch: OMap, schema: SchemaNode | null): ONode | undefined {
  return walk(dest, patch, schema ?? undefined, []).node;
}

function walk(dest: ONode | undefined, patch: ONode | undefined, schema: SchemaNode | undefined, path: string[]): Walked {
  if (patch === undefined) return { node: dest, inPlace: true };
  if (isNull(patch)) return { node: undefined, inPlace: false };
  if (dest === undefined || isNull(dest)) return { node: added(patch, schema, path), inPlace: false };
  if (dest.t !== patch.t) {
    throw new BuildFailure(`strategic merge patch: wrong node kind at ${path.join(".") || "the top"}: expected ${kindName(dest)} but got ${kindName(patch)}`);
  }
  if (patch.t === "s") return { node: patch, inPlace: false };
  if (patch.t === "m") {
    const d = dest as OMap;
    const directive = directiveOf(patch);
    if (directive === "delete") return { node: undefined, inPlace: false };
    if (directive === "replace") return { node: replacedMap(d, patch, schema, path), inPlace: false };
    const entries = new Map<string, OEntry>(d.entries);
    let removed = d.removed;
    for (const [key, pe] of patch.entries) {
      if (key === DIRECTIVE) continue;
      const de = d.entries.get(key);
      const r = walk(de?.value, pe.value, fieldOf(schema, key), [...path, key]);
      if (r.node === undefined) {
        entries.delete(key);
        const at = removalAt(pe);
        if (de !== undefined && at !== null) removed = withRemoval(removed, key, { at, value: de.value });
      }
      // A value merged into the destination keeps the destination's key; a value the patch wrote, the patch's.
      else entries.set(key, { key: (r.inPlace ? de?.key : pe.key) ?? pe.key, value: r.node });
    }
    return { node: omap(entries, d.src, removalsKept({ ...d, removed }, entries)), inPlace: true };
  }
  if (schema?.mergeKeys === undefined) return { node: copied(patch, path), inPlace: false };
  return mergeList(dest as OSeq, patch, schema, path);
}

/**
 * A map a `$patch: replace` patch writes over `dest`: the patch without its directive, remembering the keys of `dest` it
 * leaves out as removed at the `$patch: replace` line, as a `null` or a JSON 6902 `replace` remembers them (held-out
 * round 18: a container's `allowPrivilegeEscalation` it wiped was reported at the base's line, a file the change left alone).
 */
function replacedMap(dest: OMap, patch: OMap, schema: SchemaNode | undefined, path: string[]): ONode | undefined {
  const next = added(withoutDirective(patch), schema, path);
  const at = patch.entries.get(DIRECTIVE)?.key ?? patch.src;
  return next === undefined ? next : overwriting(next, dest, at);
}

/**
 * A patch value the object takes as written. kyaml reads a map of the patch with a key written twice by its first
 * key only while it merges the map into the object's; copied, the map keeps both keys and kustomize fails to read
 * the object back (kubectl kustomize: `mapping key "labels" already defined`).
 */
function copied(patch: ONode, path: readonly string[]): ONode {
  if (!containsDuplicateKeys(patch)) return patch;
  const at = patch.src ? toOrigin(patch.src) : null;
  const where = at ? `${at.file}:${at.line}: ` : "";
  throw new BuildFailure(
    `${where}strategic merge patch: the value at ${path.join(".") || "the top"} has a key written twice and is copied into an object that lacks it, which kustomize then fails to read (mapping key already defined)`,
  );
}

/** What kyaml does with a patch value the destination lacks: walks it against itself (drops nulls and deletes). */
function added(patch: ONode, schema: SchemaNode | undefined, path: string[]): ONode | undefined {
  if (isNull(patch)) return undefined;
  copied(patch, path);
  if (patch.t === "s") return patch;
  if (patch.t === "m") {
    const directive = directiveOf(patch);
    if (directive === "delete") return undefined;
    const entries = new Map<string, OEntry>();
    for (const [key, e] of patch.entries) {
      if (key === DIRECTIVE) continue;
      const v = added(e.value, fieldOf(schema, key), [...path, key]);
      if (v !== undefined) entries.set(key, { key: e.key, value: v });
    }
    return omap(entries, patch.src);
  }
  if (schema?.mergeKeys === undefined) return patch;
  const items = listDirective(patch).items;
  const out: ONode[] = [];
  for (const item of items) {
    const v = added(item, schema.items, path);
    if (v === undefined || (v.t === "m" && v.entries.size === 0)) continue;
    out.push(v);
  }
  return oseq(out, patch.src);
}

/** A `{$patch: X}` item (alone in its map) is a directive for the whole list; it is removed from the list. */
function listDirective(patch: OSeq): { directive: string | null; items: readonly ONode[] } {
  const i = patch.items.findIndex((x) => x.t === "m" && x.entries.has(DIRECTIVE));
  if (i < 0) return { directive: null, items: patch.items };
  const item = patch.items[i] as OMap;
  if (item.entries.size > 1) return { directive: null, items: patch.items };
  const directive = directiveOf(item);
  return { directive, items: patch.items.filter((_, j) => j !== i) };
}

function scalarText(n: ONode | undefined): string | null {
  if (n === undefined) return null;
  if (n.t !== "s") return "";
  return n.v === null ? "" : String(n.v);
}

function tupleOf(elem: ONode, keys: readonly string[]): string[] {
  return keys.map((k) => (elem.t === "m" ? (scalarText(elem.entries.get(k)?.value) ?? "") : ""));
}

/** ElementList: the first map item whose every key field equals the value. */
function findElement(list: readonly ONode[], keys: readonly string[], values: readonly string[]): number {
  return list.findIndex((e) => e.t === "m" && keys.every((k, i) => scalarText(e.entries.get(k)?.value) === values[i]));
}

/** kyaml's ElementSetter on an array: replaces (or, with no element, deletes) the items matching the keys. */
function elementSet(list: readonly ONode[], element: ONode | null, keys: readonly string[], values: readonly string[]): ONode[] {
  const out: ONode[] = [];
  let found = false;
  for (const elem of list) {
    if (isNull(elem) || (elem.t === "m" && elem.entries.size === 0)) continue;
    if (elem.t !== "m") {
      out.push(elem);
      continue;
    }
    let matched = true;
    let last: ONode | undefined = undefined;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) {
        const field = elem.entries.get(keys[j]!)?.value;
        last = field !== undefined && (values[j] === "" || scalarText(field) === values[j]) ? field : undefined;
      }
      if (last === undefined) {
        matched = false;
        break;
      }
    }
    if (!matched) {
      if (values.length > 0) out.push(elem);
      continue;
    }
    found = true;
    if (element !== null) out.push(element);
  }
  if (element !== null && !found) out.push(element);
  return out;
}

function validateKeys(valuesList: readonly string[][], values: readonly string[], keys: readonly string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== "" && valid.add(keys[i]!));
  if (valid.size === 0) return [[...keys], [...values]];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== "" || valid.has(keys[i]!))];
}

function matchValues(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length !== b.length) return null;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]!);
      continue;
    }
    if (a[i] !== "" && b[i] !== "") return null;
    res.push(a[i] !== "" ? a[i]! : b[i]!);
  }
  return common ? res : null;
}

function mergeList(dest: OSeq, patchSeq: OSeq, schema: SchemaNode, path: string[]): Walked {
  const { directive, items: patchItems } = listDirective(patchSeq);
  if (directive === "delete") return { node: undefined, inPlace: false };
  if (directive === "replace") return { node: added(oseq(patchItems, patchSeq.src), schema, path), inPlace: false };
  const keys = schema.mergeKeys!;
  if (keys.length === 0) {
    // A primitive list merged by value (finalizers): the patch's values first, then the rest of the destination.
    const seen = new Set<string>();
    const out: ONode[] = [];
    for (const item of [...patchItems, ...dest.items]) {
      const t = scalarText(item) ?? "";
      if (seen.has(t)) continue;
      seen.add(t);
      out.push(item);
    }
    return { node: oseq(out, dest.src), inPlace: true };
  }

  // elementValues: patch first (kustomize prepends), then destination; distinct key tuples.
  const valuesList: string[][] = [];
  const seen = new Set<string>();
  for (const elem of [...patchItems, ...dest.items]) {
    const t = tupleOf(elem, keys);
    const id = JSON.stringify(t);
    if (seen.has(id)) continue;
    seen.add(id);
    valuesList.push(t);
  }
  if (keys.length > 1) {
    for (let i = 0; i < valuesList.length; i++) {
      for (let j = 0; j < valuesList.length; j++) {
        const m = matchValues(valuesList[i]!, valuesList[j]!);
        if (m) {
          valuesList[i] = m;
          valuesList[j] = m;
        }
      }
    }
  }

  let destList: ONode[] = [...dest.items];
  let items: ONode[] = [];
  let validKeys: string[] = [...keys];
  for (const values of valuesList) {
    let validValues: string[];
    [validKeys, validValues] = validateKeys(valuesList, values, keys);
    const [lk, lv] = validateKeys([validValues], validValues, validKeys);
    const di = findElement(destList, lk, lv);
    const pi = findElement(patchItems, lk, lv);
    const r = walk(di < 0 ? undefined : destList[di], pi < 0 ? undefined : patchItems[pi], schema.items, path);
    const val = r.node;
    if (val === undefined || isNull(val) || (val.t === "m" && val.entries.size === 0)) {
      destList = elementSet(destList, null, validKeys, validValues);
      continue;
    }
    if (r.inPlace && di >= 0) destList[di] = val;
    items = elementSet(items, val, validKeys, validValues);
  }
  if (valuesList.length > 0) {
    // appendListNode(itemsToBeAdded, dest, validKeys): destination items take their place among the patch's.
    for (const elem of destList) {
      const v: string[] = [];
      for (const key of validKeys) {
        const field = elem.t === "m" ? elem.entries.get(key)?.value : undefined;
        if (field === undefined) {
          items.push(elem);
          continue;
        }
        v.push(scalarText(field) ?? "");
      }
      if (validKeys.length > 1) items = elementSet(items, null, validKeys, v);
      items = elementSet(items, elem, validKeys, v);
    }
  }
  return { node: oseq(items, dest.src), inPlace: true };
}
