/**
 * The repository view of a local review (CLI: git refs, two directories, or `scan DIR`) for the Kustomize render:
 * each side's paths and the files a render needs, read in two rounds planned by the core — every kustomization
 * file, then the closures of the roots the change reaches.
 */
import { join } from "node:path";
import {
  applicationSetCandidates,
  removedDirectories,
  applicationSetFileReads,
  argoSourcesOf,
  fluxKustomizationFiles,
  contentText,
  kustomizationInput,
  kustomizationPaths,
  planRender,
  type OverrideComponents,
  type SidePlanInput,
} from "../core/render-plan.js";
import { switchedValueFiles, valueFileReaders, valueFilesNamedIn } from "../core/helm-value-files.js";
import { isKustomizationFile } from "../kustomize/index.js";
import { parseYamlFile, type ParsedFile } from "../parse/yaml-file.js";
import { mapSide, ownRepoURL, type FileContent, type RepositoryView, type Side } from "../core/repository.js";
import type { FileChange } from "../core/review.js";
import type { RepositoryTreeSource } from "../pipeline/types.js";
import { isUnread } from "../parse/decode.js";
import { listFiles, readFileContent } from "./files.js";
import { gitSides } from "./git-tree.js";
import { referencedOutside, type RepositoryLookup } from "./outside-reads.js";
import { readBlobs, reviewBranches } from "./git.js";

export interface LocalSide {
  paths: readonly string[];
  /** Symbolic links and submodules (see `RepositorySide.links`). */
  links?: readonly string[];
  /** Reads files of this side (missing or unreadable ones are left out of the answer). */
  read(paths: readonly string[]): Promise<Map<string, FileContent>>;
}

/**
 * Reads what the render of the roots `changed` reaches needs, on each given side. `everyKustomization`: read the
 * closure of every kustomization (what a scan of a whole tree renders), instead of finding the directories Argo CD
 * Applications point at by parsing every changed file for them — a superset of the same reads, without that parse.
 * `identity`: the repository's `owner/name` (`RepositoryView.identity`), when known.
 */
export async function loadRepositoryView(
  sides: Partial<Record<Side, LocalSide>>,
  changes: readonly FileChange[],
  changed: readonly string[],
  excludes: (path: string) => boolean,
  known: Partial<Record<Side, ReadonlyMap<string, FileContent>>> = {},
  everyKustomization = false,
  parsed: Partial<Record<Side, ReadonlyMap<string, ParsedFile>>> = {},
  identity?: string,
): Promise<RepositoryView> {
  const own = ownRepoURL(identity);
  const present = (["base", "head"] as const).filter((s) => sides[s] !== undefined);
  const contents: Record<Side, Map<string, FileContent>> = { base: new Map(known.base), head: new Map(known.head) };
  const readMissing = async (side: Side, paths: readonly string[]): Promise<void> => {
    const wanted = paths.filter((p) => !contents[side].has(p));
    if (wanted.length) for (const [p, c] of await sides[side]!.read(wanted)) contents[side].set(p, c);
  };
  const removed = removedDirectories(sides.base?.paths, sides.head?.paths);
  // With them, the files named for Applications near a changed file: one may name it as Helm values (review.ts); and
  // the few whose path says Flux: who applies a root the pull request breaks (render-stage.ts `deployerHints`).
  await Promise.all(
    present.map((s) =>
      readMissing(s, [
        ...kustomizationPaths(sides[s]!.paths),
        ...applicationSetCandidates(sides[s]!.paths, excludes, removed),
        ...valueFileReaders(changed, sides[s]!.paths, excludes),
        ...fluxKustomizationFiles(sides[s]!.paths, changed, excludes),
      ]),
    ),
  );

  // ApplicationSets, changed or unchanged in files named for them (see render-stage.ts), and the config files their
  // git files generators read: read before the plan, which needs the directories they point at.
  const unchangedSets = (s: Side): FileContent[] => applicationSetCandidates(sides[s]!.paths, excludes, removed).flatMap((p) => (changed.includes(p) || !contents[s].has(p) ? [] : [contents[s].get(p)!]));
  await Promise.all(
    present.map((s) =>
      readMissing(s, [...changes.map((c) => (s === "head" ? c.head : c.base)), ...unchangedSets(s)].flatMap((c) => applicationSetFileReads(c, sides[s]!.paths, own))),
    ),
  );
  // The values files the changed files name on one side only: judged as values there, changed or not (review.ts).
  const switched = switchedValueFiles({
    head: new Set(changes.flatMap((c) => valueFilesNamedIn(c.path, c.head, own))),
    base: new Set(changes.flatMap((c) => valueFilesNamedIn(c.previousPath ?? c.path, c.base, own))),
  });
  await Promise.all(present.map((s) => readMissing(s, [...switched.head, ...switched.base].filter((p) => sides[s]!.paths.includes(p) && !excludes(p)))));
  const setFiles = (s: Side) => ({ paths: sides[s]!.paths, readFile: (p: string) => contentText(contents[s].get(p)) });

  let argoPaths: Record<Side, string[]> = { base: [], head: [] };
  let reached: string[] = [];
  let overrideComponents: Partial<Record<Side, OverrideComponents[]>> = {};
  if (everyKustomization) {
    // The changed ones: a scan's side also holds files beyond the scanned directories that it only reads (see outside-reads.ts).
    for (const s of present) argoPaths[s] = kustomizationPaths(changed).map((p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : ""));
  } else {
    const sources = argoSourcesOf(
      changes,
      Object.fromEntries(present.map((s) => [s, unchangedSets(s)])),
      Object.fromEntries(present.map((s) => [s, setFiles(s)])),
      identity,
    );
    argoPaths = sources.argoPaths;
    reached = sources.reached;
    overrideComponents = sources.overrideComponents;
  }
  const planInputs: Partial<Record<Side, SidePlanInput>> = {};
  for (const s of present) planInputs[s] = { paths: sides[s]!.paths, kustomization: (p) => kustomizationInput(parsed[s]?.get(p), () => contentText(contents[s].get(p))) };
  const plan = planRender({ changed, sides: planInputs, argoPaths, reached, excludes, overrideComponents });
  await Promise.all(present.map((s) => readMissing(s, plan[s]?.files ?? [])));

  const view: RepositoryView = { changed, ...(identity !== undefined ? { identity } : {}) };
  for (const s of present) {
    const links = sides[s]!.links;
    view[s] = { ...mapSide(contents[s], sides[s]!.paths), ...(links && links.length > 0 ? { links } : {}) };
  }
  return view;
}

/** A directory's files as a side (paths relative to it). */
export function directorySide(root: string, paths: readonly string[], toDisk: (path: string) => string = (p) => join(root, p)): LocalSide {
  return {
    paths,
    read: async (wanted) => {
      const out = new Map<string, FileContent>();
      for (const p of wanted) {
        try {
          out.set(p, await readFileContent(toDisk(p), { followSymlinks: false }));
        } catch {
          // Unreadable: the render reports the file as missing and falls back.
        }
      }
      return out;
    },
  };
}

/** The two sides of a git pull request (`base...head`): trees from `git ls-tree`, contents by blob id. */
export async function gitRepositoryView(repo: string, base: string, head: string, changes: readonly FileChange[], excludes: (path: string) => boolean, identity?: string): Promise<RepositoryView> {
  const [trees, branches] = await Promise.all([gitSides(repo, base, head), reviewBranches(repo, base)]);
  const side = (files: Map<string, string>, links: readonly string[]): LocalSide => ({
    paths: [...files.keys()],
    ...(links.length > 0 ? { links } : {}),
    read: async (wanted) => {
      const ids = wanted.flatMap((p) => (files.has(p) ? [files.get(p)!] : []));
      const blobs = await readBlobs(repo, [...new Set(ids)]);
      const out = new Map<string, FileContent>();
      for (const p of wanted) {
        const content = blobs.get(files.get(p) ?? "");
        if (content) out.set(p, content);
      }
      return out;
    },
  });
  const view = await loadRepositoryView({ base: side(trees.base, trees.links.base), head: side(trees.head, trees.links.head) }, changes, trees.changed, excludes, {}, false, {}, identity);
  return { ...view, branches };
}

/**
 * The changed paths between two directories, beyond the reviewed changes: files a render can read (under a
 * directory holding a kustomization, on either side) that differ or exist on one side only.
 */
export async function changedInDirectories(base: LocalSide, head: LocalSide, reviewed: readonly FileChange[]): Promise<string[]> {
  const changed = new Set<string>();
  for (const c of reviewed) {
    changed.add(c.path);
    if (c.previousPath) changed.add(c.previousPath);
  }
  const dirs = new Set([...kustomizationPaths(base.paths), ...kustomizationPaths(head.paths)].map((p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "")));
  const under = (p: string): boolean => [...dirs].some((d) => d === "" || p.startsWith(`${d}/`));
  const candidates = [...new Set([...base.paths, ...head.paths])].filter((p) => !changed.has(p) && under(p));
  const [b, h] = await Promise.all([base.read(candidates), head.read(candidates)]);
  for (const p of candidates) {
    const x = b.get(p);
    const y = h.get(p);
    if (x === undefined || y === undefined || Buffer.compare(Buffer.from(contentBytes(x)), Buffer.from(contentBytes(y))) !== 0) changed.add(p);
  }
  return [...changed];
}

/** Bytes to compare two sides by; an unread file (too large, not a regular file) compares by why it was not read. */
function contentBytes(c: FileContent): Uint8Array {
  if (typeof c === "string") return Buffer.from(c, "utf8");
  return isUnread(c) ? Buffer.from(JSON.stringify(c), "utf8") : c;
}

/** The pipeline's tree port over a directory: its files, whatever the commit asked for. */
export function directoryTreeSource(root: string): RepositoryTreeSource {
  return { list: async () => ({ files: (await listFiles(root)).map((path) => ({ path })), truncated: false }) };
}

/** `review --base DIR --head DIR`: each directory is a side. */
export async function directoryRepositoryView(baseDir: string, headDir: string, changes: readonly FileChange[], excludes: (path: string) => boolean, identity?: string): Promise<RepositoryView> {
  const paths = async (dir: string) => (await directoryTreeSource(dir).list("")).files.map((f) => f.path);
  const [basePaths, headPaths] = await Promise.all([paths(baseDir), paths(headDir)]);
  const base = directorySide(baseDir, basePaths);
  const head = directorySide(headDir, headPaths);
  return loadRepositoryView({ base, head }, changes, await changedInDirectories(base, head, changes), excludes, {}, false, {}, identity);
}

/**
 * `scan PATH...`: the scanned files are the head side of a change that adds them all. `all` maps every file under
 * the scanned directories (display path → path on disk); `scanned` are the files already read. The scanned
 * kustomizations are parsed here as the review parses them (`parseYamlFile`, default limits) for the plan of what
 * to read; `parsed` hands them to the review (`ReviewInput.parsed`), which then does not parse them again.
 * `lookup` (the display paths being repository paths): the files beyond the scanned directories that their
 * kustomizations name are found with it and join the side, read when a render needs them, never changed or judged.
 */
export async function scannedRepositoryView(
  all: ReadonlyMap<string, string>,
  scanned: ReadonlyArray<{ path: string; content: FileContent }>,
  excludes: (path: string) => boolean,
  identity?: string,
  lookup?: RepositoryLookup,
): Promise<{ view: RepositoryView; parsed: ReadonlyMap<string, ParsedFile> }> {
  const paths = [...new Set([...all.keys(), ...scanned.map((f) => f.path)])];
  const changes: FileChange[] = scanned.map((f) => ({ path: f.path, status: "added", head: f.content }));
  const parsed = new Map<string, ParsedFile>();
  for (const f of scanned) if (isKustomizationFile(f.path)) parsed.set(f.path, parseYamlFile(f.path, f.content));
  const known = new Map(scanned.map((f) => [f.path, f.content]));
  const readScan = (wanted: readonly string[], outside: ReadonlyMap<string, string>) => directorySide("", wanted, (p) => all.get(p) ?? outside.get(p) ?? p).read(wanted.filter((p) => !known.has(p)));
  const outside = lookup ? await referencedOutside(paths, readScan, parsed, lookup) : { files: new Map<string, string>(), contents: new Map<string, FileContent>() };
  for (const [p, c] of outside.contents) known.set(p, c);
  const sidePaths = outside.files.size ? [...paths, ...outside.files.keys()] : paths;
  const head = directorySide("", sidePaths, (p) => all.get(p) ?? outside.files.get(p) ?? p);
  const view = await loadRepositoryView({ head }, changes, paths, excludes, { head: known }, true, { head: parsed }, identity);
  return { view, parsed };
}
