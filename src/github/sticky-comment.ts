import type { SummaryComment } from "../pipeline/types.js";
import { COMMENT_MARKER, markerSha } from "../report/summary-comment.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";

export { COMMENT_MARKER, commentBody, markerSha, sameContent } from "../report/summary-comment.js";

/** GitHub rejects comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;

export type StickyComment = SummaryComment;

/** Finds the bot's summary comment on a PR (by marker), reading comment pages until it is found. */
export async function findStickyComment(octokit: GitHubClient, repo: RepoRef, issueNumber: number): Promise<StickyComment | null> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of pages) {
    for (const c of page.data) {
      const body = c.body ?? "";
      // Only a bot's comment is ours to edit (a person may quote the marker); on GitHub the App's own
      // comments are by "<app>[bot]", type Bot. Servers that leave out the author are trusted.
      const byPerson = c.user?.type !== undefined && c.user.type !== "Bot";
      if (!byPerson && body.includes(COMMENT_MARKER)) return { id: c.id, body, sha: markerSha(body) };
    }
  }
  return null;
}

/** One comment by id (the summary comment the decision store remembers); null when GitHub has none (404). */
export async function readComment(octokit: GitHubClient, repo: RepoRef, commentId: number): Promise<StickyComment | null> {
  try {
    const { data } = await octokit.rest.issues.getComment({ ...repo, comment_id: commentId });
    const body = data.body ?? "";
    return { id: data.id, body, sha: markerSha(body) };
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/** Posts a comment on the PR; the new comment's id. */
export async function createComment(octokit: GitHubClient, repo: RepoRef, issueNumber: number, body: string): Promise<number> {
  return (await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body })).data.id;
}

/** Edits a comment; false when GitHub has no such comment (404: deleted, or never in this repository). */
export async function updateComment(octokit: GitHubClient, repo: RepoRef, commentId: number, body: string): Promise<boolean> {
  try {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
    return true;
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}
