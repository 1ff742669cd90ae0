import { derivedDocs } from "../parse/helm-argocd-values.js";
import { unrenderedPatchDocIndices } from "./handed-patches.js";
import { isHelmTemplateDoc } from "../parse/helm-template-argocd.js";
import { isJsonManifest } from "../parse/json-manifest.js";
import type { FileContent as ParserContent } from "../parse/decode.js";
import type { ParseLimits } from "../parse/limits.js";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import { chartSourcesOf, unrenderedChartsNote } from "./chart-notes.js";
import { isGoTemplateNote, parseYamlFile, readTextOnlyFile, type ParsedDoc, type ParsedFile } from "../parse/yaml-file.js";
import { JINJA_TEMPLATE_NOTE } from "../parse/jinja-template.js";
import { YTT_TEMPLATE_NOTE } from "../parse/ytt-template.js";
import type { ReviewFacts } from "./facts.js";
import { directoryOf, isKustomizationFile, KUSTOMIZATION_FILE_NAMES, renderedToParsedDoc, type ApplicationSource } from "../kustomize/index.js";
import { CONFIG_PATH, ConfigError, type Config } from "./config.js";
import { loadConfigYaml } from "./config-loader.js";
import { durationText, notReviewedMessage, overBudget, processCpuMs, startBudget, workBudget, type Clock } from "./budget.js";
import { evaluateFile, PARSE_ERROR, ruleFinding, type EvaluatedFinding, type EvaluateFileOptions } from "./evaluate.js";
import { evaluateRendered, renderedKey } from "./evaluate-rendered.js";
import { fingerprintAll, fingerprintParts, renderPlace, resourceKey, type Fingerprintable, type RenderScope } from "./fingerprint.js";
import { grantCovered, type Grant } from "./grant.js";
import { mergeRenderedFindings, rootList, withUnrenderedReaders } from "./merge-rendered.js";
import { withoutFixesOfBrokenRoots, withoutFixesOfPartialRoots, withoutVanishedFixes } from "./vanished-roots.js";
import { CHART_VALUES_PATH, helmValueFilesOf, kustomizeValueFilesOf, switchedValueFiles, valueFileReaders, writesChartValues } from "./helm-value-files.js";
import { pairHostPathChanges } from "./host-path-change.js";
import { inlineValuesKeys } from "./inline-values.js";
import { judgedObject, pairMoved, pairRenamedContainers, pairSameValues, writtenIn } from "./moved.js";
import { pairChangedSeverity } from "./worsened.js";
import { isEnvPath, isYamlPath, Policy } from "./policy.js";
import { TestSuiteInputs } from "./test-suites.js";
import { applicationOverrides, applicationPathsOf, applicationSetCandidates, contentText, hasParameterFiles, mentionsApplication, mentionsApplicationSet, recursiveDirectoryPathsOf, removedDirectories } from "./render-plan.js";
import { renderStageSteps, type BrokenBuild, type PathlessApplication, type RenderStage, type RootRender } from "./render-stage.js";
import { ownRepoURL, type RepositoryView, type Side } from "./repository.js";
import type { Rule, TreeView } from "./rule.js";
import { runSteps, type Steps } from "./steps.js";
import { subsumedRules, withoutSubsumed } from "./subsume.js";
import { applySuppressions, isExpired, WaiverSet, type Waiver } from "./suppress.js";
import { atLeast, SEVERITIES, severityRank, type Conclusion, type Finding, type Resource, type Severity } from "./types.js";

/** Text, bytes, or why a reader did not read the file (too large, not a regular file). */
export type FileContent = ParserContent;
export type { RepositorySide, RepositoryView, Side } from "./repository.js";

export interface FileChange {
  /** Path on the head side (for removed files: the path that was removed). */
  path: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** For renamed files: the path on the base side. */
  previousPath?: string;
  base?: FileContent;
  head?: FileContent;
}

export interface ReviewInput {
  changes: readonly FileChange[];
  config: Config;
  rules: readonly Rule[];
  now: Date;
  /** Waivers from the decision store (config waivers are read from `config`). */
  waivers?: readonly Waiver[];
  /** A recorded override for this head SHA. */
  override?: { actor: string; reason: string } | null;
  limits?: ParseLimits;
  /**
   * The clock of the time budgets (`limits.maxFileMs`: CPU time by default; `maxReviewMs`: wall time by default);
   * tests pass their own.
   */
  clock?: Clock;
  /**
   * Time budget in milliseconds for the review's own work (parse, render and rules, summed over its steps: see
   * steps.ts), a backstop under a deadline such as the Lambda worker's. When it is spent, every file not yet judged
   * gets one `guard/parse-error` finding ("not reviewed: the review's time budget … ran out"), a note says so and the
   * review fails whatever the policy. Default: none (the CLI waits for the whole answer; each file has its own budget).
   */
  maxReviewMs?: number;
  /** Notes from the gatherer (e.g. files GitHub would not list); shown in every report. */
  notes?: readonly string[];
  /**
   * Changed files the caller parsed already (`parseYamlFile` with these `limits`), by side and path: used as they are,
   * not parsed again (e.g. `scan`'s kustomizations, which its render plan read before the review).
   */
  parsed?: Partial<Record<Side, ReadonlyMap<string, ParsedFile>>>;
  /** Facts from outside the repository (the facts stage), read by rules such as ecr/*. `evaluate({ facts })` wins. */
  facts?: ReviewFacts;
  /**
   * Each side's whole repository tree, for the Kustomize render (the roots a change reaches are built in process
   * and judged as Argo CD applies them). Without it every changed file is judged on its own.
   */
  repository?: RepositoryView;
  /** False: no render even with `repository` (`--no-render`). */
  render?: boolean;
}

export interface ReviewSummary {
  new: number;
  existing: number;
  fixed: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
}

export interface ReviewResult {
  conclusion: Conclusion;
  summary: ReviewSummary;
  findings: Finding[];
  notes: string[];
  filesReviewed: number;
  failOn: Severity;
  /** Files not judged because the review's time budget (`maxReviewMs`) ran out; present only then (the review fails). */
  unreviewed?: string[];
  /** What is wrong with the repository config the pull request changes (its head version); present only then (the review fails). */
  invalidConfig?: string[];
  /**
   * Changed files the review could not read at all as the pull request leaves them (a Helm chart template, a file that is
   * not text: their notes say so), with why in a word; present only when there are some. Counted in `filesReviewed`.
   */
  notReviewed?: NotReviewedFile[];
}

/** A changed file not reviewed (see `ReviewResult.notReviewed`): why, as the summaries say it ("Helm template"). */
export interface NotReviewedFile {
  path: string;
  why: string;
}

/** What may still arrive between preparing a review and evaluating it (e.g. from the decision store). */
export interface EvaluateOptions {
  /** Facts gathered between prepare and evaluate (e.g. ECR scan results for the head's images). */
  facts?: ReviewFacts;
  waivers?: readonly Waiver[];
  override?: { actor: string; reason: string } | null;
  notes?: readonly string[];
}

/**
 * A review after its pure, synchronous first stages (parse and render): a caller can read the documents that
 * will be judged (e.g. to gather facts about their images, asynchronously, outside the core) and then evaluate.
 */
export interface PreparedReview {
  /**
   * The documents judged on a side: the objects of every root that rendered, then the documents of changed files
   * judged on their own. Files not kept from the parse are parsed again as the iteration reaches them;
   * `include` (a path on that side) skips changed files a caller knows it has no use for, unparsed.
   */
  documents(side: Side, include?: (path: string) => boolean): Iterable<ParsedDoc>;
  /** Rules, fingerprints, status, suppressions and the conclusion. Call once (this or `evaluateSteps`). */
  evaluate(options?: EvaluateOptions): ReviewResult;
  /** The same evaluation in steps (one per changed file, one per rendered root), for a caller that paces them. */
  evaluateSteps(options?: EvaluateOptions): Steps<ReviewResult>;
}

/**
 * `baseFile`: a renamed file's base-side finding carries the head path (for its fingerprint) and its own path here, to
 * be shown where its line is when it is `fixed`. `inlineValues`: where it is in an Application's inline Helm values,
 * whatever their form (inline-values.ts; in memory only, dropped with the value digests).
 */
type Internal = EvaluatedFinding & { renderScope?: RenderScope; baseFile?: string; inlineValues?: string };

interface Planned {
  change: FileChange;
  basePath: string;
  reviewHead: boolean;
  reviewBase: boolean;
  /**
   * A side on which the file is committed but not deployed (a values file only the other side's Applications name):
   * only the rules that judge committed content judge it there.
   */
  committedOnly?: Side;
}

/** The diff-aware review: findings on the head side that the base side did not have are `new`. */
export function review(input: ReviewInput): ReviewResult {
  return prepareReview(input).evaluate();
}

/** Parses and renders (pure, synchronous); evaluation comes later, when the caller has what it needs. */
export function prepareReview(input: ReviewInput): PreparedReview {
  return runSteps(prepareReviewSteps(input));
}

const NO_RESOURCE = { apiVersion: null, kind: null, namespace: null, name: null };
/** No document indices (a file judged with no patches handed to Kustomize, see handed-patches.ts). */
const NO_INDICES: ReadonlySet<number> = new Set();

/** `prepareReview` in steps (the render's roots), for a caller that paces them (see steps.ts). */
export function* prepareReviewSteps(input: ReviewInput): Steps<PreparedReview> {
  // The review's own work time, counted while its steps run (see budget.ts); paused at every yield.
  const work = workBudget(input.maxReviewMs ?? Number.POSITIVE_INFINITY, input.clock);
  work.start();
  const policy = new Policy(input.config, input.rules);
  const known = new Set(input.rules.map((r) => r.meta.id));
  const limits = input.limits ?? DEFAULT_LIMITS;
  const planned: Planned[] = [];
  const excludedByDefault: string[] = [];
  // The inputs of test suites (Kyverno CLI, chainsaw, gator, kuttl) are fixtures too, found from each side's tree listing
  // (or from the changes alone without one). Each side of a file asks its own tree: a manifest the base judged stays
  // judged when the change adds a suite's file beside it (a change must not be able to loosen its own review).
  const suites: Record<Side, TestSuiteInputs> = { head: new TestSuiteInputs(listedPaths(input, "head")), base: new TestSuiteInputs(listedPaths(input, "base")) };
  for (const change of input.changes) {
    const basePath = change.previousPath ?? change.path;
    const hasHead = change.status !== "removed" && change.head !== undefined;
    const hasBase = change.status !== "added" && change.base !== undefined;
    // A `.json` file is reviewed when it is a Kubernetes manifest (Argo CD's directory sources apply it), each side
    // by its own content: a JSON DaemonSet is judged as the YAML one is, a dashboard is not.
    const reviewHead = hasHead && (policy.reviews(change.path) || (policy.mayReview(change.path) && isJsonManifest(change.head)));
    const reviewBase = hasBase && (policy.reviews(basePath) || (policy.mayReview(basePath) && isJsonManifest(change.base)));
    if (!reviewHead && !reviewBase) continue;
    if ((!hasHead || policy.excludedByDefault(change.path, suites.head)) && (!hasBase || policy.excludedByDefault(basePath, suites.base))) {
      excludedByDefault.push(change.path);
      continue;
    }
    planned.push({ change, basePath, reviewHead, reviewBase });
  }
  // Diff rules (e.g. a deleted Application) compare the two sides; without a base side there is nothing to
  // compare, so parsed files need not be kept alive for them (a large scan then holds one file at a time).
  const keepForDiff = input.rules.some((r) => r.checkDiff) && input.changes.some((c) => c.status !== "added");
  // Files parsed before evaluation (Applications the render plan needs, files the render reads, to reuse their YAML
  // documents) are kept only when diff rules need them later. A file the render reads gets its raw-text findings at
  // once (they are what it keeps when the render judges its documents) and is dropped: the render holds its own
  // conversion, and a large scan does not keep every parse alive.
  const kept: Record<Side, Map<string, ParsedFile>> = { base: new Map(), head: new Map() };
  const early: Record<Side, Map<string, { findings: EvaluatedFinding[]; skipped: string | null }>> = { base: new Map(), head: new Map() };
  const byPath: Record<Side, Map<string, Planned>> = { base: new Map(), head: new Map() };
  for (const p of planned) {
    if (p.reviewHead) byPath.head.set(p.change.path, p);
    if (p.reviewBase) byPath.base.set(p.basePath, p);
  }
  // Each file's review (parse and rules) has a time budget; a file that runs out gets one guard/parse-error finding
  // saying so instead of holding the review (see budget.ts). The parse and the rules of a file may run in different
  // steps (other work in between), so the budget counts the parse's cost, then starts again for the rules.
  const fileMs = limits.maxFileMs ?? DEFAULT_LIMITS.maxFileMs;
  const fileClock = input.clock ?? processCpuMs;
  // The objects each side judged, at the places of their findings' fingerprints (a file judged on its own, a base
  // file under its head path; a rendered root, under its renamed directory on the base side), so that an object a
  // pull request only moves or renames keeps its findings (see moved.ts). Nothing to pair without a base side (a scan).
  const judged: Record<Side, Set<string>> = { base: new Set(), head: new Set() };
  // Where each rendered object was written (its defining file, a base file under its head path, and its name there).
  const origins: Record<Side, Map<string, string>> = { base: new Map(), head: new Map() };
  const tracksObjects = input.repository?.base !== undefined || input.changes.some((c) => c.status !== "added");
  const judgedFile = (side: Side, file: ParsedFile): void => {
    const p = side === "base" ? byPath.base.get(file.path) : undefined;
    const place = p === undefined ? file.path : p.change.status === "removed" ? p.basePath : p.change.path;
    for (const docs of [file.docs, derivedDocs(file)]) {
      for (const d of docs) if (d.resource.kind !== null && d.resource.name !== null) judged[side].add(judgedObject(place, resourceKey({ resource: d.resource, docIndex: d.index })));
    }
  };
  const parseCost: Record<Side, Map<string, number>> = { base: new Map(), head: new Map() };
  const parse = (side: Side, p: Planned): ParsedFile => {
    const path = side === "head" ? p.change.path : p.basePath;
    const given = input.parsed?.[side]?.get(path);
    if (given) return given;
    const started = fileClock();
    const content = side === "head" ? p.change.head! : p.change.base!;
    // A `.env` file is not YAML: its text is what the committed-content rules read (see isEnvPath).
    const file = isEnvPath(path) ? readTextOnlyFile(path, content, limits) : parseYamlFile(path, content, limits, { helmValues: valueFiles[side].has(path) });
    parseCost[side].set(path, fileClock() - started);
    return file;
  };
  // Files the Applications among the changed files name as Helm values (`helm.valueFiles`): judged as values files
  // whatever they are called (see helm-value-files.ts). Read from those Applications' own parse, kept for the review.
  const valueFiles: Record<Side, Set<string>> = { base: new Set(), head: new Set() };
  // Those the changed files name, per side: an unchanged one is then judged on the sides that name it (see below).
  const namedByChanged: Record<Side, Set<string>> = { base: new Set(), head: new Set() };
  const own = ownRepoURL(input.repository?.identity);
  /** The values files the Applications (and ApplicationSets) among a side's documents name. */
  const addValueFiles = (side: Side, docs: readonly ParsedDoc[], changed = false): void => {
    for (const d of docs) {
      const named = [...helmValueFilesOf(d.value, own), ...(d.class === "kustomization" ? kustomizeValueFilesOf(d.file, d.value) : [])];
      for (const v of named) valueFiles[side].add(v);
      if (changed) for (const v of named) namedByChanged[side].add(v);
    }
  };
  /** Each side's tree, for rules that expand an ApplicationSet's git generators (none without a repository view). */
  const trees: Partial<Record<Side, TreeView>> = {};
  for (const side of ["base", "head"] as const) {
    const paths = input.repository?.[side]?.paths;
    if (paths) trees[side] = { paths, ...(own ? { ownRepoURL: own } : {}) };
  }
  /** The rules that judge committed content: they judge a file the render covers all the same. */
  const committedRules = new Set(input.rules.filter((r) => r.meta.judgesCommittedContent === true).map((r) => r.meta.id));
  /**
   * evaluateFile within the file's budget, plus the finding that says when the budget cut it short. `rendered`: a file
   * judged through a render (its documents are the render's), not one left out of what is applied.
   */
  const evaluateWithin = (side: Side, file: ParsedFile, options: EvaluateFileOptions, rendered = true): EvaluatedFinding[] => {
    const budget = startBudget(fileMs - (parseCost[side].get(file.path) ?? 0), input.clock);
    const tree = trees[side];
    const found = evaluateFile(file, policy, known, { ...options, budget, ...(tree ? { tree } : {}) });
    // A kustomization the render judges still has its charts' values judged here: the render leaves the charts out.
    if (options.docRules === "committed-content" && file.docs.some(writesChartValues)) {
      const all = evaluateFile(file, policy, known, { ...options, docRules: true, budget, ...(tree ? { tree } : {}) });
      found.push(...all.filter((f) => CHART_VALUES_PATH.test(f.path) && !committedRules.has(f.ruleId)));
    }
    // A Flux Kustomization or an Application the render judges still has the inline patches it hands to Kustomize
    // judged here when the render does not apply them (Flux's always; an Argo CD source's it does not build).
    const handed = options.docRules === "committed-content" && rendered ? unrenderedPatchDocIndices(file, tree) : NO_INDICES;
    if (handed.size > 0) {
      const all = evaluateFile(file, policy, known, { ...options, docRules: true, budget, ...(tree ? { tree } : {}) });
      found.push(...all.filter((f) => handed.has(f.docIndex) && !committedRules.has(f.ruleId)));
    }
    if (budget.cutShort) found.push(...evaluateFile(overBudget(file, fileMs), policy, known));
    return found;
  };
  // Files the root being built read. Their own findings (raw-text rules and the rules that judge committed content:
  // all the review keeps of such a file when the render judges its documents) are taken at once, so nothing holds the
  // parse once the render has converted it: a parse held across a build outlives young-generation collections and
  // makes every later one dearer. They count once the root rendered. A root that names something its build cannot
  // follow (a remote base: common) is held whole instead, as its files are then reviewed one by one; any other root
  // that does not build has its files parsed again.
  const pending: Record<Side, Map<string, { findings: EvaluatedFinding[]; skipped: string | null } | ParsedFile>> = { base: new Map(), head: new Map() };
  const parsedFor = (side: Side, path: string, use: "keep" | "hold" | "release"): ParsedFile | undefined => {
    const cached = kept[side].get(path);
    if (cached) return cached;
    const held = pending[side].get(path);
    if (held && "docs" in held) return held;
    const p = byPath[side].get(path);
    if (!p) return undefined;
    const file = parse(side, p);
    if (use === "keep" || keepForDiff) kept[side].set(path, file);
    else if (use === "hold") pending[side].set(path, file);
    else pending[side].set(path, { findings: evaluateWithin(side, file, { docRules: "committed-content" }), skipped: file.skipped });
    return file;
  };
  /** After a root's build: what it read counts as judged (it rendered), or is reviewed one by one later. */
  const built = (side: Side, ok: boolean): void => {
    for (const [path, done] of pending[side]) {
      if (!("docs" in done)) {
        if (ok) early[side].set(path, done);
      } else if (ok) early[side].set(path, { findings: evaluateWithin(side, done, { docRules: "committed-content" }), skipped: done.skipped });
      else kept[side].set(path, done);
    }
    pending[side].clear();
  };

  /**
   * Hands `value` to the caller (a step: `undefined`; a document to a reader), with the work budget paused while the
   * caller holds it: what the caller does until it asks for more (other webhooks, other reviews) is not the review's.
   */
  function* handOver<T>(value: T): Generator<T, void, void> {
    work.pause();
    yield value;
    work.start();
  }
  /** Another generator's steps as this review's. */
  function* paused<T>(steps: Steps<T>): Steps<T> {
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      yield* handOver(undefined);
    }
  }
  // The values files the changed Applications name (declared above, where the parse reads them), before any other
  // file is parsed.
  for (const p of planned) {
    for (const side of ["head", "base"] as const) {
      const content = side === "head" ? p.change.head : p.change.base;
      const path = side === "head" ? p.change.path : p.basePath;
      if (!(side === "head" ? p.reviewHead : p.reviewBase) || !(mentionsValueFiles(content) || namesChartValuesFiles(path, content))) continue;
      addValueFiles(side, parsedFor(side, path, "keep")?.docs ?? [], true);
    }
  }
  // The kustomization beside a changed file, unchanged, that gives its charts values files (`helmCharts[].valuesFile`):
  // a changed `prod-overrides.yaml` it names is judged as values too.
  for (const side of ["head", "base"] as const) {
    const repo = input.repository?.[side];
    if (!repo) continue;
    const listed = new Set(repo.paths);
    const dirs = new Set([...byPath[side].keys()].filter((path) => !isKustomizationFile(path) && isYamlPath(path)).map(directoryOf));
    for (const dir of dirs) {
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const path = dir === "" ? name : `${dir}/${name}`;
        if (byPath[side].has(path) || !listed.has(path)) continue;
        const content = repo.read(path);
        if (content !== null && namesChartValuesFiles(path, content)) addValueFiles(side, parseYamlFile(path, content, limits).docs);
      }
    }
  }
  // The values files the Applications (and ApplicationSets) the pull request leaves as they are name, in the files read
  // for Argo CD objects on each side (render-plan.ts `applicationSetCandidates`: the adapters fetched them): a pull
  // request that changes only such a values file (`$values/envs/prod/web.yaml`, its Application unchanged) judges it as
  // values, not by its name (held-out round 13: `tag: latest` and a password there passed). Also in the files named for
  // Applications near a changed file (`valueFileReaders`: `apps/umami/base/application.yaml`, held-out round 21).
  const removed = removedDirectories(input.repository?.base?.paths, input.repository?.head?.paths);
  const changedPaths = input.changes.flatMap((c) => (c.previousPath !== undefined ? [c.path, c.previousPath] : [c.path]));
  for (const side of ["head", "base"] as const) {
    const repo = input.repository?.[side];
    if (!repo) continue;
    const excludes = (p: string): boolean => policy.excludes(p);
    for (const path of new Set([...applicationSetCandidates(repo.paths, excludes, removed), ...valueFileReaders(changedPaths, repo.paths, excludes)])) {
      if (byPath[side].has(path)) continue;
      const content = repo.read(path);
      if (content === null || !mentionsValueFiles(content)) continue;
      addValueFiles(side, parseYamlFile(path, content, limits).docs);
    }
  }
  // The directories the changed Applications have Argo CD read recursively as plain manifests, per side.
  const recursive: Record<Side, string[]> = { base: [], head: [] };
  const rendered =
    input.repository && input.render !== false
      ? yield* paused(prepareRender(input, input.repository, policy, (side, path) => parsedFor(side, path, "keep"), (side, path, likelyFails) => parsedFor(side, path, likelyFails ? "hold" : "release"), built, recursive))
      : null;
  // The changed files were planned; a root that did not render has its files reviewed one by one, and when the pull
  // request changes one of its kustomizations, what that root reads may change too: every file it reads on the head
  // is reviewed then, changed or not (an unchanged one's findings are existing, a file it now reads is judged as
  // applied; see filesOfChangedFailedRoots).
  const changedFiles = planned.length;
  if (rendered && input.repository) planned.push(...filesOfChangedFailedRoots(input, input.repository, rendered, policy, suites));
  if (rendered && input.repository) planned.push(...generatorsMergedInto(input, input.repository, rendered, policy, suites, new Set(planned.map((p) => p.change.path))));
  if (input.repository) {
    const switched = unchangedValueFiles(input, input.repository, namedByChanged, valueFiles, policy, suites, new Set(planned.map((p) => p.change.path)));
    // Read as values on both sides: what the committed-content rules find in it is then compared as committed.
    for (const p of switched) if (p.committedOnly) valueFiles[p.committedOnly].add(p.change.path);
    planned.push(...switched);
  }
  for (const p of planned.slice(changedFiles)) {
    if (p.reviewHead) byPath.head.set(p.change.path, p);
    if (p.reviewBase) byPath.base.set(p.basePath, p);
  }
  work.pause();
  /** True when a file's documents are judged through a render on that side (and no failed root needs them raw). */
  const judgedByRender = (side: Side, path: string): boolean => {
    const r = rendered?.sides[side];
    return r !== undefined && r.covered.has(path) && !r.fallback.has(path);
  };
  /**
   * The kustomization beside a changed manifest when a root read it on that side without reading the file (the file
   * is left out of its `resources`): Argo CD applies what the kustomization builds, not the file. Also when that root
   * did not render (a missing file, a remote base): its files are then reviewed one by one, but a file the
   * kustomization does not name is not one of them, whatever its build does. Also a file only a Kustomize Component
   * nothing uses reads (that Component's kustomization). Null otherwise.
   */
  const renderedWithout = (side: Side, path: string): string | null => {
    const r = rendered?.sides[side];
    if (!r || r.covered.has(path) || r.fallback.has(path) || !isYamlPath(path) || isKustomizationFile(path)) return null;
    // An Application that reads a directory above it recursively applies it as it is.
    if (recursivelyRead(side, path)) return null;
    const component = r.unusedComponents.get(path);
    if (component !== undefined) return component;
    const dir = directoryOf(path);
    return KUSTOMIZATION_FILE_NAMES.map((n) => (dir === "" ? n : `${dir}/${n}`)).find((k) => r.covered.has(k) || r.fallback.has(k)) ?? null;
  };
  /**
   * Whether a changed Application on that side reads a directory above the file as plain manifests, recursively: its
   * path holds no kustomization (Argo CD would build that one instead, whatever `directory` says).
   */
  let plainRecursive: Record<Side, string[]> | null = null;
  const recursivelyRead = (side: Side, path: string): boolean => {
    plainRecursive ??= {
      base: withoutKustomization(recursive.base, new Set(listedPaths(input, "base"))),
      head: withoutKustomization(recursive.head, new Set(listedPaths(input, "head"))),
    };
    return plainRecursive[side].some((d) => d === "" || path.startsWith(`${d}/`));
  };
  /** Whether a file's documents are left unjudged: Kubernetes objects only, beside a kustomization that leaves them out. */
  // Argo CD's own objects are judged wherever they are written: an Application beside a kustomization that does not
  // list it is usually applied by an app of apps (`directory.recurse`) this review does not see.
  const notApplied = (side: Side, file: ParsedFile): boolean => renderedWithout(side, file.path) !== null && onlyObjects(file) && !holdsArgoObjects(file);

  let evaluated = false;
  function* counted<T>(values: Iterable<T>): Generator<T, void, void> {
    for (const v of values) yield* handOver(v);
  }
  const prepared: PreparedReview = {
    *documents(side: Side, include?: (path: string) => boolean): Iterable<ParsedDoc> {
      work.start();
      try {
        for (const root of rendered?.sides[side]?.renders ?? []) {
          if (root.result.ok) yield* counted(root.result.resources.map((r, i) => renderedToParsedDoc(r, i)));
        }
        for (const p of planned) {
          // Past the review's budget the files left are not judged, so their documents are of no use either.
          if (work.spent()) return;
          const path = side === "head" ? p.change.path : p.basePath;
          if (!(side === "head" ? p.reviewHead : p.reviewBase) || judgedByRender(side, path) || (include && !include(path))) continue;
          const file = kept[side].get(path) ?? parse(side, p);
          if (!notApplied(side, file) && p.committedOnly !== side) yield* counted(file.docs);
        }
      } finally {
        work.pause();
      }
    },
    evaluate(options: EvaluateOptions = {}): ReviewResult {
      return runSteps(prepared.evaluateSteps(options));
    },
    *evaluateSteps(options: EvaluateOptions = {}): Steps<ReviewResult> {
      if (evaluated) throw new Error("a prepared review is evaluated once");
      evaluated = true;
      work.start();
      const notes: string[] = [...(input.notes ?? []), ...(input.repository?.notes ?? []), ...(rendered?.notes ?? []), ...(options.notes ?? [])];
      if (excludedByDefault.length > 0) notes.push(excludedNote(excludedByDefault));
      const facts = options.facts ?? input.facts;
      const head: Internal[] = [];
      const base: Internal[] = [];
      const headFiles: ParsedFile[] = [];
      const baseFiles: ParsedFile[] = [];
      /**
       * Changed files whose head version could not be read whole (a YAML error, a skipped template, over a limit): what
       * their base version had is unknown on the head, not fixed (see the fixed findings below).
       */
      const unreadOnHead = new Set<string>();
      /** Changed files skipped whole on the head (no rule read them), and why (see `ReviewResult.notReviewed`). */
      const notReviewed = new Map<string, string>();
      /** Chart-repository Helm sources of the changed Argo CD objects (see unrenderedChartsNote). */
      const charts: string[] = [];
      /** A changed file's findings on one side (its documents judged through the render when one covers it). */
      /** In two steps when the file is parsed here: the parse, then its rules (a large file's halves apart). */
      const fileFindings = function* (side: Side, path: string, p: Planned): Generator<void, EvaluatedFinding[], void> {
        const byRender = judgedByRender(side, path);
        const done = early[side].get(path);
        early[side].delete(path);
        if (byRender && done) {
          if (side === "head" && done.skipped) {
            notes.push(`${path}: skipped — ${done.skipped}`);
            notReviewed.set(path, skippedWhy(done.skipped));
          }
          return done.findings;
        }
        let file = kept[side].get(path);
        kept[side].delete(path);
        if (!file) {
          file = parse(side, p);
          yield* handOver(undefined);
        }
        if (side === "head" && (file.problems.length > 0 || file.skipped !== null)) unreadOnHead.add(path);
        if (keepForDiff) (side === "head" ? headFiles : baseFiles).push(file);
        if (side === "head") for (const d of file.docs) charts.push(...chartSourcesOf(d));
        const leftOut = !byRender && notApplied(side, file);
        const unread = side === "head" ? unreadFileNote(path, file, !byRender && !leftOut) : null;
        if (unread !== null) notes.push(unread.note);
        if (unread?.whole && file.skipped !== null) notReviewed.set(path, skippedWhy(file.skipped));
        if (leftOut && side === "head") notes.push(leftOutNote(path, renderedWithout(side, path)!, rendered?.sides[side]?.unusedComponents.has(path) === true));
        // A credential in it is committed all the same: the rules that judge committed content still read it.
        const found = evaluateWithin(side, file, { docRules: byRender || leftOut || p.committedOnly === side ? "committed-content" : true, facts }, byRender);
        // Its objects are judged at the file (those of a file a render covers are judged at the root instead).
        if (tracksObjects && !byRender) judgedFile(side, file);
        if (!tracksObjects) return found;
        // A value an Application's inline Helm values give its chart, known whatever form the values are written in.
        const inline = inlineValuesKeys(file, found);
        return inline.size === 0 ? found : found.map((f): Internal => (inline.has(f) ? { ...f, inlineValues: inline.get(f)! } : f));
      };
      // Changed files the review's budget left unjudged (paths on the head side, or removed paths), in plan order.
      const unreviewed = new Set<string>();
      const renamedRoots = renamedKustomizationDirs(input.changes);
      const renamedFiles = new Map(input.changes.flatMap((c) => (c.status === "renamed" && c.previousPath !== undefined ? [[c.previousPath, c.path] as const] : [])));
      for (const p of planned) {
        const { change, basePath } = p;
        if (work.spent()) {
          unreviewed.add(change.path);
          continue;
        }
        if (p.reviewHead) head.push(...(yield* fileFindings("head", change.path, p)));
        if (p.reviewBase) {
          // Base findings carry the head path so that a renamed file's findings keep their fingerprints.
          const renamedTo = change.status === "removed" ? basePath : change.path;
          base.push(...(yield* fileFindings("base", basePath, p)).map((f) => (renamedTo === basePath ? f : { ...f, file: renamedTo, baseFile: basePath })));
        }
        yield* handOver(undefined);
      }
      for (const [side, list] of [["head", head], ["base", base]] as const) {
        const r = rendered?.sides[side];
        const renders = r?.renders ?? [];
        for (let i = 0; i < renders.length; i++) {
          const root = renders[i]!;
          if (!root.result.ok) continue;
          if (work.spent()) {
            // The documents of the changed files this root reads were left to the render: they were not judged.
            for (const p of planned) if (root.result.files.includes(side === "head" ? p.change.path : p.basePath)) unreviewed.add(p.change.path);
            continue;
          }
          const found = evaluateRendered({ root: root.root, label: root.label, file: root.file, resources: root.result.resources, text: r!.text, ...(trees[side] ? { tree: trees[side] } : {}) }, policy, known, facts);
          if (side === "head") {
            root.result.resources.forEach((res, j) => {
              if (res.resource.kind === "Application" || res.resource.kind === "ApplicationSet") charts.push(...chartSourcesOf(renderedToParsedDoc(res, j)));
            });
          }
          // Base findings of a root whose directory the PR renamed carry the head's root, as a renamed file's do.
          const renamedTo = side === "base" ? renamedRoots.get(root.root) : undefined;
          if (tracksObjects) {
            const place = renderPlace(renamedTo ?? root.root);
            root.result.resources.forEach((res, j) => {
              if (res.resource.kind === null || res.resource.name === null) return;
              const entry = judgedObject(place, renderedKey(res, j));
              const file = res.definedAt.file;
              judged[side].add(entry);
              origins[side].set(entry, writtenIn((side === "base" ? renamedFiles.get(file) : undefined) ?? file, resourceKey({ resource: res.writtenAs, docIndex: j })));
            });
          }
          list.push(...(renamedTo === undefined ? found : found.map((f) => ({ ...f, renderScope: { ...f.renderScope, root: renamedTo } }))));
          // Judged (a review is evaluated once): its objects, and the plain copies the rules read of them, can go now
          // rather than with the whole review — a large scan holds hundreds of rendered roots.
          renders[i] = { ...root, result: { ...root.result, resources: [] } };
          yield* handOver(undefined);
        }
      }
      head.push(...brokenBuildFindings(rendered?.broken ?? [], policy));
      // A root the pull request mends has that finding on the base side only: fixed.
      base.push(...brokenBuildFindings(rendered?.mended ?? [], policy, "mended"));
      head.push(...pathlessApplicationFindings(rendered?.pathless ?? [], policy));
      const chartNote = unrenderedChartsNote(charts);
      if (chartNote !== null) notes.push(chartNote);
      if (unreviewed.size > 0) {
        head.push(...notReviewedFindings(planned, unreviewed, policy, work.ms));
        notes.push(notReviewedNote([...unreviewed], planned.length, work.ms));
      }

      const committed = new Set(input.rules.filter((r) => r.meta.judgesCommittedContent === true).map((r) => r.meta.id));
      // Fingerprinted before a file's own duplicates go: what they say about the committed value is still of use.
      const headAll = fingerprintAll(head);
      const baseAll = fingerprintAll(base);
      const headFp = withoutRenderedDuplicates(headAll, committed);
      const baseFp = withoutRenderedDuplicates(baseAll, committed);
      const baseSet = new Set(baseFp.map((f) => f.fingerprint));
      const headSet = new Set(headFp.map((f) => f.fingerprint));
      const unchanged = unchangedOnBothSides(input, rendered);
      const still = stillCommitted(headAll, baseAll, committed, unchanged);
      const freshValue = commitsFreshValue(baseAll, committed, unchanged);
      // A finding the pull request made more severe (an Application pointed at the Argo CD namespace: medium → critical)
      // is a new risk, though its identity is the same: new, and the milder base one is not shown as fixed.
      const baseSeverity = new Map(baseFp.map((f) => [f.fingerprint, f.severity]));
      const escalated = (f: Internal & { fingerprint: string }): boolean => {
        const was = baseSeverity.get(f.fingerprint);
        return was !== undefined && severityRank(f.severity) < severityRank(was);
      };
      // A root the pull request mends (its base build was refused): its lines another root applies on the base are not new.
      const sharedOnBase = reportedByOtherRoot(baseFp, new Set((rendered?.mended ?? []).map((m) => m.root)));
      const unmatchedHead = headFp.filter((f) => (!baseSet.has(f.fingerprint) || escalated(f)) && !still.onBase(f) && !sharedOnBase(f));
      const unmatchedBase = baseFp.filter((f) => !headSet.has(f.fingerprint) && !still.onHead(f));
      // An object the pull request only moved within its directory, renamed, or turned into another workload kind
      // (a Deployment into a StatefulSet): its findings pair up (moved.ts), each pair one `existing` finding, the head one.
      const movedObjects = pairMoved(unmatchedHead, unmatchedBase, { ...judged, origins });
      // A container renamed in its object (one left and one arrived): its findings pair up the same way.
      const pairedBase = new Set(movedObjects.values());
      const renamed = pairRenamedContainers(
        unmatchedHead.filter((f) => !movedObjects.has(f)),
        unmatchedBase.filter((f) => !pairedBase.has(f)),
        headFp,
        baseFp,
      );
      // A value an Application's inline Helm values moved between `values`, `valuesObject` and `parameters`: paired too.
      const pairedSoFar = new Set([...pairedBase, ...renamed.values()]);
      const sameValues = pairSameValues(
        unmatchedHead.filter((f) => !movedObjects.has(f) && !renamed.has(f)),
        unmatchedBase.filter((f) => !pairedSoFar.has(f)),
        (f) => f.inlineValues,
      );
      const moved = new Map([...movedObjects, ...renamed, ...sameValues]);
      // A risk made worse or milder in place, its identity moving between a container and a field inside it
      // (worsened.ts): new when more severe, existing when as severe or milder; the base finding is not shown as fixed.
      const twinned = new Set(moved.values());
      const changedSeverity = pairChangedSeverity(
        unmatchedHead.filter((f) => !moved.has(f)),
        unmatchedBase.filter((f) => !twinned.has(f)),
      );
      const notWorse = (f: Internal & { fingerprint: string }): boolean => {
        const was = changedSeverity.get(f);
        return was !== undefined && severityRank(f.severity) >= severityRank(was.severity);
      };
      // A hostPath volume pointed at a directory inside its old one (narrowed: existing) or around it (widened: new);
      // either way the old directory is not shown as fixed (host-path-change.ts).
      const paired = new Set([...twinned, ...changedSeverity.values()]);
      const hostPaths = pairHostPathChanges(
        unmatchedHead.filter((f) => !moved.has(f) && !changedSeverity.has(f)),
        unmatchedBase.filter((f) => !paired.has(f)),
      );
      const narrowed = (f: Internal & { fingerprint: string }): boolean => hostPaths.get(f)?.change === "narrowed";
      const held = heldGrants(baseAll);
      const isNew = new Set(unmatchedHead.filter((f) => !moved.has(f) && !notWorse(f) && !narrowed(f) && !(f.grant && grantCovered(f.grant, held.get(objectOf(f)) ?? []))));
      // A credential the pull request rotates to another plaintext value, or adds to a plaintext Secret: its finding
      // keeps its identity, or pairs with the base one of a renamed object (and that one is not fixed), but the value
      // is a new leak to rotate. A pair whose base finding has no digests (values the rule did not digest) is left be.
      for (const f of headFp) {
        const twin = moved.get(f);
        const comparable = twin !== undefined ? (twin.valueDigests?.length ?? 0) > 0 : baseSet.has(f.fingerprint);
        if (comparable && freshValue(f)) isNew.add(f);
      }
      // A root the head renders as other objects (two Applications' `namePrefix` over a root the base rendered plainly):
      // a base line the head still reports in that root, by the same rule, is not fixed (held-out round 25: eight
      // `fixed` findings in a review that removed nothing).
      const atLine = (f: Internal): string => [renderPlace(f.renderScope!.root), f.ruleId, f.file, f.line, f.column].join("\u0000");
      const headLines = new Set(headFp.filter((f) => f.renderScope).map(atLine));
      const stillInRoot = unmatchedBase.filter((f) => f.renderScope && headLines.has(atLine(f)));
      const twins = new Set([...moved.values(), ...changedSeverity.values(), ...[...hostPaths.values()].map((p) => p.base), ...stillInRoot]);
      // A base finding in a file the head cannot be read of (the pull request broke its YAML) is not fixed: nothing says
      // the head no longer has it. It is left out, with a note, until the file reads again (the parse error fails the review).
      const unknownOnHead = unmatchedBase.filter((f) => !twins.has(f) && !f.deferred && unreadOnHead.has(f.file));
      for (const path of new Set(unknownOnHead.map((f) => f.file))) {
        const n = unknownOnHead.filter((f) => f.file === path).length;
        notes.push(`${path}: ${n} finding${n === 1 ? "" : "s"} of its base version ${n === 1 ? "is" : "are"} not compared (neither fixed nor existing): its head version could not be read whole (see guard/parse-error or the note above)`);
      }
      const notCompared = new Set(unknownOnHead);
      // Deferred findings (another rule's finding stands for them) have done their part, matching, and go.
      const findings = [
        ...headFp.filter((f) => !f.deferred).map((f) => ({ ...f, status: isNew.has(f) ? ("new" as const) : ("existing" as const) })),
        // A fixed finding is shown where it was: a renamed file's under its base path, where its line is.
        ...unmatchedBase.filter((f) => !twins.has(f) && !f.deferred && !notCompared.has(f)).map(({ baseFile, ...f }) => ({ ...f, file: baseFile ?? f.file, status: "fixed" as const, side: "base" as const })),
        ...diffFindings(input.rules, policy, baseFiles, headFiles, rendered?.applicationSets),
      ].map(withoutValueDigests);

      const configWaivers: Waiver[] = input.config.waivers.map((w) => ({
        by: "config",
        rule: w.rule,
        path: w.path,
        resource: w.resource,
        reason: w.reason,
        expires: w.expires,
        actor: null,
      }));
      for (const w of configWaivers) {
        if (isExpired(w, input.now)) notes.push(`config waiver for ${w.rule}${w.path ? ` on ${w.path}` : ""} expired on ${w.expires?.slice(0, 10)} and no longer applies`);
      }
      const waivers = new WaiverSet([...configWaivers, ...(options.waivers ?? input.waivers ?? [])], input.now);
      const override = options.override !== undefined ? options.override : (input.override ?? null);
      // One finding per credential: a finding another rule's stands for goes, once statuses and waivers are known.
      const oneEach = withoutSubsumed(applySuppressions(findings, waivers, override), subsumedRules(input.rules));
      const headRender = rendered?.sides.head;
      // The roots the head side tried and could not render, and the files they read (they apply them all the same).
      const headFailed = new Set(headRender?.failed.map((f) => f.root) ?? []);
      const readByFailed = new Set(headRender?.failed.flatMap((f) => f.files) ?? []);
      // The roots the head side rendered without their remote resources: what they applied may still be applied.
      const partialHead = new Set(headRender?.renders.filter((r) => r.result.ok && r.result.partial === true).map((r) => r.root));
      // A root the pull request leaves unbuildable (its guard/parse-error says so): Argo CD keeps what it applied.
      const broken = new Set((rendered?.broken ?? []).map((b) => b.root));
      const unbroken = withoutFixesOfBrokenRoots(oneEach, broken, (file) => rendered?.sides.base?.readersOf(file) ?? []);
      for (const [path, { count, roots }] of unbroken.held) {
        notes.push(`${path}: ${count} finding${count === 1 ? "" : "s"} of its base version ${count === 1 ? "is" : "are"} not called fixed: ${roots.join(", ")} no longer build${roots.length === 1 ? "s" : ""} (see guard/parse-error), and Argo CD keeps running what it applied before`);
      }
      const trueFixes = withoutFixesOfPartialRoots(withoutVanishedFixes(unbroken.findings, rendered?.vanished ?? [], rendered?.stillPointedAt ?? [], (file) => readByFailed.has(file)), partialHead, chartsOnlyFixes(headRender?.renders ?? [], input.changes, (root, key) => judged.head.has(judgedObject(renderPlace(root), key))));
      const merged = mergeRenderedFindings(trueFixes);
      const renderedOk = new Set(headRender?.renders.filter((r) => r.result.ok && !r.generatorsOnly).map((r) => r.root));
      const decided = (headRender ? withUnrenderedReaders(merged, (f) => headRender.readersOf(f), renderedOk, headFailed) : merged).sort(compareFindings);
      let result: ReviewResult = { ...decide(decided, policy.failOn), notes, filesReviewed: changedFiles + renderInputsChanged(planned, input.repository, rendered), failOn: policy.failOn };
      const changedOnHead = new Set(input.changes.map((c) => c.path));
      const skippedChanged = [...notReviewed].filter(([path]) => changedOnHead.has(path)).map(([path, why]) => ({ path, why }));
      if (skippedChanged.length > 0) result.notReviewed = skippedChanged;
      // A pull request that makes the repository config invalid fails: merged, it would stop every later review.
      const configProblems = headConfigProblems(input.changes, input.rules);
      if (configProblems.length > 0) {
        const note = `${CONFIG_PATH} as this pull request leaves it is invalid, and once merged every review would stop on it: ${configProblems.join("; ")}`;
        result = { ...result, conclusion: "failure", invalidConfig: configProblems, notes: [...notes, note] };
      }
      work.pause();
      // A review that did not judge every file never passes, whatever the policy makes of its findings.
      return unreviewed.size > 0 ? { ...result, conclusion: "failure", unreviewed: [...unreviewed] } : result;
    },
  };
  return prepared;
}

/**
 * The unchanged files the roots that did not render on the head side read there, when the root's closure (on either
 * side) holds a kustomization file the pull request changes, as changes with the same content on both sides (where the tree has them), so that
 * they are reviewed one by one with the root's changed files: a kustomization that starts reading an unchanged file
 * makes what it holds applied (its findings new), one that stops reading a file the opposite. YAML files the policy
 * reviews only, not the kustomization files themselves (their changes are already planned), not default exclusions.
 */
function filesOfChangedFailedRoots(input: ReviewInput, view: RepositoryView, rendered: RenderStage, policy: Policy, suites: Record<Side, TestSuiteInputs>): Planned[] {
  const changed = new Set<string>(view.changed ?? []);
  for (const c of input.changes) changed.add(c.path).add(c.previousPath ?? c.path);
  // The files such a root reads on the head (a root that only the base side could not render is judged through its
  // render on the head). Not the files it stops reading: those may still be applied through other roots (an overlay
  // that swaps its local base for a remote one leaves the base to the other overlays), and judged one by one on the
  // base side only they would read as fixed.
  const changedKustomization = (files: readonly string[]): boolean => files.some((f) => isKustomizationFile(f) && changed.has(f));
  // Except for a root the pull request breaks (Kustomize refuses its head), whatever the change: merged, Argo CD keeps
  // running what it applied, so the unchanged files its base build read stay applied, their findings existing (held-out
  // round 21: a base directory that lost its kustomization.yaml took every finding of the overlay above it out of the
  // review).
  const broken = new Set(rendered.broken.map((b) => b.root));
  const wanted = new Set<string>();
  for (const root of rendered.sides.head?.failed ?? []) {
    const onBase = rendered.sides.base?.failed.find((r) => r.root === root.root)?.files ?? [];
    const breaks = broken.has(root.root);
    if (!breaks && !changedKustomization(root.files) && !changedKustomization(onBase)) continue;
    const read = breaks ? [...root.files, ...onBase] : root.files;
    for (const f of read) if (!changed.has(f) && !isKustomizationFile(f) && isYamlPath(f) && policy.reviews(f)) wanted.add(f);
  }
  const out: Planned[] = [];
  if (wanted.size === 0) return out;
  const onHead = new Set(view.head?.paths ?? []);
  const onBase = new Set(view.base?.paths ?? []);
  for (const path of [...wanted].sort()) {
    // Unchanged: each side's content is the other's (a view reads an unchanged file once, where a plan needed it).
    const headRead = onHead.has(path) ? (view.head?.read(path) ?? null) : null;
    const baseRead = onBase.has(path) ? (view.base?.read(path) ?? null) : null;
    const head = onHead.has(path) ? (headRead ?? baseRead) : null;
    const base = onBase.has(path) ? (baseRead ?? headRead) : null;
    const reviewHead = head !== null && !policy.excludedByDefault(path, suites.head);
    const reviewBase = base !== null && !policy.excludedByDefault(path, suites.base);
    if (!reviewHead && !reviewBase) continue;
    const status = head === null ? "removed" : base === null ? "added" : "modified";
    out.push({ change: { path, status, ...(head !== null ? { head } : {}), ...(base !== null ? { base } : {}) }, basePath: path, reviewHead, reviewBase });
  }
  return out;
}

/** A generator that merges into or replaces one of a base (`behavior: merge`/`replace`). */
const MERGING_GENERATOR = /\bbehavior\s*:\s*["']?(?:merge|replace)\b/;
const GENERATOR = /(?:secret|configMap)Generator\s*:/;

/**
 * The unchanged kustomizations with generators that a rendered root reads on the head, when the pull request changes a
 * kustomization of that root whose generator merges into or replaces one (`behavior: merge`): as changes with the same
 * content on both sides, so the rules that judge committed content judge their literals on both sides, as a scan does.
 * A base literal an overlay's merge now overrides is no longer in the rendered Secret, but still committed: `existing`,
 * not gone from the review (held-out round 21: an overlay's `envs:` merge over a base's password literal took the
 * literal's finding out of the review). Not files already planned.
 */
function generatorsMergedInto(input: ReviewInput, view: RepositoryView, rendered: RenderStage, policy: Policy, suites: Record<Side, TestSuiteInputs>, planned: ReadonlySet<string>): Planned[] {
  const head = rendered.sides.head;
  if (!head || !view.base || !view.head) return [];
  const changed = new Set<string>(view.changed ?? []);
  for (const c of input.changes) changed.add(c.path).add(c.previousPath ?? c.path);
  const merges = (f: string): boolean => changed.has(f) && isKustomizationFile(f) && MERGING_GENERATOR.test(head.text(f) ?? "");
  const wanted = new Set<string>();
  for (const r of head.renders) {
    if (!r.result.ok || r.generatorsOnly || !r.result.files.some(merges)) continue;
    for (const f of r.result.files) if (isKustomizationFile(f) && !changed.has(f) && !planned.has(f) && policy.reviews(f) && GENERATOR.test(head.text(f) ?? "")) wanted.add(f);
  }
  const out: Planned[] = [];
  for (const path of [...wanted].sort()) {
    const text = head.text(path);
    if (text === null || rendered.sides.base?.text(path) !== text || policy.excludedByDefault(path, suites.head) || policy.excludedByDefault(path, suites.base)) continue;
    out.push({ change: { path, status: "modified", head: text, base: text }, basePath: path, reviewHead: true, reviewBase: true });
  }
  return out;
}

/**
 * The values files the changed Applications (and kustomizations) name on one side only (`named`: see
 * `switchedValueFiles`) that the pull request does not change, as changes with the same content on both sides, judged
 * as values on each side whose Applications name them (`values`: by any Application the review read): a pull request
 * that switches an Application's `helm.valueFiles` to an existing `debug.yaml` deploys its values (held-out round 16:
 * its `tag: latest` and password passed), so their findings are new when only the head names the file, existing when
 * another Application named it on the base, fixed when only the base named it. On a side that does not name it, the
 * file is still committed: the rules that judge committed content judge it there (`committedOnly`), so a password in
 * it is existing, as a value an overlay starts applying is. Files the policy reviews only, not default exclusions,
 * not files already planned.
 */
function unchangedValueFiles(
  input: ReviewInput,
  view: RepositoryView,
  named: Record<Side, ReadonlySet<string>>,
  values: Record<Side, ReadonlySet<string>>,
  policy: Policy,
  suites: Record<Side, TestSuiteInputs>,
  planned: ReadonlySet<string>,
): Planned[] {
  const changed = new Set<string>(view.changed ?? []);
  for (const c of input.changes) changed.add(c.path).add(c.previousPath ?? c.path);
  const out: Planned[] = [];
  const onHead = new Set(view.head?.paths ?? []);
  const onBase = new Set(view.base?.paths ?? []);
  const switched = switchedValueFiles(named);
  for (const path of [...switched.head, ...switched.base].sort()) {
    if (changed.has(path) || planned.has(path) || !policy.reviews(path)) continue;
    // Unchanged: each side's content is the other's (a view reads an unchanged file once, where a plan needed it).
    const read = (onHead.has(path) ? view.head?.read(path) : null) ?? (onBase.has(path) ? view.base?.read(path) : null) ?? null;
    if (read === null) continue;
    const reviewHead = onHead.has(path) && !policy.excludedByDefault(path, suites.head);
    const reviewBase = onBase.has(path) && !policy.excludedByDefault(path, suites.base);
    const headNames = reviewHead && values.head.has(path);
    const baseNames = reviewBase && values.base.has(path);
    if (!headNames && !baseNames) continue;
    // On the side no Application names it, the file is committed all the same (see `Planned.committedOnly`).
    const committedOnly = !headNames && reviewHead ? "head" : !baseNames && reviewBase ? "base" : undefined;
    const status = !reviewHead ? "removed" : !reviewBase ? "added" : "modified";
    out.push({ change: { path, status, ...(reviewHead ? { head: read } : {}), ...(reviewBase ? { base: read } : {}) }, basePath: path, reviewHead, reviewBase, ...(committedOnly ? { committedOnly } : {}) });
  }
  return out;
}

/**
 * Changed files that are not reviewed on their own but that a render read on either side (a generator's `.env` or
 * `files:` entry, a kustomization named `Kustomization`): they were reviewed through the render, so a pull request
 * that changes only them is not "No GitOps files changed".
 */
function renderInputsChanged(planned: readonly Planned[], repository: RepositoryView | undefined, rendered: RenderStage | null): number {
  const changed = repository?.changed;
  if (!changed?.length || !rendered) return 0;
  const own = new Set(planned.flatMap((p) => [p.change.path, p.basePath]));
  return changed.filter((path) => !own.has(path) && (rendered.sides.head?.covered.has(path) === true || rendered.sides.base?.covered.has(path) === true)).length;
}

/**
 * One `guard/parse-error` finding for each changed file (on the head side) the review's budget left unjudged, unless
 * the policy turns the rule off there. Removed files have no line to point at: the note names them.
 */
function notReviewedFindings(planned: readonly Planned[], unreviewed: ReadonlySet<string>, policy: Policy, ms: number): EvaluatedFinding[] {
  const files = planned.filter((p) => p.reviewHead && unreviewed.has(p.change.path)).map((p) => p.change.path);
  return parseErrorFindings(policy, files.map((path) => ({ file: path, message: `${path} ${notReviewedMessage(ms)}`, fix: NOT_REVIEWED_FIX })));
}

/** The fix of a file the review's budget left unjudged (the rule's own fix is for a file that does not parse). */
const NOT_REVIEWED_FIX =
  "Run `/guard recheck` (or push again) to review it again; if the budget runs out again, split the pull request or the file so each review is smaller, or run `gitops-guard review --base <base> --head <head>` locally, which has no such budget.";

/** A build Argo CD refuses for an Application's `kustomize` overrides (argocd-overrides.ts), not for the kustomization. */
const ARGO_CD_OVERRIDE = /^Argo CD kustomize\b/;

/** The fix of a root the pull request breaks: make its build succeed again, as `kubectl kustomize` would check. */
function brokenBuildFix(b: BrokenBuild): string {
  if (ARGO_CD_OVERRIDE.test(b.reason)) {
    return "Fix the Application's `kustomize` override the error names: remove a label or annotation the kustomization already sets (or set `forceCommonLabels: true` / `forceCommonAnnotations: true` in the Application's `kustomize` block to let it win), or write the value as Argo CD reads it (a literal, not `${…}`).";
  }
  const command = `kubectl kustomize ${b.helmCharts ? "--enable-helm " : ""}${b.root || "."}`;
  return `Restore the file, directory or component the kustomization names, or remove its entry (a generator the build refuses: give it \`behavior: merge\` or \`replace\`, or another name); or undo the conflicting change the error names. Run \`${command}\` to check that it builds before merging.`;
}

/** The fix of an Application the pull request leaves pointing at a directory it removes. */
const PATHLESS_APPLICATION_FIX =
  "In the same pull request, delete this Application or point its `path:` at the directory that replaces the removed one; or keep the directory it points at.";

/**
 * The review's own `guard/parse-error` findings (a file left unjudged, a broken build, an Application without its
 * path), each at its file and place (line 1, column 1 when none is known) with the fix of its kind, where the policy
 * applies the rule.
 */
function parseErrorFindings(policy: Policy, at: ReadonlyArray<{ file: string; line?: number; column?: number; message: string; fix: string }>): EvaluatedFinding[] {
  const rule = policy.rule(PARSE_ERROR);
  if (!rule) return [];
  return at
    .filter((a) => policy.appliesTo(PARSE_ERROR, a.file))
    .map(({ file, line = 1, column = 1, message, fix }) => ruleFinding(rule, policy, file, null, 0, { path: [], range: { line, column, endLine: line, endColumn: column }, resource: NO_RESOURCE, message, fix }));
}

/**
 * A root the pull request breaks (built on the base, refused on the head by Kustomize or Argo CD: see render-stage.ts
 * `brokenOnHead`): merged, Argo CD cannot sync it. One `guard/parse-error` finding at its kustomization file, new (the
 * base has none), so the review fails with the reason instead of passing on a note. A root it mends (`mended`): the
 * same finding on the base side, so it shows as fixed. Roots broken at one place for one reason (two overlays of a base
 * whose patch file is gone) are one finding naming them, as a base line's rendered findings are (held-out round 18).
 */
function brokenBuildFindings(broken: readonly BrokenBuild[], policy: Policy, side: "broken" | "mended" = "broken"): EvaluatedFinding[] {
  return parseErrorFindings(
    policy,
    brokenAtOnePlace(broken).map((group) => {
      const b = group[0]!;
      const one = group.length === 1;
      const who = one ? b.label : `${group.length} overlays (${rootList(group.map((g) => g.label))})`;
      const it = one ? "it" : "them";
      const command = `kubectl kustomize ${b.helmCharts ? "--enable-helm " : ""}${b.root || "."}`;
      return {
        ...(b.at ?? { file: b.file }),
        message:
          side === "broken"
            ? `${who} no longer ${one ? "builds" : "build"} (${b.reason}): merged, ${cannotBuild(b, one)} and leaves what it applied before running; the base commit built ${it}. ${ARGO_CD_OVERRIDE.test(b.reason) ? `Argo CD writes the Application's \`kustomize\` overrides into the kustomization (\`kustomize edit\`) before it builds, and that step fails; \`${command}\` alone does not run it.` : `If \`${command}\` builds it, this is a gitops-guard render defect: waive it and tell us.`}`
            : `${who} did not build on the base commit (${b.reason}): ${b.flux ? `Flux's kustomize-controller could not build ${it}` : b.deployerUnknown ? `the deployer could not build ${it}` : `Argo CD could not generate ${one ? "its" : "their"} manifests`}; this pull request makes ${it} build again.`,
        fix: brokenBuildFix(b),
      };
    }),
  );
}

/** What the deployer of a broken root (or roots) does with it, in its own words (no deployer named when none is known). */
function cannotBuild(b: BrokenBuild, one: boolean): string {
  const it = one ? "it" : "them";
  if (b.flux) return `Flux's kustomize-controller cannot build ${it} (the Kustomization reports BuildFailed)`;
  if (b.deployerUnknown) return `the deployer cannot build ${it} (Argo CD reports ComparisonError, Flux's Kustomization BuildFailed)`;
  return `Argo CD cannot generate ${one ? "its" : "their"} manifests (ComparisonError)`;
}

/** Broken builds grouped by where they are reported and why (their reason, deployer and Helm charts), in order. */
function brokenAtOnePlace(broken: readonly BrokenBuild[]): BrokenBuild[][] {
  const groups = new Map<string, BrokenBuild[]>();
  for (const b of broken) {
    const at = b.at ?? { file: b.file, line: 1, column: 1 };
    const key = [at.file, at.line, at.column, b.reason, b.flux === true, b.deployerUnknown === true, b.helmCharts === true].join("\u0000");
    const group = groups.get(key);
    if (group) group.push(b);
    else groups.set(key, [b]);
  }
  return [...groups.values()];
}

/**
 * An Application the pull request leaves pointing at no directory (render-stage.ts `pathless`): merged, Argo CD cannot
 * generate its manifests — as for a broken build, a `guard/parse-error` at its `path:` line, new, blocking.
 */
function pathlessApplicationFindings(pathless: readonly PathlessApplication[], policy: Policy): EvaluatedFinding[] {
  return parseErrorFindings(policy, pathless.map((p) => ({ ...p, fix: PATHLESS_APPLICATION_FIX })));
}

/**
 * The findings of one side without a file's own finding of a rule that judges committed content (`committed`) when a
 * rendered object reports it at the same place: those rules read the files a render covers too (a base Secret every
 * overlay deletes is committed all the same), and where the render judges the same value its finding stands for both.
 * Other rules' findings on a file reviewed one by one stay (they stand for a root that did not render). An object the
 * render changed the kind of (a patch with `allowKindChange` making a ConfigMap a Secret) is another rule's there:
 * its finding stands for the file's own finding about the object as written, whatever the rule (the rendered
 * Secret's `secrets/plaintext-secret` for the ConfigMap's `secrets/sensitive-config-value`: no ConfigMap is applied).
 */
function withoutRenderedDuplicates<T extends Internal>(list: T[], committed: ReadonlySet<string>): T[] {
  const twinOf = renderedTwins(list, committed);
  const twins = new Set<T>();
  for (const f of list) {
    if (!f.renderScope || !committed.has(f.ruleId)) continue;
    const twin = twinOf(f);
    if (twin !== undefined) twins.add(twin);
  }
  return twins.size === 0 ? list : list.filter((f) => !twins.has(f));
}

/**
 * The file's own finding a rendered finding stands for (see `withoutRenderedDuplicates`): of the same rule at its
 * place, or, when the render changed the object's kind, of any committed-content rule at its place about the object
 * as written.
 */
function renderedTwins<T extends Internal>(list: readonly T[], committed: ReadonlySet<string>): (rendered: Internal) => T | undefined {
  const sameRule = ownFindingAt(list, committed, true);
  const anyRule = ownFindingAt(list, committed, false);
  return (r) => {
    const written = r.writtenAs;
    return sameRule(r) ?? (written && written.kind !== r.resource.kind ? anyRule(r, (own) => sameResource(own.resource, written)) : undefined);
  };
}

/** The same object: kind, name and namespace. */
function sameResource(a: Resource, b: Resource): boolean {
  return a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

/**
 * A finding's place in a file, with its rule when `byRule` (the key that pairs a rendered finding with the file's own
 * at that place).
 */
function placeOf(f: Internal, byRule: boolean, line = f.line): string {
  return `${byRule ? f.ruleId : ""}\u0000${f.file}\u0000${line}`;
}

/** Lines a file's own finding is indexed under (a block literal's finding spans its lines; a long one, its first ones). */
const TWIN_LINES = 200;

/**
 * The file's own finding (not rendered) of a committed-content rule at a rendered finding's place: the same file (and
 * rule, when `byRule`), its range holding where the rendered one starts (a generator literal's finding spans the
 * literal; the rendered Secret's finding points at the credential inside it, e.g. the `auth` of an embedded
 * `.dockerconfigjson`); the first that `also` accepts.
 */
function ownFindingAt<T extends Internal>(list: readonly T[], committed: ReadonlySet<string>, byRule: boolean): (rendered: Internal, also?: (own: T) => boolean) => T | undefined {
  const byLine = new Map<string, T[]>();
  for (const f of list) {
    if (f.renderScope || !committed.has(f.ruleId)) continue;
    for (let line = f.line; line <= Math.min(f.endLine, f.line + TWIN_LINES); line++) {
      const key = placeOf(f, byRule, line);
      const found = byLine.get(key);
      if (found) found.push(f);
      else byLine.set(key, [f]);
    }
  }
  const after = (a: { line: number; column: number }, b: { line: number; column: number }): boolean => a.line > b.line || (a.line === b.line && a.column >= b.column);
  // Or the same entry read twice: the rendered finding at the key (`rootPassword:` of a values file a ConfigMap
  // generator embeds), the file's own at its value further along the line (the same file read as Helm values).
  const keyOf = (r: Internal, f: T): boolean => r.line === f.line && r.column < f.column;
  return (r, also = () => true) =>
    byLine.get(placeOf(r, byRule))?.find((f) => (keyOf(r, f) || (after(r, f) && after({ line: f.endLine, column: f.endColumn }, r))) && also(f));
}

/**
 * For the rules that judge committed content (a credential leaks by being committed, applied or not): whether a
 * finding's value is committed on the other side of the review all the same, so that a finding of such a rule is not
 * `new` when the pull request only starts applying a value already committed, nor `fixed` when it only stops
 * applying one (an overlay's `$patch: delete` of a base Secret, a patch that turns a literal env value into a
 * `secretKeyRef`) while the value stays in the repository. A value is committed on both sides when its file reads the
 * same on both sides, or when the file's own finding at its place (kept, or dropped for the rendered
 * one that stands for it) has its fingerprint on the other side too, or when every credential value the finding
 * reports (its `valueDigests`) is reported by a finding of such a rule anywhere on the other side (a secretGenerator
 * literal moved from a base to one overlay: still committed, so the other overlays that stop applying it fix
 * nothing). Other rules: never.
 */
function stillCommitted(
  head: ReadonlyArray<Internal & { fingerprint: string }>,
  base: ReadonlyArray<Internal & { fingerprint: string }>,
  committed: ReadonlySet<string>,
  unchanged: (path: string) => boolean,
): { onBase(f: Internal & { fingerprint: string }): boolean; onHead(f: Internal & { fingerprint: string }): boolean } {
  const own = (list: ReadonlyArray<Internal & { fingerprint: string }>) => {
    const fingerprints = new Set<string>();
    const digests = new Set<string>();
    for (const f of list) {
      if (!committed.has(f.ruleId)) continue;
      if (!f.renderScope) fingerprints.add(f.fingerprint);
      for (const d of f.valueDigests ?? []) digests.add(d);
    }
    return { fingerprints, digests, at: renderedTwins(list, committed) };
  };
  const h = own(head);
  const b = own(base);
  const on = (mine: typeof h, other: typeof h) => (f: Internal & { fingerprint: string }): boolean => {
    if (!committed.has(f.ruleId)) return false;
    if (f.valueDigests !== undefined && f.valueDigests.length > 0 && f.valueDigests.every((d) => other.digests.has(d))) return true;
    if (!f.renderScope) return other.fingerprints.has(f.fingerprint);
    if (unchanged(f.file)) return true;
    const twin = mine.at(f);
    return twin !== undefined && other.fingerprints.has(twin.fingerprint);
  };
  return { onBase: on(h, b), onHead: on(b, h) };
}

/**
 * For the rules that judge committed content: whether a head finding reports a credential value (its `valueDigests`)
 * that no finding of such a rule reports anywhere on the base side, so that a finding whose identity the base has too
 * (the section holding the credentials, see plaintext-secret), or that pairs with a base one (a renamed object, see
 * moved.ts), is `new` when the pull request commits a plaintext value the base did not have: a password rotated to
 * another literal, a third credential added to a Secret. Reformatting,
 * re-encoding (base64 or stringData of the same value), renaming, or moving a value between files keeps every digest
 * committed on the base: not fresh. Not for a finding in a file the same on both sides, nor one whose base twins (its
 * fingerprint on the base) report no digests (values the rule cannot digest: matched by identity only, as before);
 * the caller also leaves be a pair whose base finding has no digests.
 */
function commitsFreshValue(
  base: ReadonlyArray<Internal & { fingerprint: string }>,
  committed: ReadonlySet<string>,
  unchanged: (path: string) => boolean,
): (f: Internal & { fingerprint: string }) => boolean {
  const digests = new Set<string>();
  const undigested = new Set<string>();
  for (const f of base) {
    if (!committed.has(f.ruleId)) continue;
    if (f.valueDigests === undefined || f.valueDigests.length === 0) undigested.add(f.fingerprint);
    for (const d of f.valueDigests ?? []) digests.add(d);
  }
  return (f) =>
    committed.has(f.ruleId) &&
    f.valueDigests !== undefined &&
    f.valueDigests.some((d) => !digests.has(d)) &&
    !undigested.has(f.fingerprint) &&
    !unchanged(f.file);
}

/**
 * Whether a file is the same on both sides: its text the same (read as the renders read it, so also a generator's
 * `.env` file), or, when one side did not read it (a base build that left out the generator reading it, see
 * `skipMissingGeneratorInputs`), a path both trees hold that the pull request does not change (the adapter lists every
 * changed path: `RepositoryView.changed`). Held-out round 16: a mended generator's unchanged input, never read on the
 * base, made its committed password `new`.
 */
function unchangedOnBothSides(input: ReviewInput, rendered: RenderStage | null | undefined): (path: string) => boolean {
  const view = input.repository;
  let untouched: ((path: string) => boolean) | undefined;
  const untouchedOf = (): ((path: string) => boolean) => {
    if (!view?.changed || !view.base || !view.head) return () => false;
    const changed = new Set<string>(view.changed);
    for (const c of input.changes) changed.add(c.path).add(c.previousPath ?? c.path);
    const onBase = new Set(view.base.paths);
    const onHead = new Set(view.head.paths);
    return (path) => !changed.has(path) && onBase.has(path) && onHead.has(path);
  };
  return (path) => {
    const base = rendered?.sides.base?.text(path) ?? null;
    const head = rendered?.sides.head?.text(path) ?? null;
    if (base !== null && head !== null) return base === head;
    return (base !== null || head !== null) && (untouched ??= untouchedOf())(path);
  };
}

/**
 * Whether a head finding of a root the pull request mends (`mended`: the base could not build it) is reported on the
 * base by another root's render: the same rule at the same origin (file, line, column) about the same part of its
 * object (`renderScope.identity`, else the path) and as severe. Such a line was already applied by that root; only what
 * the mended root alone contributes is new (held-out round 16: a path fix made all 33 findings of the root new).
 */
function reportedByOtherRoot(base: readonly Internal[], mended: ReadonlySet<string>): (f: Internal) => boolean {
  if (mended.size === 0) return () => false;
  const key = (f: Internal): string => [f.ruleId, f.file, f.line, f.column, f.renderScope?.identity ?? f.path, f.severity].join("\u0000");
  const roots = new Map<string, Set<string>>();
  for (const g of base) {
    if (!g.renderScope) continue;
    const k = key(g);
    const set = roots.get(k) ?? new Set<string>();
    roots.set(k, set.add(g.renderScope.root));
  }
  return (f) => {
    if (!f.renderScope || !mended.has(f.renderScope.root)) return false;
    const by = roots.get(key(f));
    return by !== undefined && [...by].some((r) => r !== f.renderScope!.root);
  };
}

/**
 * A finding without its in-memory value digests (and inline values key, which holds one): they never leave the review
 * (no output, fingerprint or log).
 */
function withoutValueDigests<T extends { valueDigests?: readonly string[]; inlineValues?: string }>(f: T): T {
  if (f.valueDigests === undefined && f.inlineValues === undefined) return f;
  const copy = { ...f };
  delete copy.valueDigests;
  delete copy.inlineValues;
  return copy;
}

/** A file whose documents all parsed and are all Kubernetes objects (not Helm values or other configuration). */
function onlyObjects(file: ParsedFile): boolean {
  return file.problems.length === 0 && file.skipped === null && file.docs.length > 0 && file.docs.every((d) => d.resource.kind !== null && d.resource.apiVersion !== null);
}

/** A file with an Argo CD Application, ApplicationSet or AppProject among its documents. */
function holdsArgoObjects(file: ParsedFile): boolean {
  return file.docs.some((d) => d.class === "argocd" && ARGO_KINDS.has(d.resource.kind ?? ""));
}

const ARGO_KINDS = new Set(["Application", "ApplicationSet", "AppProject"]);

/** The note for a changed manifest that the kustomization beside it leaves out. */
function leftOutNote(path: string, kustomization: string, unusedComponent: boolean): string {
  const why = unusedComponent
    ? `it belongs to the Kustomize Component ${kustomization}, which no kustomization lists and no Application points at, so Argo CD does not apply it`
    : `${kustomization} does not read it, so Argo CD does not apply it`;
  return `${path}: not judged as a manifest — ${why} (checks for committed credentials still ran)`;
}

/**
 * Kustomization directories the changes rename (base directory → head directory), from renamed kustomization files:
 * a root moved to another directory renders the same objects, so its findings keep their fingerprints.
 */
function renamedKustomizationDirs(changes: readonly FileChange[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of changes) {
    if (c.status !== "renamed" || c.previousPath === undefined || !isKustomizationFile(c.previousPath) || !isKustomizationFile(c.path)) continue;
    out.set(directoryOf(c.previousPath), directoryOf(c.path));
  }
  return out;
}

/** The note of a review whose budget ran out: how many files were left, which (the first few), what to do. */
export function notReviewedNote(paths: readonly string[], total: number, ms: number): string {
  const shown = paths.slice(0, 5).join(", ");
  const more = paths.length > 5 ? ` and ${paths.length - 5} more` : "";
  return `Not reviewed: the review's time budget (${durationText(ms)} of work) ran out before ${paths.length} of ${total} files were judged (${shown}${more}); the review fails until every file is reviewed — split the pull request into smaller ones`;
}

/** The render stage over the review's repository view: changed contents first, then the view's. In steps (one a root). */
function prepareRender(
  input: ReviewInput,
  view: RepositoryView,
  policy: Policy,
  kept: (side: Side, path: string) => ParsedFile | undefined,
  parsed: (side: Side, path: string, likelyFails: boolean) => ParsedFile | undefined,
  built: (side: Side, ok: boolean) => void,
  recursive: Record<Side, string[]>,
): Steps<RenderStage> {
  const own = ownRepoURL(view.identity);
  const overlay: Record<Side, Map<string, FileContent>> = { base: new Map(), head: new Map() };
  const argoPaths: Record<Side, string[]> = { base: [], head: [] };
  const sources: Record<Side, ApplicationSource[]> = { base: [], head: [] };
  const changed = new Set<string>(view.changed ?? []);
  // Applications among the changed files, from the engine's own parse (kept for evaluation, so parsed once).
  const applications = (side: Side, path: string, content: FileContent): string[] => {
    if (!mentionsApplication(content)) return [];
    const docs = kept(side, path)?.docs ?? [];
    recursive[side].push(...docs.flatMap((d) => recursiveDirectoryPathsOf(d.value, own)));
    return docs.flatMap((d) => applicationPathsOf(d.value));
  };
  // With parameter-override files in the repository, every changed Application's name matters (it picks its file).
  const named = hasParameterFiles(view.head?.paths, view.base?.paths, view.changed);
  for (const c of input.changes) {
    const basePath = c.previousPath ?? c.path;
    changed.add(c.path).add(basePath);
    if (c.status !== "removed" && c.head !== undefined) {
      overlay.head.set(c.path, c.head);
      argoPaths.head.push(...applications("head", c.path, c.head));
      sources.head.push(...applicationOverrides(c.path, c.head, named));
    }
    if (c.status !== "added" && c.base !== undefined) {
      overlay.base.set(basePath, c.base);
      argoPaths.base.push(...applications("base", basePath, c.base));
      // Base findings carry the head path (see evaluateSteps); so do the origins of the base side's overrides.
      sources.base.push(...applicationOverrides(c.status === "removed" ? basePath : c.path, c.base, named));
    }
  }
  return renderStageSteps({ view, changed: [...changed], overlay, parsed, kept, built, argoPaths, applications: sources, excludes: (p) => policy.excludes(p) });
}

/** The directories among `dirs` that hold no kustomization file (in `paths`). */
function withoutKustomization(dirs: readonly string[], paths: ReadonlySet<string>): string[] {
  return dirs.filter((d) => !KUSTOMIZATION_FILE_NAMES.some((n) => paths.has(d === "" ? n : `${d}/${n}`)));
}

/** Every path the review knows of on one side: its tree listing, and the changed files that side has. An array, not a generator: a tree lists tens of thousands. */
function listedPaths(input: ReviewInput, side: Side): string[] {
  const out = [...(input.repository?.[side]?.paths ?? [])];
  for (const change of input.changes) {
    if (side === "head" && change.status !== "removed" && change.head !== undefined) out.push(change.path);
    if (side === "base" && change.status !== "added" && change.base !== undefined) out.push(change.previousPath ?? change.path);
  }
  return out;
}

/** How many excluded files the note names: in a pull request each one is visible to its reviewers, in a scan a few. */
const EXCLUDED_SHOWN = 5;

/**
 * The note saying how many test fixtures were left out by default (DEFAULT_EXCLUDE_GLOBS, test suites' inputs), which
 * (the first few by name: a change that slips a manifest in beside a fixture shows it), and how to review them.
 */
export function excludedNote(paths: readonly string[]): string {
  const n = paths.length;
  const more = n > EXCLUDED_SHOWN ? ` and ${n - EXCLUDED_SHOWN} more` : "";
  return `${n} file${n === 1 ? "" : "s"} excluded by default as test fixtures (${paths.slice(0, EXCLUDED_SHOWN).join(", ")}${more}), see paths.exclude (\`paths.excludeDefaults: false\` reviews them)`;
}

/**
 * The note for a file not read whole (`file.skipped`): `skipped — <why>`, or, for a Helm template whose Argo CD objects
 * the rules judged (`objectsJudged`; see helm-template-argocd.ts), that it was read as such: its findings come from the
 * settings those objects write literally, and the rest is judged only once rendered. A template with workloads or
 * RBAC objects is read for the settings they write literally.
 */
function unreadFileNote(path: string, file: ParsedFile, objectsJudged: boolean): { note: string; whole: boolean } | null {
  if (file.skipped === null) return null;
  const read = objectsJudged ? derivedDocs(file).filter(isHelmTemplateDoc) : [];
  if (read.length === 0) return { note: `${path}: skipped — ${file.skipped}`, whole: true };
  const literal = read.filter((d) => d.judgedBy !== undefined).length;
  const n = read.length;
  const what = literal === 0 ? (n === 1 ? "its Argo CD object" : `its ${n} Argo CD objects`) : n === 1 ? `its ${read[0]!.resource.kind ?? "object"}` : `its ${n} objects`;
  const how = literal === 0 ? "read as Argo CD object templates" : "read for literal settings";
  return {
    note: `${path}: ${how} (Helm/Go template syntax): only the settings ${what} write${n === 1 ? "s" : ""} literally are judged; render it (helm template) to review the rest`,
    whole: false,
  };
}

/** Why a file was skipped, in a word for the summaries: "Helm template", "Jinja template", "ytt template", "not text". */
function skippedWhy(skipped: string): string {
  if (isGoTemplateNote(skipped)) return "Helm template";
  if (skipped === JINJA_TEMPLATE_NOTE) return "Jinja template";
  if (skipped === YTT_TEMPLATE_NOTE) return "ytt template";
  return "not text";
}

/**
 * Which `fixed` findings of a root the head side built without only its Helm charts are fixed all the same: a chart
 * only adds objects (a patch aimed at one fails the build), so an object a repository file defines is rendered whole.
 * Its finding is fixed when the head still renders the object (`headRenders`: judged there without it) or the pull
 * request deletes the file that defined it (held-out round 16: a deleted ApplicationSet's findings). An object only
 * dropped from the root's resources, its file kept, may be the chart's now: not fixed.
 */
function chartsOnlyFixes(renders: readonly RootRender[], changes: readonly FileChange[], headRenders: (root: string, key: string) => boolean): (f: Internal) => boolean {
  const roots = new Set(renders.filter((r) => r.result.ok && r.result.chartsOnly === true).map((r) => r.root));
  if (roots.size === 0) return () => false;
  const deleted = new Set(changes.filter((c) => c.status === "removed").map((c) => c.path));
  return ({ renderScope: scope, file, baseFile }) =>
    scope !== undefined && roots.has(scope.root) && (headRenders(scope.root, scope.resourceKey) || deleted.has(baseFile ?? file));
}

function wholeDerivedDocs(file: ParsedFile): ParsedDoc[] {
  return derivedDocs(file).filter((d) => !d.partial);
}

/** A `kind: Application` line: how many Applications a Helm template writes literally (see `templateApplications`). */
const APPLICATION_KIND_LINE = /^[ \t-]*kind:[ \t]*["']?Application["']?[ \t]*(?:#.*)?$/gm;

/**
 * The Applications a file skipped as a Helm template writes with a literal name and namespace (an app-of-apps chart's
 * `templates/stage.yaml`), read from its masked parse (see helm-template-argocd.ts); null when some Application of
 * the template is not read so (a templated name, a `range`, a document that does not parse once masked): what it
 * writes is then unknown, and a change to it may be what keeps an Application.
 */
function templateApplications(file: ParsedFile): ParsedDoc[] | null {
  if (file.text === null || !isGoTemplateNote(file.skipped) || file.problems.length > 0) return null;
  const apps = derivedDocs(file).filter((d) => isHelmTemplateDoc(d) && d.resource.kind === "Application");
  const literal = apps.filter((d) => d.resource.name !== null && !d.resource.name.includes("{{") && !(d.resource.namespace ?? "").includes("{{"));
  return literal.length === apps.length && apps.length === (file.text.match(APPLICATION_KIND_LINE)?.length ?? 0) ? literal : null;
}

/** What the diff rules read of a file: its documents, its whole derived ones and a Helm template's literal Applications. */
function diffDocs(file: ParsedFile): ParsedDoc[] {
  return [...file.docs, ...wholeDerivedDocs(file), ...(templateApplications(file) ?? [])];
}

function diffFindings(rules: readonly Rule[], policy: Policy, baseFiles: ParsedFile[], headFiles: ParsedFile[], sets?: RenderStage["applicationSets"]): Finding[] {
  // Findings on what the pull request removes are at base lines: reports link them to the base commit.
  const out: Array<EvaluatedFinding & { side?: "base" }> = [];
  // A derived document that is only part of its object (an inline patch, an overlay values entry) is no object a
  // change deletes or adds — except the Applications a Helm template writes literally, whole but for actions elsewhere.
  const baseDocs: ParsedDoc[] = baseFiles.flatMap(diffDocs);
  const headDocs: ParsedDoc[] = headFiles.flatMap(diffDocs);
  // Unchanged files named for ApplicationSets, the same on both sides: parsed here, once, for the diff rules.
  const unchangedDocs: ParsedDoc[] = (sets?.unchanged ?? []).flatMap(({ path, text }) => parseYamlFile(path, text).docs);
  const onBase = new Set<ParsedDoc>([...baseDocs, ...unchangedDocs]);
  // A Helm template whose every Application was read with a literal name is known, though skipped.
  const headIncomplete = headFiles.some((f) => (f.problems.length > 0 || f.skipped !== null) && templateApplications(f) === null);
  for (const rule of rules) {
    const id = rule.meta.id;
    // The same settings file rules get (registry lists, options), from the policy; a rule that is off does not run.
    const settings = policy.settingsFor(id);
    if (!rule.checkDiff || !settings) continue;
    rule.checkDiff({
      baseDocs,
      headDocs,
      headIncomplete,
      settings,
      ...(sets ? { trees: sets.trees, unchangedDocs, ...(sets.directoryReads ? { directoryReads: sets.directoryReads } : {}) } : {}),
      report: (doc, r) => {
        if (!policy.appliesTo(id, doc.file)) return;
        const f = ruleFinding(rule, policy, doc.file, doc, doc.index, r);
        out.push(onBase.has(doc) ? { ...f, side: "base" } : f);
      },
    });
  }
  return fingerprintAll(out).map((f) => ({ ...f, status: "new" as const }));
}

/**
 * Whether a finding blocks the merge: new, not suppressed, and at or above `failOn`. The one place this is decided:
 * the conclusion, the verdict in every report and the check-run annotation levels all ask here.
 */
export function isBlocking(f: Pick<Finding, "status" | "suppressed" | "severity">, failOn: Severity): boolean {
  return f.status === "new" && !f.suppressed && atLeast(f.severity, failOn);
}

/** Conclusion and counts. Fails when a finding blocks (isBlocking). */
export function decide(findings: Finding[], failOn: Severity): { conclusion: Conclusion; summary: ReviewSummary; findings: Finding[] } {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const summary: ReviewSummary = { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity };
  let failing = false;
  for (const f of findings) {
    if (f.suppressed) {
      summary.suppressed++;
      continue;
    }
    summary[f.status]++;
    if (f.status === "new") bySeverity[f.severity]++;
    if (isBlocking(f, failOn)) failing = true;
  }
  return { conclusion: failing ? "failure" : "success", summary, findings };
}

const STATUS_ORDER = { new: 0, existing: 1, fixed: 2 } as const;

/** New first, most severe first, then by file and line. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** `scan`: every file is reviewed as if newly added, so every finding is `new`. */
export function scan(files: ReadonlyArray<{ path: string; content: FileContent }>, opts: Omit<ReviewInput, "changes">): ReviewResult {
  return review({ ...opts, changes: files.map((f) => ({ path: f.path, status: "added" as const, head: f.content })) });
}

/** A finding's object: its fingerprint's place and resource (see fingerprintParts). */
function objectOf(f: Fingerprintable): string {
  const [place, resource] = fingerprintParts(f);
  return `${place}\u0000${resource}`;
}

/** What each object granted on the base side, from its findings' grants (see grant.ts). */
function heldGrants(base: readonly Internal[]): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const f of base) {
    if (!f.grant) continue;
    const key = objectOf(f);
    const list = out.get(key);
    if (list) list.push(f.grant);
    else out.set(key, [f.grant]);
  }
  return out;
}

/**
 * The problems of the repository config a change leaves on the head side (`CONFIG_PATH` added or modified), in the
 * words the config loader uses; none when the config is valid, unchanged or removed. The review itself always uses the
 * base side's config.
 */
function headConfigProblems(changes: readonly FileChange[], rules: readonly Rule[]): string[] {
  const change = changes.find((c) => c.path === CONFIG_PATH && c.status !== "removed" && c.head !== undefined);
  if (!change) return [];
  const text = contentText(change.head);
  if (text === null) return [];
  try {
    loadConfigYaml(text, rules, CONFIG_PATH);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    return [err instanceof Error ? err.message : String(err)];
  }
}

/** Whether a file's text may name Helm values files (`valueFiles`): a cheap check before its Applications are read. */
/** A kustomization whose text names values files for its Helm charts (`valuesFile`, `additionalValuesFiles`). */
function namesChartValuesFiles(path: string, content: FileContent | undefined): boolean {
  const text = content === undefined || !isKustomizationFile(path) ? null : contentText(content);
  return text !== null && /valuesFile|ValuesFiles/.test(text);
}

function mentionsValueFiles(content: FileContent | undefined): boolean {
  const text = content === undefined ? null : contentText(content);
  return text !== null && text.includes("valueFiles") && (mentionsApplication(content) || mentionsApplicationSet(content));
}
