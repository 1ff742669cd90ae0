/**
 * The render stage of a review (DESIGN 2b): builds the Kustomize roots a change reaches, on each side, in
 * process, from the repository view. A root that cannot be rendered becomes a note, and the changed files it
 * reads are reviewed one by one as before. Pure and synchronous; every file comes from the view.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Document } from "yaml";
import {
  applicationSetElementValues,
  applicationSetSourcesIn,
  applicationSourcesOf,
  createRenderSession,
  parameterFileApp,
  parameterFilesFor,
  readParameterFile,
  renderedNode,
  withParameterFiles,
  type ApplicationSource,
  directoryOf,
  isKustomizationFile,
  type BuildOptions,
  type BuildResult,
  type FileTree,
  type KustomizationEdit,
  type KustomizationGraph,
  type ParameterFileRead,
  type RenderSession,
  type ApplicationSetFiles,
  type ElementValue,
  type GeneratedPathOrigin,
} from "../kustomize/index.js";
import { joinPath } from "../kustomize/paths.js";
import type { ParsedFile } from "../parse/yaml-file.js";
import {
  applicationPathsOf,
  applicationSetCandidateList,
  applicationSetCandidates,
  applicationSetDocuments,
  applicationDocuments,
  applicationSetPaths,
  applicationSetPathsWithOrigins,
  contentText,
  directoriesOf,
  foreignApplicationPathsOf,
  kustomizationInput,
  MAX_ARGO_DIRECTORY_FILES,
  mentionsApplication,
  mentionsApplicationSet,
  ownSources,
  overrideComponentsOf,
  planRender,
  pluginSourcePathsOf,
  recursiveDirectoryPathsOf,
  removedDirectories,
  retargetedPaths,
  unreadKustomization,
  type SidePlan,
  type SidePlanInput,
} from "./render-plan.js";
import { rootList } from "./merge-rendered.js";
import { directoryReadsOf, type DirectoryRead } from "./argocd-directory-reads.js";
import { generatorNameAt, generatorNamedBy, varNamedBy } from "./generator-entry.js";
import { atLostKustomization } from "./lost-kustomization.js";
import { applicationSetRepository, missingPaths, sourcePointers, type MissingPath, type SourcePointer } from "./missing-source-paths.js";
import { ownRepoURL, sideTree, type FileContent, type OwnRepoURL, type RepositoryView, type Side } from "./repository.js";
import { runSteps, type Steps } from "./steps.js";
import { isYamlPath } from "./policy.js";

export interface RootRender {
  root: string;
  /** The root's kustomization file. */
  file: string;
  result: BuildResult;
  /**
   * What the render is called in notes and findings: the root, and for a render with an Application's `kustomize`
   * overrides applied, the Application(s) too.
   */
  label: string;
  /**
   * Only the ConfigMap and Secret generators of a kustomization of a root that did not render (see
   * `generatorsOnly`): what they generate is applied whatever else the build does, and their `.env` and `files:`
   * inputs are not YAML files a review would judge one by one.
   */
  generatorsOnly?: true;
  /**
   * What stopped the strict build, the one Argo CD runs (a render the lenient build made, with plugins, remote
   * resources or missing inputs left out; or none). For a root with Helm charts, which the in-process render does not
   * inflate, what Kustomize with `--enable-helm` refuses all the same (see `helmRefusal`): absent when nothing does.
   */
  strictFailure?: string;
  /** The strict build refused it for its Helm charts alone (see `helmRefusal`). */
  helmCharts?: true;
  /** Where the refused value is written when that is not the kustomization (an Application's override: see BuildFailure). */
  failureAt?: { file: string; line: number; column: number };
}

/**
 * An Application left pointing at no directory (see `RenderStage.pathless`), at its `path:` value (a generated one
 * at the list element's value it is filled from).
 */
export interface PathlessApplication {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Where the `path:` value that names `path` is in an Application's text (its last segment is enough), else an
 * ApplicationSet template's templated `path:` value that fills in to it (`apps/web/overlays/{{env}}`: the longest
 * literal start that `path` begins with), else line 1, column 1. The column is the value's (its quote, if quoted).
 */
function sourcePathAt(text: string | null, path: string): { line: number; column: number } {
  if (text === null) return { line: 1, column: 1 };
  const last = path.slice(path.lastIndexOf("/") + 1);
  const lines = text.split("\n");
  const i = lines.findIndex((l) => /\bpath:/.test(l) && l.includes(last));
  if (i >= 0) return { line: i + 1, column: pathValueColumn(lines[i]!) };
  let best = { line: 1, column: 1, start: -1 };
  lines.forEach((l, n) => {
    const start = templatedPathStart(l);
    if (start !== null && start.length > best.start && path.startsWith(start)) best = { line: n + 1, column: pathValueColumn(l), start: start.length };
  });
  return { line: best.line, column: best.column };
}

/** The 1-based column of a line's `path:` value (1 when the line has none). */
function pathValueColumn(line: string): number {
  const m = /\bpath:[ \t]*/.exec(line);
  return m ? m.index + m[0].length + 1 : 1;
}

/**
 * The pointers, those an ApplicationSet generates at a directory the head side lacks told which list element's value
 * they are filled from (see `applicationSetElementValues`; each such file parsed once, only then).
 */
function withElementValues(pointers: readonly SourcePointer[], headDirectories: ReadonlySet<string>, text: (path: string) => string | null, files: ApplicationSetFiles): SourcePointer[] {
  const byFile = new Map<string, Map<string, ElementValue>>();
  return pointers.map((p) => {
    if (!p.generated || p.path === "" || headDirectories.has(p.path)) return p;
    let values = byFile.get(p.file);
    if (!values) byFile.set(p.file, (values = applicationSetElementValues(p.file, text(p.file), files)));
    const v = values.get(p.path);
    return v ? { ...p, element: { line: v.at.line, column: v.at.column, parameter: v.parameter, label: v.element } } : p;
  });
}

/** The literal text before the first template action of a line's templated `path:` value (null: no such value). */
function templatedPathStart(line: string): string | null {
  const m = /\bpath:\s*["']?([^"'{]*)\{\{/.exec(line);
  return m ? m[1]! : null;
}

/**
 * What a generated path's pointer says of the Applications pointing there (see `SourcePointer.survives`): they survive
 * the path's removal unless a git directories generator made one, and the repository under review is known
 * (`ownKnown`); the revision they read when they all read one.
 */
function generatedPointer(origin: GeneratedPathOrigin | undefined, ownKnown: boolean): Pick<SourcePointer, "generated" | "survives" | "revision"> {
  if (!origin || origin.revision === null) return { generated: true };
  const revision = origin.revision === "" ? {} : { revision: origin.revision };
  return { generated: true, ...(ownKnown && !origin.byDirectory ? { survives: true as const } : {}), ...revision };
}

/** A root the base side built and the head side cannot (see `brokenOnHead`): merged, Argo CD cannot sync it. */
export interface BrokenBuild {
  root: string;
  /** Its kustomization file: where the finding is reported. */
  file: string;
  /** The render's name (the root, with the Application whose overrides it applies). */
  label: string;
  /** Why the head side's build fails, as Kustomize (or Argo CD) says it. */
  reason: string;
  /** It has Helm charts: Kustomize builds it with `--enable-helm` (as Argo CD does), which the message's command says. */
  helmCharts?: true;
  /** Flux alone applies it (see `deployerHints`): the message names Flux's kustomize-controller, not Argo CD. */
  flux?: true;
  /**
   * No Argo CD object is known on either side of the review and Flux is not known to apply it: the message names no
   * deployer (held-out round 18: a Flux repository's finding said Argo CD cannot generate its manifests).
   */
  deployerUnknown?: true;
  /** Where the kustomization names what is missing (its `- extra.yaml` entry), when the reason says which: the finding is there. */
  at?: { file: string; line: number; column: number };
}

export interface SideRender {
  renders: RootRender[];
  /** Files read by a root that rendered: their documents are judged through the render. */
  covered: ReadonlySet<string>;
  /** Files of a root that did not render: reviewed one by one (also when another root covers them). */
  fallback: ReadonlySet<string>;
  /** The roots that did not render, each with the files it reads (its closure, kustomization files included). */
  failed: ReadonlyArray<{ root: string; files: readonly string[] }>;
  /**
   * Files only Kustomize Components nothing uses read (no kustomization lists them, no Application points at them),
   * each with its Component's kustomization file: Argo CD applies none of their objects.
   */
  unusedComponents: ReadonlyMap<string, string>;
  /** The roots of this side (rendered or not) whose build reads `path`, sorted. */
  readersOf(path: string): string[];
  /** Text of a file of this side (for rules that point inside block scalars). */
  text(path: string): string | null;
}

export interface RenderStage {
  sides: Partial<Record<Side, SideRender>>;
  notes: string[];
  /**
   * The roots rendered on the base side only because the head side no longer has them (see render-plan.ts
   * `vanishedRoots`): their `fixed` findings at lines another root still applies are not fixed (vanished-roots.ts).
   */
  vanished: string[];
  /**
   * The vanished roots whose directory an Argo CD Application of the head side still points at: Argo CD fails to
   * generate its manifests there and leaves what it applied running, so none of their findings is fixed.
   */
  stillPointedAt: string[];
  /**
   * Each side's tree as ApplicationSet generators read it, and the files named for ApplicationSets that the change
   * leaves as they are (the same text on both sides): the diff rules compare what such a set generates on each side
   * (a deleted overlay a git directories generator picked up is an Application the controller deletes).
   */
  applicationSets: {
    trees: Partial<Record<Side, ApplicationSetFiles>>;
    unchanged: Array<{ path: string; text: string }>;
    /**
     * The directory-type sources of the Applications a side's review knows (the changed ones, those in the files read
     * for Argo CD objects, and those the plan read for a file deleted or moved away: see render-plan.ts `readerFiles`),
     * of this repository; computed when asked (see argocd-directory-reads.ts).
     */
    directoryReads?: (side: Side) => readonly DirectoryRead[];
  };
  /** The roots the pull request breaks: built on the base side, refused on the head side by Kustomize or Argo CD. */
  broken: BrokenBuild[];
  /** The roots it mends: refused on the base side (as `broken` says of the head), built on the head side. */
  mended: BrokenBuild[];
  /**
   * Applications the pull request surely leaves pointing at no directory (it removes theirs, or a changed one names one
   * this repository does not have; see missing-source-paths.ts): merged, Argo CD cannot generate their manifests.
   */
  pathless: PathlessApplication[];
}

export interface RenderStageInput {
  view: RepositoryView;
  /** Every changed path, both sides. */
  changed: readonly string[];
  /** Contents the review holds for each side (the changed files): read before the view. */
  overlay: Record<Side, ReadonlyMap<string, FileContent>>;
  /**
   * The engine's own parse of a changed file on a side, to hand its YAML documents to the render. `likelyFails`: the
   * root being built has a reference its build cannot follow (remote, missing), so its files will most likely be
   * reviewed one by one: worth keeping the parse for that.
   */
  parsed(side: Side, path: string, likelyFails: boolean): ParsedFile | undefined;
  /** The same, kept for evaluation (for files the stage reads itself, e.g. kustomizations for the plan). */
  kept(side: Side, path: string): ParsedFile | undefined;
  /** Called after each root's build with whether it rendered (what `parsed` handed out meanwhile was for it). */
  built?(side: Side, ok: boolean): void;
  /**
   * Argo CD source paths of the Applications among the changed files (in their `kept` documents), per side; those of
   * sources of another repository than `view.identity` are left out here.
   */
  argoPaths: Record<Side, string[]>;
  /**
   * Sources (with their `kustomize` overrides, see argocd-overrides.ts) of the changed Applications that may carry
   * overrides, per side; each is one of `argoPaths`. A root gets one render per distinct override set, and the plain
   * render only when some Application points at it without overrides, or none is known.
   */
  applications?: Record<Side, ApplicationSource[]>;
  excludes(path: string): boolean;
}

/** Applications found in renders can add roots; each round needs no new file (see render-plan.ts), a few suffice. */
const MAX_PLAN_ROUNDS = 3;

export function renderStage(input: RenderStageInput): RenderStage {
  return runSteps(renderStageSteps(input));
}

/** The render stage in steps: one per root built (a caller may pace them, see steps.ts). */
export function* renderStageSteps(input: RenderStageInput): Steps<RenderStage> {
  const sides = (["base", "head"] as const).filter((s) => input.view[s] !== undefined);
  // The files read for Argo CD objects, those beside a removed directory first (as the adapters read them).
  const removed = removedDirectories(input.view.base?.paths, input.view.head?.paths);
  const notes: string[] = [];
  const sessions = new Map<Side, RenderSession>();
  const texts = new Map<Side, (path: string) => string | null>();
  const plainBuilds = new Map<Side, (root: string, files: readonly string[]) => BuildResult>();
  const generatorBuilds = new Map<Side, (kustomization: string) => BuildResult[]>();
  const lenientBuilds = new Map<Side, (root: string, edit?: KustomizationEdit) => BuildResult>();
  const helmlessBuilds = new Map<Side, (root: string, edit?: KustomizationEdit) => BuildResult>();
  const unrestrictedBuilds = new Map<Side, (root: string, edit?: KustomizationEdit) => BuildResult>();
  const planInputs: Partial<Record<Side, SidePlanInput>> = {};
  for (const s of sides) {
    const tree = sideTree(input.view[s]!, input.overlay[s]);
    const cache = new Map<string, string | null>();
    const text = (p: string): string | null => {
      if (!cache.has(p)) cache.set(p, contentText(tree.readFile(p)));
      return cache.get(p)!;
    };
    texts.set(s, text);
    // A changed kustomization the engine reviews is parsed once, by the engine, and its data feeds the plan.
    const kustomization = (p: string): string | { value: unknown } | null => kustomizationInput(input.overlay[s].has(p) ? input.kept(s, p) : undefined, () => text(p));
    // A changed file is in both the view's listing and the overlay: listed once (a git files generator's changed
    // config file made its Application twice).
    const listed = input.view[s]!.paths;
    const known = input.overlay[s].size > 0 ? new Set(listed) : null;
    const extra = known ? [...input.overlay[s].keys()].filter((p) => !known.has(p)) : [];
    planInputs[s] = { paths: extra.length > 0 ? [...listed, ...extra] : listed, kustomization };
    const parsedDocuments = (path: string, t: string): readonly Document.Parsed[] | null => {
      const f = input.parsed(s, path, likelyFails);
      return f && f.text === t && f.problems.length === 0 && f.skipped === null ? (f.yamlDocuments ?? null) : null;
    };
    sessions.set(s, createRenderSession(tree, { parsedDocuments }));
    // Made on first use: a root that fails on a missing generator input or resource file, a plugin or a remote resource
    // is built again without it (see LENIENT_RETRY).
    let lenient: RenderSession | null = null;
    lenientBuilds.set(s, (root, edit) => (lenient ??= createRenderSession(tree, { parsedDocuments, skipMissingGeneratorInputs: true, skipPlugins: true, skipRemoteResources: true, skipHelmCharts: true, skipMissingResourceFiles: true })).build(root, edit));
    // Made on first use: a root the deployer builds with LoadRestrictionsNone (see `unrestrictedRoot`) is built again so
    // when Kustomize's default load restrictions refuse it.
    let unrestricted: RenderSession | null = null;
    unrestrictedBuilds.set(s, (root, edit) => (unrestricted ??= createRenderSession(tree, { parsedDocuments, loadRestrictions: "none" })).build(root, edit));
    // Made on first use: a root with Helm charts is built again with only its charts left out (see `helmRefusal`).
    let chartless: RenderSession | null = null;
    helmlessBuilds.set(s, (root, edit) => (chartless ??= createRenderSession(tree, { parsedDocuments, skipHelmCharts: true })).build(root, edit));
    plainBuilds.set(s, (root, files) => buildPlainDirectory(tree, root, files, parsedDocuments));
    generatorBuilds.set(s, (k) => buildGeneratorsOnly(tree, k, text(k)));
  }

  let likelyFails = false;
  // A source whose `repoURL` names another repository than the one under review (when it is known) is not a directory
  // of this one: no root, no overrides, no generator expanded against this tree.
  const own = ownRepoURL(input.view.identity);
  const ownArgoPaths: Record<Side, string[]> = { base: withoutForeign(input, "base", own), head: withoutForeign(input, "head", own) };
  const ownApplications: Record<Side, ApplicationSource[]> = { base: ownSources(input.applications?.base ?? [], own), head: ownSources(input.applications?.head ?? [], own) };
  // ApplicationSets (changed, or unchanged in files named for them) point their Applications at directories too.
  const setFiles = new Map<Side, ApplicationSetFiles>(sides.map((s) => [s, { paths: planInputs[s]!.paths, readFile: texts.get(s)!, ownRepoURL: own ?? undefined }]));
  // A directory they point at is a root. With no `kustomize` overrides in the template no Application is known
  // there (its parameter-override files stand for the generated ones, see `variantsOf`); with overrides, each
  // generated Application is (`setSources`), and a set pointing at it without overrides counts as one applying it
  // plainly (`plainSetPaths`).
  const setSources: Record<Side, Array<{ source: ApplicationSource; changed: boolean }>> = { base: [], head: [] };
  const plainSetPaths: Record<Side, Set<string>> = { base: new Set(), head: new Set() };
  /** The paths each side's ApplicationSets generate, where the ApplicationSet is written (for the missing-path notes). */
  const setPointers: Record<Side, SourcePointer[]> = { base: [], head: [] };
  const argoPaths: Record<Side, string[]> = { base: [...ownArgoPaths.base], head: [...ownArgoPaths.head] };
  for (const s of sides) argoPaths[s].push(...applicationSetSourcesOf(s));
  const argo: Record<Side, Set<string>> = { base: new Set(argoPaths.base), head: new Set(argoPaths.head) };
  const pointers: Record<Side, Pointers> = { base: new Map(), head: new Map() };
  // A changed Application (or ApplicationSet, or a file its generator reads) that starts (or stops) pointing at a
  // directory reaches it, though it reads none of its files.
  const reached = new Set<string>(retargetedPaths(argoPaths));
  for (const s of ["base", "head"] as const) {
    for (const p of ownArgoPaths[s]) pointerAt(pointers[s], p).anonymous++;
    for (const source of ownApplications[s]) {
      const p = pointerAt(pointers[s], source.path);
      p.anonymous = Math.max(0, p.anonymous - 1);
      addSource(pointers[s], source);
      if (source.edit) reached.add(source.path);
    }
    // A changed ApplicationSet's overrides change what Argo CD builds where they apply, as a changed Application's do.
    for (const { source, changed } of setSources[s]) {
      addSource(pointers[s], source);
      if (changed && source.edit) reached.add(source.path);
    }
  }
  /** The paths the ApplicationSets of a side generate: those among the changed files, then unchanged ones by name. */
  function applicationSetSourcesOf(s: Side): string[] {
    const changedPaths = new Set(input.changed);
    const out: string[] = [];
    const files = setFiles.get(s)!;
    const add = (file: string, paths: readonly string[], origins: readonly GeneratedPathOrigin[], sources: readonly ApplicationSource[], changed: boolean, documents: () => readonly unknown[]): void => {
      out.push(...paths);
      // Which repository the paths are of, when the one under review is not known (for the missing-path notes).
      const repository = paths.length > 0 ? applicationSetRepository(own === null ? documents() : [], own) : undefined;
      const byPath = new Map(origins.map((o) => [o.path, o]));
      for (const p of paths) setPointers[s].push({ file, application: "", path: p, ...generatedPointer(byPath.get(p), own !== null), ...(repository !== undefined ? { repository } : {}) });
      const overridden = new Set(sources.map((x) => x.path));
      for (const p of paths) if (!overridden.has(p)) plainSetPaths[s].add(p);
      for (const source of sources) setSources[s].push({ source, changed });
    };
    for (const [path, content] of input.overlay[s]) {
      if (!mentionsApplicationSet(content)) continue;
      const withOverrides = applicationSetSourcesIn(path, contentText(content), files);
      const kept = input.kept(s, path);
      const documents = (): unknown[] => (kept ? kept.docs.map((d) => d.value) : applicationSetDocuments(content));
      if (withOverrides) {
        add(path, withOverrides.paths, applicationSetPathsWithOrigins(documents(), files), withOverrides.sources, true, documents);
        continue;
      }
      const origins = applicationSetPathsWithOrigins(documents(), files);
      add(path, origins.map((o) => o.path), origins, [], true, documents);
    }
    // A changed one the review does not hold (excluded by the config) is left out, as the adapters leave it out.
    for (const path of applicationSetCandidates(input.view[s]!.paths, input.excludes, removed)) {
      if (input.overlay[s].has(path) || changedPaths.has(path)) continue;
      const text = texts.get(s)!(path);
      const withOverrides = mentionsApplicationSet(text) ? applicationSetSourcesIn(path, text, files) : null;
      const documents = (): unknown[] => applicationSetDocuments(text);
      const origins = applicationSetPathsWithOrigins(documents(), files);
      if (withOverrides) add(path, withOverrides.paths, origins, withOverrides.sources, false, documents);
      else add(path, origins.map((o) => o.path), origins, [], false, documents);
    }
    return out;
  }
  /** The Application documents of a side known without a render: the changed ones and those in the files read for Argo CD objects. */
  function knownApplications(s: Side): unknown[] {
    const view = input.view[s];
    if (!view) return [];
    const changed = [...input.overlay[s]].flatMap(([p, content]) => (mentionsApplication(content) ? (input.kept(s, p)?.docs ?? []).map((d) => d.value) : []));
    const unchanged = applicationSetCandidates(view.paths, input.excludes, removed).filter((p) => !input.overlay[s].has(p)).flatMap((p) => applicationDocuments(texts.get(s)!(p)));
    return [...changed, ...unchanged];
  }
  /** The paths of the directory-mode (`directory.recurse`) sources of a side's known Applications. */
  function recursiveDirectoryPaths(s: Side): string[] {
    return [...new Set(knownApplications(s).flatMap((v) => recursiveDirectoryPathsOf(v, own)))];
  }
  // Who builds a root without Kustomize's load restrictions: Argo CD with an argocd-cm `kustomize.buildOptions` of
  // `--load-restrictor LoadRestrictionsNone` (on either side, among the files read), Flux's kustomize-controller always.
  // Looked for only when a build fails (every file read is looked at): most reviews never need it.
  // Each side's files are looked at once, for both sides' hints and for the head's Flux paths (see fluxPathlessNote).
  const hintsBySide = new Map<Side, DeployerHints>();
  const sideHints = (s: Side): DeployerHints => {
    let found = hintsBySide.get(s);
    if (!found) hintsBySide.set(s, (found = deployerHints(planInputs[s]!.paths.filter(isYamlPath).map((p) => ({ path: p, text: () => texts.get(s)!(p) })))));
    return found;
  };
  let hintsFound: DeployerHints | null = null;
  const hints = (): DeployerHints => (hintsFound ??= joinedHints(sides.map(sideHints)));
  /** Whether only Flux applies a root: a Flux Kustomization's `spec.path` is it or above it (or the tree has Flux's bootstrap), and no known Application points at it. */
  const fluxOnly = (s: Side, root: string): boolean => !argo[s].has(root) && (hints().fluxBootstrap || hints().fluxPaths.some((p) => p === "" || root === p || root.startsWith(`${p}/`)));
  const unrestrictedRoot = (s: Side, root: string): boolean => hints().argoCdLoadNone || fluxOnly(s, root);
  /** No Argo CD Application or ApplicationSet source is known on either side: who deploys the repository is not Argo CD as far as the review knows. */
  const noArgoKnown = (): boolean => sides.every((s) => argo[s].size === 0);
  /**
   * Who applies a root of a side, as the review knows it: Flux alone (see `fluxOnly`); no deployer known when Flux
   * applies the repository (its bootstrap, a Flux Kustomization) and no Argo CD object is known; else Argo CD, the
   * deployer the review is written for.
   */
  const deployerOf = (s: Side, root: string): Deployer => {
    if (fluxOnly(s, root)) return "Flux";
    return noArgoKnown() && (hints().fluxBootstrap || hints().fluxPaths.length > 0) ? null : "Argo CD";
  };
  // Parameter-override files, read once a side (texts come from the side's tree, the changed contents first).
  const parameterReads = new Map<Side, Map<string, ParameterFileRead>>(sides.map((s) => [s, new Map()]));
  const readParameter = (s: Side, path: string): ParameterFileRead => {
    const cache = parameterReads.get(s)!;
    let r = cache.get(path);
    if (!r) cache.set(path, (r = readParameterFile(path, texts.get(s)!(path))));
    return r;
  };
  const variantsAt = (s: Side, graph: KustomizationGraph, root: string): Variant[] => {
    const p = pointers[s].get(root);
    // An ApplicationSet applying the directory without overrides is one more Application applying it plainly.
    const pointer = p && p.apps.size > 0 && plainSetPaths[s].has(root) ? { ...p, anonymous: p.anonymous + 1 } : p;
    return variantsOf(pointer, graph.parameterFiles(root), (f) => readParameter(s, f));
  };
  const renders = new Map<Side, Map<string, RootRender>>(sides.map((s) => [s, new Map()]));
  // The Applications met in renders (an app of apps), by where they are written: is their path there (head), was it
  // pointed at before (base)?
  const renderedPointers: Record<Side, SourcePointer[]> = { base: [], head: [] };
  // The source paths of the Applications in an unchanged file a plan names for them, read once a side however many
  // rounds name it.
  const pointed = new Map<Side, Map<string, string[]>>(sides.map((s) => [s, new Map()]));
  const pointedAt = (s: Side, file: string): string[] => {
    const cache = pointed.get(s)!;
    let paths = cache.get(file);
    if (!paths) cache.set(file, (paths = applicationDocuments(texts.get(s)!(file)).flatMap((v) => applicationPathsOf(v, own))));
    return paths;
  };
  let plans: Partial<Record<Side, SidePlan>> = {};
  for (let round = 0; round < MAX_PLAN_ROUNDS; round++) {
    const overrideComponents = { base: overrideComponentsOf(knownSources(pointers.base)), head: overrideComponentsOf(knownSources(pointers.head)) };
    plans = planRender({ changed: input.changed, sides: planInputs, argoPaths: { base: [...argo.base], head: [...argo.head] }, reached: [...reached], excludes: input.excludes, overrideComponents });
    let grew = false;
    // Unchanged Applications (found by file name) that apply a kustomization the change reaches inside a root make
    // it a root of its own (see `pointerFiles`): rendered from the next round on, on each side that has them.
    for (const s of sides) {
      for (const f of plans[s]!.pointerFiles ?? []) {
        for (const p of pointedAt(s, f)) {
          if (argo[s].has(p) || !plans[s]!.graph.nodes.has(p)) continue;
          argo[s].add(p);
          grew = true;
        }
      }
    }
    for (const s of sides) {
      const plan = plans[s]!;
      const done = renders.get(s)!;
      for (const root of plan.roots) {
        for (const variant of variantsAt(s, plan.graph, root)) {
          const key = variant.edit ? `${root}\u0000${variant.edit.key}` : root;
          if (done.has(key)) continue;
          likelyFails = hasUnresolved(plan.graph, root);
          const restricted = sessions.get(s)!.build(root, variant.edit ?? undefined);
          // The deployer builds it without Kustomize's load restrictions: so is it built here (held-out round 16).
          const strict = !restricted.ok && LOAD_RESTRICTED.test(restricted.reason) && unrestrictedRoot(s, root) ? unrestrictedBuilds.get(s)!(root, variant.edit ?? undefined) : restricted;
          // A generator input the repository does not hold (a `secrets.env` the deploy decrypts, gitignored) fails the
          // whole build, as in Kustomize; the rest of the overlay is still what Argo CD applies around it: built
          // without that generator (a note says so), rather than every file of the root judged on its own. So is a root
          // with a `resources:` file the repository does not hold (a gitignored `secret.yaml`: Argo CD cannot build it as
          // committed, the note says so), with plugins (`generators:` such as ksops decrypting SOPS files, `transformers:`) or remote resources: built
          // without them, when the rest builds (a patch aimed at a remote object does not).
          const built = !strict.ok && LENIENT_RETRY.some((re) => re.test(strict.reason)) ? preferOk(strict, lenientBuilds.get(s)!(root, variant.edit ?? undefined)) : strict;
          input.built?.(s, built.ok);
          // The parameter files a render applied are judged through it (their values land in the rendered objects).
          const result = variant.files.size === 0 ? built : { ...built, files: [...new Set([...built.files, ...variant.files])].sort() };
          const refusal = strict.ok ? undefined : HELM_CHARTS.test(strict.reason) ? helmRefusal(strict.reason, () => helmlessBuilds.get(s)!(root, variant.edit ?? undefined), unrestrictedRoot(s, root)) : built.ok ? strict.reason : undefined;
          const failed = (!strict.ok ? strict.at : undefined) ?? (!result.ok ? result.at : undefined);
          const failureAt = failed ? { file: failed.file, line: failed.line, column: failed.column } : null;
          done.set(key, { root, file: plan.graph.nodes.get(root)?.file ?? root, result, label: labelOf(root, variant), ...(refusal !== undefined ? { strictFailure: refusal } : {}), ...(!strict.ok && HELM_CHARTS.test(strict.reason) ? { helmCharts: true as const } : {}), ...(failureAt ? { failureAt } : {}) });
          yield;
          if (!result.ok) continue;
          for (const r of result.resources) {
            if (r.resource.kind === "ApplicationSet") {
              // Adapters read no config file for an ApplicationSet they only meet in a render: its git files
              // generators give nothing here (the same on every adapter), the other generators their paths. The
              // render keeps no origin-tracked node of it (rendered.ts keeps Applications'), so its template's
              // overrides cannot be applied with their lines: a source with overrides gives no path, as before (the
              // directory is not judged plainly, which Argo CD does not apply).
              for (const p of applicationSetPaths([r.value], { ...setFiles.get(s)!, readFile: () => null }, false)) {
                plainSetPaths[s].add(p);
                if (argo[s].has(p)) continue;
                argo[s].add(p);
                grew = true;
              }
            }
            if (r.resource.kind !== "Application") continue;
            renderedPointers[s].push(...sourcePointers(r.definedAt.file, [r.value], own, result.files));
            const node = renderedNode(r);
            const sources = node ? ownSources(applicationSourcesOf(node, r.definedAt.file), own) : [];
            for (const source of sources) addSource(pointers[s], source);
            for (const p of node ? sources.map((x) => x.path) : applicationPathsOf(r.value, own)) {
              if (argo[s].has(p)) continue;
              argo[s].add(p);
              grew = true;
            }
          }
        }
      }
    }
    if (!grew) break;
  }
  // A plain render made before Applications found in later rounds said that every one pointing at the root has
  // overrides is not what Argo CD applies: it goes.
  for (const s of sides) {
    const done = renders.get(s)!;
    for (const [key, r] of done) if (key === r.root && !variantsAt(s, plans[s]!.graph, r.root).some((v) => v.edit === null)) done.delete(key);
  }

  // A root the pull request creates by adding a kustomization to a directory of plain manifests: on the base side
  // Argo CD applied those manifests as they are. They are rendered there as a kustomization listing them renders them,
  // so a risky line the head's render keeps is existing, not new (and one it drops is fixed).
  const baseRenders = renders.get("base");
  const plainBuild = plainBuilds.get("base");
  if (baseRenders && plainBuild && plans.base) {
    for (const r of renders.get("head")?.values() ?? []) {
      if (!r.result.ok || plans.base.graph.nodes.has(r.root) || baseRenders.has(r.root)) continue;
      const files = [...new Set(r.result.resources.map((x) => x.definedAt.file))].filter((f) => directoryOf(f) === r.root && !isKustomizationFile(f) && texts.get("base")!(f) !== null);
      if (files.length === 0) continue;
      const built = plainBuild(r.root, files.sort());
      input.built?.("base", built.ok);
      if (built.ok) baseRenders.set(r.root, { root: r.root, file: r.file, result: built, label: r.root || "." });
    }
  }

  // Before the base side gives up the renders of roots the head cannot build (below): which of those the pull request breaks.
  // A path the build misses at or under a symbolic link or submodule is there for Kustomize and Argo CD: not broken.
  const linkedOnHead = underLink(input.view.head?.links ?? []);
  const linkedOnBase = underLink(input.view.base?.links ?? []);
  // A path the side's tree holds that the build says does not exist was not read (a read round left it out): not a
  // refusal of Kustomize, which reads it (held-out round 16: a component an Application's overrides add).
  const heldOnHead = heldIn(planInputs.head?.paths ?? []);
  const heldOnBase = heldIn(planInputs.base?.paths ?? []);
  // A root only a directory-mode Application applies (`directory.recurse` at a directory above it without a
  // kustomization): Argo CD reads its files as plain manifests and runs no kustomize there (held-out round 16).
  const brokenBuilds = brokenOnHead(renders.get("base"), renders.get("head"));
  const directoryOnly = brokenBuilds.length === 0 ? () => false : directoryModeOnly(recursiveDirectoryPaths("head"), plans.head?.graph, argo.head);
  // A root an Application builds with a config management plugin (`plugin:`): what it runs is not known here.
  const pluginRoots = new Set(brokenBuilds.length === 0 ? [] : knownApplications("head").flatMap((v) => pluginSourcePathsOf(v, own)));
  for (const b of brokenBuilds) {
    if (directoryOnly(b.root)) notes.push(`Kustomize: ${b.label} no longer builds (${b.reason}), but only an Argo CD Application in directory mode (directory.recurse) applies it, which reads its files as plain manifests and runs no kustomize there`);
    else if (pluginRoots.has(b.root)) notes.push(`Kustomize: ${b.label} does not build in process (${b.reason}), but an Argo CD Application builds it with a config management plugin (plugin:), whose build is not known here`);
  }
  const broken = brokenBuilds
    .filter((b) => !directoryOnly(b.root) && !pluginRoots.has(b.root))
    .filter((b) => !linkedOnHead(missingPathOf(b.reason)) && !heldOnHead(missingPathOf(b.reason)))
    .map((b) => atLostKustomization(withEntryLine(withDeployer(b, deployerOf("head", b.root)), texts.get("head")), plans.head?.graph, texts.get("head")));
  // And the roots it mends (refused on the base, built on the head): their base-side finding is then `fixed`.
  const mended = brokenOnHead(renders.get("head"), renders.get("base"))
    .filter((b) => !linkedOnBase(missingPathOf(b.reason)) && !heldOnBase(missingPathOf(b.reason)))
    .map((b) => atLostKustomization(withEntryLine(withDeployer(b, deployerOf("base", b.root)), texts.get("base")), plans.base?.graph, texts.get("base")));

  // A root the head cannot render is reviewed file by file on the head; its base-side render must not be compared
  // with that (every rendered finding would look "fixed" while the applied object still has it): the base side
  // falls back to file by file for that root too.
  const headFailures = new Map<string, string>();
  for (const r of renders.get("head")?.values() ?? []) if (!r.result.ok && !headFailures.has(r.root)) headFailures.set(r.root, r.result.reason);
  for (const [key, r] of renders.get("base") ?? []) {
    const reason = headFailures.get(r.root);
    if (r.result.ok && reason !== undefined) renders.get("base")!.set(key, { ...r, result: { ok: false, reason, files: r.result.files } });
  }

  // A root that did not render still applies what its kustomizations' generators make (a `.env` file's credentials
  // among them), and those inputs are not files a review judges one by one: each kustomization of its closure that
  // has generators is built with its generators alone, at their own lines.
  for (const s of sides) {
    const done = renders.get(s)!;
    // Each kustomization the roots that did not render read, with those roots (in render order).
    const failedReaders = new Map<string, RootRender[]>();
    for (const r of done.values()) {
      if (r.result.ok) continue;
      for (const k of plans[s]!.graph.closure(r.root)) {
        if (!isKustomizationFile(k)) continue;
        const readers = failedReaders.get(k);
        if (readers) readers.push(r);
        else failedReaders.set(k, [r]);
      }
    }
    for (const [k, readers] of failedReaders) {
      generatorBuilds.get(s)!(k).forEach((built, i) => {
        if (!built.ok || built.resources.length === 0) return;
        const dir = directoryOf(k);
        const label = `${dir === "" ? "." : dir} (generators only: ${notRenderedBy(dir, readers)})`;
        done.set(`generators\u0000${k}\u0000${i}`, { root: dir, file: k, result: built, label, generatorsOnly: true });
      });
    }
  }

  const out: Partial<Record<Side, SideRender>> = {};
  const failedOnHead = new Set<string>();
  // A scan (no base side) changes nothing: its notes speak of the root's files, not of its changed files.
  const scanning = input.view.base === undefined;
  for (const s of [...sides].reverse()) {
    const covered = new Set<string>();
    const fallback = new Set<string>();
    const failed: Array<{ root: string; files: readonly string[] }> = [];
    const list = [...renders.get(s)!.values()].sort((a, b) => a.root.localeCompare(b.root) || a.label.localeCompare(b.label));
    for (const r of list) if (!r.generatorsOnly && r.result.ok) for (const f of r.result.files) covered.add(f);
    for (const r of list) {
      if (r.generatorsOnly || r.result.ok) continue;
      const files = plans[s]!.graph.closure(r.root);
      // A root Kustomize itself refuses to build (a file outside its directory, a missing file) applies nothing: the
      // files other roots render are judged through them only, not one by one again for it (held-out round 16: a base
      // image every buildable overlay rewrites was reported untagged through two refused overlays). A root the
      // in-process render cannot build (NOT_A_REFUSAL: remote bases, helmCharts …) may apply them as written.
      const refused = !NOT_A_REFUSAL.test(r.result.reason);
      const alone = refused ? files.filter((f) => !covered.has(f)) : files;
      for (const f of alone) fallback.add(f);
      failed.push({ root: r.root, files });
      if (s === "head") failedOnHead.add(r.label).add(r.root);
      // A root that fails on both sides is worth one note; so is one the base side gives up only because the head
      // cannot render it (see `headFailures`: its reason is the head's, not the base's; held-out round 15).
      else if (failedOnHead.has(r.label) || failedOnHead.has(r.root)) continue;
      const where = s === "base" ? " on the base side" : "";
      const which = alone.length < files.length ? `its ${scanning ? "" : "changed "}files no other root renders` : `its ${scanning ? "" : "changed "}files`;
      notes.push(`Kustomize: ${r.label} was not rendered${where} (${r.result.reason}); ${which} were reviewed one by one`);
    }
    // What a build left out or noticed is said of the head (what merging applies): a base-side note would tell a pull
    // request that restores a missing file that its root cannot be built (held-out round 14).
    if (s === "head" || !sides.includes("head")) for (const r of list) if (r.result.ok) for (const n of r.result.notes) if (!notes.includes(`Kustomize: ${n}`)) notes.push(`Kustomize: ${n}`);
    if (s === "head") {
      const ok = list.filter((r) => r.result.ok && !r.generatorsOnly).map((r) => r.label);
      if (ok.length) {
        // Named for who applies them: Argo CD when some Argo CD object is known (no file read for Flux then), else the
        // one deployer of them all, else none (held-out round 18: a Flux repository's note said Argo CD).
        const deployers = noArgoKnown() ? new Set(list.filter((r) => r.result.ok && !r.generatorsOnly).map((r) => deployerOf(s, r.root))) : new Set(["Argo CD"]);
        const one = deployers.size === 1 ? [...deployers][0] : null;
        const by = one ? `as ${one} applies them` : "as deployed";
        notes.push(`Kustomize: rendered in process and judged ${by}: ${ok.length <= 5 ? ok.join(", ") : `${ok.slice(0, 5).join(", ")} and ${ok.length - 5} more`}`);
      }
    }
    const graph = plans[s]!.graph;
    const sideArgo = [...argo[s]];
    let sideRoots: string[] | null = null;
    const readersOf = (path: string): string[] => (sideRoots ??= graph.roots(sideArgo)).filter((r) => graph.closure(r).includes(path));
    out[s] = { renders: list, covered, fallback, failed, unusedComponents: graph.unusedComponentFiles(sideArgo), readersOf, text: texts.get(s)! };
  }
  const vanished = plans.base?.vanished;
  if (vanished && vanished.leftOut.length > 0) notes.push(sharingLeftOutNote(vanished.roots, vanished.sharing, vanished.leftOut));
  const stillPointedAt = new Set<string>();
  const pathless: PathlessApplication[] = [];
  if (input.view.base && input.view.head) {
    // The unchanged files read for Argo CD objects (see render-plan.ts `applicationSetCandidates`) hold Applications too:
    // one left pointing at a directory the pull request renames or deletes is named (held-out round 14: an overlay
    // renamed under an Application in apps/api.yaml passed without a word).
    const changedPaths = new Set(input.changed);
    const read = new Set(plans.head?.applicationFiles ?? []);
    const argoFiles = applicationSetCandidates(input.view.head.paths, input.excludes, removed).filter((p) => !changedPaths.has(p) && !read.has(p));
    const pointers = [...changedPointers(input, "head", own), ...renderedPointers.head, ...applicationFilePointers([...read, ...argoFiles], texts.get("head")!, own), ...setPointers.head];
    const headDirectories = directoriesOf(planInputs.head!.paths);
    // What the base side pointed at already (the changed files as they were, its renders and ApplicationSets): a path
    // missing there too is not the pull request's doing unless it made the pointer (held-out round 18).
    const before = [...changedPointers(input, "base", own), ...renderedPointers.base, ...setPointers.base];
    // A path at or under a symbolic link or submodule of the head tree is there for Argo CD: nothing to say of it.
    const located = withElementValues(pointers, headDirectories, texts.get("head")!, setFiles.get("head")!);
    const missing = (located.length > 0 ? missingPaths(located, headDirectories, directoriesOf(planInputs.base!.paths), new Set(input.changed), before, input.view.branches) : [])
      .filter((m) => !linkedOnHead(m.pointer.path))
      .map((m) => (m.certain ? unlistedApplication(m, plans.head?.graph, out.head?.covered) : m));
    // What the pull request surely breaks is a finding (review.ts), the rest a note.
    notes.push(...new Set(missing.filter((m) => !m.certain).map((m) => m.text)));
    const seen = new Set<string>();
    for (const m of missing) {
      const key = `${m.pointer.file}\u0000${m.pointer.application}\u0000${m.pointer.path}`;
      if (!m.certain || seen.has(key)) continue;
      seen.add(key);
      const at = m.pointer.element ?? sourcePathAt(texts.get("head")!(m.pointer.file), m.pointer.path);
      pathless.push({ file: m.pointer.file, line: at.line, column: at.column, message: m.text });
    }
    const gone = new Set(vanished?.deletedDirectories ?? []);
    for (const p of pointers) if (gone.has(p.path) && !headDirectories.has(p.path) && !linkedOnHead(p.path)) stillPointedAt.add(p.path);
  }
  // A Flux Kustomization left pointing at a directory the pull request removes (held-out round 18: an overlay renamed
  // under a Flux Kustomization's `spec.path` passed without a word, where an Argo CD Application's path is named).
  // Only when the pull request removes directories; from the head files the review can read.
  if (removed.length > 0 && input.view.head) {
    const gone = new Set(removed);
    const left = sideHints("head").fluxPaths.filter((p) => gone.has(p) && !linkedOnHead(p)).sort();
    if (left.length > 0) notes.push(fluxPathlessNote(left));
  }
  const unchangedSets: Array<{ path: string; text: string }> = [];
  if (input.view.base && input.view.head) {
    const changedPaths = new Set(input.changed);
    // Where a changed Application's directory reads change (its path, include, exclude, recurse), an unchanged
    // Application with the resources finalizer there may leave what it reads: its file is read on both sides too.
    const retargeted = retargetedDirectoryReads(input, own);
    const underRetargeted = (path: string): boolean => retargeted.some((d) => d === "" || path.startsWith(`${d}/`));
    for (const path of applicationSetCandidates(input.view.base.paths, undefined, removed)) {
      const text = changedPaths.has(path) ? null : texts.get("base")!(path);
      if (text === null || texts.get("head")!(path) !== text) continue;
      if (mentionsApplicationSet(text) || (underRetargeted(path) && mentionsApplication(text) && text.includes("resources-finalizer.argocd.argoproj.io"))) unchangedSets.push({ path, text });
    }
  }
  const unread = unreadArgoDirectoryNote(sides.map((s) => applicationSetCandidateList(input.view[s]!.paths, input.excludes, removed).leftOut), input.changed);
  if (unread) notes.push(unread);
  const trees = Object.fromEntries(sides.map((s) => [s, setFiles.get(s)!])) as Partial<Record<Side, ApplicationSetFiles>>;
  const reads = new Map<Side, DirectoryRead[]>();
  const directoryReads = (s: Side): readonly DirectoryRead[] => {
    let found = reads.get(s);
    if (!found) {
      const known = new Set(applicationSetCandidates(input.view[s]?.paths ?? [], input.excludes, removed));
      const extra = (plans[s]?.readerFiles ?? []).filter((p) => !known.has(p) && !input.overlay[s].has(p)).flatMap((p) => applicationDocuments(texts.get(s)!(p)));
      reads.set(s, (found = [...knownApplications(s), ...extra].flatMap((v) => directoryReadsOf(v, own))));
    }
    return found;
  };
  return { sides: out, notes, vanished: vanished?.roots ?? [], stillPointedAt: [...stillPointedAt].sort(), applicationSets: { trees, unchanged: unchangedSets, directoryReads }, broken, mended, pathless };
}

/**
 * The note for the unchanged YAML files in Argo CD directories past the cap on either side (`leftOut`, see
 * `applicationSetCandidateList`): an ApplicationSet there is not read, so its generators are not judged. Null when none.
 */
function unreadArgoDirectoryNote(leftOut: ReadonlyArray<readonly string[]>, changed: readonly string[]): string | null {
  const changedPaths = new Set(changed);
  const unread = [...new Set(leftOut.flat())].filter((p) => !changedPaths.has(p)).sort();
  if (unread.length === 0) return null;
  const named = unread.length <= 5 ? unread.join(", ") : `${unread.slice(0, 5).join(", ")} and ${unread.length - 5} more`;
  return (
    `Argo CD: ${unread.length} YAML file${unread.length === 1 ? "" : "s"} in Argo CD directories ${unread.length === 1 ? "was" : "were"} not read for Applications or ApplicationSets ` +
    `(at most ${MAX_ARGO_DIRECTORY_FILES} are read: those sharing a name with a directory the pull request removes first, then by path): ${named}; ` +
    `an unchanged Application or ApplicationSet there is not seen`
  );
}

/** The note for a review that rendered only some of the roots that share files with the roots the head no longer has. */
function sharingLeftOutNote(vanished: readonly string[], sharing: readonly string[], leftOut: readonly string[]): string {
  const named = (list: readonly string[]) => {
    const dirs = list.map((r) => r || ".");
    return dirs.length <= 3 ? dirs.join(", ") : `${dirs.slice(0, 3).join(", ")} and ${dirs.length - 3} more`;
  };
  return (
    `Kustomize: ${named(vanished)} (no longer rendered on the head side): ${sharing.length} of the ${sharing.length + leftOut.length} other roots that read ` +
    `${vanished.length === 1 ? "its" : "their"} files were rendered on both sides, so the lines they apply stay existing; not ${named(leftOut)} (a cap): ` +
    "a line only those apply may read fixed"
  );
}

/** The source paths of the Applications among the changed files of a side (as the engine parsed them). */
function changedPointers(input: RenderStageInput, side: Side, own: OwnRepoURL | null): SourcePointer[] {
  const out: SourcePointer[] = [];
  for (const [path, content] of input.overlay[side]) {
    if (!mentionsApplication(content)) continue;
    const kept = input.kept(side, path);
    out.push(...sourcePointers(path, kept ? kept.docs.map((d) => d.value) : applicationDocuments(content), own));
  }
  return out;
}

/** The source paths of the Applications in the unchanged files the plan read for them (see `applicationFilesFor`). */
function applicationFilePointers(files: readonly string[], text: (path: string) => string | null, own: OwnRepoURL | null): SourcePointer[] {
  return files.flatMap((f) => sourcePointers(f, applicationDocuments(text(f)), own));
}

/**
 * A side's `argoPaths` without the paths of the changed Applications' sources of other repositories (`own`, see
 * `ownRepoURL`): the caller gives every source's path, read from the engine's own parse of the changed files (`kept`),
 * and which repository each one is of is read again here from the same documents. Unchanged without `own`.
 */
function withoutForeign(input: RenderStageInput, side: Side, own: OwnRepoURL | null): string[] {
  const paths = input.argoPaths[side];
  if (!own || paths.length === 0) return paths;
  const foreign = new Map<string, number>();
  for (const [path, content] of input.overlay[side]) {
    if (!mentionsApplication(content)) continue;
    for (const doc of input.kept(side, path)?.docs ?? []) {
      for (const p of foreignApplicationPathsOf(doc.value, own)) foreign.set(p, (foreign.get(p) ?? 0) + 1);
    }
  }
  if (foreign.size === 0) return paths;
  return paths.filter((p) => {
    const n = foreign.get(p) ?? 0;
    if (n === 0) return true;
    foreign.set(p, n - 1);
    return false;
  });
}

/** A build's failure on a file it cannot find (see kustomize/build.ts `readAt`). */
const MISSING_FILE = /\) does not exist$/;
/** A build's refusal of plugins (see kustomize/kustomization.ts `UNSUPPORTED`). */
const PLUGINS = /: (?:generators|transformers|validators) \(plugins\) is not supported by the in-process render$/;
/**
 * Failures a lenient build may get past: a missing generator input or resource file, plugins, a remote resource or
 * component, Helm charts (see `skipMissingGeneratorInputs`, `skipMissingResourceFiles`, `skipPlugins`,
 * `skipRemoteResources`, `skipHelmCharts`).
 */
/** A build's refusal of Helm charts (see kustomize/kustomization.ts `UNSUPPORTED`). */
const HELM_CHARTS = /: (?:helmCharts|helmChartInflationGenerator) is not supported by the in-process render$/;
const LENIENT_RETRY: readonly RegExp[] = [MISSING_FILE, PLUGINS, /: remote (?:resource|component) "[^"]*" is not supported by the in-process render$/, HELM_CHARTS];

/**
 * What Kustomize with `--enable-helm` (Argo CD's build of a root with Helm charts) refuses, given the strict build's
 * refusal of the charts (`strict`) and the build with only the charts left out (`helmless`): nothing (undefined)
 * when that builds; a file or directory a kustomization names that does not exist (the chart's objects cannot bring
 * it back), or one outside the root that Kustomize's load restrictions refuse (`unrestricted`: the deployer builds
 * without them; held-out round 21 D5); else the strict refusal (the in-process render's own: whatever else failed, a patch aimed at a chart's
 * object say, may build with the chart).
 */
function helmRefusal(strict: string, helmless: () => BuildResult, unrestricted: boolean): string | undefined {
  const built = helmless();
  if (built.ok) return undefined;
  return MISSING_FILE.test(built.reason) || (!unrestricted && LOAD_RESTRICTED.test(built.reason)) ? built.reason : strict;
}

/**
 * Failures that are the in-process render's own (what it does not support, its safety limits) or that another finding
 * reports (a YAML error: `guard/parse-error` at its file), not Kustomize's or Argo CD's refusal of the build.
 */
const NOT_A_REFUSAL = /not supported by the in-process render|remote files are not supported|is larger than \d+ bytes|nest deeper than|has more than \d+ resources|too many YAML alias|nests too deeply|invalid YAML|not valid UTF-8|internal error/;

/**
 * The roots the pull request breaks (called with the sides swapped: mends): the base side built them (strictly, as Argo CD does) and the head side's build is
 * refused by Kustomize or Argo CD — a file or directory a kustomization names is gone, a component no longer exists,
 * an Application's `kustomize` overrides conflict with the kustomization — whether or not a lenient build got past it.
 * Merged, Argo CD cannot generate the root's manifests (ComparisonError) and leaves what it applied before running.
 * A failure of the in-process render itself (see NOT_A_REFUSAL) is not one: real Kustomize may build it.
 */
function brokenOnHead(base: ReadonlyMap<string, RootRender> | undefined, head: ReadonlyMap<string, RootRender> | undefined): BrokenBuild[] {
  if (!base || !head) return [];
  const builtOnBase = new Set<string>();
  for (const r of base.values()) if (!r.generatorsOnly && r.result.ok && r.strictFailure === undefined) builtOnBase.add(r.root);
  const out: BrokenBuild[] = [];
  for (const r of head.values()) {
    if (r.generatorsOnly || !builtOnBase.has(r.root)) continue;
    const reason = r.strictFailure ?? (r.result.ok ? undefined : r.result.reason);
    if (reason === undefined || NOT_A_REFUSAL.test(reason)) continue;
    out.push({ root: r.root, file: r.file, label: r.label, reason, ...(r.helmCharts ? { helmCharts: true as const } : {}), ...(r.failureAt ? { at: r.failureAt } : {}) });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

/** The repository path a build failure says does not exist (`… (components/sec) does not exist`), or null. */
function missingPathOf(reason: string): string | null {
  return /\(([^()"]+)\) does not exist/.exec(reason)?.[1] ?? null;
}

/** Kustomize's default load restrictions refusing a file (build.ts): what `--load-restrictor LoadRestrictionsNone` allows. */
const LOAD_RESTRICTED = /is not in or below '[^']*' \(kustomize's default load restrictions\)/;
/**
 * An argocd-cm's `kustomize.buildOptions` (plain, a patch of it, argo-cd chart values `configs.cm`, an Argo CD Operator
 * `ArgoCD` resource's `spec.kustomizeBuildOptions` or `extraConfig`) with LoadRestrictionsNone.
 */
const ARGOCD_LOAD_NONE = /(?:kustomize\.buildOptions(?:\.[\w.-]+)?|kustomizeBuildOptions)["']?\s*:[^\n]*--load[-_]restrictor(?:\s+|=)["']?LoadRestrictionsNone\b/;
/**
 * The source paths of the directory reads of the changed Applications that are not the same on both sides (a
 * `path`, `directory.include`, `exclude` or `recurse` changed, an Application added or removed): where an unchanged
 * object may start or stop being read.
 */
function retargetedDirectoryReads(input: RenderStageInput, own: OwnRepoURL | null): string[] {
  const readsOf = (s: Side): DirectoryRead[] =>
    [...input.overlay[s]].flatMap(([p, content]) => (mentionsApplication(content) ? (input.kept(s, p)?.docs ?? []).flatMap((d) => directoryReadsOf(d.value, own)) : []));
  const key = (r: DirectoryRead): string => JSON.stringify(r);
  const base = readsOf("base");
  const head = readsOf("head");
  const baseKeys = new Set(base.map(key));
  const headKeys = new Set(head.map(key));
  return [...new Set([...base.filter((r) => !headKeys.has(key(r))), ...head.filter((r) => !baseKeys.has(key(r)))].map((r) => r.path))];
}

/** Who applies a root, as the review knows it (null: no deployer is known). */
type Deployer = "Argo CD" | "Flux" | null;

/** A broken (or mended) build told who applies it: Flux's controller, or no deployer known (Argo CD is the default). */
function withDeployer(b: BrokenBuild, deployer: Deployer): BrokenBuild {
  if (deployer === "Flux") return { ...b, flux: true };
  return deployer === null ? { ...b, deployerUnknown: true } : b;
}

/** A Flux Kustomization (kustomize-controller builds with LoadRestrictionsNone). */
const FLUX_KUSTOMIZATION = /apiVersion:\s*["']?kustomize\.toolkit\.fluxcd\.io\//;
/** Flux's bootstrap files: Flux applies this repository. */
const FLUX_BOOTSTRAP = /(?:^|\/)flux-system\/gotk-(?:sync|components)\.ya?ml$/;

/** What the files read of a review tell of the deployers that build its roots without Kustomize's load restrictions. */
interface DeployerHints {
  /** An argocd-cm makes Argo CD build every kustomization with `--load-restrictor LoadRestrictionsNone`. */
  argoCdLoadNone: boolean;
  /** The tree holds Flux's bootstrap files (`flux-system/gotk-sync.yaml`). */
  fluxBootstrap: boolean;
  /** The `spec.path`s of the Flux Kustomizations read, normalised. */
  fluxPaths: string[];
}

/** The deployer hints of a review's files (each side's; a file's text is null when it was not read). */
function deployerHints(files: ReadonlyArray<{ path: string; text: () => string | null }>): DeployerHints {
  const hints: DeployerHints = { argoCdLoadNone: false, fluxBootstrap: false, fluxPaths: [] };
  for (const f of files) {
    if (FLUX_BOOTSTRAP.test(f.path)) hints.fluxBootstrap = true;
    const text = f.text();
    if (text === null) continue;
    if (!hints.argoCdLoadNone && (text.includes("kustomize.buildOptions") || text.includes("kustomizeBuildOptions")) && ARGOCD_LOAD_NONE.test(text)) hints.argoCdLoadNone = true;
    if (FLUX_KUSTOMIZATION.test(text)) for (const p of fluxKustomizationPaths(text)) if (!hints.fluxPaths.includes(p)) hints.fluxPaths.push(p);
  }
  return hints;
}

/** Both sides' hints as one: either side's setting or bootstrap, the Flux paths of both. */
function joinedHints(each: readonly DeployerHints[]): DeployerHints {
  return {
    argoCdLoadNone: each.some((h) => h.argoCdLoadNone),
    fluxBootstrap: each.some((h) => h.fluxBootstrap),
    fluxPaths: [...new Set(each.flatMap((h) => h.fluxPaths))],
  };
}

/** The note for Flux Kustomizations whose `spec.path` the pull request removes. */
function fluxPathlessNote(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(", ") + (paths.length > 3 ? ` and ${paths.length - 3} more` : "");
  return `a Flux Kustomization points at ${paths.length === 1 ? "a directory" : "directories"} this pull request removes (${shown}): merged, if its source is this repository, Flux reports "kustomization path not found" and keeps what it applied before; update its spec.path in the same pull request`;
}

/** The `spec.path`s of the Flux Kustomizations in a file's text, normalised (`./apps/prod` → `apps/prod`). */
function fluxKustomizationPaths(text: string): string[] {
  const out: string[] = [];
  try {
    for (const doc of parseAllDocuments(text, { logLevel: "silent" })) {
      const v: unknown = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : null;
      if (typeof v !== "object" || v === null) continue;
      const { apiVersion, kind, spec } = v as { apiVersion?: unknown; kind?: unknown; spec?: { path?: unknown } };
      if (kind !== "Kustomization" || typeof apiVersion !== "string" || !apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) continue;
      const path = typeof spec?.path === "string" ? fluxPath(spec.path) : spec?.path === undefined ? "" : null;
      if (path !== null) out.push(path);
    }
  } catch {
    return out;
  }
  return out;
}

/** A Flux `spec.path` as a repository path (relative to the source's root: `./apps/prod`, `apps/prod/`, `/apps`); null when it climbs out. */
function fluxPath(path: string): string | null {
  return joinPath("", path.replace(/^\/+/, ""));
}

/**
 * A missing path whose Application is written in a file beside a kustomization that builds without it (an app of apps'
 * `apps/kustomization.yaml` not listing `apps/old.yaml`), and that no render of the head side reads: Argo CD does not
 * apply that Application, so its missing path is a note (held-out round 16: a decommissioned Application left unlisted
 * blocked the deletion of its directory).
 */
function unlistedApplication(m: MissingPath, graph: KustomizationGraph | undefined, covered: ReadonlySet<string> | undefined): MissingPath {
  const kustomization = graph ? unreadKustomization(graph, m.pointer.file) : null;
  if (kustomization === null || covered?.has(m.pointer.file)) return m;
  return { ...m, certain: false, text: `${m.text} (if it is applied at all: ${kustomization} does not list ${m.pointer.file})` };
}

/**
 * Whether only a directory-mode Application applies a root: a recursive source's path is above it, with no
 * kustomization there (Argo CD then reads every manifest below as it is), and no Application points at the root itself.
 */
function directoryModeOnly(recursive: readonly string[], graph: KustomizationGraph | undefined, pointed: ReadonlySet<string>): (root: string) => boolean {
  const above = recursive.filter((p) => !graph?.nodes.has(p));
  if (above.length === 0) return () => false;
  return (root) => !pointed.has(root) && above.some((p) => root !== p && (p === "" || root.startsWith(`${p}/`)));
}

/** Whether a path is a file or a directory of a side's tree (`paths`: its path list). */
function heldIn(paths: readonly string[]): (path: string | null) => boolean {
  let files: Set<string> | null = null;
  let directories: Set<string> | null = null;
  return (path) => {
    if (path === null || path === "") return false;
    files ??= new Set(paths);
    directories ??= directoriesOf(paths);
    return files.has(path) || directories.has(path);
  };
}

/** Whether a path is one of `links` (symbolic links, submodules) or under one. */
function underLink(links: readonly string[]): (path: string | null) => boolean {
  if (links.length === 0) return () => false;
  const set = new Set(links);
  return (path) => {
    for (let p = path; p !== null && p !== ""; p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") if (set.has(p)) return true;
    return false;
  };
}

/**
 * `overlays/prod/kustomization.yaml: component "../../components/sec" (…) does not exist`: the file and the entry;
 * with its line when the reason gives it (`mid/kustomization.yaml:7: patchesStrategicMerge[0]: the patch file "x.yaml" …`).
 */
const NAMED_ENTRY = /^([^\s:"]+\.ya?ml)(?::(\d+))?: [^"]*"([^"]+)"/;

/**
 * A broken build whose reason names a kustomization's entry (a resource, component or patch that is gone): located at
 * that entry's line in that kustomization, the line the pull request changed or that names what it deleted.
 */
function withEntryLine(b: BrokenBuild, text: ((path: string) => string | null) | undefined): BrokenBuild {
  if (b.at) return b;
  // A generator the build refuses (`file.yaml: Secret/db exists; behavior must be merge or replace`), or a var it
  // cannot resolve (`file.yaml: var 'SVC' (…) cannot be mapped …`, held-out round 18): its `name:` line.
  const generator = generatorNamedBy(b.reason) ?? varNamedBy(b.reason);
  const at = generator && text ? generatorNameAt(text(generator.file) ?? "", generator.field, generator.name) : null;
  if (generator && at) return { ...b, at: { file: generator.file, ...at } };
  // The reason names the kustomization (`file.yaml: … "entry" …`), or only the entry (`patches[0]: … "x.yaml" …`,
  // looked up in the root's kustomization).
  const named = NAMED_ENTRY.exec(b.reason);
  const quoted = named ? null : /"([^"]+)"/.exec(b.reason);
  const file = named ? named[1]! : b.file;
  const entry = named ? named[3]! : quoted?.[1];
  const source = entry !== undefined && text ? text(file) : null;
  if (entry === undefined || source === null) return b;
  const lines = source.split("\n");
  const i = entryLineIndex(lines, entry, named?.[2] === undefined ? null : Number(named[2]));
  return i < 0 ? b : { ...b, at: { file, line: i + 1, column: lines[i]!.indexOf(entry) + 1 } };
}

/**
 * The index of the line of a kustomization that names `entry`: the line the reason gives when it names it, else the
 * first list item naming it, else the first line naming it; -1 when none does.
 */
function entryLineIndex(lines: readonly string[], entry: string, line: number | null): number {
  if (line !== null && lines[line - 1]?.includes(entry)) return line - 1;
  const item = lines.findIndex((l) => /^\s*-\s/.test(l) && l.includes(entry));
  return item >= 0 ? item : lines.findIndex((l) => l.includes(entry));
}

/**
 * The lenient build when it rendered, else the strict one's failure (its reason is the one Kustomize gives), with
 * what stopped the lenient build too when that is another thing (a missing patch behind a plugin: the one a reader
 * must fix).
 */
function preferOk(strict: BuildResult, lenient: BuildResult): BuildResult {
  if (lenient.ok || strict.ok || lenient.reason === strict.reason) return lenient.ok ? lenient : strict;
  // Left out, a missing input or a remote base takes what later steps aim at with it (a patch of its objects then
  // matches nothing): the strict reason says it. A plugin changes no step's input here, so what stopped the build
  // without it is a fault of its own (a missing patch file): say it too.
  // A root with Helm charts fails the strict build for them alone: what stopped the build without them is said too,
  // as what it is (a patch may match nothing because it is aimed at a chart's object, or at nothing; held-out round
  // 16: a patch matching nothing was noted as only "helmCharts is not supported").
  if (PLUGINS.test(strict.reason)) return { ...strict, reason: `${strict.reason}; built without its plugins: ${lenient.reason}` };
  if (HELM_CHARTS.test(strict.reason)) return { ...strict, reason: `${strict.reason}; built without its charts: ${lenient.reason}` };
  return strict;
}

/**
 * What a generators-only build's label says of the roots that did not render and read its kustomization (in `dir`):
 * each of them by name (held-out round 18 named only the first of two), not the kustomization itself, which reads as
 * a root of its own (a base); "it" when it is one of them.
 */
function notRenderedBy(dir: string, readers: readonly RootRender[]): string {
  const self = readers.some((r) => r.root === dir);
  const others = [...new Set(readers.filter((r) => r.root !== dir).map((r) => r.label || r.root || "."))];
  if (others.length === 0) return "it did not render";
  return `${self ? "it and " : ""}${rootList(others)} did not render`;
}

/** Top-level fields a generators-only build keeps. */
const GENERATOR_FIELDS = new Set(["apiVersion", "kind", "configMapGenerator", "secretGenerator", "generatorOptions"]);

/**
 * A kustomization built with its ConfigMap and Secret generators alone (every other top-level field turned into
 * comment lines, so each kept line stays where it was written and findings point at it); none when it has no
 * generator or its text cannot be read. When that build fails, each kind of generator is built alone: a
 * `configMapGenerator` that needs more (`behavior: merge` on a base's, a missing input) does not hide what the
 * `secretGenerator` makes. A build that fails judges nothing.
 */
function buildGeneratorsOnly(tree: FileTree, kustomization: string, text: string | null): BuildResult[] {
  if (text === null || !/(?:configMap|secret)Generator\s*:/.test(text)) return [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { version: "1.1", logLevel: "silent" });
  } catch {
    return [];
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const entries: Array<{ key: string | null; from: number; to: number }> = [];
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : null;
    const start = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? pair.key.range?.[0] : undefined;
    const value = pair.value as { range?: [number, number, number] } | null;
    const end = value?.range?.[2] ?? (isScalar(pair.key) ? pair.key.range?.[2] : undefined);
    if (start === undefined || end === undefined) return [];
    entries.push({ key, from: start, to: end });
  }
  const present = ["configMapGenerator", "secretGenerator"].filter((g) => entries.some((e) => e.key === g));
  if (present.length === 0) return [];
  const build = (keep: ReadonlySet<string>): BuildResult => {
    // Every character of a left-out entry but line breaks becomes a space, and its lines comments: lines keep their numbers.
    let stand = text;
    for (const { key, from, to } of [...entries].sort((a, b) => b.from - a.from)) {
      if (key !== null && keep.has(key)) continue;
      const gone = text.slice(from, to).replace(/[^\n]+/g, (line) => `#${" ".repeat(Math.max(0, line.length - 1))}`);
      stand = stand.slice(0, from) + gone + stand.slice(to);
    }
    return createRenderSession(withFile(tree, kustomization, stand), { generatorsAlone: true }).build(directoryOf(kustomization));
  };
  const both = build(GENERATOR_FIELDS);
  if (both.ok || present.length === 1) return [both];
  // One kind of generator may fail on its own (a `behavior: merge` on a base's, a missing input): the other is judged.
  return present.map((g) => build(new Set([...GENERATOR_FIELDS].filter((f) => !f.endsWith("Generator") || f === g))));
}

/** `tree` with one file's text in place of what it holds (or added, and listed in its directory). */
function withFile(tree: FileTree, path: string, text: string): FileTree {
  const dir = directoryOf(path);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return {
    readFile: (p) => (p === path ? text : tree.readFile(p)),
    isDirectory: (p) => tree.isDirectory(p),
    listDirectory: (p) => (p === dir ? [...new Set([...tree.listDirectory(p), name])] : tree.listDirectory(p)),
  };
}

/** The name of the kustomization file `buildPlainDirectory` stands in a directory of plain manifests. */
const PLAIN_KUSTOMIZATION = "kustomization.yaml";

/**
 * A directory of plain manifests (no kustomization) rendered as Argo CD applies it: its files as they are, read as a
 * kustomization listing them would read them (so origins and identities are a render's). The stand-in kustomization
 * is read by no one else and left out of the files the render read.
 */
function buildPlainDirectory(tree: FileTree, root: string, files: readonly string[], parsedDocuments: BuildOptions["parsedDocuments"]): BuildResult {
  const stand = root === "" ? PLAIN_KUSTOMIZATION : `${root}/${PLAIN_KUSTOMIZATION}`;
  const text = `resources:\n${files.map((f) => `  - ${JSON.stringify(f.slice(f.lastIndexOf("/") + 1))}\n`).join("")}`;
  const built = createRenderSession(withFile(tree, stand, text), { parsedDocuments }).build(root);
  return { ...built, files: built.files.filter((f) => f !== stand) };
}

/**
 * The Applications known on a side to point at a directory: each known one (by `namespace/name`), and how many were
 * seen only as a path (their name and overrides unknown).
 */
interface Pointer {
  anonymous: number;
  apps: Map<string, ApplicationSource>;
}

type Pointers = Map<string, Pointer>;

function pointerAt(pointers: Pointers, path: string): Pointer {
  let p = pointers.get(path);
  if (!p) pointers.set(path, (p = { anonymous: 0, apps: new Map() }));
  return p;
}

/** The known Applications' sources of a side, every root's. */
function knownSources(pointers: Pointers): ApplicationSource[] {
  return [...pointers.values()].flatMap((p) => [...p.apps.values()]);
}

/** Adds a known Application's source (the first one read of an Application wins). */
function addSource(pointers: Pointers, source: ApplicationSource): void {
  const apps = pointerAt(pointers, source.path).apps;
  if (!apps.has(source.application)) apps.set(source.application, source);
}

/** One render of a root: Argo CD's edit (null: the plain render), for which Applications, from which parameter files. */
interface Variant {
  edit: KustomizationEdit | null;
  apps: Set<string>;
  files: Set<string>;
}

/**
 * The renders of a root: one per distinct override set Argo CD applies to it — each known Application's own
 * `kustomize` block with the directory's parameter-override files merged in (`.argocd-source.yaml`, then its own
 * `.argocd-source-<name>.yaml`) — with the plain render (edit null) when that set changes nothing. With no Application
 * known, the parameter files stand for them: one render per `.argocd-source-<name>.yaml` (as an Application of that
 * name with no overrides of its own), or `.argocd-source.yaml` alone; with no file either, the plain render (a root by
 * the graph alone, as before). Plain first, then by override key, so both sides list them alike.
 */
function variantsOf(pointer: Pointer | undefined, dirFiles: readonly string[], read: (path: string) => ParameterFileRead): Variant[] {
  const wanted: Array<{ source: ApplicationSource | null; files: string[] }> = [];
  if (pointer && (pointer.apps.size > 0 || pointer.anonymous > 0)) {
    for (const source of pointer.apps.values()) wanted.push({ source, files: dirFiles.length ? parameterFilesFor(dirFiles, source) : [] });
    if (pointer.anonymous > 0) wanted.push({ source: null, files: parameterFilesFor(dirFiles, null) });
  } else if (dirFiles.length > 0) {
    const repoFile = parameterFilesFor(dirFiles, null);
    const named = dirFiles.filter((f) => parameterFileApp(f) !== null);
    if (named.length === 0) wanted.push({ source: null, files: repoFile });
    for (const f of named) wanted.push({ source: null, files: [...repoFile, f] });
  } else return [{ edit: null, apps: new Set(), files: new Set() }];
  const byKey = new Map<string, Variant>();
  for (const { source, files } of wanted) {
    const edit = files.length === 0 ? (source?.edit ?? null) : withParameterFiles(source?.kustomize ?? null, files.map(read));
    const key = edit?.key ?? "";
    let v = byKey.get(key);
    if (!v) byKey.set(key, (v = { edit, apps: new Set(), files: new Set() }));
    if (source) v.apps.add(source.application);
    for (const f of files) v.files.add(f);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** What a render is called in notes and findings. */
function labelOf(root: string, v: Variant): string {
  const dir = root || ".";
  if (!v.edit) return dir;
  const apps = [...v.apps].sort();
  const files = [...v.files]; // in the order Argo CD applies them
  const of = apps.length === 0 ? files.join(", ") : `Application ${apps.join(", ")}${files.length ? ` with ${files.join(", ")}` : ""}`;
  return `${dir} with the kustomize overrides of ${of}`;
}

/** Whether a kustomization in the root's closure names something its build cannot follow (remote, missing, outside). */
function hasUnresolved(graph: KustomizationGraph, root: string): boolean {
  for (const f of graph.closure(root)) {
    const node = graph.nodes.get(directoryOf(f));
    if (node !== undefined && node.file === f && node.unresolved.length > 0) return true;
  }
  return false;
}
