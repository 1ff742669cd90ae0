/**
 * Name references (kustomize's nameReference transformer, run once at the end of a build): after prefixes,
 * suffixes, namespaces and hash suffixes changed names, every field that names a ConfigMap, Secret,
 * ServiceAccount, Service, Role, … is pointed at the object's new name. The updated value takes the origin of
 * the referred object's name (the namePrefix line, or the generator that made it).
 */
import { BuildFailure } from "./failure.js";
import { applyFieldSpec, fsSelects } from "./fieldspec.js";
import { get, isOMap, isOScalar, isOSeq, oscalar, oseq, str, withEntry, type OMap, type ONode } from "./onode.js";
import { curId, orgId, prevIds, withNode, type Res } from "./res.js";
import { effectiveNamespace, gvkSelected, isClusterScoped, nsEquals, type Gvk } from "./resid.js";
import { NAME_REFERENCES, type NameBackRef } from "./transformer-config.js";

function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  let short = a;
  let long = b;
  if (short.length > long.length) [short, long] = [long, short];
  const diff = long.length - short.length;
  if (short.length === 0) return diff === 0;
  for (let i = short.length - 1; i >= 0; i--) if (long[i + diff] !== short[i]) return false;
  return true;
}

function couldBeReferencedBy(list: readonly Res[], referrer: Res): Res[] {
  const rid = curId(referrer);
  if (isClusterScoped(rid)) return [...list];
  const rbNamespaces = new Set<string>();
  if (rid.kind === "RoleBinding") {
    const subjects = get(referrer.node, "subjects");
    if (isOSeq(subjects)) {
      for (const s of subjects.items) {
        const ns = str(s, "namespace");
        if (ns !== undefined && str(s, "kind") === "ServiceAccount") rbNamespaces.add(ns);
      }
    }
  }
  return list.filter((t) => {
    const id = curId(t);
    return isClusterScoped(id) || nsEquals(id, rid) || rbNamespaces.has(id.namespace);
  });
}

interface Ctx {
  referrer: Res;
  target: NameBackRef;
  path: string;
  candidates: Res[];
}

function selectReferral(ctx: Ctx, oldName: string, cands: readonly Res[], identical: (rs: Res[]) => boolean): Res | null {
  const targetGvk: Partial<Gvk> = { group: ctx.target.group, version: ctx.target.version, kind: ctx.target.kind };
  let c = cands.filter((r) => prevIds(r).some((id) => id.name === oldName));
  c = c.filter((r) => prevIds(r).some((id) => gvkSelected(id, targetGvk)));
  if (ctx.path.endsWith("roleRef/name")) {
    const roleRef = get(ctx.referrer.node, "roleRef");
    const group = str(roleRef, "apiGroup");
    const kind = str(roleRef, "kind");
    if (roleRef !== undefined && group !== undefined && kind !== undefined) c = c.filter((r) => prevIds(r).some((id) => gvkSelected(id, { group, kind })));
  }
  const rid = curId(ctx.referrer);
  if (!isClusterScoped(rid)) {
    c = c.filter((r) => {
      const id = curId(r);
      return isClusterScoped(id) || id.kind === "ServiceAccount" || nsEquals(rid, id);
    });
  }
  if (c.length === 1) return c[0]!;
  c = c.filter((r) => sameEnding(r.prefixes, ctx.referrer.prefixes) && sameEnding(r.suffixes, ctx.referrer.suffixes));
  if (c.length === 1) return c[0]!;
  if (c.length === 0) return null;
  if (identical(c)) return c[0]!;
  throw new BuildFailure(`found multiple possible referrals for ${ctx.target.kind} "${oldName}" in ${rid.kind}/${rid.name}`);
}

const allNamesSame = (rs: Res[]) => rs.every((r) => curId(r).name === curId(rs[0]!).name);
const allNamesAndNamespacesSame = (rs: Res[]) => rs.every((r) => curId(r).name === curId(rs[0]!).name && curId(r).namespace === curId(rs[0]!).namespace);

function nameNode(r: Res): ONode {
  const n = get(get(r.node, "metadata"), "name");
  return n ?? oscalar(curId(r).name, r.definedAt);
}

function setScalar(ctx: Ctx, node: ONode): ONode {
  if (!isOScalar(node) || node.v === null) return node;
  const old = String(node.v);
  const referral = selectReferral(ctx, old, ctx.candidates, allNamesSame);
  if (referral === null || curId(referral).name === old) return node;
  return nameNode(referral);
}

function setMapping(ctx: Ctx, node: OMap): OMap {
  const nameEntry = node.entries.get("name");
  if (nameEntry === undefined) throw new BuildFailure(`name reference ${ctx.path}: no 'name' field`);
  let cands = ctx.candidates;
  const nsNode = node.entries.get("namespace")?.value;
  if (nsNode !== undefined) {
    const ns = isOScalar(nsNode) && nsNode.v !== null ? String(nsNode.v) : "";
    const byOrg = cands.filter((r) => !isClusterScoped(orgId(r)) && effectiveNamespace(orgId(r)) === ns);
    cands = byOrg.length ? byOrg : cands.filter((r) => !isClusterScoped(curId(r)) && effectiveNamespace(curId(r)) === ns);
  }
  const old = isOScalar(nameEntry.value) && nameEntry.value.v !== null ? String(nameEntry.value.v) : "";
  const referral = selectReferral(ctx, old, cands, allNamesAndNamespacesSame);
  if (referral === null) return node;
  const id = curId(referral);
  if (id.name === old && id.namespace === "") return node;
  let out = withEntry(node, "name", nameNode(referral), nameEntry.key);
  if (id.namespace !== "") {
    const nsValue = get(get(referral.node, "metadata"), "namespace") ?? oscalar(id.namespace, referral.definedAt);
    out = withEntry(out, "namespace", nsValue, node.entries.get("namespace")?.key ?? nsValue.src);
  }
  return out;
}

function setAny(ctx: Ctx, node: ONode): ONode {
  if (isOMap(node)) return setMapping(ctx, node);
  if (isOSeq(node)) {
    let changed = false;
    const items = node.items.map((x) => {
      const v = isOMap(x) ? setMapping(ctx, x) : setScalar(ctx, x);
      if (v !== x) changed = true;
      return v;
    });
    return changed ? oseq(items, node.src) : node;
  }
  return setScalar(ctx, node);
}

type ReferrerSpec = readonly [NameBackRef, NameBackRef["referrers"][number]];

/** The (target, field spec) pairs of NAME_REFERENCES that select a kind, in table order; the same for every object of that kind. */
const specsByGvk = new Map<string, ReferrerSpec[]>();

function referrerSpecsOf(g: Gvk): ReferrerSpec[] {
  const key = `${g.group}\0${g.version}\0${g.kind}`;
  let specs = specsByGvk.get(key);
  if (!specs) {
    specs = [];
    for (const target of NAME_REFERENCES) for (const fs of target.referrers) if (fsSelects(fs, g)) specs.push([target, fs]);
    specsByGvk.set(key, specs);
  }
  return specs;
}

export function fixNameReferences(input: readonly Res[]): Res[] {
  const list = [...input];
  for (let i = 0; i < list.length; i++) {
    let referrer = list[i]!;
    const org = orgId(referrer);
    let candidates: Res[] | null = null;
    for (const [target, fs] of referrerSpecsOf(org)) {
      candidates ??= couldBeReferencedBy(list, referrer);
      const ctx: Ctx = { referrer, target, path: fs.path, candidates };
      const node = applyFieldSpec(referrer.node, { ...fs, create: false }, (n) => setAny(ctx, n), null, null) as OMap;
      if (node !== referrer.node) referrer = withNode(referrer, node);
    }
    list[i] = referrer;
  }
  return list;
}
