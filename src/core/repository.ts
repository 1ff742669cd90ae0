/**
 * A read-only view of the repository on each side of a review, for the Kustomize render: every path of the tree
 * and a synchronous reader over contents an adapter fetched beforehand (the render is pure and synchronous; the
 * adapter does the I/O in two rounds, planned by `render-plan.ts`). Pure data, no I/O.
 */
import type { FileTree } from "../kustomize/index.js";
import { isUnread, type FileContent } from "../parse/decode.js";

export type { FileContent };

export type Side = "base" | "head";

export interface RepositorySide {
  /** Every file of the tree on this side (repository-relative POSIX paths), fetched or not. */
  paths: readonly string[];
  /** Content fetched beforehand, or null when it was not fetched (or is not there). Never does I/O. */
  read(path: string): FileContent | null;
}

export interface RepositoryView {
  base?: RepositorySide;
  head?: RepositorySide;
  /**
   * Every path the change touches, on either side and of any type (a `.env` file a generator reads counts), when
   * the adapter knows more than the reviewed changes (which hold YAML files only). Default: the changes' paths.
   */
  changed?: readonly string[];
  /** Notes from the adapter about the view (e.g. a truncated tree listing); shown in the report. */
  notes?: readonly string[];
}

/** A `RepositorySide` over a map of fetched contents; `paths` defaults to the map's keys. */
export function mapSide(contents: ReadonlyMap<string, FileContent>, paths: readonly string[] = [...contents.keys()]): RepositorySide {
  return { paths, read: (p) => contents.get(p) ?? null };
}

/** Directory structure of a list of paths: directory → names of its entries ("" is the root). */
function directoryIndex(paths: Iterable<string>): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>();
  for (const path of paths) {
    let p = path;
    for (;;) {
      const slash = p.lastIndexOf("/");
      const dir = slash < 0 ? "" : p.slice(0, slash);
      let names = children.get(dir);
      const known = names !== undefined;
      if (!names) children.set(dir, (names = new Set()));
      const name = p.slice(slash + 1);
      if (known && names.has(name)) break;
      names.add(name);
      if (dir === "") break;
      p = dir;
    }
  }
  return children;
}

/**
 * The `FileTree` the render reads on one side: the side's paths, contents from `overlay` first (the changed files
 * the review holds) and then from the side's reader.
 */
export function sideTree(side: RepositorySide, overlay: ReadonlyMap<string, FileContent>): FileTree {
  const children = directoryIndex([...side.paths, ...overlay.keys()]);
  return {
    // A file a reader left unread (over the size cap, not a regular file) is not there for the render, which then
    // falls back to reviewing that kustomization's files one by one, where the file gets its guard/parse-error.
    readFile: (path) => {
      const content = overlay.get(path) ?? side.read(path);
      return content === null || isUnread(content) ? null : content;
    },
    isDirectory: (path) => children.has(path),
    listDirectory: (path) => [...(children.get(path) ?? [])],
  };
}
