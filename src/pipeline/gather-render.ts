/**
 * Gathering for the Kustomize render: which files of the repository a review must read besides the changed
 * ones, read in at most two rounds of the content source (GraphQL blob batches on GitHub).
 *
 * - The head tree is listed once; the base tree is the head tree with the pull request's changes undone (files
 *   the PR does not change are read once, at the head, for both sides).
 * - Round (a): the changed files, every kustomization file of either side and — when they fit in the batches
 *   this round sends anyway — the other files under kustomization directories.
 * - The plan (`core/render-plan.ts`: affected roots, their closures) then names what is still missing; round (b)
 *   reads it. Argo CD Applications are looked for among the changed files (and, in the engine, in the renders).
 */
import { switchedValueFiles, valueFileReaders, valueFilesNamedIn } from "../core/helm-value-files.js";
import { isYamlPath, type Policy } from "../core/policy.js";
import {
  applicationSetCandidates,
  applicationSetFileReads,
  argoSourcesOf,
  contentText,
  fluxKustomizationFiles,
  isNamedForApplicationSets,
  kustomizationPaths,
  namedForApplications,
  nearestByDirectory,
  planRender,
  removedDirectories,
  type SidePlanInput,
} from "../core/render-plan.js";
import { ownRepoURL, type Branches, type FileContent, type RepositoryView, type Side } from "../core/repository.js";
import type { FileChange } from "../core/review.js";
import { assemble, type FetchPlan } from "./gather.js";
import type { ChangedFile, FileContentSource, FileVersion, FileVersionRequest, TreeListing } from "./types.js";

export interface RenderGatherInput {
  /** Every changed file the platform listed (not only the reviewed ones). */
  listed: readonly ChangedFile[];
  /** False when the listing is incomplete (the platform's limit): the base tree cannot be derived. */
  listingComplete: boolean;
  /** The head tree, or the error listing it. */
  tree: Listed;
  /**
   * The base tree, when it was listed (big pull requests): only its sizes are used, as hints that let the content
   * source pack the base versions' reads (the base tree's paths are still derived from the head's).
   */
  baseTree?: Listed | null;
  plan: FetchPlan;
  shas: { base: string; head: string };
  policy: Policy;
  contents: FileContentSource;
  maxBytes: number;
  /** Blobs per batch of the content source: round (a) fills its last batch with likely render inputs. */
  batchSize: number;
  /** Bytes per batch of the content source, when it packs reads by size: the fill stays within one batch's bytes. */
  batchBytes?: number;
  describeError(error: unknown): string;
  /**
   * The repository under review, `owner/name` (the webhook payload's `repository.full_name`): Argo CD sources of other
   * repositories are not its directories (see `RepositoryView.identity`).
   */
  identity?: string;
  /** The branch the pull request merges into and the repository's default branch (see `RepositoryView.branches`). */
  branches?: Branches;
}

export interface Gathered {
  changes: FileChange[];
  notes: string[];
  repository?: RepositoryView;
}

type Listed = { ok: true; value: TreeListing } | { ok: false; error: unknown };

const key = (side: Side, path: string): string => `${side}:${path}`;

/**
 * The requests with the sizes the tree listings give (a partial listing's entries are still exact): hints the
 * content source packs its reads by, or skips a version over the limit with.
 */
function withSizes(requests: Iterable<FileVersionRequest>, shas: { base: string; head: string }, trees: Partial<Record<Side, Listed | null>>): FileVersionRequest[] {
  const sizesAt = new Map<string, Map<string, number>>();
  for (const side of ["head", "base"] as const) {
    const t = trees[side];
    if (!t?.ok) continue;
    const sizes = new Map<string, number>();
    for (const f of t.value.files) if (f.size !== undefined) sizes.set(f.path, f.size);
    sizesAt.set(shas[side], sizes);
  }
  return [...requests].map((r) => {
    const size = r.size ?? sizesAt.get(r.commitSha)?.get(r.path);
    return size === undefined ? r : { ...r, size };
  });
}

function toContent(v: FileVersion | undefined): FileContent | null {
  if (!v) return null;
  if (v.kind === "text") return v.text;
  if (v.kind === "bytes") return v.bytes;
  return null;
}

/** The base tree: the head tree with the listed changes undone. */
function baseTree(headPaths: readonly string[], listed: readonly ChangedFile[]): string[] {
  const paths = new Set(headPaths);
  for (const f of listed) {
    if (f.status === "added") paths.delete(f.path);
    if (f.status === "removed") paths.add(f.path);
    if (f.status === "renamed") {
      paths.delete(f.path);
      paths.add(f.previousPath ?? f.path);
    }
  }
  return [...paths].sort();
}

export async function gatherWithRender(input: RenderGatherInput): Promise<Gathered> {
  const { plan, shas, listed } = input;
  const trees = { head: input.tree, base: input.baseTree ?? null };
  const readChangedOnly = async (note: string | null): Promise<Gathered> => {
    const contents = plan.requests.length ? await input.contents.fetch(withSizes(plan.requests, shas, trees), input.maxBytes) : new Map<string, FileVersion>();
    const { changes, notes } = assemble(plan, contents, shas.head, input.maxBytes);
    return { changes, notes: note ? [note, ...notes] : notes };
  };
  if (!input.tree.ok) return readChangedOnly(`Kustomize: the repository tree could not be listed (${input.describeError(input.tree.error)}); files were reviewed one by one`);
  if (input.tree.value.truncated) return readChangedOnly("Kustomize: the repository tree is too large to list in one request; files were reviewed one by one");
  if (!input.listingComplete) return readChangedOnly("Kustomize: not every changed file is listed; files were reviewed one by one");

  const sizes = new Map(input.tree.value.files.map((f) => [f.path, f.size]));
  const headPaths = input.tree.value.files.map((f) => f.path);
  const basePaths = baseTree(headPaths, listed);
  const changed = new Set<string>();
  for (const f of listed) {
    changed.add(f.path);
    if (f.previousPath) changed.add(f.previousPath);
  }
  const shared = (p: string) => !changed.has(p);
  const requests = new Map<string, FileVersionRequest>(plan.requests.map((r) => [r.key, r]));
  /** A file of a side: unchanged files are read once, at the head. */
  const want = (side: Side, path: string): void => {
    const s = side === "base" && shared(path) ? "head" : side;
    const k = key(s, path);
    if (!requests.has(k) && (sizes.get(path) ?? 0) <= input.maxBytes) requests.set(k, { key: k, commitSha: shas[s], path });
  };
  for (const p of kustomizationPaths(headPaths)) want("head", p);
  for (const p of kustomizationPaths(basePaths)) want("base", p);
  // Files that may hold ApplicationSets (named for them, or in Argo CD directories): the directories they point at are
  // Argo CD source paths (see render-stage.ts).
  const excluded = (p: string): boolean => input.policy.excludes(p);
  const removed = removedDirectories(basePaths, headPaths);
  const namedSets = [...applicationSetCandidates(headPaths, excluded, removed).map((p) => ["head", p] as const), ...applicationSetCandidates(basePaths, excluded, removed).map((p) => ["base", p] as const)];
  for (const [side, p] of namedSets) want(side, p);
  // And the files named for Applications near a changed file (at most 10 a side): one may name it as Helm values.
  for (const side of ["head", "base"] as const) for (const p of valueFileReaders([...changed], side === "head" ? headPaths : basePaths, excluded)) want(side, p);
  // And the few files whose path says Flux (at most 16 a side, unchanged ones read once): a Flux repository's broken
  // build is Flux's, not Argo CD's, though its Flux Kustomizations are neither changed nor render inputs.
  for (const side of ["head", "base"] as const) for (const p of fluxKustomizationFiles(side === "head" ? headPaths : basePaths, [...changed], excluded)) want(side, p);
  // Fill the last batch of round (a) with files under kustomization directories: a small Kustomize repository
  // then needs no round (b).
  const free = input.batchSize * Math.ceil(requests.size / input.batchSize) - requests.size;
  const inBase = new Set(basePaths);
  const inHead = new Set(headPaths);
  const candidates: Array<[Side, string]> = [];
  const renderInputs = likelyRenderInputs([...new Set([...headPaths, ...basePaths])]);
  for (const p of renderInputs) {
    if ((sizes.get(p) ?? 0) > input.maxBytes) continue;
    if (inHead.has(p) && !requests.has(key("head", p))) candidates.push(["head", p]);
    // A changed file has a version of its own on the base side.
    if (inBase.has(p) && changed.has(p) && !requests.has(key("base", p))) candidates.push(["base", p]);
  }
  // With reads packed by size, the fill may add at most one batch's bytes (what a round (b) would cost anyway).
  const candidateBytes = candidates.reduce((n, [, p]) => n + (sizes.get(p) ?? 0), 0);
  const fits = candidates.length <= free && (input.batchBytes === undefined || candidateBytes <= input.batchBytes);
  if (candidates.length > 0 && fits) for (const [side, p] of candidates) want(side, p);
  // What round (a) reads beyond its own files stays within one batch's bytes (what a round (b) would cost anyway): each
  // fill below takes reads in order while the last batch has room and those bytes allow, and stops at the first that
  // does not fit.
  let filledBytes = candidates.length > 0 && fits ? candidateBytes : 0;
  const fill = (reads: Iterable<readonly [Side, string]>): void => {
    let room = input.batchSize * Math.ceil(requests.size / input.batchSize) - requests.size;
    for (const [side, p] of reads) {
      const size = sizes.get(p) ?? 0;
      if (room <= 0 || (input.batchBytes !== undefined && filledBytes + size > input.batchBytes)) break;
      want(side, p);
      room--;
      filledBytes += size;
    }
  };
  // A large repository's render inputs do not all fit: the ones nearest the change fill the room instead (an app's
  // base and sibling overlays beside the overlay a pull request deletes or edits), which are what its plan reads.
  if (candidates.length > 0 && !fits) fill(nearestFirst(candidates, changed));
  // Then the unchanged files named for Applications (`argocd/`, `applications/`, `*-apps.yaml`): the plan reads them
  // in round (b) when the change reaches a kustomization inside a root (a shared base, a component), to find an
  // Application that applies it as it is. Read now when they fit, that round is not needed.
  if (renderInputs.length > 0 && fits) {
    // Unchanged: one version serves both sides (see `want`). Up to the first one too large to read.
    const unchanged = [...new Set([...headPaths, ...basePaths])].filter((x) => !changed.has(x));
    const pointers: Array<[Side, string]> = [];
    for (const p of namedForApplications(unchanged)) {
      const side: Side = inHead.has(p) ? "head" : "base";
      if (requests.has(key(side, p))) continue;
      if ((sizes.get(p) ?? 0) > input.maxBytes) break;
      pointers.push([side, p]);
    }
    fill(pointers);
  }
  // Then, in what is still free, other JSON and YAML files: the config files an ApplicationSet's git files generator
  // may read (which ones is known only once the ApplicationSets are read, else round (b) reads them). Most likely
  // first: JSON files, then YAML files whose name recurs in several directories (`envs/*/config.yaml`).
  // Only where ApplicationSets are likely: files named for them (not any file in an Argo CD directory, which most
  // repositories have), or a changed YAML file outside every kustomization directory (where Applications and
  // ApplicationSets usually live).
  const underKustomizations = new Set(renderInputs);
  if (fits && (namedSets.some(([, p]) => isNamedForApplicationSets(p)) || listed.some((f) => isYamlPath(f.path) && !underKustomizations.has(f.path)))) {
    const configs: Array<[Side, string]> = [];
    for (const p of new Set([...headPaths, ...basePaths])) {
      // Not a file the config leaves out (`paths.exclude`): a guess reads only what the review may use; a generator
      // that does read one gets it in round (b).
      if (!CONFIG_FILE.test(p) || (sizes.get(p) ?? 0) > input.maxBytes || input.policy.excludes(p)) continue;
      if (inHead.has(p) && !requests.has(key("head", p))) configs.push(["head", p]);
      if (inBase.has(p) && changed.has(p) && !requests.has(key("base", p))) configs.push(["base", p]);
    }
    const names = new Map<string, number>();
    for (const [, p] of configs) names.set(p.slice(p.lastIndexOf("/") + 1), (names.get(p.slice(p.lastIndexOf("/") + 1)) ?? 0) + 1);
    const rank = (p: string): number => (p.endsWith(".json") ? 0 : (names.get(p.slice(p.lastIndexOf("/") + 1)) ?? 0) > 1 ? 1 : 2);
    configs.sort(([, a], [, b]) => rank(a) - rank(b));
    fill(configs);
  }

  const contents = new Map<string, FileVersion>(await input.contents.fetch(withSizes(requests.values(), shas, trees), input.maxBytes));
  const read = (side: Side, path: string): FileContent | null =>
    toContent(contents.get(key(side, path))) ?? (side === "base" && shared(path) ? toContent(contents.get(key("head", path))) : null);

  const sidePaths: Record<Side, readonly string[]> = { base: basePaths, head: headPaths };
  const setFiles = (side: Side) => ({ paths: sidePaths[side], readFile: (p: string) => contentText(read(side, p)) });
  // The changed files' contents, and the unchanged files named for ApplicationSets (as read so far: each round adds).
  const changedContents = () => listed.map((f) => ({ head: read("head", f.path), base: read("base", f.previousPath ?? f.path) }));
  const unchangedSets = (side: Side) => applicationSetCandidates(sidePaths[side], excluded, removed).flatMap((p) => (changed.has(p) ? [] : [read(side, p)]));
  const planned = () => {
    const { argoPaths, reached, overrideComponents } = argoSourcesOf(changedContents(), { base: unchangedSets("base"), head: unchangedSets("head") }, { base: setFiles("base"), head: setFiles("head") }, input.identity);
    const sideInput = (side: Side, paths: readonly string[]): SidePlanInput => ({ paths, kustomization: (p) => contentText(read(side, p)) });
    return planRender({
      changed: [...changed],
      sides: { base: sideInput("base", basePaths), head: sideInput("head", headPaths) },
      argoPaths,
      reached,
      overrideComponents,
      excludes: (p) => input.policy.excludes(p),
    });
  };
  // Requests are sent in the order they were added: each round sends those added since the last one.
  let sent = requests.size;
  const fetchMissing = async (): Promise<void> => {
    const missing = [...requests.values()].slice(sent);
    sent = requests.size;
    if (missing.length > 0) for (const [k, v] of await input.contents.fetch(withSizes(missing, shas, trees), input.maxBytes)) contents.set(k, v);
  };
  // Round (b): the closures of the roots the change reaches, with the config files the ApplicationSets' git files
  // generators read; when such files were read, the plan is made again with them (round (c) reads what it adds).
  let renderPlan = planned();
  for (const side of ["base", "head"] as const) for (const p of renderPlan[side]?.files ?? []) want(side, p);
  const configs = new Set<string>();
  // The config files the ApplicationSets among the changed files and in files named for them read, from round (a).
  const current = changedContents();
  const own = ownRepoURL(input.identity);
  for (const side of ["base", "head"] as const) {
    for (const c of [...current.map((x) => x[side]), ...unchangedSets(side)]) {
      for (const p of applicationSetFileReads(c, sidePaths[side], own)) {
        const k = key(side === "base" && shared(p) ? "head" : side, p);
        if (!requests.has(k)) configs.add(k);
        want(side, p);
      }
    }
  }
  // The values files the changed files name on one side only (an Application switched to an unchanged `debug.yaml`):
  // judged as values on each side that names them, changed or not (see review.ts).
  const switched = switchedValueFiles({
    head: new Set(listed.flatMap((f) => valueFilesNamedIn(f.path, read("head", f.path), own))),
    base: new Set(listed.flatMap((f) => valueFilesNamedIn(f.previousPath ?? f.path, read("base", f.previousPath ?? f.path), own))),
  });
  for (const p of [...switched.head, ...switched.base]) {
    if (excluded(p)) continue;
    if (inHead.has(p)) want("head", p);
    if (inBase.has(p)) want("base", p);
  }
  await fetchMissing();
  if (configs.size > 0) {
    renderPlan = planned();
    for (const side of ["base", "head"] as const) for (const p of renderPlan[side]?.files ?? []) want(side, p);
    await fetchMissing();
  }

  const { changes, notes } = assemble(plan, contents, shas.head, input.maxBytes);
  const links = input.tree.value.links ?? [];
  return {
    changes,
    notes,
    repository: {
      // The head tree's symbolic links and submodules stand for both sides (the base tree is the head's, less the changes).
      head: { paths: headPaths, read: (p) => read("head", p), ...(links.length > 0 ? { links } : {}) },
      base: { paths: basePaths, read: (p) => read("base", p), ...(links.length > 0 ? { links } : {}) },
      changed: [...changed],
      ...(input.identity !== undefined ? { identity: input.identity } : {}),
      ...(input.branches !== undefined ? { branches: input.branches } : {}),
    },
  };
}

/** A file a git files generator may read: JSON or YAML. */
const CONFIG_FILE = /\.(?:json|ya?ml)$/i;

/** Reads nearest a changed path first, those sharing no directory with one left out (see `nearestByDirectory`). */
export function nearestFirst(reads: ReadonlyArray<readonly [Side, string]>, changed: ReadonlySet<string>): Array<readonly [Side, string]> {
  return nearestByDirectory(reads, (r) => r[1], changed);
}

/** Files under a directory that holds a kustomization: what a render can read (kustomize's default load restriction). */
function likelyRenderInputs(paths: readonly string[]): string[] {
  const dirs = new Set(kustomizationPaths(paths).map((p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "")));
  if (dirs.size === 0) return [];
  const out: string[] = [];
  for (const p of paths) {
    for (let d = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : ""; ; d = d.includes("/") ? d.slice(0, d.lastIndexOf("/")) : "") {
      if (dirs.has(d)) {
        out.push(p);
        break;
      }
      if (d === "") break;
    }
  }
  return out;
}
