import { commentBody, sameContent } from "../report/summary-comment.js";
import type { PullRequestTarget, ReviewPorts } from "./types.js";

export type CommentAction = "created" | "updated" | "unchanged" | "skipped-no-findings" | "skipped-stale";

/**
 * Keeps the one summary comment of a PR current. It is created only when there are new findings, and
 * edited afterwards (also to say all is clear now). A review computed for a head that is no longer the
 * PR's head never overwrites the comment: when the comment was computed for another SHA that is not
 * known to be older (the `before` of this push), the PR's current head is checked first.
 */
export async function publishSummary(
  comments: ReviewPorts["comments"],
  target: PullRequestTarget,
  markdown: string,
  opts: { hasNewFindings: boolean; isLatest: boolean },
): Promise<CommentAction> {
  if (!opts.isLatest) return "skipped-stale";
  // A PR opened a moment ago has no comment of ours yet: nothing to find when there is nothing to say.
  if (target.justOpened && !opts.hasNewFindings) return "skipped-no-findings";
  const body = commentBody(markdown, target.headSha);
  // Nor is there one to look for: create it (the request the lookup would cost pays for the tree listing the
  // Kustomize render needs).
  if (target.justOpened) {
    await comments.create(body);
    return "created";
  }
  const existing = await comments.find();
  if (!existing) {
    if (!opts.hasNewFindings) return "skipped-no-findings";
    await comments.create(body);
    return "created";
  }
  const knownOlder = existing.sha === target.headSha || (existing.sha !== null && existing.sha === target.previousHeadSha);
  if (!knownOlder && (await comments.currentHeadSha()) !== target.headSha) return "skipped-stale";
  if (sameContent(existing.body, body)) return "unchanged";
  await comments.update(existing.id, body);
  return "updated";
}
