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
  return { list: async (commit) => ({ files: [...(await listGitTree(repo, commit))].map(([path, id]) => ({ path, id })), truncated: false }) };
}

/** Every regular file of a commit's tree: path → blob id (symbolic links and submodules left out). */
export async function listGitTree(repo: string, commit: string): Promise<Map<string, string>> {
  const out = await git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit]);
  const files = new Map<string, string>();
  for (const record of out.split("\0")) {
    // "<mode> SP <type> SP <object> TAB <path>"
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    if (type === "blob" && mode !== "120000" && oid) files.set(record.slice(tab + 1), oid);
  }
  return files;
}

export interface GitSides {
  base: Map<string, string>;
  head: Map<string, string>;
  /** Paths whose blob differs between the sides, or that exist on one side only. */
  changed: string[];
}

/** The merge base's tree and the head's tree (`base...head`), and what differs between them. */
export async function gitSides(repo: string, base: string, head: string): Promise<GitSides> {
  // The same commits the review compares (a shallow clone without the merge base is an error there, never a guess).
  const { headSha, mergeBase } = await pullRequestCommits(repo, base, head);
  const source = gitTreeSource(repo);
  const ids = (t: TreeListing) => new Map(t.files.map((f) => [f.path, f.id ?? ""]));
  const [b, h] = (await Promise.all([source.list(mergeBase), source.list(headSha)])).map(ids);
  const changed: string[] = [];
  for (const [p, oid] of h) if (b.get(p) !== oid) changed.push(p);
  for (const p of b.keys()) if (!h.has(p)) changed.push(p);
  return { base: b, head: h, changed };
}
