/**
 * Field specs: the paths kustomize's built-in transformers write (`spec/template/metadata/labels`, `[]` marks a
 * list), selected by group/version/kind, traversed like api/filters/fieldspec (lists are walked implicitly;
 * missing fields are created only when the spec says `create`).
 */
import { BuildFailure } from "./failure.js";
import { isNull, omap, oseq, withEntry, type OMap, type ONode } from "./onode.js";
import { gvkSelected, type Gvk } from "./resid.js";
import type { Src } from "./source.js";

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

export function pathSegments(path: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === "\\" && path[i + 1] === "/") {
      cur += "/";
      i++;
    } else if (c === "/") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function fsSelects(fs: FieldSpec, g: Gvk): boolean {
  return gvkSelected(g, { group: fs.group, version: fs.version, kind: fs.kind });
}

export type SetFn = (old: ONode) => ONode;

/**
 * Applies `set` at the field spec's path in `root`. `createKind` is the kind of a created leaf (`null`: never
 * create); `at` is the origin given to created keys and containers.
 */
export function applyFieldSpec(root: ONode, fs: FieldSpec, set: SetFn, createKind: "scalar" | "map" | null, at: Src | null): ONode {
  const segs = pathSegments(fs.path);
  const create = Boolean(fs.create) && createKind !== null;
  const rec = (node: ONode, i: number): ONode => {
    if (i === segs.length) return set(node);
    if (isNull(node)) return node;
    if (node.t === "q") {
      let changed = false;
      const items = node.items.map((item) => {
        const v = rec(item, i);
        if (v !== item) changed = true;
        return v;
      });
      return changed ? oseq(items, node.src) : node;
    }
    if (node.t !== "m") throw new BuildFailure(`field spec ${fs.path}: expected a map or a list at "${segs.slice(0, i).join("/")}"`);
    let name = segs[i]!;
    const isSeq = name.endsWith("[]");
    if (isSeq) name = name.slice(0, -2);
    if (name === "") throw new BuildFailure(`field spec ${fs.path}: empty field name`);
    const entry = (node as OMap).entries.get(name);
    let field = entry?.value;
    const last = i === segs.length - 1;
    if (field === undefined) {
      if (!create || isSeq) return node;
      field = last && createKind === "scalar" ? { t: "s", v: null, src: at } : omap(new Map(), at);
    } else if (isNull(field) && (isSeq || create)) {
      field = isSeq ? oseq([], field.src) : last && createKind === "scalar" ? field : omap(new Map(), field.src);
    }
    const next = rec(field, i + 1);
    if (entry !== undefined && next === entry.value) return node;
    return withEntry(node as OMap, name, next, entry?.key ?? at);
  };
  return rec(root, 0);
}
