/**
 * The kustomization graph of a repository, from kustomization texts and the list of paths alone (before any
 * other file is fetched): what each kustomization reads (its closure — exactly the files a render needs), which
 * kustomizations are roots, and which roots a set of changed files reaches.
 */
import { parseDocument } from "yaml";
import { parameterFilesByDir } from "./argocd-source-files.js";
import { dirname, joinPath, looksRemote } from "./paths.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";

/** The names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export interface KustomizationNode {
  /** Directory of the kustomization ("" is the repository root). */
  dir: string;
  /** The kustomization file. */
  file: string;
  /** Files it names directly (resources, patches, generator sources, …) that exist. */
  reads: string[];
  /** Directories it uses as resources or components. */
  uses: string[];
  /** References that cannot be followed in the repository (remote, missing, outside it). */
  unresolved: string[];
  /** `kind: Component`: applied only through a kustomization (or an Application) that lists it, never on its own. */
  component: boolean;
}

export interface KustomizationGraph {
  nodes: ReadonlyMap<string, KustomizationNode>;
  /**
   * Every file a render of `dir` reads, transitively (kustomization files included), plus `dir`'s own Argo CD
   * parameter-override files (`.argocd-source*.yaml`, read when an Application points at `dir`), sorted.
   */
  closure(dir: string): string[];
  /**
   * Kustomizations no other kustomization uses (a Component only when an Application points at it), plus the given Argo
   * CD source paths that hold one, plus the kustomization directories that hold parameter-override files (only an
   * Application's path has them); sorted.
   */
  roots(argoPaths?: readonly string[]): string[];
  /**
   * The files only unused Components read (Components no kustomization uses and no given Argo CD source path points
   * at: nothing applies them), each with that Component's kustomization file; files a root reads are not among them.
   */
  unusedComponentFiles(argoPaths?: readonly string[]): Map<string, string>;
  /** The Argo CD parameter-override files in a directory (sorted; usually none). */
  parameterFiles(dir: string): readonly string[];
  /** The roots whose closure contains a changed file (a base change reaches every overlay above it); sorted. */
  affectedRoots(changedFiles: readonly string[], argoPaths?: readonly string[]): string[];
}

/** A path under a `flux-system` directory: Flux's own objects (gotk-components.yaml, a FluxInstance). */
const FLUX_SYSTEM = /(?:^|\/)flux-system\//;

export function isKustomizationFile(path: string): boolean {
  // Asked of every path of a tree: the name is compared where it ends the path, without cutting it out.
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    if (path.endsWith(name) && (path.length === name.length || path.charCodeAt(path.length - name.length - 1) === SLASH)) return true;
  }
  return false;
}

const SLASH = "/".charCodeAt(0);

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function objects(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)) : [];
}

/** Paths a kustomization names, relative to its directory, whatever they turn out to be. */
function referencedPaths(doc: Record<string, unknown>): { dirsOrFiles: string[]; files: string[] } {
  const dirsOrFiles = [...strings(doc.resources), ...strings(doc.bases), ...strings(doc.components)];
  const files: string[] = [];
  for (const p of [...objects(doc.patches), ...objects(doc.patchesJson6902), ...objects(doc.replacements)]) if (typeof p.path === "string") files.push(p.path);
  for (const p of strings(doc.patchesStrategicMerge)) if (!p.includes("\n")) files.push(p);
  for (const g of [...objects(doc.configMapGenerator), ...objects(doc.secretGenerator)]) {
    files.push(...strings(g.envs));
    if (typeof g.env === "string") files.push(g.env);
    for (const f of strings(g.files)) files.push(f.includes("=") ? f.slice(f.indexOf("=") + 1) : f);
  }
  files.push(...strings(doc.configurations), ...strings(doc.crds), ...strings(doc.transformers), ...strings(doc.generators), ...strings(doc.validators));
  // `openapi: {path: schema.json}`: the schema the build reads (a `.json` one is no YAML file the review reads anyway).
  const openapi = doc.openapi;
  if (typeof openapi === "object" && openapi !== null && typeof (openapi as { path?: unknown }).path === "string") files.push((openapi as { path: string }).path);
  return { dirsOrFiles, files };
}

/**
 * `kustomizations` are given as text, or — when the caller has parsed the file already (e.g. the review engine) —
 * as its plain data (`value`), which is not parsed again.
 */
export function buildKustomizationGraph(
  kustomizations: ReadonlyArray<{ path: string; text: string } | { path: string; value: unknown }>,
  allPaths: Iterable<string>,
): KustomizationGraph {
  const files = new Set(allPaths);
  for (const k of kustomizations) files.add(k.path);
  const dirs = new Set<string>([""]);
  for (const f of files) for (let d = dirname(f); d !== "" && !dirs.has(d); d = dirname(d)) dirs.add(d);
  const nodes = new Map<string, KustomizationNode>();
  for (const k of kustomizations) {
    const dir = dirname(k.path);
    const node: KustomizationNode = { dir, file: k.path, reads: [], uses: [], unresolved: [], component: false };
    nodes.set(dir, node);
    let doc: unknown = "value" in k ? k.value : null;
    if ("text" in k) {
      try {
        doc = parseDocument(k.text, { version: "1.1", logLevel: "silent" }).toJS({ maxAliasCount: 100 });
      } catch {
        doc = null;
      }
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) continue;
    node.component = (doc as { kind?: unknown }).kind === "Component";
    const { dirsOrFiles, files: named } = referencedPaths(doc as Record<string, unknown>);
    const resolve = (rel: string, dirOk: boolean) => {
      const p = looksRemote(rel) ? null : joinPath(dir, rel);
      if (p === null) node.unresolved.push(rel);
      else if (files.has(p)) node.reads.push(p);
      else if (dirOk && dirs.has(p)) node.uses.push(p);
      else node.unresolved.push(rel);
    };
    for (const rel of dirsOrFiles) resolve(rel, true);
    for (const rel of named) resolve(rel, false);
  }

  const parameterFiles = parameterFilesByDir(files);
  const closures = new Map<string, string[]>();
  const closure = (dir: string): string[] => {
    const cached = closures.get(dir);
    if (cached) return cached;
    const seen = new Set<string>();
    const out = new Set<string>();
    const stack = [dir];
    while (stack.length) {
      const d = stack.pop()!;
      if (seen.has(d)) continue;
      seen.add(d);
      const n = nodes.get(d);
      if (!n) continue;
      out.add(n.file);
      for (const f of n.reads) out.add(f);
      stack.push(...n.uses);
    }
    for (const f of parameterFiles.get(dir) ?? []) out.add(f);
    const result = [...out].sort();
    closures.set(dir, result);
    return result;
  };

  let usedDirs: Set<string> | null = null;
  const used = (): Set<string> => {
    if (usedDirs === null) {
      usedDirs = new Set<string>();
      for (const n of nodes.values()) for (const u of n.uses) usedDirs.add(u);
    }
    return usedDirs;
  };
  const argoDirs = (argoPaths: readonly string[]): Set<string> => {
    const out = new Set<string>();
    for (const p of argoPaths) {
      const d = joinPath("", p);
      if (d !== null && nodes.has(d)) out.add(d);
    }
    return out;
  };
  // Flux deploys this repository too (a `flux-system` directory): its Kustomizations list Components in
  // `spec.components`, in files a review may not read (`ks.yaml` beside each app), so no Component is known unused.
  const flux = [...files].some((f) => FLUX_SYSTEM.test(f));
  /** A Component no kustomization uses and no Application points at: nothing applies it. */
  const unusedComponent = (n: KustomizationNode, pointed: ReadonlySet<string>): boolean =>
    n.component && !flux && !used().has(n.dir) && !pointed.has(n.dir) && !parameterFiles.has(n.dir);
  const roots = (argoPaths: readonly string[] = []): string[] => {
    const pointed = argoDirs(argoPaths);
    const out = new Set<string>(pointed);
    for (const [d, n] of nodes) if ((!used().has(d) && !unusedComponent(n, pointed)) || parameterFiles.has(d)) out.add(d);
    return [...out].sort();
  };
  const unusedComponentFiles = (argoPaths: readonly string[] = []): Map<string, string> => {
    const pointed = argoDirs(argoPaths);
    const out = new Map<string, string>();
    const unused = [...nodes.values()].filter((n) => unusedComponent(n, pointed));
    if (unused.length === 0) return out;
    const applied = new Set(roots(argoPaths).flatMap((r) => closure(r)));
    for (const n of unused) for (const f of closure(n.dir)) if (!applied.has(f) && !out.has(f)) out.set(f, n.file);
    return out;
  };

  return {
    nodes,
    closure,
    roots,
    unusedComponentFiles,
    parameterFiles: (dir) => parameterFiles.get(dir) ?? [],
    affectedRoots(changedFiles, argoPaths = []) {
      const changed = new Set(changedFiles);
      // A kustomization file added or removed in a directory the render reads changes the render too.
      const kustomizationDirs = new Set<string>();
      for (const f of changed) if (isKustomizationFile(f)) kustomizationDirs.add(dirname(f));
      return roots(argoPaths).filter((r) => closure(r).some((f) => changed.has(f) || kustomizationDirs.has(dirname(f))));
    },
  };
}

/** The paths of the sources Argo CD reads of an Application (plain data, see `argoCdReadSources`), normalised. */
export function argoCdSourcePaths(app: unknown): string[] {
  if (typeof app !== "object" || app === null) return [];
  const spec = (app as { spec?: unknown }).spec;
  if (typeof spec !== "object" || spec === null) return [];
  const out: string[] = [];
  for (const { source: src } of argoCdReadSourcesOf(spec)) {
    const p = typeof src === "object" && src !== null ? (src as { path?: unknown }).path : undefined;
    if (typeof p === "string") {
      const n = joinPath("", p);
      if (n !== null) out.push(n);
    }
  }
  return out;
}
