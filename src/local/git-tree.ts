/**
 * The trees of the two sides of a local pull request (`review --base X --head Y` in git mode), for the Kustomize
 * render: every file with its object id, from `git ls-tree -r -z --full-tree` (NUL-separated; paths are never read
 * from newline-separated text), at the merge base and at the head — the sides `git diff base...head` compares.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { RepositoryTreeSource, TreeListing } from "../pipeline/types.js";
import { GitError } from "./git.js";
import { pullRequestCommits } from "./git-history.js";

const exec = promisify(execFile);
/** ls-tree of a large repository (100,000 files is about 10 MB of output). */
const MAX_OUTPUT = 256 * 1024 * 1024;

async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: MAX_OUTPUT });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    throw new GitError(`git ${args[0]} failed: ${(e.stderr ?? "").trim() || e.message || "unknown error"}`);
  }
}

/** The pipeline's tree port over a local repository: every file of a commit, with its blob id. */
export function gitTreeSource(repo: string): RepositoryTreeSource {
  return {
    list: async (commit) => {
      const { files, links } = await listGitEntries(repo, commit);
      return { files: [...files].map(([path, id]) => ({ path, id })), truncated: false, ...(links.length > 0 ? { links } : {}) };
    },
  };
}

/** Every regular file of a commit's tree: path → blob id (symbolic links and submodules left out). */
export async function listGitTree(repo: string, commit: string): Promise<Map<string, string>> {
  return (await listGitEntries(repo, commit)).files;
}

/** A commit's regular files (path → blob id), and its symbolic links and submodules (paths). */
async function listGitEntries(repo: string, commit: string): Promise<{ files: Map<string, string>; links: string[] }> {
  const out = await git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit]);
  const files = new Map<string, string>();
  const links: string[] = [];
  for (const record of out.split("\0")) {
    // "<mode> SP <type> SP <object> TAB <path>"
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    if (type === "blob" && mode !== "120000" && oid) files.set(record.slice(tab + 1), oid);
    else if (mode === "120000" || mode === "160000") links.push(record.slice(tab + 1));
  }
  return { files, links };
}

export interface GitSides {
  base: Map<string, string>;
  head: Map<string, string>;
  /** Paths whose blob differs between the sides, or that exist on one side only. */
  changed: string[];
  /** Each side's symbolic links and submodules. */
  links: { base: string[]; head: string[] };
}

/** The merge base's tree and the head's tree (`base...head`), and what differs between them. */
export async function gitSides(repo: string, base: string, head: string): Promise<GitSides> {
  // The same commits the review compares (a shallow clone without the merge base is an error there, never a guess).
  const { headSha, mergeBase } = await pullRequestCommits(repo, base, head);
  const source = gitTreeSource(repo);
  const ids = (t: TreeListing) => new Map(t.files.map((f) => [f.path, f.id ?? ""]));
  const [baseTree, headTree] = await Promise.all([source.list(mergeBase), source.list(headSha)]);
  const [b, h] = [ids(baseTree), ids(headTree)];
  const changed: string[] = [];
  for (const [p, oid] of h) if (b.get(p) !== oid) changed.push(p);
  for (const p of b.keys()) if (!h.has(p)) changed.push(p);
  return { base: b, head: h, changed, links: { base: baseTree.links ?? [], head: headTree.links ?? [] } };
}
