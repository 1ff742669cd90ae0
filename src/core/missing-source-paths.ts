/**
 * Argo CD Applications whose source `path` names a directory this repository does not have on the head side: Argo CD
 * fails to generate their manifests ("app path does not exist"), so a pull request that deletes an overlay an
 * Application still points at, or points one at a misspelt directory, deploys nothing there. A review note (no rule
 * judges it: rule ids are public, see RULES.md). Pure.
 */
import { applicationPathsOf } from "./render-plan.js";
import type { OwnRepoURL } from "./repository.js";

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
    const paths = applicationPathsOf(doc, own);
    if (paths.length === 0) continue;
    const name = (doc as { metadata?: { name?: unknown } }).metadata?.name;
    const application = typeof name === "string" ? name : "";
    for (const path of paths) if (!TEMPLATED.test(path)) out.push({ file, application, path, ...(inputs ? { inputs } : {}) });
  }
  return out;
}

/**
 * One note per pointer whose path is not a directory of the head side (`headDirectories`: every directory holding a
 * file, see `directoriesOf`), when the pull request made it so: the path was a directory on the base side, or the
 * Application's file (or one of its `inputs`) is changed (`changed`). A path that was missing before in files the pull
 * request leaves alone is not its doing. Sorted, one per Application, file and path.
 */
export function missingPathNotes(pointers: readonly SourcePointer[], headDirectories: ReadonlySet<string>, baseDirectories: ReadonlySet<string>, changed: ReadonlySet<string>): string[] {
  const notes = new Set<string>();
  for (const p of pointers) {
    if (p.path === "" || headDirectories.has(p.path)) continue;
    if (!baseDirectories.has(p.path) && !changed.has(p.file) && !p.inputs?.some((f) => changed.has(f))) continue;
    const app = p.application === "" ? "An Argo CD Application" : `Argo CD Application ${JSON.stringify(p.application)}`;
    const why = baseDirectories.has(p.path) ? "this pull request removes that directory" : "no such directory exists in this repository";
    notes.add(`${app} (${p.file}) points at path ${JSON.stringify(p.path)}, but ${why}: Argo CD will fail to generate its manifests ("app path does not exist") and deploy nothing from it`);
  }
  return [...notes].sort();
}
