/**
 * `scan DIR`: the files beyond the scanned directories that their kustomizations read (an overlay's `../../base`), so
 * a root under DIR renders as `gitops-guard render` renders it. Only what a kustomization names is looked up (a file,
 * or a directory's files), never the rest of the repository, and nothing found here is judged: the scan's files stay
 * those under DIR. Nothing outside the repository root is read (symbolic links included).
 */
import { realpath, stat } from "node:fs/promises";
import { join, posix, sep } from "node:path";
import { buildKustomizationGraph } from "../kustomize/index.js";
import { contentText, kustomizationInput, kustomizationPaths } from "../core/render-plan.js";
import type { FileContent } from "../core/repository.js";
import type { ParsedFile } from "../parse/yaml-file.js";
import { listFileEntries } from "./files.js";

/** The files at a repository path (the file itself, or every file under the directory): repository path → path on disk. */
export type RepositoryLookup = (path: string) => Promise<Map<string, string>>;

/** Rounds of lookups (a base found outside may name another directory outside): at most this many. */
const MAX_ROUNDS = 16;

/** A lookup over the repository rooted at `root`: nothing outside it (after symbolic links) is found. */
export function repositoryLookup(root: string): RepositoryLookup {
  const realRoot = realpath(root);
  return async (path) => {
    const found = new Map<string, string>();
    const abs = join(root, ...path.split("/").filter(Boolean));
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      return found;
    }
    const top = await realRoot;
    if (real !== top && !real.startsWith(top.endsWith(sep) ? top : top + sep)) return found;
    const info = await stat(real);
    if (info.isFile()) found.set(path, real);
    else if (info.isDirectory()) {
      for (const f of await listFileEntries(real)) if (typeof f.fsPath === "string") found.set(path === "" ? f.path : `${path}/${f.path}`, f.fsPath);
    }
    return found;
  };
}

/**
 * A reference a kustomization in `dir` makes, as a repository path; null when it leaves the repository (or is
 * absolute). A remote one becomes a path that is not there.
 */
function repositoryPath(dir: string, ref: string): string | null {
  if (ref.startsWith("/")) return null;
  const p = posix.normalize(posix.join(dir, ref));
  if (p === ".." || p.startsWith("../")) return null;
  return p === "." ? "" : p.replace(/\/$/, "");
}

export interface OutsideFiles {
  /** Repository path → path on disk of each file found beyond the scanned ones. */
  files: Map<string, string>;
  /** The contents read meanwhile (the kustomizations among them), by repository path. */
  contents: Map<string, FileContent>;
}

/**
 * The files beyond `paths` (the scanned trees' files) that the kustomizations among them name, transitively: each
 * round builds the kustomization graph of what is known and looks up the references it cannot follow.
 * `read` reads known files (kustomizations); `parsed` holds the scanned kustomizations already parsed.
 */
export async function referencedOutside(
  paths: readonly string[],
  read: (paths: readonly string[], disk: ReadonlyMap<string, string>) => Promise<Map<string, FileContent>>,
  parsed: ReadonlyMap<string, ParsedFile>,
  lookup: RepositoryLookup,
): Promise<OutsideFiles> {
  const files = new Map<string, string>();
  const contents = new Map<string, FileContent>();
  const known = new Set(paths);
  const asked = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const all = [...known];
    const wantedKustomizations = kustomizationPaths(all).filter((p) => !parsed.has(p) && !contents.has(p));
    for (const [p, c] of await read(wantedKustomizations, files)) contents.set(p, c);
    const kustomizations = kustomizationPaths(all).flatMap((path) => {
      const k = kustomizationInput(parsed.get(path), () => contentText(contents.get(path)));
      return k === null ? [] : [typeof k === "string" ? { path, text: k } : { path, value: k.value }];
    });
    const wanted: string[] = [];
    for (const node of buildKustomizationGraph(kustomizations, all).nodes.values()) {
      for (const ref of node.unresolved) {
        const p = repositoryPath(node.dir, ref);
        if (p !== null && !asked.has(p)) {
          asked.add(p);
          wanted.push(p);
        }
      }
    }
    if (wanted.length === 0) break;
    let added = 0;
    for (const found of await Promise.all(wanted.map(lookup))) {
      for (const [p, disk] of found) {
        if (known.has(p)) continue;
        known.add(p);
        files.set(p, disk);
        added++;
      }
    }
    if (added === 0) break;
  }
  return { files, contents };
}
