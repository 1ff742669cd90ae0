import { commentBody, contentDigest, sameContent } from "../report/summary-comment.js";
import type { PullRequestTarget, RememberedComment, ReviewPorts } from "./types.js";

export type CommentAction = "created" | "updated" | "unchanged" | "skipped-no-findings" | "skipped-stale";

/**
 * Where the decision store keeps the id, head SHA and content digest of the comment last written. Recall failures
 * count as "nothing remembered" (the comment is then looked up on the platform, as without a store).
 */
export interface CommentMemory {
  recall(): Promise<RememberedComment | null>;
  remember(comment: RememberedComment): Promise<void>;
}

/**
 * Keeps the one summary comment of a PR current. It is created only when there are new findings, and
 * edited afterwards (also to say all is clear now). A review computed for a head that is no longer the
 * PR's head never overwrites the comment: when the comment was computed for another SHA that is not
 * known to be older (the `before` of this push), the PR's current head is checked first.
 *
 * With a memory, the comment written last is edited by its remembered id, without listing the PR's comments (and read
 * by id first only when the new body is the one remembered); a remembered comment that is gone (deleted) is looked up
 * and, if need be, written again.
 */
export async function publishSummary(
  comments: ReviewPorts["comments"],
  target: PullRequestTarget,
  markdown: string,
  opts: { hasNewFindings: boolean; isLatest: boolean },
  memory?: CommentMemory,
): Promise<CommentAction> {
  if (!opts.isLatest) return "skipped-stale";
  const remembered = memory ? await memory.recall().catch(() => null) : null;
  // A PR opened a moment ago has no comment of ours yet: nothing to find when there is nothing to say.
  if (target.justOpened && !remembered && !opts.hasNewFindings) return "skipped-no-findings";
  const body = commentBody(markdown, target.headSha);
  const digest = contentDigest(body);
  const remember = async (id: number) => {
    // A memory that cannot be written costs a lookup next time, nothing more.
    await memory?.remember({ id, sha: target.headSha, digest }).catch(() => undefined);
  };
  const create = async (): Promise<CommentAction> => {
    await remember(await comments.create(body));
    return "created";
  };
  const stale = async (writtenFor: string | null) =>
    !(writtenFor === target.headSha || (writtenFor !== null && writtenFor === target.previousHeadSha)) && (await comments.currentHeadSha()) !== target.headSha;

  if (remembered) {
    if (await stale(remembered.sha)) return "skipped-stale";
    // The same content as remembered: read the comment to be sure it still says so (two reviews finishing out of
    // order, or a person's edit, may have left it saying something else) — one request, where a lookup among the
    // PR's comments costs one a page. A new push always changes the content, so it is edited without reading.
    const current = remembered.digest === digest ? await comments.read(remembered.id) : undefined;
    if (current && sameContent(current.body, body)) return "unchanged";
    if (current !== null && (await comments.update(remembered.id, body))) {
      await remember(remembered.id);
      return "updated";
    }
    // Deleted since: look for another one (from before the memory), as without one.
  } else if (target.justOpened) {
    // Nor is there one to look for: create it (the request the lookup would cost pays for the tree listing the
    // Kustomize render needs).
    return create();
  }
  const existing = await comments.find();
  if (!existing) return opts.hasNewFindings ? create() : "skipped-no-findings";
  if (!remembered && (await stale(existing.sha))) return "skipped-stale";
  if (sameContent(existing.body, body)) {
    await remember(existing.id);
    return "unchanged";
  }
  if (!(await comments.update(existing.id, body))) return opts.hasNewFindings ? create() : "skipped-no-findings";
  await remember(existing.id);
  return "updated";
}
