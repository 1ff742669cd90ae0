/**
 * Which files an Argo CD Application reads as a directory of plain manifests (a directory-type source: no Helm, no
 * Kustomize, no plugin), so a review can tell that a pull request moves an Argo CD object out of what its parent
 * Application (an app of apps) reads: Argo CD then prunes it as if it were deleted (held-out round 18). Pure.
 *
 * Argo CD's directory source reads the `.yaml`, `.yml` and `.json` files directly in its `path` (all below it with
 * `directory.recurse: true`), minus those `directory.exclude` matches, and only those `directory.include` matches when
 * set; both are globs matched against the file's path relative to the source's `path`, `*` crossing `/` (Argo CD's
 * `util/glob`, gobwas/glob without separators), `{a,b}` alternatives. A path that holds a kustomization or a Helm
 * chart is built, not read as a directory: what it reads is not known here.
 */
import { isKustomizationFile } from "../kustomize/index.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";
import type { OwnRepoURL } from "./repository.js";

/** One directory-type source of an Application: which Application, where, and how it reads. */
export interface DirectoryRead {
  /** The Application's `namespace/name` (its namespace as written, "" when none). */
  application: string;
  /** The Application's name. */
  name: string;
  /** The source's `path`, normalised (`""` for the repository's root). */
  path: string;
  recurse: boolean;
  include: string | null;
  exclude: string | null;
}

/** Keys of a source that make Argo CD build it rather than read it as a directory. */
const BUILT_BY = ["helm", "kustomize", "plugin", "chart"] as const;

const MANIFEST = /\.(?:ya?ml|json)$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A source `path` as a repository path: `./argocd/` → `argocd`, `.` → "" (null for one that climbs out). */
function normalisedPath(path: string): string | null {
  const parts: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") return null;
    parts.push(seg);
  }
  return parts.join("/");
}

/**
 * The directory-type sources of one document when it is an Argo CD Application (plain data); with `own`, only those
 * of this repository (see `ownRepoURL`).
 */
export function directoryReadsOf(value: unknown, own?: OwnRepoURL | null): DirectoryRead[] {
  if (!isRecord(value) || value.kind !== "Application" || typeof value.apiVersion !== "string" || !value.apiVersion.startsWith("argoproj.io/")) return [];
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  if (typeof metadata.name !== "string" || metadata.name === "") return [];
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  const out: DirectoryRead[] = [];
  for (const { source } of argoCdReadSourcesOf(value.spec)) {
    if (!isRecord(source) || typeof source.path !== "string" || BUILT_BY.some((k) => source[k] !== undefined)) continue;
    if (own && !own(source.repoURL)) continue;
    const path = normalisedPath(source.path);
    if (path === null) continue;
    const d = isRecord(source.directory) ? source.directory : {};
    const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
    out.push({ application: `${namespace}/${metadata.name}`, name: metadata.name, path, recurse: d.recurse === true, include: text(d.include), exclude: text(d.exclude) });
  }
  return out;
}

/** A glob of Argo CD's `util/glob` as a RegExp (`*` any run, `?` one character, `{a,b}`); null for what is not handled here. */
function globRegExp(pattern: string): RegExp | null {
  if (/[[\]\\]/.test(pattern)) return null;
  let re = "";
  let depth = 0;
  for (const c of pattern) {
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[.+^$()|]/g, "\\$&");
  }
  return depth === 0 ? new RegExp(`^${re}$`) : null;
}

/** Whether a glob matches a relative path; null when the glob is not one handled here. */
function globMatches(pattern: string, rel: string): boolean | null {
  const re = globRegExp(pattern);
  return re === null ? null : re.test(rel);
}

/** Whether the tree builds the source's directory instead of reading it (a kustomization or a Chart.yaml there). */
function builtThere(dir: string, paths: ReadonlySet<string>): boolean {
  const prefix = dir === "" ? "" : `${dir}/`;
  for (const name of ["kustomization.yaml", "kustomization.yml", "Kustomization", "Chart.yaml"]) if (paths.has(`${prefix}${name}`)) return true;
  return false;
}

/**
 * Whether a directory source reads `file` in a tree of `paths`: true, false, or null when it is not known (the
 * directory is built — a kustomization or a chart there — or a glob is not one handled here).
 */
export function readsFile(read: DirectoryRead, file: string, paths: ReadonlySet<string>): boolean | null {
  const prefix = read.path === "" ? "" : `${read.path}/`;
  if (!file.startsWith(prefix)) return false;
  if (builtThere(read.path, paths)) return null;
  const rel = file.slice(prefix.length);
  if (!MANIFEST.test(rel) || isKustomizationFile(file)) return false;
  if (!read.recurse && rel.includes("/")) return false;
  if (read.exclude !== null) {
    const excluded = globMatches(read.exclude, rel);
    if (excluded === null) return null;
    if (excluded) return false;
  }
  return read.include === null ? true : globMatches(read.include, rel);
}

/**
 * Who reads `file` among a side's directory sources: the Applications (`namespace/name`) that do, and whether any
 * may (`unknown`: a built directory above it, a glob not handled here).
 */
export function readersOfFile(reads: readonly DirectoryRead[], file: string, paths: ReadonlySet<string>): { readers: DirectoryRead[]; unknown: boolean } {
  const readers: DirectoryRead[] = [];
  let unknown = false;
  for (const r of reads) {
    const read = readsFile(r, file, paths);
    if (read === null) unknown = true;
    else if (read) readers.push(r);
  }
  return { readers, unknown };
}
