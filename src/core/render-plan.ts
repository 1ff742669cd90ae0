/**
 * Which Kustomize roots a review renders, and which files each side must read for it — from the changed paths,
 * each side's path list and kustomization texts alone (pure; the adapters and the engine share it, so what an
 * adapter fetches is what the engine renders).
 *
 * Judged trees (issue 11 §3): every root (a kustomization no other kustomization uses) plus every kustomization
 * directory an Argo CD Application points at (`spec.source(s).path`, or an ApplicationSet's generators make its
 * Applications point at, see kustomize/argocd-applicationset.ts), when a changed file reaches it. A root is
 * rendered on a side when it is a root on either side (by the graph: a kustomization no other one uses) or an
 * Application there points at it, and the change reaches it on either side, so both sides of a review render the
 * same roots.
 */
import { parseAllDocuments } from "yaml";
import {
  applicationSetReads,
  applicationSetSourcesIn,
  applicationSetPathOrigins,
  applicationSetSourcePaths,
  applicationSources,
  argoCdSourcePaths,
  isApplicationSet,
  type ApplicationSetFiles,
  type GeneratedPathOrigin,
  buildKustomizationGraph,
  directoryOf,
  isKustomizationFile,
  isParameterFile,
  looksRemote,
  mayHoldKustomizeOverrides,
  overrideComponentDirectories,
  type ApplicationSource,
  type KustomizationGraph,
} from "../kustomize/index.js";
import { isUnread, rawText } from "../parse/decode.js";
import type { ParsedFile } from "../parse/yaml-file.js";
import { isYamlPath } from "./policy.js";
import { ownRepoURL, type FileContent, type OwnRepoURL, type Side } from "./repository.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";

export interface SidePlanInput {
  paths: readonly string[];
  /**
   * A kustomization file: its text, or its data when the caller parsed it already; null when it was not read
   * (that kustomization is then unknown).
   */
  kustomization(path: string): string | { value: unknown } | null;
}

export interface SidePlan {
  graph: KustomizationGraph;
  /** Roots to render on this side, sorted. */
  roots: string[];
  /**
   * Every file a render of those roots reads (the union of their closures), plus the `pointerFiles` and, on the head
   * side, the `applicationFiles`, sorted.
   */
  files: string[];
  /** The base side only: what the plan does about the roots the head side no longer has (see `vanishedRoots`). */
  vanished?: VanishedRoots;
  /**
   * The head side only: unchanged files that may hold an Argo CD Application still pointing at the directory of a
   * vanished root the pull request deletes (see `applicationFilesFor`), read so the review can say so.
   */
  applicationFiles?: string[];
  /**
   * Unchanged files that may hold an Argo CD Application pointing at a kustomization the change reaches inside a
   * root (see `innerReached`), by their names (see `applicationFilesFor`), read so the render stage can make it a root.
   */
  pointerFiles?: string[];
  /**
   * Unchanged files that may hold the Argo CD Application reading a YAML file the pull request deletes or moves away
   * (an app of apps reading a directory of Applications and ApplicationSets: see `namedForApplications`), read on both
   * sides so the review can tell a move out of what it reads — which Argo CD prunes as a deletion — from one within it.
   */
  readerFiles?: string[];
}

/**
 * YAML files whose path says they hold Argo CD Applications, whatever they apply: in a directory named `argocd`,
 * `argo-cd` or `applications`, or named `app(s)`, `application(s)`, `argocd…` (`deploy/argocd/project-and-apps.yaml`),
 * at most `MAX_APPLICATION_FILES`, the shortest paths first. Kustomization files are not among them.
 */
export function namedForApplications(paths: readonly string[]): string[] {
  const dir = /(?:^|\/)(?:argo-?cd|applications?)\//i;
  return paths
    .filter((p) => isYamlPath(p) && !isKustomizationFile(p) && (dir.test(p) || hasApplicationFileName(p)))
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, MAX_APPLICATION_FILES);
}

/** Whether a file's name says it holds Applications: `app(s)`, `application(s)`, `argocd…` (`umami-app.yaml`). */
export function hasApplicationFileName(path: string): boolean {
  return /(?:^|[-_.])(?:apps?|applications?|argo-?cd)(?:[-_.]|$)/i.test(path.slice(path.lastIndexOf("/") + 1).replace(/\.ya?ml$/i, ""));
}

/** Unchanged files read for Flux Kustomizations (see `fluxKustomizationFiles`): at most this many a side, half of them the shallowest. */
export const MAX_FLUX_FILES = 16;

/** A path Flux's own files usually have: under a `flux`, `flux-system` or `clusters` directory, or an app's `ks.yaml`. */
const FLUX_LIKE_PATH = /(?:^|\/)(?:flux|flux-system|clusters)\/|(?:^|\/)ks\.ya?ml$/i;

/**
 * YAML files whose path says they may hold Flux Kustomizations (`kubernetes/flux/config/cluster.yaml`,
 * `clusters/prod/apps.yaml`, `flux-system/gotk-sync.yaml`, an app's `ks.yaml`): read so a review knows that Flux
 * applies a root (see render-stage.ts `deployerHints`) though no changed file or render input is Flux's. At most
 * `MAX_FLUX_FILES`: half the shallowest (a cluster's Kustomization covers the apps below it), then those nearest a
 * changed path (the app's own `ks.yaml`). Not `gotk-components.yaml` (Flux's large install; its path is the hint),
 * not a kustomization file (read anyway), not a file the config leaves out.
 */
export function fluxKustomizationFiles(paths: readonly string[], changed: readonly string[], excludes: (path: string) => boolean = () => false): string[] {
  const candidates = paths.filter((p) => isYamlPath(p) && FLUX_LIKE_PATH.test(p) && !/(?:^|\/)gotk-components\.ya?ml$/i.test(p) && !isKustomizationFile(p) && !excludes(p));
  if (candidates.length <= MAX_FLUX_FILES) return candidates;
  const depth = (p: string): number => p.split("/").length;
  const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const shallowest = [...candidates].sort((a, b) => depth(a) - depth(b) || byPath(a, b)).slice(0, MAX_FLUX_FILES / 2);
  const taken = new Set(shallowest);
  const near = nearestByDirectory(candidates.filter((p) => !taken.has(p)), (p) => p, changed);
  const rest = candidates.filter((p) => !taken.has(p) && !near.includes(p)).sort((a, b) => depth(a) - depth(b) || byPath(a, b));
  return [...shallowest, ...near, ...rest].slice(0, MAX_FLUX_FILES);
}

/**
 * Items ordered by how deep a directory their path (`pathOf`) shares with a changed path (`apps/web/overlays/prod/x.yaml`
 * before `apps/other/x.yaml` for a change in `apps/web/overlays/demo/`), then by path; those sharing none are left out.
 * Serves the Flux files picked here and the App's fill of its first read round (pipeline/gather-render.ts).
 */
export function nearestByDirectory<T>(items: readonly T[], pathOf: (item: T) => string, changed: Iterable<string>): T[] {
  const ancestors = new Set<string>();
  for (const c of changed) for (let d = c.lastIndexOf("/"); d > 0; d = c.lastIndexOf("/", d - 1)) ancestors.add(c.slice(0, d));
  /** Segments of the deepest directory of `p` that is also a changed path's; 0 for none. */
  const shared = (p: string): number => {
    for (let d = p.lastIndexOf("/"); d > 0; d = p.lastIndexOf("/", d - 1)) if (ancestors.has(p.slice(0, d))) return p.slice(0, d).split("/").length;
    return 0;
  };
  return items
    .map((item) => ({ item, path: pathOf(item), depth: shared(pathOf(item)) }))
    .filter((x) => x.depth > 0)
    .sort((a, b) => b.depth - a.depth || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((x) => x.item);
}

/** At most this many kustomizations inside the roots are looked up for Applications that may apply them. */
export const MAX_INNER_DIRECTORIES = 20;

/**
 * The kustomization directories a side's roots read that are not roots themselves and read a changed file (an
 * overlay another overlay builds on, a shared base): an Application may apply one of them as it is.
 */
function innerReached(plan: SidePlan, changed: ReadonlySet<string>): string[] {
  const roots = new Set(plan.roots);
  const out = new Set<string>();
  for (const r of plan.roots) {
    for (const f of plan.graph.closure(r)) {
      if (!isKustomizationFile(f)) continue;
      const dir = directoryOf(f);
      if (roots.has(dir) || out.has(dir) || !plan.graph.nodes.has(dir)) continue;
      if (plan.graph.closure(dir).some((x) => changed.has(x))) out.add(dir);
    }
  }
  return [...out];
}

/**
 * The roots the base side renders and the head side does not (a deleted overlay, a kustomization that stops being a
 * root), and the other roots rendered on both sides because they read files those read: rendered on the base side
 * alone, a vanished root's findings would read `fixed` at base lines that the other overlays still apply.
 */
export interface VanishedRoots {
  /** The vanished roots, sorted. */
  roots: string[];
  /** The roots rendered on both sides because they share files with a vanished one (at most `MAX_SHARING_ROOTS`). */
  sharing: string[];
  /** The roots that share files with a vanished one but were left out by the cap. */
  leftOut: string[];
  /** The vanished roots whose whole directory the pull request deletes. */
  deletedDirectories: string[];
}

/** Roots rendered on both sides because they share files with a vanished root: at most this many a review. */
export const MAX_SHARING_ROOTS = 8;

/** Unchanged files read to find Applications pointing at a deleted root's directory: at most this many a review. */
export const MAX_APPLICATION_FILES = 10;

export interface RenderPlanInput {
  changed: readonly string[];
  sides: Partial<Record<Side, SidePlanInput>>;
  /** Argo CD source paths found so far on each side. */
  argoPaths?: Partial<Record<Side, readonly string[]>>;
  /**
   * Kustomization directories a change reaches beyond the files they read: the paths of changed Applications whose
   * `kustomize` overrides (on either side) change what Argo CD builds there.
   */
  reached?: readonly string[];
  /** Paths the config excludes from review (`paths.exclude`): a root whose kustomization is excluded is not rendered. */
  excludes?: (path: string) => boolean;
  /**
   * The components the Applications' `kustomize.components` add to a root's build, per side (see
   * `overrideComponentsOf`): a rendered root reads their closures too, though no kustomization names them.
   */
  overrideComponents?: Partial<Record<Side, readonly OverrideComponents[]>>;
}

/** The component directories an Application's overrides add to the build of the root at `root`. */
export interface OverrideComponents {
  root: string;
  components: readonly string[];
}

/** The components the overrides of Applications' sources add to their roots' builds (`RenderPlanInput.overrideComponents`). */
export function overrideComponentsOf(sources: readonly ApplicationSource[]): OverrideComponents[] {
  return sources.flatMap((s) => {
    const components = overrideComponentDirectories(s);
    return components.length > 0 ? [{ root: s.path, components }] : [];
  });
}

/** The files the components added by overrides to the roots rendered read (the closures of those components). */
function overrideComponentFiles(graph: KustomizationGraph, roots: readonly string[], added: readonly OverrideComponents[] | undefined): string[] {
  const rendered = new Set(roots);
  const out: string[] = [];
  for (const { root, components } of added ?? []) {
    if (!rendered.has(root)) continue;
    for (const c of components) if (graph.nodes.has(c)) out.push(...graph.closure(c));
  }
  return out;
}

/** The kustomization files among a tree's paths: the first round of reads. */
export function kustomizationPaths(paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const p of paths) if (isKustomizationFile(p)) out.push(p);
  return out;
}

function decodeText(content: FileContent): string | null {
  if (typeof content === "string") return content;
  if (isUnread(content)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return null;
  }
}

/** The text of fetched content, or null when it is not UTF-8. */
export function contentText(content: FileContent | null | undefined): string | null {
  return content === null || content === undefined ? null : decodeText(content);
}

/**
 * What the plan reads of a kustomization: the data of the engine's own parse of the file when it holds one clean
 * document (so the file is not parsed again), else its text.
 */
export function kustomizationInput(parsed: ParsedFile | undefined, text: () => string | null): string | { value: unknown } | null {
  const doc = parsed && parsed.problems.length === 0 && parsed.skipped === null && parsed.docs.length === 1 ? parsed.docs[0] : undefined;
  return doc ? { value: doc.value } : text();
}

const APPLICATION_KIND = /kind:\s*["']?Application["']?\s*$/m;

/** Whether a file's text may hold an Argo CD Application (a cheap check before parsing it). */
export function mentionsApplication(content: FileContent | null | undefined): boolean {
  const text = content ? rawText(content) : null;
  return text !== null && APPLICATION_KIND.test(text);
}

const APPLICATION_SET_KIND = /kind:\s*["']?ApplicationSet["']?\s*$/m;

/** Whether a file's text may hold an Argo CD ApplicationSet (a cheap check before parsing it). */
export function mentionsApplicationSet(content: FileContent | null | undefined): boolean {
  const text = content ? rawText(content) : null;
  return text !== null && APPLICATION_SET_KIND.test(text);
}

/** The documents (plain data) of a file's raw content, when it may hold Applications (a cheap text check first); never throws. */
export function applicationDocuments(content: FileContent | null | undefined): unknown[] {
  return argoDocuments(content, false);
}

/** The documents (plain data) of a file's raw content, when it may hold Applications or ApplicationSets; never throws. */
function argoDocuments(content: FileContent | null | undefined, sets: boolean): unknown[] {
  if (!mentionsApplication(content) && !(sets && mentionsApplicationSet(content))) return [];
  const text = contentText(content);
  if (text === null) return [];
  const out: unknown[] = [];
  try {
    for (const doc of parseAllDocuments(text, { logLevel: "silent" })) if (doc.errors.length === 0) out.push(doc.toJS({ maxAliasCount: 100 }));
  } catch {
    return out;
  }
  return out;
}

/**
 * Argo CD source paths of the Applications in a file's raw content (a cheap text check first; never throws) and,
 * given the side's files, of the Applications its ApplicationSets generate. `own`: which `repoURL`s are of this
 * repository (the files' `ownRepoURL` when not given; absent: all).
 */
export function applicationSourcePaths(content: FileContent | null | undefined, files?: ApplicationSetFiles, own: OwnRepoURL | null | undefined = files?.ownRepoURL): string[] {
  return argoDocuments(content, files !== undefined).flatMap((v) => [...applicationPathsOf(v, own), ...(files ? applicationSetSourcePaths(v, files) : [])]);
}

/**
 * The source paths of the Applications the ApplicationSets among documents (plain data) generate (`overrides: false`:
 * none from a template source with `kustomize` overrides, see applicationSetSourcePaths).
 */
export function applicationSetPaths(values: readonly unknown[], files: ApplicationSetFiles, overrides = true): string[] {
  return values.flatMap((v) => applicationSetSourcePaths(v, files, overrides));
}

/** `applicationSetPaths`, each path with what generated it (see `applicationSetPathOrigins`). */
export function applicationSetPathsWithOrigins(values: readonly unknown[], files: ApplicationSetFiles): GeneratedPathOrigin[] {
  return values.flatMap((v) => applicationSetPathOrigins(v, files));
}

/** The documents (plain data) of a file that may hold ApplicationSets (a cheap text check first); never throws. */
export function applicationSetDocuments(content: FileContent | null | undefined): unknown[] {
  return mentionsApplicationSet(content) ? argoDocuments(content, true) : [];
}

/**
 * The files the ApplicationSets in a file's raw content read (git files generators' configs), among a side's paths;
 * not those of a generator of another repository (`own`, see `ownRepoURL`).
 */
export function applicationSetFileReads(content: FileContent | null | undefined, paths: readonly string[], own?: OwnRepoURL | null): string[] {
  if (!mentionsApplicationSet(content)) return [];
  return argoDocuments(content, true).flatMap((v) => (isApplicationSet(v) ? applicationSetReads(v, paths, own ?? undefined) : []));
}

/**
 * Files that may hold ApplicationSets by their name (`applicationset(s)`, `appset(s)` in a directory or file name):
 * read on both sides of a review even when unchanged, so a change to a directory an unchanged ApplicationSet points at
 * (or to a config file its git files generator reads) is judged as Argo CD applies it. So are files in Argo CD
 * directories (`ARGO_DIRECTORY`, up to a cap). Other ApplicationSets are seen when a pull request changes them or when a
 * render holds them (an Application pointing at a directory of them).
 */
const APPLICATION_SET_NAME = /(?:^|[/._-])(?:application-?sets?|app-?sets?)(?:[/._-]|$)/i;

/**
 * argocd-autopilot's layout: each `projects/<env>.yaml` at the repository's root holds an AppProject and the
 * ApplicationSet (a git files generator over `apps/<app>/overlays/<env>/config.json`) that makes its Applications
 * (held-out round 9: a deleted config.json passed silently; about 640 repositories in the code index have autopilot's
 * bootstrap).
 */
const AUTOPILOT_PROJECT = /^projects\/[^/]+\.ya?ml$/;

/**
 * An Argo CD directory's list of apps (`production/argo-cd/resources/apps.yaml`, `argocd/applications.yml`): a file
 * named `apps` or `applications` anywhere under a directory named `argo-cd` or `argocd`, where an ApplicationSet is
 * often kept beside Applications (held-out round 11: deleting a directory its git generator listed passed silently).
 * Costs one more read per side for each such file a review does not change (two or three in a usual repository).
 */
const ARGOCD_APPS_LIST = /(?:^|\/)argo-?cd\/(?:[^/]+\/)*(?:apps|applications)\.ya?ml$/i;

/** Whether a path names an ApplicationSet's file (see `APPLICATION_SET_NAME`, `AUTOPILOT_PROJECT`, `ARGOCD_APPS_LIST`). */
export function isNamedForApplicationSets(path: string): boolean {
  return isYamlPath(path) && (APPLICATION_SET_NAME.test(path) || AUTOPILOT_PROJECT.test(path) || ARGOCD_APPS_LIST.test(path));
}

/**
 * A directory where Argo CD's own objects are kept, whatever their files are named: `argocd/`, `argo-cd/`, `argo/`,
 * `applicationsets/`, `appsets/` or `bootstrap/` at any depth (held-out round 12: `argocd/services.yaml`'s git
 * directories generator was never read while unchanged, so deleting an overlay it generated passed). These are the
 * directories the ApplicationSets of the trial repositories sit in (`argocd/bootstrap/management/clustergenerator.yaml`,
 * `gitops/bootstrap/applicationset.yaml`); a name as common as `clusters/` or `apps/` is not among them. Also
 * `applications/` at any depth and the files directly in an `apps/` directory (the app-of-apps layout: `apps/web.yaml`,
 * not `apps/web/deployment.yaml`), where Applications are kept: the values files they name in `helm.valueFiles` are
 * judged as values when a pull request changes only those (held-out round 13, see review.ts).
 */
const ARGO_DIRECTORY = /(?:^|\/)(?:(?:argo|argo-?cd|application-?sets?|app-?sets?|bootstrap|applications)\/|apps\/[^/]+$)/i;

/**
 * argocd-autopilot's apps: `apps/<app>/overlays/<project>/config.json` (or `config_dir.json`), the config its project's
 * ApplicationSet reads (see `AUTOPILOT_PROJECT`), beside `apps/<app>/base/`. The YAML files directly in an app's `base/`
 * and `overlays/<project>/` directories are in an Argo CD directory when it has such a config: autopilot's users keep
 * Applications there (`apps/umami/base/application.yaml`, an app of apps naming `$values/apps/umami/overrides.yaml`;
 * held-out round 21: a password added to that values file passed). Apps without a config are an ordinary Kustomize
 * layout (`apps/web/base/deployment.yaml`): not read so.
 */
const AUTOPILOT_CONFIG = /^apps\/([^/]+)\/overlays\/[^/]+\/config(?:_dir)?\.json$/;
const AUTOPILOT_APP_FILE = /^apps\/([^/]+)\/(?:base|overlays\/[^/]+)\/[^/]+$/;

/** Whether a path is a file of an argocd-autopilot app's `base/` or `overlays/<project>/` (see `AUTOPILOT_CONFIG`). */
function inAutopilotApp(path: string, apps: ReadonlySet<string>): boolean {
  const m = AUTOPILOT_APP_FILE.exec(path);
  return m !== null && apps.has(m[1]!);
}

/** The apps of an argocd-autopilot layout among a side's paths (those with a `config.json`), by name. */
function autopilotApps(paths: readonly string[]): Set<string> {
  const apps = new Set<string>();
  for (const p of paths) {
    const m = AUTOPILOT_CONFIG.exec(p);
    if (m) apps.add(m[1]!);
  }
  return apps;
}

/** YAML files in Argo CD directories (`ARGO_DIRECTORY`) not named for ApplicationSets: at most this many are read, by path. */
export const MAX_ARGO_DIRECTORY_FILES = 300;

/** The files that may hold ApplicationSets whatever the review changes (see `applicationSetCandidates`). */
export interface ApplicationSetCandidates {
  /** The files to read, in the order of the paths given. */
  paths: string[];
  /** The files in Argo CD directories past `MAX_ARGO_DIRECTORY_FILES`, by path: not read unless the review changes them. */
  leftOut: string[];
}

/**
 * The files that may hold ApplicationSets, read on both sides of a review even when unchanged: those whose path names
 * them (`isNamedForApplicationSets`), and YAML files in a directory where Argo CD's objects are kept (`ARGO_DIRECTORY`,
 * or an argocd-autopilot app's `base/` and `overlays/<project>/`: `AUTOPILOT_CONFIG`; kustomization files aside, and
 * those the config's `paths.exclude` leaves out: `excludes`), the first `MAX_ARGO_DIRECTORY_FILES` in `likelyFirst`
 * order for the directories the pull request `removed` (by path when none).
 * The readers keep only a file whose text holds `kind: ApplicationSet` (see `mentionsApplicationSet`), an Application
 * left pointing at a removed directory (render-stage.ts), or an Application naming Helm values files (review.ts).
 */
export function applicationSetCandidateList(paths: readonly string[], excludes: (path: string) => boolean = () => false, removed: readonly string[] = []): ApplicationSetCandidates {
  const apps = autopilotApps(paths);
  const inArgoDirectories = paths.filter((p) => isYamlPath(p) && (ARGO_DIRECTORY.test(p) || inAutopilotApp(p, apps)) && !isNamedForApplicationSets(p) && !isKustomizationFile(p) && !excludes(p));
  const ordered = likelyFirst(inArgoDirectories, removed);
  const kept = new Set(ordered.slice(0, MAX_ARGO_DIRECTORY_FILES));
  return { paths: paths.filter((p) => isNamedForApplicationSets(p) || kept.has(p)), leftOut: ordered.slice(MAX_ARGO_DIRECTORY_FILES).sort() };
}

/** The files to read for ApplicationSets (`applicationSetCandidateList`'s `paths`). */
export function applicationSetCandidates(paths: readonly string[], excludes?: (path: string) => boolean, removed: readonly string[] = []): string[] {
  return applicationSetCandidateList(paths, excludes, removed).paths;
}

/**
 * The directories of the base side that hold no file on the head (a directory the pull request deletes or renames),
 * sorted; none when a side is missing. What `applicationSetCandidateList` reads first for (see `likelyFirst`).
 */
export function removedDirectories(base: readonly string[] | undefined, head: readonly string[] | undefined): string[] {
  if (!base || !head) return [];
  const onHead = directoriesOf(head);
  return [...directoriesOf(base)].filter((d) => !onHead.has(d)).sort();
}

/**
 * Files in the order to read them when only some can be: those whose path shares a word (see `wordsOf`) with a
 * `removed` directory first — the rarest shared word among the files first, so `argocd/apps/app95.yaml` (`app95`)
 * comes before the files that share only `apps` with `apps/app95/overlays/prod` — then the rest; by path within each
 * (held-out round 17: an unchanged Application past the cap, left pointing at a deleted overlay, was never read).
 */
export function likelyFirst(files: readonly string[], removed: readonly string[]): string[] {
  const removedWords = new Set(removed.flatMap(wordsOf));
  const shared = new Map(files.map((f) => [f, [...new Set(wordsOf(f.replace(/\.ya?ml$/i, "")))].filter((w) => removedWords.has(w))]));
  const frequency = new Map<string, number>();
  for (const words of shared.values()) for (const w of words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const rarest = (f: string): number => Math.min(...shared.get(f)!.map((w) => frequency.get(w)!));
  return [...files].sort((a, b) => rarest(a) - rarest(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The sources of the Applications in a changed file, with their `kustomize` overrides and the overrides' origins,
 * when the file may hold overrides at all (a cheap text check first; [] otherwise; never throws). `all`: every
 * Application's sources, overrides or not (their names pick their parameter-override files, see render-stage.ts).
 * `own`: only the sources of this repository (see `ownRepoURL`).
 */
export function applicationOverrides(path: string, content: FileContent | null | undefined, all = false, own?: OwnRepoURL | null): ApplicationSource[] {
  const text = mentionsApplication(content) ? contentText(content) : null;
  const sources = text !== null && (all || mayHoldKustomizeOverrides(text)) ? applicationSources(path, text) : [];
  return own ? ownSources(sources, own) : sources;
}

/** The sources of this repository among Applications' sources (a `repoURL` that names another one is not). */
export function ownSources(sources: readonly ApplicationSource[], own: OwnRepoURL | null | undefined): ApplicationSource[] {
  return own ? sources.filter((s) => own(s.repoURL)) : [...sources];
}

/** Whether any of the path lists names an Argo CD parameter-override file (`.argocd-source*.yaml`). */
export function hasParameterFiles(...lists: ReadonlyArray<readonly string[] | undefined>): boolean {
  return lists.some((l) => l?.some((p) => p.includes(".argocd-source") && isParameterFile(p)));
}

/**
 * The directories whose build the changed Applications' overrides change (on whichever side they are written):
 * `planRender`'s `reached`, so adapters fetch, and the engine renders, a root a pull request changes only through an
 * Application's `kustomize` block.
 */
export function overriddenPaths(contents: ReadonlyArray<FileContent | null | undefined>, own?: OwnRepoURL | null): string[] {
  return contents.flatMap((c) => applicationOverrides("", c, false, own).flatMap((s) => (s.edit ? [s.path] : [])));
}

/**
 * The directories whose build a changed ApplicationSet's template `kustomize` overrides change, on one side (given
 * that side's files): `planRender`'s `reached`, as `overriddenPaths` for Applications (see render-stage.ts).
 */
export function applicationSetOverriddenPaths(content: FileContent | null | undefined, files: ApplicationSetFiles): string[] {
  return [...new Set(applicationSetOverrideSources(content, files).flatMap((s) => (s.edit ? [s.path] : [])))];
}

/** The sources, with their `kustomize` overrides, of the Applications the ApplicationSets in a file generate, on one side. */
function applicationSetOverrideSources(content: FileContent | null | undefined, files: ApplicationSetFiles): ApplicationSource[] {
  if (!mentionsApplicationSet(content)) return [];
  return applicationSetSourcesIn("", contentText(content), files)?.sources ?? [];
}

/**
 * The directories the changed Applications point at on one side and not on the other (an Application added, removed,
 * or its `path` changed): what Argo CD applies there starts or stops, so `planRender`'s `reached` — the directory is
 * rendered on the side that points at it, and its findings are new (or fixed) unless an overlay renders them anyway.
 */
export function retargetedPaths(argoPaths: Partial<Record<Side, readonly string[]>>): string[] {
  const base = new Set(argoPaths.base ?? []);
  const head = new Set(argoPaths.head ?? []);
  const out = new Set<string>();
  for (const p of head) if (!base.has(p)) out.add(p);
  for (const p of base) if (!head.has(p)) out.add(p);
  return [...out];
}

/**
 * What an adapter hands `planRender` about Argo CD before reading a closure: each side's source paths (of the
 * Applications and ApplicationSets among the changed files, and of the unchanged ApplicationSets in files named for
 * them) and the directories the change reaches through them (overrides, paths that start or stop being applied). One
 * function for the CLI's and the App's gatherers, so that both read the same files. Sides without `files` are absent.
 * `identity`: the repository under review (`RepositoryView.identity`): sources of other repositories are left out.
 */
export function argoSourcesOf(
  changes: ReadonlyArray<Partial<Record<Side, FileContent | null | undefined>>>,
  unchangedSets: Partial<Record<Side, ReadonlyArray<FileContent | null | undefined>>>,
  sideFiles: Partial<Record<Side, ApplicationSetFiles>>,
  identity?: string,
): { argoPaths: Record<Side, string[]>; reached: string[]; overrideComponents: Record<Side, OverrideComponents[]> } {
  const own = ownRepoURL(identity);
  const files = own ? withOwnRepo(sideFiles, own) : sideFiles;
  const argoPaths: Record<Side, string[]> = { base: [], head: [] };
  const overrideComponents: Record<Side, OverrideComponents[]> = { base: [], head: [] };
  const reached: string[] = [];
  const sides = (["base", "head"] as const).filter((s) => files[s] !== undefined);
  for (const c of changes) {
    for (const s of sides) {
      argoPaths[s].push(...applicationSourcePaths(c[s], files[s], own));
      reached.push(...applicationSetOverriddenPaths(c[s], files[s]!));
      overrideComponents[s].push(...overrideComponentsOf(applicationOverrides("", c[s], false, own)), ...overrideComponentsOf(applicationSetOverrideSources(c[s], files[s]!)));
    }
    reached.push(...overriddenPaths([c.head, c.base], own));
  }
  for (const s of sides) for (const c of unchangedSets[s] ?? []) argoPaths[s].push(...applicationSetPaths(applicationSetDocuments(c), files[s]!));
  for (const s of sides) for (const c of unchangedSets[s] ?? []) overrideComponents[s].push(...overrideComponentsOf(applicationSetOverrideSources(c, files[s]!)));
  reached.push(...retargetedPaths(argoPaths));
  return { argoPaths, reached, overrideComponents };
}

/** Each side's files, told which `repoURL`s are of this repository. */
function withOwnRepo(files: Partial<Record<Side, ApplicationSetFiles>>, own: OwnRepoURL): Partial<Record<Side, ApplicationSetFiles>> {
  const out: Partial<Record<Side, ApplicationSetFiles>> = {};
  for (const s of ["base", "head"] as const) if (files[s]) out[s] = { ...files[s], ownRepoURL: own };
  return out;
}

/**
 * `spec.source(s).path` of one document when it is an Argo CD Application (plain data); with `own`, only of the
 * sources of this repository (see `ownRepoURL`).
 */
export function applicationPathsOf(value: unknown, own?: OwnRepoURL | null): string[] {
  if (typeof value !== "object" || value === null) return [];
  const v = value as { apiVersion?: unknown; kind?: unknown; spec?: unknown };
  if (v.kind !== "Application" || typeof v.apiVersion !== "string" || !v.apiVersion.startsWith("argoproj.io/")) return [];
  if (!own) return argoCdSourcePaths(value);
  const spec = typeof v.spec === "object" && v.spec !== null ? (v.spec as { source?: unknown; sources?: unknown }) : {};
  const sources = argoCdReadSourcesOf(spec).map((x) => x.source);
  return argoCdSourcePaths({ spec: { sources: sources.filter((s) => typeof s !== "object" || s === null || own((s as { repoURL?: unknown }).repoURL)) } });
}

/**
 * The paths of the sources of one document, when it is an Argo CD Application, that Argo CD reads as a directory of
 * manifests recursively (`directory.recurse: true`): every manifest under such a path is applied, whatever a
 * kustomization in a subdirectory names (Argo CD builds a kustomization only at a source's own path). With `own`, only
 * sources of this repository (see `ownRepoURL`).
 */
export function recursiveDirectoryPathsOf(value: unknown, own?: OwnRepoURL | null): string[] {
  return applicationSourcePathsWhere(value, own, (src) => {
    const d = src.directory;
    return typeof d === "object" && d !== null && (d as { recurse?: unknown }).recurse === true;
  });
}

/**
 * The paths of the sources of one document, when it is an Argo CD Application, that a config management plugin builds
 * (`plugin:`): what the plugin runs is not known here. With `own`, only sources of this repository.
 */
export function pluginSourcePathsOf(value: unknown, own?: OwnRepoURL | null): string[] {
  return applicationSourcePathsWhere(value, own, (src) => src.plugin !== undefined);
}

/** The paths of the sources Argo CD reads of one document, when it is an Argo CD Application, that `keep` (and `own`) accept. */
function applicationSourcePathsWhere(value: unknown, own: OwnRepoURL | null | undefined, keep: (source: Record<string, unknown>) => boolean): string[] {
  if (typeof value !== "object" || value === null) return [];
  const v = value as { apiVersion?: unknown; kind?: unknown; spec?: unknown };
  if (v.kind !== "Application" || typeof v.apiVersion !== "string" || !v.apiVersion.startsWith("argoproj.io/")) return [];
  const sources = argoCdReadSourcesOf(v.spec)
    .map((x) => x.source)
    .filter((src): src is Record<string, unknown> => typeof src === "object" && src !== null && keep(src as Record<string, unknown>) && (!own || own((src as { repoURL?: unknown }).repoURL)));
  return argoCdSourcePaths({ spec: { sources } });
}

/**
 * The paths of the sources of other repositories (see `ownRepoURL`) of one document when it is an Argo CD
 * Application: what `applicationPathsOf` without `own` gives beyond what it gives with it.
 */
export function foreignApplicationPathsOf(value: unknown, own: OwnRepoURL): string[] {
  if (typeof value !== "object" || value === null) return [];
  const all = applicationPathsOf(value);
  if (all.length === 0) return [];
  const kept = applicationPathsOf(value, own);
  if (kept.length === all.length) return [];
  const left = new Map<string, number>();
  for (const p of kept) left.set(p, (left.get(p) ?? 0) + 1);
  return all.filter((p) => {
    const n = left.get(p) ?? 0;
    if (n === 0) return true;
    left.set(p, n - 1);
    return false;
  });
}

/** Graphs already built for a side input (a plan is made again when renders find Applications). */
const graphs = new WeakMap<SidePlanInput, KustomizationGraph>();

/** The kustomization graph of one side (kustomizations that were not read are left out); built once per input. */
function graphOf(side: SidePlanInput): KustomizationGraph {
  let g = graphs.get(side);
  if (!g) graphs.set(side, (g = buildGraph(side)));
  return g;
}

function buildGraph(side: SidePlanInput): KustomizationGraph {
  const kustomizations: Array<{ path: string; text: string } | { path: string; value: unknown }> = [];
  for (const path of kustomizationPaths(side.paths)) {
    const k = side.kustomization(path);
    if (k !== null) kustomizations.push(typeof k === "string" ? { path, text: k } : { path, value: k.value });
  }
  return buildKustomizationGraph(kustomizations, side.paths);
}

/** The roots each side renders and the files those renders read. */
export function planRender(input: RenderPlanInput): Partial<Record<Side, SidePlan>> {
  const sides = (["base", "head"] as const).filter((s) => input.sides[s] !== undefined);
  const bySide = new Map<Side, KustomizationGraph>(sides.map((s) => [s, graphOf(input.sides[s]!)]));
  const kustomizationFile = (g: KustomizationGraph, root: string) => g.nodes.get(root)?.file ?? root;
  const affected = new Set<string>();
  for (const s of sides) {
    const graph = bySide.get(s)!;
    for (const r of graph.affectedRoots(withUnreadDirectories(graph, input.changed), input.argoPaths?.[s] ?? [])) affected.add(r);
  }
  for (const r of input.reached ?? []) affected.add(r);
  // A kustomization no other one uses on one side stays a root on the other, where it still is a kustomization: a
  // pull request that puts an overlay on top of `prod` (`prod-eu` with `resources: [../prod]`), or deletes the one
  // that was, does not change what the Application pointing at `prod` applies; rendered on one side only, `prod`'s
  // findings would read `fixed` (or `new`). Not the Applications' paths: a changed Application that stops pointing at
  // a directory does change what Argo CD applies (see `retargetedPaths`).
  const standalone = new Set<string>();
  for (const s of sides) for (const r of bySide.get(s)!.roots()) standalone.add(r);
  const candidatesOf = (s: Side): string[] => {
    const graph = bySide.get(s)!;
    const own = graph.roots(input.argoPaths?.[s] ?? []);
    return sides.length < 2 ? own : [...new Set([...own, ...[...standalone].filter((r) => graph.nodes.has(r))])].sort();
  };
  const candidates = new Map<Side, string[]>(sides.map((s) => [s, candidatesOf(s)]));
  const rootsOf = (s: Side): string[] => candidates.get(s)!.filter((r) => affected.has(r) && !input.excludes?.(kustomizationFile(bySide.get(s)!, r)));
  const vanished =
    sides.length === 2
      ? vanishedRoots({ graph: bySide.get("base")!, roots: rootsOf("base"), candidates: candidates.get("base")! }, { graph: bySide.get("head")!, roots: rootsOf("head"), paths: input.sides.head!.paths })
      : null;
  for (const r of vanished?.sharing ?? []) affected.add(r);
  // A root the pull request may mend (see `mendingRoots`): the roots sharing its files are rendered on both sides, so
  // its base lines they already apply stay `existing` when it starts building (review.ts `reportedByOtherRoot`).
  if (sides.length === 2) {
    const base = { graph: bySide.get("base")!, candidates: candidates.get("base")! };
    for (const r of mendingRoots(base, { graph: bySide.get("head")!, roots: rootsOf("head") }, rootsOf("base"))) affected.add(r);
  }
  const out: Partial<Record<Side, SidePlan>> = {};
  for (const s of sides) {
    const graph = bySide.get(s)!;
    const roots = rootsOf(s);
    const files = new Set<string>();
    for (const r of roots) for (const f of graph.closure(r)) files.add(f);
    for (const f of overrideComponentFiles(graph, roots, input.overrideComponents?.[s])) files.add(f);
    out[s] = { graph, roots, files: [...files].sort() };
  }
  if (out.base && out.head) out.base.files = withPlainManifests(out.base, out.head, input.sides.base!.paths);
  // Kustomizations the change reaches inside the roots (an overlay another overlay builds on) that an unchanged
  // Application may apply as they are: the files by their names that may hold it are read on both sides (a pull
  // request that makes `prod` privileged while `prod-eu`, on top of it, patches that away must not pass when
  // `argocd/prod.yaml` deploys `prod`). The render stage adds what they point at to the Applications' paths.
  if (out.base && out.head) {
    const changed = new Set(input.changed);
    const inner = [...new Set(sides.flatMap((s) => innerReached(out[s]!, changed)))].sort().slice(0, MAX_INNER_DIRECTORIES);
    const unchanged = (s: Side) => input.sides[s]!.paths.filter((p) => !changed.has(p));
    for (const s of sides) {
      const paths = unchanged(s);
      const files = inner.length === 0 ? [] : [...new Set([...applicationFilesFor(inner, paths), ...namedForApplications(paths)])].sort();
      if (files.length === 0) continue;
      out[s]!.pointerFiles = files;
      out[s]!.files = [...new Set([...out[s]!.files, ...files])].sort();
    }
  }
  // A YAML file the pull request deletes or moves away may hold an Argo CD object its parent Application reads: the
  // files named for Applications are read on both sides (held-out round 18: an ApplicationSet moved out of the root
  // Application's directory passed, though Argo CD prunes it and every Application it generated).
  if (out.base && out.head) {
    const onHead = new Set(input.sides.head!.paths);
    const onBase = new Set(input.sides.base!.paths);
    const changed = new Set(input.changed);
    if (input.changed.some((p) => isYamlPath(p) && !isKustomizationFile(p) && !onHead.has(p) && onBase.has(p))) {
      for (const s of sides) {
        const files = namedForApplications(input.sides[s]!.paths.filter((p) => !changed.has(p)));
        if (files.length === 0) continue;
        out[s]!.readerFiles = files;
        out[s]!.files = [...new Set([...out[s]!.files, ...files])].sort();
      }
    }
  }
  if (out.base && out.head && vanished && vanished.roots.length > 0) {
    out.base.vanished = vanished;
    const changed = new Set(input.changed);
    // By name for the deleted directory (`argocd/auth-api-demo.yaml`), and the files kept for Applications whatever they
    // apply (`applications/app-audio.yaml`; held-out round 13: deleting the overlay it pointed at passed unnoted).
    const unchanged = input.sides.head!.paths.filter((p) => !changed.has(p));
    const applicationFiles = [...new Set([...applicationFilesFor(vanished.deletedDirectories, unchanged), ...namedForApplications(unchanged)])].sort();
    if (applicationFiles.length > 0) {
      out.head.applicationFiles = applicationFiles;
      out.head.files = [...new Set([...out.head.files, ...applicationFiles])].sort();
    }
  }
  return out;
}

/**
 * The roots rendered on the base side and not on the head (a root the pull request only moves to another directory,
 * see `movedRoot`, is not one), and the other roots of the base side (among its `candidates`) that read a file one of
 * them reads, those that share most files first (at most `MAX_SHARING_ROOTS` in all): rendered on both sides, the
 * lines they share keep their findings `existing` (see vanished-roots.ts). Null when no root vanishes.
 */
export function vanishedRoots(
  base: { graph: KustomizationGraph; roots: readonly string[]; candidates: readonly string[] },
  head: { graph: KustomizationGraph; roots: readonly string[]; paths: readonly string[] },
): VanishedRoots | null {
  const onHead = new Set(head.roots);
  const added = head.roots.filter((r) => !base.roots.includes(r));
  const roots = base.roots.filter((r) => !onHead.has(r) && !added.some((h) => movedRoot(base.graph, r, head.graph, h)));
  if (roots.length === 0) return null;
  const gone = new Set(roots);
  const read = new Set(roots.flatMap((r) => base.graph.closure(r)));
  const shared = base.candidates
    .filter((r) => !gone.has(r))
    .map((r) => ({ root: r, count: base.graph.closure(r).filter((f) => read.has(f)).length }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count || a.root.localeCompare(b.root))
    .map((x) => x.root);
  const headDirs = directoriesOf(head.paths);
  return {
    roots,
    sharing: shared.slice(0, MAX_SHARING_ROOTS).sort(),
    leftOut: shared.slice(MAX_SHARING_ROOTS).sort(),
    deletedDirectories: roots.filter((r) => r !== "" && !headDirs.has(r)),
  };
}

/**
 * The roots of the base side (among its `candidates`, not already `rendered`) that read a file a root the pull
 * request may mend reads on the head, those that share most files first (at most `MAX_SHARING_ROOTS`). A root may be
 * mended when its base closure names what a build cannot follow (a missing file or directory; a file outside its
 * kustomization's directory, which Kustomize's load restrictions refuse) and its head closure does not: the base side
 * cannot render it, so its lines that other roots apply are known `existing` only from those roots' base renders
 * (not a root that names what its build cannot follow either).
 */
export function mendingRoots(base: { graph: KustomizationGraph; candidates: readonly string[] }, head: { graph: KustomizationGraph; roots: readonly string[] }, rendered: readonly string[]): string[] {
  const mending = head.roots.filter((r) => base.graph.nodes.has(r) && namesUnfollowable(base.graph, r) && !namesUnfollowable(head.graph, r));
  if (mending.length === 0) return [];
  const skip = new Set([...mending, ...rendered]);
  const read = new Set(mending.flatMap((r) => head.graph.closure(r)));
  // A root that cannot build either (a sibling overlay with the same fault) tells nothing and only adds a note.
  return base.candidates
    .filter((r) => !skip.has(r) && !namesUnfollowable(base.graph, r))
    .map((r) => ({ root: r, count: base.graph.closure(r).filter((f) => read.has(f)).length }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count || a.root.localeCompare(b.root))
    .slice(0, MAX_SHARING_ROOTS)
    .map((x) => x.root)
    .sort();
}

/** Whether a kustomization of a root's closure names a local path its build cannot follow (see `mendingRoots`). */
function namesUnfollowable(graph: KustomizationGraph, root: string): boolean {
  for (const f of graph.closure(root)) {
    const node = graph.nodes.get(directoryOf(f));
    if (node === undefined || node.file !== f) continue;
    if (node.unresolved.some((rel) => !looksRemote(rel))) return true;
    if (node.reads.some((r) => node.dir !== "" && !r.startsWith(`${node.dir}/`))) return true;
  }
  return false;
}


/**
 * Whether a root of the base side reads, on the head side, as the root `to` there (a directory the pull request renamed):
 * the same files outside its own directory, and as many inside it.
 */
function movedRoot(baseGraph: KustomizationGraph, from: string, headGraph: KustomizationGraph, to: string): boolean {
  const split = (files: readonly string[], dir: string) => {
    const outside = files.filter((f) => dir !== "" && !f.startsWith(`${dir}/`));
    return { inside: files.length - outside.length, outside: outside.join("\n") };
  };
  const a = split(baseGraph.closure(from), from);
  const b = split(headGraph.closure(to), to);
  return a.inside === b.inside && a.outside === b.outside;
}

/** Every directory that holds a file among `paths` (transitively; "" included). */
export function directoriesOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>([""]);
  for (const p of paths) for (let d = directoryOf(p); d !== "" && !dirs.has(d); d = directoryOf(d)) dirs.add(d);
  return dirs;
}

/** The words of a path (split at `/`, `.`, `-`, `_`), lower-cased. */
function wordsOf(path: string): string[] {
  return path.toLowerCase().split(/[/._-]+/).filter((w) => w !== "");
}

/**
 * The unchanged YAML files most likely to hold an Argo CD Application pointing at one of the deleted directories: a
 * file whose name (without its directory) holds the directory's last word (`argocd/auth-api-demo.yaml` for
 * `apps/auth-api/overlays/demo`), those whose name shares most words with it first, at most `MAX_APPLICATION_FILES`.
 * Not a kustomization file, nor a file under a deleted directory. Guessed by name, as no Application file is read
 * before: an Application named otherwise is not found.
 */
export function applicationFilesFor(deleted: readonly string[], paths: readonly string[]): string[] {
  if (deleted.length === 0) return [];
  const scored = new Map<string, number>();
  for (const dir of deleted) {
    const words = new Set(wordsOf(dir));
    const last = wordsOf(dir.slice(dir.lastIndexOf("/") + 1));
    for (const p of paths) {
      if (!isYamlPath(p) || isKustomizationFile(p) || p.startsWith(`${dir}/`)) continue;
      const name = wordsOf(p.slice(p.lastIndexOf("/") + 1).replace(/\.ya?ml$/i, ""));
      if (!last.every((w) => name.includes(w))) continue;
      const score = name.filter((w) => words.has(w)).length;
      scored.set(p, Math.max(scored.get(p) ?? 0, score));
    }
  }
  return [...scored.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, MAX_APPLICATION_FILES)
    .map(([p]) => p)
    .sort();
}

/** Every file some kustomization of a graph reads (kustomization files included), per graph. */
const readByGraph = new WeakMap<KustomizationGraph, ReadonlySet<string>>();

function readFiles(graph: KustomizationGraph): ReadonlySet<string> {
  let read = readByGraph.get(graph);
  if (!read) {
    const all = new Set<string>();
    for (const n of graph.nodes.values()) {
      all.add(n.file);
      for (const f of n.reads) all.add(f);
    }
    readByGraph.set(graph, (read = all));
  }
  return read;
}

/**
 * The kustomization of the directory holding a changed YAML file that no kustomization reads (a manifest left out of
 * `resources`, or just taken out of it), when that directory has one. It stands for the file in the changed paths, so
 * the roots above that kustomization render: a file they do not read is not what Argo CD applies (see review.ts).
 */
export function unreadKustomization(graph: KustomizationGraph, path: string): string | null {
  if (!isYamlPath(path) || isKustomizationFile(path) || readFiles(graph).has(path)) return null;
  return graph.nodes.get(directoryOf(path))?.file ?? null;
}

function withUnreadDirectories(graph: KustomizationGraph, changed: readonly string[]): readonly string[] {
  const extra = new Set<string>();
  for (const p of changed) {
    const k = unreadKustomization(graph, p);
    if (k !== null) extra.add(k);
  }
  return extra.size === 0 ? changed : [...changed, ...extra];
}

/**
 * The base side's files plus, for each head root whose directory has no kustomization on the base side (the pull
 * request adds it), the manifests of that directory the head's render reads and the base holds: Argo CD applied
 * them as plain manifests there, and the render stage judges them so on the base side.
 */
function withPlainManifests(base: SidePlan, head: SidePlan, basePaths: readonly string[]): string[] {
  const adopted = head.roots.filter((r) => !base.graph.nodes.has(r));
  if (adopted.length === 0) return base.files;
  const onBase = new Set(basePaths);
  const extra = adopted.flatMap((r) => head.graph.closure(r).filter((f) => directoryOf(f) === r && !isKustomizationFile(f) && onBase.has(f)));
  return extra.length === 0 ? base.files : [...new Set([...base.files, ...extra])].sort();
}
