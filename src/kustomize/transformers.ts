/**
 * The built-in transformers a kustomization configures, in kustomize's order after patches: namespace,
 * namePrefix, nameSuffix, labels (commonLabels included), commonAnnotations, replicas, images. A value a
 * transformer writes takes the origin of the kustomization line that asked for it.
 */
import { backtrackingRisk, boundedMatcher, type BoundedMatcher } from "../core/regex-safety.js";
import { BuildFailure } from "./failure.js";
import { applyFieldSpec, fsSelects, type FieldSpec } from "./fieldspec.js";
import type { ImageSpec, KV, LabelSpec, ReplicaSpec, StrItem } from "./kustomization.js";
import { get, isOMap, isOScalar, isOSeq, omap, oscalar, oseq, str, withEntry, type ImageParts, type OMap, type ONode } from "./onode.js";
import { addFile, curId, gvkOf, orgId, prevIds, storePrevId, withNode, type Res } from "./res.js";
import { gvkSelected, idKey, isClusterScoped, type Gvk } from "./resid.js";
import type { Src } from "./source.js";
import { DEFAULT_CONFIG, mergeFieldSpecs, type TransformerConfig } from "./transformer-config.js";

function fileOf(at: Src | null): string | undefined {
  return at?.f.path;
}

function setScalar(value: string, at: Src | null) {
  return (old: ONode): ONode => (isOScalar(old) && old.v === value && old.src ? old : oscalar(value, at ?? old.src));
}

function setEntries(kvs: readonly KV[]) {
  return (old: ONode): ONode => {
    if (!isOMap(old)) throw new BuildFailure("a label/annotation field is not a map");
    let m: OMap = old;
    for (const kv of kvs) m = withEntry(m, kv.key, oscalar(kv.value, kv.valueAt), kv.keyAt);
    return m;
  };
}

function applySpecs(r: Res, specs: readonly FieldSpec[], set: (old: ONode) => ONode, kind: "scalar" | "map", at: Src | null): Res {
  const g = gvkOf(r.node);
  let node: ONode = r.node;
  for (const fs of specs) if (fsSelects(fs, g)) node = applyFieldSpec(node, fs, set, kind, at);
  return node === r.node ? r : withNode(r, node as OMap, fileOf(at));
}

/** The field specs arguments default to kustomize's built-in ones; a build with `configurations:` passes its own. */
export function applyNamespace(list: readonly Res[], ns: StrItem, fields: readonly FieldSpec[] = DEFAULT_CONFIG.namespace): Res[] {
  if (ns.value === "") return [...list];
  const out = list.map((res) => {
    if (res.node.entries.size === 0) return res;
    let r = storePrevId(res);
    const g = gvkOf(r.node);
    const set = setScalar(ns.value, ns.at);
    if (!isClusterScoped(g)) r = applySpecs(r, [{ path: "metadata/namespace", create: true }], set, "scalar", ns.at);
    if (g.kind === "RoleBinding" || g.kind === "ClusterRoleBinding") {
      const subjects = get(r.node, "subjects");
      if (isOSeq(subjects)) {
        const items = subjects.items.map((s) => (isOMap(s) && str(s, "name") === "default" ? withEntry(s, "namespace", set(get(s, "namespace") ?? oscalar(null, ns.at)), s.entries.get("namespace")?.key ?? ns.at) : s));
        r = withNode(r, withEntry(r.node, "subjects", oseq(items, subjects.src)), fileOf(ns.at));
      }
    }
    const apiVersion = str(r.node, "apiVersion");
    // metadata/namespace is set above (namespaced objects only); Namespace names only on apiVersion v1.
    const specs = fields.filter((fs) => fs.path !== "metadata/namespace" && (fs.path !== "metadata/name" || apiVersion === "v1"));
    return applySpecs(r, specs, set, "scalar", ns.at);
  });
  refuseIdConflicts(out);
  return out;
}

/** The first object (in list order) whose id another one has too fails the namespace transformation. */
function refuseIdConflicts(list: readonly Res[]): void {
  // Counted by key in one pass: comparing every object with every other one was quadratic in a long build.
  const counts = new Map<string, number>();
  for (const r of list) {
    const key = idKey(curId(r));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const r of list) {
    const id = curId(r);
    if (counts.get(idKey(id)) !== 1) throw new BuildFailure(`namespace transformation produces ID conflict: ${id.kind}/${id.name}`);
  }
}

const AFFIX_SKIP: Partial<Gvk>[] = [{ kind: "CustomResourceDefinition" }, { group: "apiregistration.k8s.io", kind: "APIService" }, { kind: "Namespace" }];

export function applyAffix(list: readonly Res[], affix: StrItem, which: "prefix" | "suffix", fields: readonly FieldSpec[] = DEFAULT_CONFIG.namePrefix): Res[] {
  // Fields other than metadata/name (from `configurations:`) get the affix too, on objects their GVK selects.
  const extra = fields.filter((fs) => fs.path !== "metadata/name");
  return list.map((res) => {
    const org = orgId(res);
    if (AFFIX_SKIP.some((s) => gvkSelected(org, s))) return res;
    let r: Res = which === "prefix" ? { ...res, prefixes: [...res.prefixes, affix.value] } : { ...res, suffixes: [...res.suffixes, affix.value] };
    r = storePrevId(r);
    const set = (old: ONode): ONode => {
      const name = isOScalar(old) && old.v !== null ? String(old.v) : "";
      return oscalar(which === "prefix" ? affix.value + name : name + affix.value, affix.at ?? old.src);
    };
    r = applySpecs(r, [{ path: "metadata/name" }], set, "scalar", affix.at);
    return extra.length ? applySpecs(r, extra.filter((fs) => fsSelects(fs, org)), set, "scalar", affix.at) : r;
  });
}

export function applyLabels(list: readonly Res[], spec: LabelSpec, tc: Pick<TransformerConfig, "commonLabels" | "templateLabels" | "labels"> = DEFAULT_CONFIG): Res[] {
  if (spec.pairs.length === 0) return [...list];
  let specs: FieldSpec[] = spec.fields.map((f) => ({ group: f.group || undefined, version: f.version || undefined, kind: f.kind || undefined, path: f.path, create: f.create }));
  const mergeAll = (more: readonly FieldSpec[]) => {
    for (const m of more) if (!specs.some((s) => s.path === m.path && s.group === m.group && s.version === m.version && s.kind === m.kind)) specs.push(m);
  };
  if (spec.includeSelectors) mergeAll(tc.commonLabels);
  else {
    mergeAll([{ path: "metadata/labels", create: true }]);
    if (spec.includeTemplates) mergeAll(tc.templateLabels);
  }
  // A configuration's `labels` specs join every `labels:` entry (not commonLabels), conflicts refused as kustomize does.
  if (!spec.common && tc.labels.length) specs = [...mergeFieldSpecs(specs, tc.labels, "labels")];
  specs = specs.filter((s) => s.path !== "");
  return list.map((r) => applySpecs(r, specs, setEntries(spec.pairs), "map", spec.at));
}

export function applyAnnotations(list: readonly Res[], kvs: readonly KV[], at: Src | null, fields: readonly FieldSpec[] = DEFAULT_CONFIG.commonAnnotations): Res[] {
  if (kvs.length === 0) return [...list];
  return list.map((r) => applySpecs(r, fields, setEntries(kvs), "map", at));
}

export function applyReplicas(list: readonly Res[], replicas: readonly ReplicaSpec[], fields: readonly FieldSpec[] = DEFAULT_CONFIG.replicas): Res[] {
  let out = [...list];
  for (const rep of replicas) {
    let found = false;
    for (const fs of fields) {
      out = out.map((r) => {
        const ids = [curId(r), ...prevIds(r)];
        if (!ids.some((id) => id.name === rep.name && fsSelects(fs, id))) return r;
        found = true;
        const set = (old: ONode): ONode => (isOScalar(old) && old.v === rep.count ? old : oscalar(rep.count, rep.countAt));
        return applySpecs(r, [fs], set, "scalar", rep.countAt);
      });
    }
    if (!found) throw new BuildFailure(`replicas: resource with name ${rep.name} does not match a Deployment, ReplicationController, ReplicaSet or StatefulSet`);
  }
  return out;
}

/** kustomize's image.Split: name, tag and digest of an image reference. */
export function splitImage(image: string): [string, string, string] {
  let search = image;
  let slash = image.indexOf("/");
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf("@");
  let ic = search.indexOf(":");
  if (ic < 0 && id < 0) return [image, "", ""];
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return [image.slice(0, id), "", image.slice(id + 1)];
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return [image.slice(0, ic), image.slice(ic + 1, id), image.slice(id + 1)];
  }
  ic += slash;
  return [image.slice(0, ic), image.slice(ic + 1), ""];
}

/** kustomize reads `images[].name` as a regular expression (on RE2); one that could stall this engine is refused. */
function imageMatcher(name: string): BoundedMatcher | null {
  const risk = backtrackingRisk(name);
  if (risk) throw new BuildFailure(`images: name ${JSON.stringify(name)} is read as a regex pattern, and it ${risk}; it could stall the review, so it is not run`);
  try {
    return boundedMatcher(new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`));
  } catch {
    return null;
  }
}

function updateImage(spec: ImageSpec, rx: BoundedMatcher | null) {
  return (old: ONode): ONode => {
    if (!isOScalar(old) || typeof old.v !== "string" || rx === null || !rx.test(old.v)) return old;
    let [name, tag, digest] = splitImage(old.v);
    if (spec.newName && spec.newName.value !== "") name = spec.newName.value;
    const newTag = spec.newTag?.value ?? "";
    const newDigest = spec.digest?.value ?? "";
    if (newTag !== "" && newDigest !== "") {
      tag = newTag;
      digest = newDigest;
    } else if (newTag !== "") {
      tag = newTag;
      digest = "";
    } else if (newDigest !== "") {
      tag = "";
      digest = newDigest;
    }
    if (spec.tagSuffix && spec.tagSuffix.value !== "" && tag !== "") tag += spec.tagSuffix.value;
    let value = name;
    if (tag !== "") value += `:${tag}`;
    if (digest !== "") value += `@${digest}`;
    // An entry that sets nothing leaves the value and its origin. One that writes what was already there still
    // decides it: `newTag: latest` over a base's `:latest` is the line a pull request edits, and a finding points there.
    const overrides = (spec.newName?.value ?? "") !== "" || newTag !== "" || newDigest !== "" || (spec.tagSuffix?.value ?? "") !== "";
    if (value === old.v && !overrides) return old;
    // The whole value's origin is the most specific override line; each part's is the line that decided it (the
    // override that wrote or removed it, or where it was before), so a finding about the registry points at
    // `newName` or the base, one about the tag at `newTag` or the base.
    const at =
      (newDigest !== "" ? spec.digest?.at : null) ?? (newTag !== "" ? spec.newTag?.at : null) ?? spec.newName?.at ?? spec.tagSuffix?.at ?? spec.at;
    const was: ImageParts = old.parts ?? { name: old.src, tag: old.src, digest: old.src };
    const suffixed = spec.tagSuffix && spec.tagSuffix.value !== "" && tag !== "";
    const parts: ImageParts = {
      name: spec.newName && spec.newName.value !== "" ? (spec.newName.at ?? was.name) : was.name,
      tag: (newTag !== "" ? spec.newTag?.at : newDigest !== "" ? spec.digest?.at : suffixed ? spec.tagSuffix?.at : was.tag) ?? was.tag,
      digest: (newDigest !== "" ? spec.digest?.at : newTag !== "" ? spec.newTag?.at : was.digest) ?? was.digest,
    };
    return oscalar(value, at ?? old.src, parts);
  };
}

/** Every `image` of a list named containers/initContainers anywhere in the object (kustomize's legacy filter). */
function legacyImages(node: ONode, update: (old: ONode) => ONode): ONode {
  if (isOSeq(node)) {
    let changed = false;
    const items = node.items.map((x) => {
      const v = legacyImages(x, update);
      if (v !== x) changed = true;
      return v;
    });
    return changed ? oseq(items, node.src) : node;
  }
  if (!isOMap(node)) return node;
  let out: OMap = node;
  for (const [key, e] of node.entries) {
    let v = legacyImages(e.value, update);
    if ((key === "containers" || key === "initContainers") && isOSeq(v)) {
      const items = v.items.map((c) => {
        if (!isOMap(c)) return c;
        const img = c.entries.get("image");
        if (!img) return c;
        const nv = update(img.value);
        return nv === img.value ? c : withEntry(c, "image", nv, img.key);
      });
      if (items.some((x, i) => x !== (v as typeof v & { items: ONode[] }).items[i])) v = oseq(items, v.src);
    }
    if (v !== e.value) out = withEntry(out, key, v, e.key);
  }
  return out === node ? node : omap(out.entries, node.src, out.removed);
}

export function applyImages(list: readonly Res[], images: readonly ImageSpec[], fields: readonly FieldSpec[] = DEFAULT_CONFIG.images): Res[] {
  let out = [...list];
  for (const spec of images) {
    const rx = imageMatcher(spec.name);
    const update = updateImage(spec, rx);
    out = out.map((r) => {
      let node = legacyImages(r.node, update) as OMap;
      const g = gvkOf(node);
      for (const fs of fields) if (fsSelects(fs, g)) node = applyFieldSpec(node, { ...fs, create: false }, update, null, spec.at) as OMap;
      if (node === r.node) return r;
      return addFile(withNode(r, node), fileOf(spec.at));
    });
  }
  return out;
}
