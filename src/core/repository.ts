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
  /**
   * Symbolic links and submodules of the tree (not in `paths`: no file the view reads), when the adapter listed them:
   * a path at or under one exists for Kustomize and Argo CD though the view cannot see it.
   */
  links?: readonly string[];
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
  /**
   * The repository under review, host-less `owner/name` (see `repositoryIdentity`), when the adapter knows it (the
   * App from the webhook payload, the CLI from `--repo-url` or the `origin` remote). An Argo CD source whose `repoURL`
   * names another repository is not a directory of this one (see `ownRepoURL`). Unknown: every source counts.
   */
  identity?: string;
  /** The branch the pull request merges into and the repository's default branch, when the adapter knows them (see `followsMergedBranch`). */
  branches?: Branches;
}

/** Branch names of a review (plain names, no `refs/heads/`). */
export interface Branches {
  /** The branch the pull request merges into (GitHub's `pull_request.base.ref`; the CLI's `--base` when it names a branch). */
  base?: string;
  /** The repository's default branch (GitHub's `repository.default_branch`; the CLI's `origin/HEAD`). */
  default?: string;
}

/**
 * The host-less `owner/name` a repository URL names, lower-cased (GitHub's names are case-insensitive), or null when
 * it names none (empty, a template expression, fewer than two path segments). Forms: `https://host/owner/name(.git)(/)`
 * (credentials and port ignored), `git@host:owner/name(.git)`, `ssh://git@host[:port]/owner/name(.git)`, `git://…`;
 * a longer path keeps its last two segments (GitLab subgroups), and Azure DevOps' `_git` segment (and `v3` ssh form)
 * name `project/repo` either way. The host is left out: mirrors and GitHub Enterprise hosts name the same repository.
 */
export function repositoryIdentity(url: string): string | null {
  let s = url.trim();
  if (s === "" || s.includes("{{")) return null;
  s = s.replace(/[?#].*$/, "");
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) {
    s = s.slice(scheme[0].length);
    const slash = s.indexOf("/");
    s = slash < 0 ? "" : s.slice(slash + 1);
  } else {
    // scp-like `user@host:path` (a colon before any slash).
    const colon = s.indexOf(":");
    const slash = s.indexOf("/");
    if (colon > 0 && (slash < 0 || colon < slash)) s = s.slice(colon + 1);
  }
  const segments = s.split("/").filter((x) => x !== "" && x !== "_git");
  if (segments.length < 2) return null;
  const name = segments[segments.length - 1]!.replace(/\.git$/i, "");
  const owner = segments[segments.length - 2]!;
  return name === "" ? null : `${owner}/${name}`.toLowerCase();
}

/**
 * Whether an Argo CD source's `repoURL` is of the repository `identity` names: a `repoURL` that names none (absent,
 * empty, a template expression) is; null when the identity is unknown (every source counts).
 */
export type OwnRepoURL = (repoURL: unknown) => boolean;

export function ownRepoURL(identity: string | undefined): OwnRepoURL | null {
  if (identity === undefined) return null;
  const own = identity.toLowerCase();
  return (repoURL) => {
    if (typeof repoURL !== "string") return true;
    const named = repositoryIdentity(repoURL);
    return named === null || named === own;
  };
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
