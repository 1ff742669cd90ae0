/**
 * Argo CD's parameter-override files: `.argocd-source.yaml` and `.argocd-source-<appName>.yaml` in the directory an
 * Application's source points at (what Argo CD Image Updater's git write-back commits). The repo-server merges them,
 * in that order, into the Application's source before it generates manifests (argo-cd reposerver/repository/
 * repository.go `mergeSourceParameters`, called by `GetAppSourceType`):
 *
 * - each file is read as YAML (`sigs.k8s.io/yaml`, YAML 1.1), turned into JSON and applied to the source as a JSON
 *   merge patch (RFC 7396), then decoded back into the typed source with `json.Unmarshal` into the existing value:
 *   maps merge key by key, a list or a scalar replaces the value, and a `null` changes nothing (the merge patch drops
 *   the key, and decoding keeps what the typed source already held for a key that is absent);
 * - a file that is missing is skipped; a file that does not parse, or whose value does not fit the source's type,
 *   makes manifest generation fail (here: the render refuses with a note, and its files are reviewed one by one);
 * - `<appName>` is the Application's instance name: its name, or `<namespace>_<name>` for an Application outside
 *   Argo CD's control-plane namespace (`Application.InstanceName`).
 *
 * Only the `kustomize` block matters to a render. Pure: the files come as texts, values keep their origins.
 */
import { kustomizeEdit, refusedEdit, type KustomizationEdit } from "./argocd-overrides.js";
import { BuildFailure } from "./failure.js";
import { get, isNull, isOMap, isOScalar, isOSeq, omap, type OEntry, type OMap, type ONode } from "./onode.js";
import { basename, dirname } from "./paths.js";
import { parseSource } from "./session.js";
import { SourceFile } from "./source.js";

/** The override file every Application pointing at the directory reads. */
export const REPO_PARAMETER_FILE = ".argocd-source.yaml";

const APP_PARAMETER_FILE = /^\.argocd-source-(.+)\.yaml$/;

/** Whether a path is one of Argo CD's parameter-override files. */
export function isParameterFile(path: string): boolean {
  const name = basename(path);
  return name === REPO_PARAMETER_FILE || APP_PARAMETER_FILE.test(name);
}

/** The application name an `.argocd-source-<appName>.yaml` is for (null for `.argocd-source.yaml` and other files). */
export function parameterFileApp(path: string): string | null {
  return APP_PARAMETER_FILE.exec(basename(path))?.[1] ?? null;
}

/** The parameter-override files among a tree's paths, by directory (sorted). One pass; empty when there are none. */
export function parameterFilesByDir(paths: Iterable<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of paths) {
    if (!p.includes(".argocd-source") || !isParameterFile(p)) continue;
    const d = dirname(p);
    const list = out.get(d);
    if (list) list.push(p);
    else out.set(d, [p]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/**
 * The files an Application reads from the directory, in Argo CD's order: `.argocd-source.yaml`, then its own. Argo CD
 * names its own `<namespace>_<name>` when the Application lives outside the control-plane namespace, which the
 * repository does not tell: for an Application with a namespace other than `argocd`, `.argocd-source-<ns>_<name>.yaml`
 * is taken when it exists, else `.argocd-source-<name>.yaml` (the namespace taken for the control plane's). Without a
 * known Application (`app` null), `.argocd-source.yaml` alone.
 */
export function parameterFilesFor(dirFiles: readonly string[], app: { name: string; namespace?: string | undefined } | null): string[] {
  const byName = new Map(dirFiles.map((f) => [basename(f), f]));
  const out: string[] = [];
  const repo = byName.get(REPO_PARAMETER_FILE);
  if (repo) out.push(repo);
  if (app === null) return out;
  const names = app.namespace && app.namespace !== "argocd" ? [`${app.namespace}_${app.name}`, app.name] : [app.name];
  const own = names.map((n) => byName.get(`.argocd-source-${n}.yaml`)).find((f) => f !== undefined);
  if (own) out.push(own);
  return out;
}

/** Types of the `kustomize` fields a render applies (`ApplicationSourceKustomize`): decoding anything else fails. */
const LISTS = new Set(["images", "replicas", "patches", "components"]);
const MAPS = new Set(["commonLabels", "commonAnnotations"]);
const SCALARS = new Set([
  "namePrefix",
  "nameSuffix",
  "namespace",
  "forceCommonLabels",
  "forceCommonAnnotations",
  "labelWithoutSelector",
  "labelIncludeTemplates",
  "commonAnnotationsEnvsubst",
  "ignoreMissingComponents",
]);

/** The `kustomize` block of one parameter file (null when it has none); throws BuildFailure as Argo CD refuses it. */
export function parameterFileKustomize(path: string, text: string | null): OMap | null {
  if (text === null) throw new BuildFailure(`${path}: cannot be read`);
  // Argo CD reads the file's first document.
  const doc = parseSource(new SourceFile(path, text), "1.1")[0];
  if (doc === undefined) return null;
  if (!isOMap(doc)) throw new BuildFailure(`${path}: expected a map of Application source fields`);
  const k = get(doc, "kustomize");
  if (isNull(k)) return null;
  if (!isOMap(k)) throw new BuildFailure(`${path}: kustomize: expected a map`);
  for (const [field, e] of k.entries) {
    const v = e.value;
    if (isNull(v)) continue;
    const ok = LISTS.has(field) ? isOSeq(v) : MAPS.has(field) ? isOMap(v) : SCALARS.has(field) ? isOScalar(v) : true;
    if (!ok) throw new BuildFailure(`${path}: kustomize.${field}: expected ${LISTS.has(field) ? "a list" : MAPS.has(field) ? "a map" : "a scalar"}`);
  }
  return k;
}

/**
 * An Application source's `kustomize` block with parameter files merged in, in order (see the file comment): maps
 * merge, lists and scalars replace, `null` keeps the value. Values from a file keep their origin in it. Null when
 * there is no block at all.
 */
export function mergeKustomize(block: OMap | null, patches: ReadonlyArray<OMap | null>): OMap | null {
  let out = block;
  for (const p of patches) if (p) out = mergeMap(out, p);
  return out;
}

function mergeMap(target: OMap | null, patch: OMap): OMap {
  const entries = new Map<string, OEntry>(target?.entries ?? []);
  for (const [key, e] of patch.entries) {
    if (isNull(e.value)) continue;
    const old = entries.get(key);
    const value: ONode = isOMap(e.value) ? mergeMap(old && isOMap(old.value) ? old.value : null, e.value) : e.value;
    entries.set(key, { key: old?.key ?? e.key, value });
  }
  return omap(entries, target?.src ?? patch.src);
}

/** One parameter-override file as read: its `kustomize` block, or why Argo CD refuses it. */
export type ParameterFileRead = { path: string; kustomize: OMap | null } | { path: string; error: string };

/** Reads one parameter-override file (text null: it could not be read). Never throws. */
export function readParameterFile(path: string, text: string | null): ParameterFileRead {
  try {
    return { path, kustomize: parameterFileKustomize(path, text) };
  } catch (err) {
    if (err instanceof BuildFailure) return { path, error: err.message };
    throw err;
  }
}

/**
 * The edit Argo CD makes of the kustomization for a source whose `kustomize` block is `block` (null: none) once the
 * parameter files are merged in; null when nothing that is built changes. A file Argo CD refuses makes an edit that
 * refuses the render with its reason.
 */
export function withParameterFiles(block: OMap | null, files: readonly ParameterFileRead[]): KustomizationEdit | null {
  const patches: Array<OMap | null> = [];
  for (const f of files) {
    if ("error" in f) return refusedEdit(`Argo CD parameter file ${f.error}`);
    patches.push(f.kustomize);
  }
  const merged = mergeKustomize(block, patches);
  return merged ? kustomizeEdit(merged) : null;
}
