/**
 * The review's second matching pass: a finding whose object a pull request only moved (to another file of the same
 * directory, or between a file and the Kustomize root of that directory), renamed (its name or namespace, at the
 * same place) or turned into another workload kind (a Deployment into a StatefulSet, at the same place) keeps its
 * status. Fingerprints name the place and the resource, so such a refactor would otherwise report every finding of the
 * object as `new` (blocking the merge on risks that were already there) and again as `fixed`. Pure.
 *
 * Each side records the objects it judged, as `judgedObject(place, resourceKey)` (the place and resource of its
 * findings' fingerprints: see `fingerprintParts`). An object *vanished* when it is on the base side's list and not on
 * the head's, and *appeared* the other way round. The pairs of objects:
 * - moved: one object of a resource key vanished from a directory and one of that key appeared in the same
 *   directory, at another place (exactly one each: otherwise which is which is a guess). Never across directories:
 *   an object that leaves `envs/dev/` for `envs/prod/` is a new risk in prod.
 * - kind changed: at one place, a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo Rollout) of one kind
 *   vanished and one of another kind appeared with the same namespace and name (exactly one each). These kinds all
 *   place the pod template at `spec.template`, so the pods' findings keep their identity paths. Not a CronJob and a
 *   Job, whose pod templates are at different depths.
 * - renamed: at one place, of the objects of a kind left unpaired, the ones whose name is the same and unique there
 *   (only the namespace changed); for a root's objects, the ones written as the same object in the same file (a
 *   `namePrefix` or `namespace` the root adds or changes), then the one of that kind written in a file (its
 *   `metadata.name` edited there); then — when exactly one of that kind vanished and exactly one appeared — those two.
 * Only objects with a kind and a name pair (a document without a name is known by its index only).
 *
 * A head finding that would be `new` pairs with a base finding that would be `fixed` when their objects are a pair
 * and their rules, severities and identity paths are the same; then, among those left of the two objects, by rule,
 * severity and JSON path as written (a container renamed along with its Deployment). Each base finding pairs once.
 * An object that is still at its place on the other side pairs with nothing (fixed in one file and added to another
 * stays `fixed` plus `new`), and a finding without a twin on the other object stays `new`.
 *
 * A third pass (`pairRenamedContainers`) does the same for a container renamed in an object that stays.
 */
import { directoryOf } from "../kustomize/index.js";
import { fingerprintParts, renderPlace, type Fingerprintable } from "./fingerprint.js";

const SEP = "\u0000";
const RENDER_PLACE = renderPlace("");

/**
 * Workload kinds whose pod template is at `spec.template`, so one's findings keep their identity paths in another:
 * a pull request that turns a Deployment into a StatefulSet or an Argo Rollout keeps the pods' risks.
 */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout"]);

/** The entry of an object a side judged: its place (a file, or `renderPlace(root)`) and its `Kind/namespace/name`. */
export function judgedObject(place: string, resourceKey: string): string {
  return `${place}${SEP}${resourceKey}`;
}

/** The objects each side judged (`judgedObject` entries). */
export interface JudgedObjects {
  head: ReadonlySet<string>;
  base: ReadonlySet<string>;
  /**
   * For objects a root renders (by entry): where each was written, as `writtenIn(file, written resource key)` (a base
   * file under its head path). Absent: the object is judged in its file (the place), as written.
   */
  origins?: { head: ReadonlyMap<string, string>; base: ReadonlyMap<string, string> };
}

/** Where a rendered object was written: its defining file and its `Kind/namespace/name` as that file wrote it. */
export function writtenIn(file: string, writtenKey: string): string {
  return `${file}${SEP}${writtenKey}`;
}

interface Entry {
  entry: string;
  place: string;
  key: string;
  kind: string;
  name: string;
  /** `writtenIn(file, key)`; for an object judged in its own file, its place and key. */
  origin: string;
  /** The file it was written in. */
  file: string;
}

/** An entry's parts; null for an object without a kind or a name (`#<document index>`). */
function parse(entry: string, origins: ReadonlyMap<string, string> | undefined): Entry | null {
  const at = entry.indexOf(SEP);
  const place = entry.slice(0, at);
  const key = entry.slice(at + 1);
  const kindEnd = key.indexOf("/");
  const nsEnd = key.indexOf("/", kindEnd + 1);
  if (kindEnd <= 0 || nsEnd < 0) return null;
  const name = key.slice(nsEnd + 1);
  if (name === "" || name.startsWith("#")) return null;
  const origin = origins?.get(entry) ?? writtenIn(place, key);
  return { entry, place, key, kind: key.slice(0, kindEnd), name, origin, file: origin.slice(0, origin.indexOf(SEP)) };
}

/** The directory of a place: a file's, or a root's own. */
function directoryOfPlace(place: string): string {
  return place.startsWith(RENDER_PLACE) ? place.slice(RENDER_PLACE.length) : directoryOf(place);
}

function groupBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Entries of `from` that `other` lacks (objects with a kind and a name only). */
function missingFrom(from: ReadonlySet<string>, other: ReadonlySet<string>, origins: ReadonlyMap<string, string> | undefined): Entry[] {
  const out: Entry[] = [];
  for (const e of from) {
    if (other.has(e)) continue;
    const parsed = parse(e, origins);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Pairs of objects (base entry → head entry) that are one object moved or renamed, as the module comment says. */
export function objectPairs(judged: JudgedObjects): Map<string, string> {
  const pairs = new Map<string, string>();
  const vanished = missingFrom(judged.base, judged.head, judged.origins?.base);
  const appeared = missingFrom(judged.head, judged.base, judged.origins?.head);
  if (vanished.length === 0 || appeared.length === 0) return pairs;
  const paired = new Set<string>();
  const pair = (b: Entry, h: Entry): void => {
    pairs.set(b.entry, h.entry);
    paired.add(b.entry).add(h.entry);
  };
  // Moved: the same resource, to another place of the same directory, one each.
  const byDirectoryAndKey = (e: Entry) => `${directoryOfPlace(e.place)}${SEP}${e.key}`;
  const gone = groupBy(vanished, byDirectoryAndKey);
  for (const [k, heads] of groupBy(appeared, byDirectoryAndKey)) {
    const bases = gone.get(k);
    if (heads.length === 1 && bases?.length === 1) pair(bases[0]!, heads[0]!);
  }
  // Kind changed: a workload of one kind left a place and one of another arrived there with the same namespace and name.
  const byPlaceAndWorkloadName = (e: Entry) => `${e.place}${SEP}${e.key.slice(e.kind.length)}`;
  const workloadsGone = groupBy(
    vanished.filter((e) => !paired.has(e.entry) && WORKLOAD_KINDS.has(e.kind)),
    byPlaceAndWorkloadName,
  );
  for (const [k, heads] of groupBy(
    appeared.filter((e) => !paired.has(e.entry) && WORKLOAD_KINDS.has(e.kind)),
    byPlaceAndWorkloadName,
  )) {
    const bases = workloadsGone.get(k);
    if (heads.length === 1 && bases?.length === 1 && bases[0]!.kind !== heads[0]!.kind) pair(bases[0]!, heads[0]!);
  }
  // Renamed: at one place, among the objects of a kind still unpaired.
  const byPlaceAndKind = (e: Entry) => `${e.place}${SEP}${e.kind}`;
  const goneHere = groupBy(
    vanished.filter((e) => !paired.has(e.entry)),
    byPlaceAndKind,
  );
  for (const [k, heads] of groupBy(
    appeared.filter((e) => !paired.has(e.entry)),
    byPlaceAndKind,
  )) {
    const bases = goneHere.get(k);
    if (!bases) continue;
    // Only the namespace changed: the same name; written as the same object in the same file; the one of the kind
    // written in a file; the one of the kind at the place. Once on each side.
    for (const by of [(e: Entry) => e.name, (e: Entry) => e.origin, (e: Entry) => e.file, () => ""]) {
      const left = groupBy(
        bases.filter((e) => !paired.has(e.entry)),
        by,
      );
      for (const [k, hs] of groupBy(
        heads.filter((e) => !paired.has(e.entry)),
        by,
      )) {
        const bs = left.get(k);
        if (hs.length === 1 && bs?.length === 1) pair(bs[0]!, hs[0]!);
      }
    }
  }
  return pairs;
}

/**
 * Pairs head findings that would be `new` (`head`) with base findings that would be `fixed` (`base`) where the
 * object was moved or renamed (see the module comment). Returns each paired head finding's base twin; both are then
 * one `existing` finding: the head one, at its head line, with its head fingerprint. Costs nothing when either list
 * is empty (a scan, a review that adds or fixes nothing).
 */
export function pairMoved<H extends Fingerprintable, B extends Fingerprintable>(head: readonly H[], base: readonly B[], judged: JudgedObjects): Map<H, B> {
  const out = new Map<H, B>();
  if (head.length === 0 || base.length === 0) return out;
  // Orphans: findings whose object is not at their place on the other side, by object.
  const orphans = <F extends Fingerprintable>(list: readonly F[], other: ReadonlySet<string>): Map<string, Array<{ f: F; identity: string }>> => {
    const byObject = new Map<string, Array<{ f: F; identity: string }>>();
    for (const f of list) {
      const [place, key, identity] = fingerprintParts(f);
      const entry = judgedObject(place, key);
      if (other.has(entry)) continue;
      const found = byObject.get(entry);
      if (found) found.push({ f, identity });
      else byObject.set(entry, [{ f, identity }]);
    }
    return byObject;
  };
  const headOrphans = orphans(head, judged.base);
  const baseOrphans = orphans(base, judged.head);
  if (headOrphans.size === 0 || baseOrphans.size === 0) return out;
  for (const [b, h] of objectPairs(judged)) {
    const hs = headOrphans.get(h);
    const bs = baseOrphans.get(b);
    if (hs && bs) pairFindings(hs, bs, out);
  }
  return out;
}

/**
 * Findings of two objects that are one: by rule and identity path, then the rest by rule and written path; of the
 * same severity (a policy that weighs the new place higher, e.g. as production, makes it a greater risk there). 1:1.
 */
function pairFindings<H extends Fingerprintable, B extends Fingerprintable>(
  head: ReadonlyArray<{ f: H; identity: string }>,
  base: ReadonlyArray<{ f: B; identity: string }>,
  out: Map<H, B>,
): void {
  const taken = new Set<B>();
  type Item = { f: Fingerprintable; identity: string };
  for (const key of [(x: Item) => `${x.f.ruleId}${SEP}${x.f.severity}${SEP}${x.identity}`, (x: Item) => `${x.f.ruleId}${SEP}${x.f.severity}${SEP}${x.f.path}`]) {
    const twins = groupBy(
      base.filter((x) => !taken.has(x.f)),
      key,
    );
    for (const x of head) {
      if (out.has(x.f)) continue;
      const twin = twins.get(key(x))?.shift();
      if (twin) {
        out.set(x.f, twin.f);
        taken.add(twin.f);
      }
    }
  }
}

/** A finding's place in a container: its list (the path up to it), the container's name and index, the path after it. */
interface InContainer {
  /** `<place>\0<resource>\0<path of the list>`: one container list of one object. */
  list: string;
  name: string;
  index: number;
  /** The identity path after the container item (`.securityContext.privileged`, or "" for the container itself). */
  rest: string;
}

const CONTAINER_ITEM = /^(.*?(?:^|\.)(?:containers|initContainers|ephemeralContainers))\[name=("(?:[^"\\]|\\.)*")\](.*)$/;

/** Where a finding is in a container named in its identity path (`containers[name="api"]…`); null otherwise. */
function inContainer(f: Fingerprintable): InContainer | null {
  const [place, key, identity] = fingerprintParts(f);
  const m = CONTAINER_ITEM.exec(identity);
  if (!m) return null;
  const [, listPath, quoted, rest] = m as unknown as [string, string, string, string];
  // The written path numbers the item: `spec.template.spec.containers[0]…`.
  const index = f.path.startsWith(`${listPath}[`) ? Number.parseInt(f.path.slice(listPath.length + 1), 10) : Number.NaN;
  if (!Number.isInteger(index)) return null;
  return { list: `${place}${SEP}${key}${SEP}${listPath}`, name: JSON.parse(quoted) as string, index, rest };
}

/** The containers each list holds on a side, by name (with their index), as that side's findings name them. */
function containersByList(findings: readonly Fingerprintable[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const f of findings) {
    const c = inContainer(f);
    if (!c) continue;
    const names = out.get(c.list) ?? new Map<string, number>();
    names.set(c.name, c.index);
    out.set(c.list, names);
  }
  return out;
}

/**
 * The containers of one list renamed in place (base name → head name): one that left and one that arrived at the
 * same index, then — of those left — exactly one that left and one that arrived. A container added beside ones that
 * stay pairs with nothing.
 */
function renamedContainers(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, string> {
  const left = [...before].filter(([name]) => !after.has(name));
  const arrived = [...after].filter(([name]) => !before.has(name));
  const out = new Map<string, string>();
  for (const [name, index] of left) {
    const twin = arrived.find(([n, i]) => i === index && ![...out.values()].includes(n));
    if (twin) out.set(name, twin[0]);
  }
  const leftOver = left.filter(([name]) => !out.has(name));
  const arrivedOver = arrived.filter(([name]) => ![...out.values()].includes(name));
  if (leftOver.length === 1 && arrivedOver.length === 1) out.set(leftOver[0]![0], arrivedOver[0]![0]);
  return out;
}

/**
 * The review's pass for a container renamed in its object (the same `Kind/namespace/name` at the same place): pairs
 * head findings that would be `new` (`head`) with base findings that would be `fixed` (`base`) on the container it
 * replaced — of the same rule and severity, at the same path inside the container. Containers are known by the
 * findings that name them (`headAll`, `baseAll`: every finding of each side); see `renamedContainers` for which pair.
 * A risk the rename brings along has no twin and stays `new`. Each base finding pairs once.
 */
export function pairRenamedContainers<H extends Fingerprintable, B extends Fingerprintable>(
  head: readonly H[],
  base: readonly B[],
  headAll: readonly Fingerprintable[],
  baseAll: readonly Fingerprintable[],
): Map<H, B> {
  const out = new Map<H, B>();
  const headIn = head.map((f) => ({ f, c: inContainer(f) })).filter((x): x is { f: H; c: InContainer } => x.c !== null);
  const baseIn = base.map((f) => ({ f, c: inContainer(f) })).filter((x): x is { f: B; c: InContainer } => x.c !== null);
  if (headIn.length === 0 || baseIn.length === 0) return out;
  const before = containersByList(baseAll);
  const after = containersByList(headAll);
  const renames = new Map<string, Map<string, string>>();
  const renamesOf = (list: string): Map<string, string> => {
    let found = renames.get(list);
    if (!found) {
      found = renamedContainers(before.get(list) ?? new Map(), after.get(list) ?? new Map());
      renames.set(list, found);
    }
    return found;
  };
  // Base findings keyed by the container that replaced theirs: list, head name, rule, severity, path inside it.
  const key = (list: string, name: string, f: Fingerprintable, rest: string) => [list, name, f.ruleId, f.severity, rest].join(SEP);
  const twins = new Map<string, B[]>();
  for (const { f, c } of baseIn) {
    const renamedTo = renamesOf(c.list).get(c.name);
    if (renamedTo === undefined) continue;
    const k = key(c.list, renamedTo, f, c.rest);
    const list = twins.get(k);
    if (list) list.push(f);
    else twins.set(k, [f]);
  }
  for (const { f, c } of headIn) {
    const twin = twins.get(key(c.list, c.name, f, c.rest))?.shift();
    if (twin) out.set(f, twin);
  }
  return out;
}

/**
 * The review's pass for a value rewritten in another form of the same Application's inline Helm values (`helm.values`
 * string, `helm.valuesObject`, `helm.parameters`: see inline-values.ts): pairs head findings that would be `new` with
 * base findings that would be `fixed` of the same rule and severity, on the same object at the same place, whose
 * inline values key (`keyOf`: source, key path and value) is the same. Each base finding pairs once.
 */
export function pairSameValues<H extends Fingerprintable, B extends Fingerprintable>(head: readonly H[], base: readonly B[], keyOf: (f: H | B) => string | undefined): Map<H, B> {
  const out = new Map<H, B>();
  if (head.length === 0 || base.length === 0) return out;
  const key = (f: H | B): string | undefined => {
    const k = keyOf(f);
    if (k === undefined) return undefined;
    const [place, resource] = fingerprintParts(f);
    return [f.ruleId, f.severity, place, resource, k].join(SEP);
  };
  const twins = groupBy(
    base.filter((f) => key(f) !== undefined),
    (f) => key(f)!,
  );
  for (const f of head) {
    const k = key(f);
    const twin = k === undefined ? undefined : twins.get(k)?.shift();
    if (twin) out.set(f, twin);
  }
  return out;
}
