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
import { effectiveNamespace, gvkSelected, isClusterScoped, nsEquals, type Gvk, type ResId } from "./resid.js";
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

/**
 * Whether `t` could be referred to by `referrer` (kustomize's couldBeReferencedBy): a test, not a filtered copy of
 * the whole list, so each reference costs the few resources that carry its name, not every resource of the build.
 */
function couldBeReferencedBy(referrer: Res): (t: Res) => boolean {
  const rid = curId(referrer);
  if (isClusterScoped(rid)) return () => true;
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
  return (t) => {
    const id = curId(t);
    return isClusterScoped(id) || nsEquals(id, rid) || rbNamespaces.has(id.namespace);
  };
}

/**
 * The build's resources by each name they had before (their previous ids, as selectReferral matches them), in list
 * order, with those ids computed once. Name references change no resource's ids, so the index holds for the pass.
 */
class ReferralIndex {
  private readonly byName = new Map<string, Array<{ res: Res; ids: ResId[] }>>();
  private readonly anyMemo = new Map<string, boolean>();

  constructor(private readonly list: readonly Res[]) {
    for (const res of list) {
      const ids = prevIds(res);
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id.name)) continue;
        seen.add(id.name);
        let at = this.byName.get(id.name);
        if (!at) this.byName.set(id.name, (at = []));
        at.push({ res, ids });
      }
    }
  }

  /**
   * Whether some resource of the build passes both tests (a whole-list question, independent of the name looked
   * up), remembered under `key`.
   */
  anyOf(key: string, a: (r: Res) => boolean, b: (r: Res) => boolean): boolean {
    let v = this.anyMemo.get(key);
    if (v === undefined) this.anyMemo.set(key, (v = this.list.some((r) => a(r) && b(r))));
    return v;
  }

  /** Resources that once had this name, in list order. */
  named(name: string): ReadonlyArray<{ res: Res; ids: ResId[] }> {
    return this.byName.get(name) ?? [];
  }
}

interface Ctx {
  referrer: Res;
  target: NameBackRef;
  path: string;
  /** The resources the referrer may refer to (couldBeReferencedBy). */
  candidate: (t: Res) => boolean;
  /** The referrer's position in the build (what `candidate` depends on), for memos. */
  referrerAt: number;
  index: ReferralIndex;
}

/** `cands` narrows the candidates further (a reference that names a namespace), when given. */
function selectReferral(ctx: Ctx, oldName: string, cands: ((r: Res) => boolean) | null, identical: (rs: Res[]) => boolean): Res | null {
  const targetGvk: Partial<Gvk> = { group: ctx.target.group, version: ctx.target.version, kind: ctx.target.kind };
  const named = ctx.index.named(oldName).filter(({ res, ids }) => ctx.candidate(res) && (cands === null || cands(res)) && ids.some((id) => gvkSelected(id, targetGvk)));
  let c = named.map((n) => n.res);
  if (ctx.path.endsWith("roleRef/name")) {
    const roleRef = get(ctx.referrer.node, "roleRef");
    const group = str(roleRef, "apiGroup");
    const kind = str(roleRef, "kind");
    if (roleRef !== undefined && group !== undefined && kind !== undefined) c = named.filter(({ ids }) => ids.some((id) => gvkSelected(id, { group, kind }))).map((n) => n.res);
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
  const referral = selectReferral(ctx, old, null, allNamesSame);
  if (referral === null || curId(referral).name === old) return node;
  return nameNode(referral);
}

function setMapping(ctx: Ctx, node: OMap): OMap {
  const nameEntry = node.entries.get("name");
  if (nameEntry === undefined) throw new BuildFailure(`name reference ${ctx.path}: no 'name' field`);
  let cands: ((r: Res) => boolean) | null = null;
  const nsNode = node.entries.get("namespace")?.value;
  if (nsNode !== undefined) {
    // Candidates in that namespace by their original id; when none is, by their current id.
    const ns = isOScalar(nsNode) && nsNode.v !== null ? String(nsNode.v) : "";
    const byOrg = (r: Res) => !isClusterScoped(orgId(r)) && effectiveNamespace(orgId(r)) === ns;
    const byCur = (r: Res) => !isClusterScoped(curId(r)) && effectiveNamespace(curId(r)) === ns;
    cands = ctx.index.anyOf(`${ctx.referrerAt}\0${ns}`, ctx.candidate, byOrg) ? byOrg : byCur;
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

/**
 * The (target, field spec) pairs of a name-reference table that select a kind, in table order; the same for every
 * object of that kind. Memoised per table (the built-in one, or a build's own from `configurations:`).
 */
const specsByTable = new WeakMap<readonly NameBackRef[], Map<string, ReferrerSpec[]>>();

function referrerSpecsOf(table: readonly NameBackRef[], g: Gvk): ReferrerSpec[] {
  let specsByGvk = specsByTable.get(table);
  if (!specsByGvk) specsByTable.set(table, (specsByGvk = new Map()));
  const key = `${g.group}\0${g.version}\0${g.kind}`;
  let specs = specsByGvk.get(key);
  if (!specs) {
    specs = [];
    for (const target of table) for (const fs of target.referrers) if (fsSelects(fs, g)) specs.push([target, fs]);
    specsByGvk.set(key, specs);
  }
  return specs;
}

export function fixNameReferences(input: readonly Res[], table: readonly NameBackRef[] = NAME_REFERENCES): Res[] {
  const list = [...input];
  const index = new ReferralIndex(input);
  for (let i = 0; i < list.length; i++) {
    let referrer = list[i]!;
    const org = orgId(referrer);
    let candidate: ((t: Res) => boolean) | null = null;
    for (const [target, fs] of referrerSpecsOf(table, org)) {
      candidate ??= couldBeReferencedBy(referrer);
      const ctx: Ctx = { referrer, target, path: fs.path, candidate, referrerAt: i, index };
      const node = applyFieldSpec(referrer.node, { ...fs, create: false }, (n) => setAny(ctx, n), null, null) as OMap;
      if (node !== referrer.node) referrer = withNode(referrer, node);
    }
    list[i] = referrer;
  }
  return list;
}
