/**
 * Kustomize `vars:` (deprecated since v5 in favour of `replacements`, still common in older repositories), as
 * Kustomize v5.5 does them (api/internal/accumulator, api/filters/refvar, api/types/var.go):
 *
 * - Every kustomization (base, overlay, component) declares vars; at the end of its own build (after its
 *   transformers) each var is matched to the one resource whose current or any previous id has the objref's
 *   group/version/kind and name — and, only when the objref names a namespace, that namespace ("" and "default"
 *   are the same). More than one match is an error; none is not (yet). The set travels up with the resources:
 *   a var name declared twice anywhere in the build is an error.
 * - Once, at the end of the top-level build (after hash suffixes and name references), each var takes the value
 *   of its `fieldref.fieldPath` (default `metadata.name`) in the resource it matched — so a var on a base's
 *   Service is the prefixed, namespaced, final name. A var that matched nothing, or whose field is missing, is an
 *   error. Then `$(NAME)` is replaced in the fields of Kustomize's default varReference list (container
 *   args/command/env values/mountPaths, Ingress hosts, labels, annotations, …; see VAR_REFERENCES) of every
 *   resource — see var-expand.ts for the exact rules. A var that is never used is only worth a note.
 *
 * Origins: a string with text around its `$(NAME)` keeps its own origin (the line a person edits to change the
 * text); a string that is exactly one `$(NAME)` becomes the var's value with its type, and points where that
 * value is written — the Service name line, the namePrefix that changed it, the ConfigMap data line — since a
 * finding about the value (a secret, a host) is fixed there.
 */
import { BuildFailure } from "./failure.js";
import { goJsonFields } from "./go-json.js";
import { applyFieldSpec, fsSelects, type FieldSpec } from "./fieldspec.js";
import { lookupFieldPath } from "./field-path.js";
import { scalarText } from "./go-yaml-scalar.js";
import { isNull, isOMap, isOScalar, oscalar, oseq, withEntry, type OMap, type ONode, type OScalar } from "./onode.js";
import { addFile, curId, gvkOf, prevIds, withNode, type Res } from "./res.js";
import { effectiveNamespace, type ResId } from "./resid.js";
import type { Src } from "./source.js";
import { VAR_REFERENCES } from "./transformer-config.js";
import { expandVars, type VarValue } from "./var-expand.js";

export interface VarSpec {
  readonly name: string;
  readonly objref: { readonly group: string; readonly version: string; readonly kind: string; readonly name: string; readonly namespace: string };
  /** kyaml dotted path; `metadata.name` when not given. */
  readonly fieldPath: string;
  /** The kustomization file that declares it. */
  readonly file: string;
  readonly at: Src | null;
}

const DEFAULT_FIELD_PATH = "metadata.name";

/** Go's encoding/json matches field names case-insensitively (`objRef`, `fieldRef` work), unknown ones are errors. */
function fields(n: ONode, where: string, file: string, allowed: readonly string[]): Map<string, ONode> {
  if (isNull(n)) return new Map();
  if (!isOMap(n)) throw new BuildFailure(`invalid Kustomization ${file}: ${where}: expected a map`);
  return goJsonFields(n, allowed, (key) => {
    throw new BuildFailure(`invalid Kustomization ${file}: unknown field "${where}.${key}"`);
  });
}

function text(n: ONode | undefined, where: string, file: string): string {
  if (n === undefined || isNull(n)) return "";
  if (!isOScalar(n) || typeof n.v !== "string") throw new BuildFailure(`invalid Kustomization ${file}: ${where}: expected a string`);
  return n.v;
}

/** The `vars:` of a kustomization file (api/types/var.go, with Target.GVK() splitting `apiVersion`). */
export function readVars(n: ONode | undefined, file: string): VarSpec[] {
  if (n === undefined || isNull(n)) return [];
  if (n.t !== "q") throw new BuildFailure(`invalid Kustomization ${file}: vars: expected a list`);
  return n.items.map((item, i) => {
    const where = `vars[${i}]`;
    const v = fields(item, where, file, ["name", "objref", "fieldref"]);
    const o = fields(v.get("objref") ?? oscalar(null, null), `${where}.objref`, file, ["apiVersion", "group", "version", "kind", "name", "namespace"]);
    const f = fields(v.get("fieldref") ?? oscalar(null, null), `${where}.fieldref`, file, ["fieldPath"]);
    const s = (m: Map<string, ONode>, key: string, at: string) => text(m.get(key), `${at}.${key}`, file);
    let group = s(o, "group", `${where}.objref`);
    let version = s(o, "version", `${where}.objref`);
    const apiVersion = s(o, "apiVersion", `${where}.objref`).split("/");
    if (apiVersion.length === 2) [group, version] = apiVersion as [string, string];
    else if (apiVersion.length === 1 && apiVersion[0] !== "") version = apiVersion[0]!;
    return {
      name: s(v, "name", where),
      objref: { group, version, kind: s(o, "kind", `${where}.objref`), name: s(o, "name", `${where}.objref`), namespace: s(o, "namespace", `${where}.objref`) },
      fieldPath: s(f, "fieldPath", `${where}.fieldref`) || DEFAULT_FIELD_PATH,
      file,
      at: item.src,
    };
  });
}

function describe(v: VarSpec): string {
  const o = v.objref;
  const api = o.group ? `${o.group}/${o.version}` : o.version;
  return `'${v.name}' (${[api, o.kind].filter(Boolean).join(" ")} ${o.namespace ? `${o.namespace}/` : ""}${o.name}, ${v.fieldPath})`;
}

/** Kustomize's VarSet: vars by name, a name at most once in a build. Built per directory, then frozen and shared. */
export class VarSet {
  private readonly byName = new Map<string, VarSpec>();

  get size(): number {
    return this.byName.size;
  }

  add(v: VarSpec): void {
    const first = this.byName.get(v.name);
    if (first === v) throw new BuildFailure(`${v.file}: var '${v.name}' already encountered: this kustomization is reached twice in the build`);
    if (first) throw new BuildFailure(`${v.file}: var '${v.name}' already encountered (also declared in ${first.file})`);
    this.byName.set(v.name, v);
  }

  addAll(other: VarSet): void {
    for (const v of other.byName.values()) this.add(v);
  }

  /** By name, as VarSet.AsSlice sorts them. */
  sorted(): VarSpec[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** ResId.Equals / GvknEquals against a var's objref (whose own id never counts as cluster-scoped in Kustomize). */
function matchesObjref(v: VarSpec, id: ResId): boolean {
  const o = v.objref;
  if (id.name !== o.name || id.group !== o.group || id.version !== o.version || id.kind !== o.kind) return false;
  return o.namespace === "" || effectiveNamespace(id) === (o.namespace === "default" ? "default" : o.namespace);
}

/**
 * ResAccumulator.MergeVars, at the end of a kustomization's (or component's) build: records on the one matching
 * resource that the var reads from it, then adds the vars to the build's set.
 */
export function mergeVars(list: Res[], incoming: readonly VarSpec[], set: VarSet): Res[] {
  if (incoming.length === 0) return list;
  const out = [...list];
  for (const v of incoming) {
    const hits: number[] = [];
    out.forEach((r, i) => {
      if ([...prevIds(r), curId(r)].some((id) => matchesObjref(v, id))) hits.push(i);
    });
    if (hits.length > 1) throw new BuildFailure(`${v.file}: found ${hits.length} resId matches for var ${describe(v)} (unable to disambiguate)`);
    if (hits.length === 1) {
      const r = out[hits[0]!]!;
      out[hits[0]!] = { ...r, refVars: [...(r.refVars ?? []), v.name] };
    }
  }
  for (const v of incoming) set.add(v);
  return out;
}

interface ResolvedVar {
  value: VarValue;
  /** The source field, for origins. */
  node: ONode;
}

/** GetFieldValue's Go value of a node: string, int (strconv.Atoi of the text), float, bool, or a map/list. */
function goValue(n: ONode, v: VarSpec): VarValue {
  if (n.t !== "s") return { kind: "complex" };
  if (typeof n.v === "string" || n.v === null) return { kind: "string", value: scalarText(n) };
  if (typeof n.v === "boolean") return { kind: "bool", value: n.v };
  const written = scalarText(n);
  const isInt = /^[-+]?(0|[1-9][0-9]*|0[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$/.test(written) || (written === String(n.v) && Number.isInteger(n.v));
  if (!isInt) return { kind: "float", value: n.v };
  const m = /^([-+]?)0*([0-9]+)$/.exec(written);
  if (m === null) throw new BuildFailure(`${v.file}: var ${describe(v)}: the value ${written} is not a decimal integer (strconv.Atoi fails)`);
  const digits = m[2]!;
  return { kind: "int", value: n.v, digits: m[1] === "-" && digits !== "0" ? `-${digits}` : digits };
}

function resolve(list: readonly Res[], v: VarSpec): ResolvedVar {
  const r = list.find((x) => x.refVars?.includes(v.name));
  if (r === undefined) throw new BuildFailure(`${v.file}: var ${describe(v)} cannot be mapped to a field in the set of known resources`);
  let node: ONode | null;
  try {
    node = lookupFieldPath(r.node, v.fieldPath);
  } catch (err) {
    throw new BuildFailure(`${v.file}: field specified in var ${describe(v)} not found in corresponding resource (${err instanceof Error ? err.message : String(err)})`);
  }
  if (node === null) throw new BuildFailure(`${v.file}: field specified in var ${describe(v)} not found in corresponding resource`);
  return { value: goValue(node, v), node };
}

function typed(value: Exclude<VarValue, { kind: "complex" }>, at: Src | null): OScalar {
  return oscalar(value.value, at);
}

/** Substitutes in every string of one field (refvar Filter.set): a scalar, a map's string values, a list of strings. */
function substitute(node: ONode, expand: (s: OScalar) => OScalar, where: () => string): ONode {
  if (isNull(node)) return node;
  if (node.t === "s") return typeof node.v === "string" ? expand(node) : node;
  if (node.t === "m") {
    let out: OMap = node;
    for (const [k, e] of node.entries) {
      if (e.value.t !== "s" || typeof e.value.v !== "string") continue;
      const v = expand(e.value);
      if (v !== e.value) out = withEntry(out, k, v, e.key);
    }
    return out;
  }
  let changed = false;
  const items = node.items.map((item) => {
    if (item.t !== "s" || typeof item.v !== "string") throw new BuildFailure(`${where()}: invalid value type expect a string`);
    const v = expand(item);
    if (v !== item) changed = true;
    return v;
  });
  return changed ? oseq(items, node.src) : node;
}

/**
 * ResAccumulator.ResolveVars, once at the end of the top-level build. `notes` gets one line for vars that were
 * declared but never substituted (Kustomize logs them).
 */
export function resolveVars(list: Res[], set: VarSet, notes: string[], fields: readonly FieldSpec[] = VAR_REFERENCES): Res[] {
  if (set.size === 0) return list;
  const vars = set.sorted();
  const values = new Map<string, ResolvedVar>();
  for (const v of vars) values.set(v.name, resolve(list, v));
  const used = new Set<string>();
  const lookup = (name: string) => values.get(name)?.value;
  const out = list.map((res) => {
    let r = res;
    const files: (string | undefined)[] = [];
    const expand = (s: OScalar): OScalar => {
      const x = expandVars(s.v as string, lookup, used);
      if (!x.whole) return x.text === s.v ? s : oscalar(x.text, s.src);
      const source = values.get(x.name)!.node;
      files.push(source.src?.f.path);
      return typed(x.value, source.src ?? s.src);
    };
    const g = gvkOf(r.node);
    for (const fs of fields) {
      if (!fsSelects(fs, g)) continue;
      const where = () => `considering field '${fs.path}' of ${g.kind} ${curId(r).name}`;
      const node = applyFieldSpec(r.node, fs, (n) => substitute(n, expand, where), null, null) as OMap;
      if (node !== r.node) r = withNode(r, node);
    }
    for (const f of files) r = addFile(r, f);
    return r;
  });
  const unused = vars.filter((v) => !used.has(v.name));
  if (unused.length) {
    notes.push(`vars never substituted (no $(NAME) of theirs in a field Kustomize replaces vars in): ${unused.map((v) => `${v.name} (${v.file})`).join(", ")}`);
  }
  return out;
}
