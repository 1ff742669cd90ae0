/**
 * Argo CD Applications whose source `path` names a directory this repository does not have on the head side: Argo CD
 * fails to generate their manifests ("app path does not exist"), so a pull request that deletes an overlay an
 * Application still points at, or points one at a misspelt directory, deploys nothing there. What the pull request
 * surely broke becomes a `guard/parse-error` finding at the Application's `path:` (review.ts), as a broken Kustomize
 * build does; what may be another repository's path stays a review note. Pure.
 */
import { applicationPathsOf } from "./render-plan.js";
import { repositoryIdentity, type Branches, type OwnRepoURL } from "./repository.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";

/** One Application's source path, where the Application was read. */
export interface SourcePointer {
  /** The file the Application is written in. */
  file: string;
  /** `metadata.name` (empty when it has none). */
  application: string;
  /** The source's path, normalised (see `argoCdSourcePaths`). */
  path: string;
  /** The files that made the Application what it is, when more than its own (a render's inputs: an app of apps). */
  inputs?: readonly string[];
  /**
   * The `owner/name` the source's `repoURL` names, when the repository under review is not known (then it may be
   * another repository's path: see `missingPaths`). Absent when it is known, or when the URL names none.
   */
  repository?: string;
  /** A path an ApplicationSet in `file` generates (its generators filled in), not an Application written there. */
  generated?: true;
  /**
   * Generated, the Applications pointing there stay when the path goes, and are of the repository under review: made
   * from list elements, git config files or clusters, not by a git directories generator (whose Application goes
   * away with its directory, judged by `argocd/app-deleted`).
   */
  survives?: true;
  /** The source's `targetRevision` as written, when it is a string. */
  revision?: string;
  /**
   * Generated, the list element whose value the path is filled from (`chartPath: apps/istiod/overlays/prod` for a
   * template `path: '{{chartPath}}'`): where the value is written, the parameter, and the element for a message.
   */
  element?: { line: number; column: number; parameter: string; label: string };
}

/** A path Argo CD (or a tool before it) fills in: not a directory name to look for. */
const TEMPLATED = /\{\{|\$\{|\$\(|<%|\[\[/;

/**
 * The source paths of the Applications among a file's documents (plain data), of this repository only (`own`, see
 * `ownRepoURL`; null: every source counts) and not templated.
 */
export function sourcePointers(file: string, documents: readonly unknown[], own: OwnRepoURL | null, inputs?: readonly string[]): SourcePointer[] {
  const out: SourcePointer[] = [];
  for (const doc of documents) {
    const paths = sourcePaths(doc, own);
    if (paths.length === 0) continue;
    const name = (doc as { metadata?: { name?: unknown } }).metadata?.name;
    const application = typeof name === "string" ? name : "";
    for (const { path, repository, revision } of paths) {
      if (!TEMPLATED.test(path)) out.push({ file, application, path, ...(inputs ? { inputs } : {}), ...(repository !== null ? { repository } : {}), ...(revision !== undefined ? { revision } : {}) });
    }
  }
  return out;
}

/** An Application's source paths (see `applicationPathsOf`), each with the repository its source names when `own` is unknown. */
function sourcePaths(app: unknown, own: OwnRepoURL | null): Array<{ path: string; repository: string | null; revision?: string }> {
  const { apiVersion, kind, spec } = app as { apiVersion?: unknown; kind?: unknown; spec?: { source?: unknown; sources?: unknown } };
  return argoCdReadSourcesOf(spec).flatMap(({ source }) => {
    const repoURL = typeof source === "object" && source !== null ? (source as { repoURL?: unknown }).repoURL : undefined;
    const repository = own === null && typeof repoURL === "string" ? repositoryIdentity(repoURL) : null;
    const written = typeof source === "object" && source !== null ? (source as { targetRevision?: unknown }).targetRevision : undefined;
    const revision = typeof written === "string" ? written : undefined;
    return applicationPathsOf({ apiVersion, kind, spec: { source } }, own).map((path) => ({ path, repository, ...(revision !== undefined ? { revision } : {}) }));
  });
}

/**
 * The repository (`owner/name`) the source paths of a file's ApplicationSets name, when the repository under review is
 * not known (`own` null): the one repository every template source with a `path` names (`spec.template.spec.source`,
 * `sources[]`), so that a generated path missing here is noted as possibly another repository's, as an Application's
 * is. Undefined when the repository under review is known, when a `repoURL` is templated or names none, or when the
 * sources name several repositories (which path is whose is not told apart here).
 */
export function applicationSetRepository(documents: readonly unknown[], own: OwnRepoURL | null): string | undefined {
  if (own !== null) return undefined;
  const names = new Set<string | null>();
  for (const doc of documents) {
    const { kind, spec } = doc as { kind?: unknown; spec?: { template?: { spec?: { source?: unknown; sources?: unknown } } } };
    if (kind !== "ApplicationSet") continue;
    const template = spec?.template?.spec;
    for (const { source } of argoCdReadSourcesOf(template)) {
      const { repoURL, path } = (typeof source === "object" && source !== null ? source : {}) as { repoURL?: unknown; path?: unknown };
      if (typeof path === "string") names.add(typeof repoURL === "string" ? repositoryIdentity(repoURL) : null);
    }
  }
  const [only] = names;
  return names.size === 1 && typeof only === "string" ? only : undefined;
}

/** A pointer whose path the pull request left without a directory (see `missingPaths`), with its note's text. */
export interface MissingPath {
  pointer: SourcePointer;
  text: string;
  /**
   * The pull request surely broke it: an Application (written, or generated and `survives`: not one a git directories
   * generator makes, whose deletion `argocd/app-deleted` judges) of this repository whose directory the pull request removes, or that the pull
   * request makes point at a directory this repository does not have (new, or its path changed), and that follows the branch a pull request merges into (see
   * `followsMergedBranch`: one pinned to a tag or another branch reads a commit this pull request does not change).
   * Not when which repository is under review is unknown.
   */
  certain: boolean;
}

/**
 * One note (`text`) per pointer whose path is not a directory of the head side (`headDirectories`: every directory holding a
 * file, see `directoriesOf`), when the pull request made it so: the path was a directory on the base side, or the
 * Application's file (or one of its `inputs`) is changed (`changed`). A path that was missing before in files the pull
 * request leaves alone is not its doing. When the repository under review is not known (`SourcePointer.repository`),
 * a path missing from both sides may be another repository's: the note names the source's repository and says so,
 * rather than that the directory does not exist. What the pull request surely broke is `certain` (a finding, review.ts):
 * a directory it removes, or a pointer it makes (`before`: the base side's pointers, see `isNewPointer`) at a directory
 * neither side has. A pointer the base side already had at that missing directory, in a file the pull request only
 * touches (a comment, a reformat, a sibling render input), is a note (held-out round 18).
 */
export function missingPaths(pointers: readonly SourcePointer[], headDirectories: ReadonlySet<string>, baseDirectories: ReadonlySet<string>, changed: ReadonlySet<string>, before: readonly SourcePointer[], branches?: Branches): MissingPath[] {
  const out: MissingPath[] = [];
  const known = new Set(before.map((p) => pointerKey(p, branches)));
  for (const p of pointers) {
    if (p.path === "" || headDirectories.has(p.path)) continue;
    if (!baseDirectories.has(p.path) && !changed.has(p.file) && !p.inputs?.some((f) => changed.has(f))) continue;
    const app = p.generated ? "An Argo CD Application the ApplicationSet" : p.application === "" ? "An Argo CD Application" : `Argo CD Application ${JSON.stringify(p.application)}`;
    const from = p.element ? ` from its list element ${JSON.stringify(p.element.label)} (${p.element.parameter}, line ${p.element.line})` : "";
    const where = p.generated ? `${app} in ${p.file} generates${from} points at path ${JSON.stringify(p.path)}` : `${app} (${p.file}) points at path ${JSON.stringify(p.path)}`;
    const effect = 'Argo CD will fail to generate its manifests ("app path does not exist"): it deploys nothing from it and prunes nothing it applied';
    const certain = (!p.generated || p.survives === true) && p.repository === undefined && followsMergedBranch(p.revision, branches);
    if (baseDirectories.has(p.path)) out.push({ pointer: p, text: `${where}, but this pull request removes that directory: ${effect}`, certain });
    else if (p.repository !== undefined) out.push({ pointer: p, text: `${where} of repository ${JSON.stringify(p.repository)}, which this checkout does not have: if that is the repository under review, ${effect} (which repository is under review is not known: --repo-url or an origin remote names it)`, certain: false });
    else if (!known.has(pointerKey(p, branches))) out.push({ pointer: p, text: `${where}, but no such directory exists in this repository: ${effect}`, certain });
    else out.push({ pointer: p, text: `${where}, but no such directory exists in this repository, nor did it before this pull request: ${effect}`, certain: false });
  }
  return out;
}

/**
 * What makes a pointer the same on both sides (see `missingPaths`): the Application (by name; a generated one by its
 * ApplicationSet's file), its path, and whether it follows the branch the pull request merges into. A new Application,
 * a changed path, or a source that starts reading this repository (its `repoURL`: only this repository's sources are
 * pointers when it is known) or the merged branch (its `targetRevision`) makes a new key.
 */
function pointerKey(p: SourcePointer, branches: Branches | undefined): string {
  const who = p.generated ? `set\u0000${p.file}` : `app\u0000${p.application}`;
  return `${who}\u0000${p.path}\u0000${p.repository ?? ""}\u0000${followsMergedBranch(p.revision, branches)}`;
}

/** The usual default branches: what HEAD names when the repository's default branch is not known. */
const USUAL_DEFAULT = new Set(["main", "master"]);

/**
 * Whether a source's `targetRevision` follows the branch the pull request merges into, so that merging changes what it
 * reads: the base branch's name (or `refs/heads/<base>`), or HEAD (or none written) when the base branch is the
 * repository's default one. The default branch unknown: main or master stand for it. The base branch unknown (a SHA,
 * two directories): HEAD, main and master follow it, as before. A revision that does not follow it reads a commit this
 * pull request does not change (held-out round 16: a pull request into `develop` deleting a directory an Application
 * at HEAD reads blocked).
 */
export function followsMergedBranch(revision: string | undefined, branches: Branches = {}): boolean {
  const r = (revision ?? "").trim();
  const base = branches.base;
  if (base === undefined) return r === "" || r === "HEAD" || USUAL_DEFAULT.has(r);
  if (r === base || r === `refs/heads/${base}`) return true;
  if (r !== "" && r !== "HEAD") return false;
  return branches.default !== undefined ? base === branches.default : USUAL_DEFAULT.has(base);
}
