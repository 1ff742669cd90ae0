import type { TreeListing } from "../pipeline/types.js";
import type { GitHubClient, RepoRef } from "./client.js";

/** Git modes of entries that are not regular files: symbolic links (their blob is the link target) and submodules. */
const NOT_A_FILE = new Set(["120000", "160000"]);

/**
 * Every file of the repository at a commit, in one request: `GET /repos/{o}/{r}/git/trees/{sha}?recursive=1`.
 * GitHub stops at 100,000 entries (or 7 MB) and says `truncated: true`; the caller does not use a partial tree.
 */
export async function listTree(octokit: GitHubClient, repo: RepoRef, commitSha: string): Promise<TreeListing> {
  const { data } = await octokit.rest.git.getTree({ owner: repo.owner, repo: repo.repo, tree_sha: commitSha, recursive: "1" });
  const files: TreeListing["files"] = [];
  const links: string[] = [];
  for (const e of data.tree) {
    if (typeof e.path === "string" && NOT_A_FILE.has(e.mode ?? "")) links.push(e.path);
    if (e.type !== "blob" || typeof e.path !== "string" || NOT_A_FILE.has(e.mode ?? "")) continue;
    files.push({ path: e.path, ...(typeof e.size === "number" ? { size: e.size } : {}), ...(typeof e.sha === "string" ? { id: e.sha } : {}) });
  }
  return { files, truncated: data.truncated === true, ...(links.length > 0 ? { links } : {}) };
}
