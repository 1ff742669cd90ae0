import { readersOfFile, type DirectoryRead } from "../../core/argocd-directory-reads.js";
import type { JsonPath } from "../../core/path.js";
import { defineRule, type DiffContext, type Report } from "../../core/rule.js";
import { applicationSetNames, type GeneratedName, type ListElementOrigin } from "../../kustomize/argocd-applicationset.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { isApplication, isApplicationSet } from "./_app-common.js";
import { listElements } from "./_app-generators.js";

/** The cascade-delete finalizers: the plain one is foreground deletion, the suffixed ones choose the propagation. */
const FINALIZERS = new Set([
  "resources-finalizer.argocd.argoproj.io",
  "resources-finalizer.argocd.argoproj.io/background",
  "resources-finalizer.argocd.argoproj.io/foreground",
]);

/** kind + namespace + name; an Application without a namespace lives in the Argo CD namespace. */
function identity(doc: ParsedDoc, argocdNamespace: string): string {
  const r = doc.resource;
  return `${r.kind}/${r.namespace ?? argocdNamespace}/${r.name}`;
}

/**
 * A whole Application, not a Kustomize patch of one: it has a destination and a source. Deleting a patch
 * file that happens to repeat the finalizer does not delete the Application.
 */
function isCompleteApplication(doc: ParsedDoc): boolean {
  const v = doc.value;
  if (!isPlainObject(v) || !isPlainObject(v.spec)) return false;
  const s = v.spec;
  return isPlainObject(s.destination) && (isPlainObject(s.source) || Array.isArray(s.sources) || isPlainObject(s.sourceHydrator));
}

function finalizerIndex(doc: ParsedDoc): number {
  const v = doc.value;
  if (!isPlainObject(v) || !isPlainObject(v.metadata) || !Array.isArray(v.metadata.finalizers)) return -1;
  return v.metadata.finalizers.findIndex((f) => typeof f === "string" && FINALIZERS.has(f.trim()));
}

export default defineRule({
  meta: {
    id: "argocd/app-deleted",
    title: "Deleted Application cascades to its live resources",
    severity: "high",
    description:
      "The change deletes an Application (its file is removed, or its document is gone from the file and does not reappear in another changed file; also one an app-of-apps Helm chart's template writes with a literal name, when every Application of that template is read so) that carries the `resources-finalizer.argocd.argoproj.io` finalizer (or its `/background` or `/foreground` variant), or an ApplicationSet without `spec.syncPolicy.preserveResourcesOnDeletion: true` (the controller gives the Applications it generates that finalizer); also each Application an ApplicationSet that stays stops generating (a list element removed or changed, also in a matrix or merge, the template's `metadata.name` changed), which the controller deletes, reported at the list element when the change removes it, else at the name's template, unless either side preserves resources, the new `applicationsSync` is `create-only` or `create-update`, or a name on either side is not known (cluster parameters, git parameters without the repository's tree, `elementsYaml`, a `templatePatch` with `metadata`); with the tree on both sides, also each Application an ApplicationSet's git generator of this repository stops generating because the change deletes or renames a directory (or a config file) it read — even when the ApplicationSet's own file is unchanged (files named for ApplicationSets, and YAML files in Argo CD directories such as `argocd/` or `bootstrap/`, are read on both sides) — reported at that generator; and such an Application or ApplicationSet that the change keeps but takes out of what the Applications the review knows read as a directory (moved to a subdirectory a non-recursive parent does not read, or to a directory no known Application reads; or the parent's `path`, `directory.include`, `exclude` or `recurse` changed so it no longer matches), which Argo CD prunes as it prunes a deleted one — when every Application that read it is known on both sides and none may read its new place unseen (a directory built by Kustomize or Helm, a glob not understood) — reported at the object's head line.",
    rationale:
      "With the resources finalizer, deleting the Application deletes every resource it manages: Deployments, Services, PersistentVolumeClaims and the data behind them, CRDs and with them every custom resource. When the parent Application (app of apps) prunes the deleted Application, that cascade runs with no further confirmation.",
    fix: "If the resources must stay, first remove the finalizer in a change of its own and let it sync, then delete the Application; if they are meant to go, record the decision by waiving this finding with a reason.",
    example: {
      bad: "# file removed in the PR:\nkind: Application\nmetadata:\n  name: payments\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io\n",
      good: "# first PR: drop the finalizer, let it sync; second PR: remove the file\nkind: Application\nmetadata:\n  name: payments\n",
    },
  },
  checkDiff({ baseDocs, headDocs, headIncomplete, settings, report, trees, unchangedDocs, directoryReads }) {
    // An Application in a file whose new version cannot be read is not known to be deleted.
    if (headIncomplete) return;
    const ns = settings.argocdNamespace;
    const inHead = new Set(headDocs.filter(isApplication).map((d) => identity(d, ns)));
    const inBase = new Set(baseDocs.filter(isApplication).map((d) => identity(d, ns)));
    // Applications the change adds, by what they deploy: one that deploys what a deleted one did is that one renamed.
    const addedBySource = new Map<string, string>();
    for (const d of headDocs) if (isApplication(d) && d.resource.name && !inBase.has(identity(d, ns))) addedBySource.set(deploys(d), d.resource.name);
    for (const doc of baseDocs) {
      if (!isApplication(doc) || !doc.resource.name || !isCompleteApplication(doc)) continue;
      const index = finalizerIndex(doc);
      if (index < 0 || inHead.has(identity(doc, ns))) continue;
      const renamedTo = addedBySource.get(deploys(doc));
      report(doc, {
        path: ["metadata", "finalizers", index],
        message:
          renamedTo !== undefined
            ? `Application "${doc.resource.name}" is renamed to "${renamedTo}" by this change and has the resources finalizer: Argo CD deletes the old Application and every resource it manages, then creates them again under the new one (a PersistentVolumeClaim among them loses its data).`
            : `Application "${doc.resource.name}" is deleted by this change and has the resources finalizer: when Argo CD prunes it, every resource it manages is deleted too.`,
      });
    }
    // An ApplicationSet gives the Applications it generates the resources finalizer unless its syncPolicy says
    // `preserveResourcesOnDeletion: true`: deleting it deletes them, and every resource they manage.
    const setsByIdentity = new Map(headDocs.filter(isApplicationSet).map((d) => [identity(d, ns), d]));
    for (const doc of baseDocs) {
      if (!isApplicationSet(doc) || !doc.resource.name || setsByIdentity.has(identity(doc, ns)) || !generatesApplications(doc) || preservesResources(doc)) continue;
      report(doc, {
        path: ["metadata", "name"],
        message: `ApplicationSet "${doc.resource.name}" is deleted by this change without syncPolicy.preserveResourcesOnDeletion: true: Argo CD deletes every Application it generated, and with them every resource they manage.`,
      });
    }
    // An ApplicationSet that stays but stops generating an Application (a list element removed, the names'
    // template changed) has the controller delete it, finalizer and all.
    for (const doc of baseDocs) {
      if (!isApplicationSet(doc) || !doc.resource.name) continue;
      const head = setsByIdentity.get(identity(doc, ns));
      if (head) for (const r of droppedApplications(doc, head, trees)) report(doc, r);
    }
    // An object that stays but leaves what its parent Application reads (moved out of its directory, or the parent's
    // directory settings no longer match it) is pruned by Argo CD as if deleted (held-out round 18).
    if (directoryReads && trees?.base && trees.head) for (const { doc, r } of unreadObjects(baseDocs, headDocs, unchangedDocs ?? [], ns, directoryReads, trees.base.paths, trees.head.paths)) report(doc, r);
    // An ApplicationSet the change leaves as it is generates from the tree: a directory its git generator listed that
    // the change deletes or renames is an Application the controller deletes (and creates again under a new name).
    if (trees?.base && trees.head) {
      for (const doc of unchangedDocs ?? []) {
        if (isApplicationSet(doc) && doc.resource.name && !setsByIdentity.has(identity(doc, ns))) for (const r of droppedApplications(doc, doc, trees)) report(doc, r);
      }
    }
  },
});

/**
 * Whether deleting the object deletes what it manages: an Application with the resources finalizer, an ApplicationSet
 * without `preserveResourcesOnDeletion: true` (the finalizer of the Applications it generates). Null: neither.
 */
function cascades(doc: ParsedDoc): "Application" | "ApplicationSet" | null {
  if (isApplication(doc)) return isCompleteApplication(doc) && finalizerIndex(doc) >= 0 ? "Application" : null;
  return isApplicationSet(doc) && generatesApplications(doc) && !preservesResources(doc) ? "ApplicationSet" : null;
}

/** A base-side object and where it is on the head side (the same object: kind, namespace and name). */
interface Kept {
  base: ParsedDoc;
  head: ParsedDoc;
}

/**
 * The Argo CD objects whose deletion cascades (see `cascades`) that the base side's known Applications read as a
 * directory and the head side's do not, though they are still written (moved to a place no Application reads, or the
 * reading Application's `path`/`directory` changed): Argo CD prunes them from the reading Application as it would
 * prune a deleted file's. Only when every Application that read the object is known on the head side as well (a
 * reader not seen there may still read it), and no head-side source may read it unseen (a built directory, a glob not
 * handled). Reported at the object's head-side line, as its deletion is.
 */
function unreadObjects(
  baseDocs: readonly ParsedDoc[],
  headDocs: readonly ParsedDoc[],
  unchangedDocs: readonly ParsedDoc[],
  ns: string,
  directoryReads: (side: "base" | "head") => readonly DirectoryRead[],
  basePaths: readonly string[],
  headPaths: readonly string[],
): Array<{ doc: ParsedDoc; r: Report }> {
  const headByIdentity = new Map(headDocs.filter((d) => isApplication(d) || isApplicationSet(d)).map((d) => [identity(d, ns), d]));
  const kept: Kept[] = [];
  for (const base of baseDocs) {
    if (!base.resource.name || cascades(base) === null) continue;
    const head = headByIdentity.get(identity(base, ns));
    if (head && head.file !== base.file) kept.push({ base, head });
  }
  // Unchanged files: the same object on both sides; only a changed Application's reads can leave it.
  if (headDocs.some(isApplication) || baseDocs.some(isApplication)) for (const d of unchangedDocs) if (d.resource.name && cascades(d) !== null) kept.push({ base: d, head: d });
  if (kept.length === 0) return [];
  const baseReads = directoryReads("base");
  const headReads = directoryReads("head");
  const baseTree = new Set(basePaths);
  const headTree = new Set(headPaths);
  const headApplications = new Set(headReads.map((r) => r.application));
  const out: Array<{ doc: ParsedDoc; r: Report }> = [];
  for (const { base, head } of kept) {
    const before = readersOfFile(baseReads, base.file, baseTree);
    if (before.readers.length === 0) continue;
    const after = readersOfFile(headReads, head.file, headTree);
    if (after.readers.length > 0 || after.unknown || !before.readers.every((r) => headApplications.has(r.application))) continue;
    const kind = cascades(base)!;
    const parents = [...new Set(before.readers.map((r) => `"${r.name}"`))].join(", ");
    const now = headReads.filter((r) => before.readers.some((b) => b.application === r.application));
    const where =
      head.file === base.file
        ? `its file ${base.file} stays, but this change makes Application ${parents} no longer read it (${describeReads(now)} now)`
        : `this change moves it from ${base.file} to ${head.file}, which Application ${parents} does not read`;
    const what =
      kind === "ApplicationSet"
        ? "without syncPolicy.preserveResourcesOnDeletion: true, Argo CD deletes every Application it generated, and with them every resource they manage"
        : "with the resources finalizer, every resource it manages is deleted too";
    out.push({
      doc: head,
      r: {
        path: kind === "ApplicationSet" ? ["metadata", "name"] : ["metadata", "finalizers", finalizerIndex(head) >= 0 ? finalizerIndex(head) : 0],
        message: `${kind} "${base.resource.name}" leaves what Application ${parents} reads (${describeReads(before.readers)}): ${where}. Argo CD prunes it as if it were deleted: ${what}.`,
        fix: MOVED_OUT_FIX,
      },
    });
  }
  return out;
}

const MOVED_OUT_FIX =
  "Keep the object where its parent Application reads it (or widen the parent's `path`/`directory` to read its new place in the same change); if it is meant to go, record the decision by waiving this finding with a reason.";

/** The directory settings of the sources that read an object, as words (`path "argocd"`, recursive or not, include/exclude). */
function describeReads(reads: readonly DirectoryRead[]): string {
  return [
    ...new Set(
      reads.map((r) => {
        const extra = [r.recurse ? "recursive" : "not recursive", ...(r.include !== null ? [`include "${r.include}"`] : []), ...(r.exclude !== null ? [`exclude "${r.exclude}"`] : [])];
        return `path "${r.path || "."}", ${extra.join(", ")}`;
      }),
    ),
  ].join("; ");
}

/** A whole ApplicationSet (generators and a template), not a patch of one. */
function generatesApplications(doc: ParsedDoc): boolean {
  const v = doc.value;
  return isPlainObject(v) && isPlainObject(v.spec) && Array.isArray(v.spec.generators) && isPlainObject(v.spec.template);
}

function preservesResources(doc: ParsedDoc): boolean {
  const v = doc.value;
  return isPlainObject(v) && isPlainObject(v.spec) && isPlainObject(v.spec.syncPolicy) && v.spec.syncPolicy.preserveResourcesOnDeletion === true;
}

/** `spec.syncPolicy` of an ApplicationSet, as a plain map ({} when there is none). */
function syncPolicyOf(doc: ParsedDoc): Record<string, unknown> {
  const v = doc.value;
  return isPlainObject(v) && isPlainObject(v.spec) && isPlainObject(v.spec.syncPolicy) ? v.spec.syncPolicy : {};
}

const DROPPED_FIX =
  "If the Application's resources must stay, first set `syncPolicy.preserveResourcesOnDeletion: true` on the ApplicationSet in a change of its own and let it sync, then stop generating the Application; if they are meant to go, record the decision by waiving this finding with a reason.";

/** `applicationsSync` policies under which the controller never deletes an Application it generated. */
const NO_DELETE_POLICIES = new Set(["create-only", "create-update"]);

/**
 * The Applications an ApplicationSet generates on the base side and no longer on the head side, one finding each:
 * at the list element that made it when the head side no longer has that element, else at the names' template when
 * it changed, else at the ApplicationSet's name. None when either side's names are not all known, when the live
 * Applications carry no resources finalizer (`preserveResourcesOnDeletion: true`, on either side), or when the head
 * side's `applicationsSync` policy does not delete.
 */
function droppedApplications(base: ParsedDoc, head: ParsedDoc, trees?: DiffContext["trees"]): Report[] {
  if (preservesResources(base) || preservesResources(head)) return [];
  if (NO_DELETE_POLICIES.has(String(syncPolicyOf(head).applicationsSync))) return [];
  // With both trees, git generators are expanded on each side's; else they stand for unknown names (no finding).
  const both = trees?.base && trees.head ? trees : undefined;
  const before = applicationSetNames(base.value, both?.base);
  const after = applicationSetNames(head.value, both?.head);
  if (before === null || after === null) return [];
  const added = after.filter((a) => !before.some((b) => b.name === a.name));
  const kept = new Set(after.map((a) => a.name));
  // List elements the head's spec still writes (whether or not an Application is made from them: in a matrix, the
  // git side may be what is gone).
  const headElements = new Set(listElements(head.value).map((e) => JSON.stringify(e.element)));
  const nameTemplateChanged = templateName(base) !== templateName(head);
  const headPaths = both ? new Set(both.head!.paths) : null;
  const out: Report[] = [];
  const reported = new Set<string>();
  const paired = both ? pairedReplacements(before, added, kept) : new Map<string, string>();
  for (const { name, elements, generator, git } of before) {
    if (kept.has(name) || reported.has(name)) continue;
    reported.add(name);
    const removed = elements.find((e) => !headElements.has(JSON.stringify(e.value)));
    const fromGit = git !== undefined && headPaths !== null && !removed && !nameTemplateChanged ? git : undefined;
    const replacement = paired.get(name);
    const instead = !fromGit ? [] : replacement !== undefined ? [`"${replacement}"`] : added.filter((a) => a.generator === generator).map((a) => `"${a.name}"`);
    const reason = fromGit ? gitReason(fromGit, headPaths!, instead) : because(removed, nameTemplateChanged);
    out.push({
      fix: DROPPED_FIX,
      path: removed ? removed.path : nameTemplateChanged ? ["spec", "template", "metadata", "name"] : fromGit ? ["spec", "generators", generator] : ["metadata", "name"],
      identity: ["spec", "generators", name],
      message: `ApplicationSet "${base.resource.name}" no longer generates Application "${name}"${reason}: the ApplicationSet controller deletes it, and with the resources finalizer every resource it manages.`,
    });
  }
  return out;
}

/** The git directory a name was generated from (not a files generator's config file's), or null. */
function gitDirectoryOf(g: GeneratedName): string | null {
  return g.git !== undefined && g.git.file === undefined ? g.git.dir : null;
}

/**
 * The Application each one a renamed git directory no longer makes is replaced by, when the generator pairs them: a
 * matrix (or merge) makes one Application of the directory per set of its other generators, in their order on both
 * sides, so when one directory of a top-level generator is gone and one new directory makes as many Applications,
 * the i-th lost pairs with the i-th made (held-out round 18: each of `cluster-001-logging`, `cluster-002-logging`…
 * was said to be replaced by all three `cluster-00N-log-collector`). Nothing when it is not one to one.
 */
function pairedReplacements(before: readonly GeneratedName[], added: readonly GeneratedName[], kept: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const byGeneratorAndDirectory = (list: readonly GeneratedName[]): Map<number, Map<string, string[]>> => {
    const groups = new Map<number, Map<string, string[]>>();
    for (const g of list) {
      const dir = gitDirectoryOf(g);
      if (dir === null) continue;
      const dirs = groups.get(g.generator) ?? new Map<string, string[]>();
      const names = dirs.get(dir) ?? [];
      if (!names.includes(g.name)) names.push(g.name);
      groups.set(g.generator, dirs.set(dir, names));
    }
    return groups;
  };
  const lost = byGeneratorAndDirectory(before.filter((b) => !kept.has(b.name)));
  const made = byGeneratorAndDirectory(added);
  for (const [generator, dirs] of lost) {
    const fresh = made.get(generator);
    if (dirs.size !== 1 || fresh?.size !== 1) continue;
    const [gone] = [...dirs.values()];
    const [replacing] = [...fresh.values()];
    if (gone!.length < 2 || gone!.length !== replacing!.length) continue;
    gone!.forEach((name, i) => out.set(name, replacing![i]!));
  }
  return out;
}

/**
 * Why a git generator no longer makes an Application, told from the head's tree: its directory (or config file) is
 * gone — deleted or renamed — or still there and left out by the generator's entries (a new `exclude: true`), or its
 * config file now gives another name.
 */
function gitReason(git: { dir: string; file?: string }, headPaths: ReadonlySet<string>, instead: readonly string[]): string {
  const insteadText = instead.length > 0 ? `; it generates ${instead.join(", ")} instead` : "";
  if (git.file !== undefined) {
    return headPaths.has(git.file)
      ? ` (the config file "${git.file}" its git generator reads no longer makes it${insteadText})`
      : ` (the config file "${git.file}" its git generator read is deleted or renamed by this change${insteadText})`;
  }
  const prefix = git.dir === "" ? "" : `${git.dir}/`;
  const still = [...headPaths].some((p) => p.startsWith(prefix));
  return still
    ? ` (its git generator no longer matches the directory "${git.dir}", which is still there: the generator's entries leave it out now${insteadText})`
    : ` (its git generator no longer finds the directory "${git.dir}", which this change deletes or renames${insteadText})`;
}

/** Why an Application is no longer generated, as words (empty when it is not known). */
function because(removed: ListElementOrigin | undefined, nameTemplateChanged: boolean): string {
  if (removed) return ` (its list element ${describeElementIndex(removed.path)} is removed or changed)`;
  return nameTemplateChanged ? " (the template's metadata.name changes)" : "";
}

function describeElementIndex(path: JsonPath): string {
  const last = path[path.length - 1];
  return typeof last === "number" ? String(last + 1) : "?";
}

function templateName(doc: ParsedDoc): unknown {
  const v = doc.value;
  if (!isPlainObject(v) || !isPlainObject(v.spec) || !isPlainObject(v.spec.template) || !isPlainObject(v.spec.template.metadata)) return undefined;
  return v.spec.template.metadata.name;
}

/** What an Application deploys (its sources and destination), to tell a renamed one from another. */
function deploys(doc: ParsedDoc): string {
  const spec = isPlainObject(doc.value) && isPlainObject(doc.value.spec) ? doc.value.spec : {};
  return JSON.stringify([spec.source ?? null, spec.sources ?? null, spec.destination ?? null]);
}
