import { chunk } from "./concurrency.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";
import type { Conclusion } from "../core/types.js";

/** The check run's name: branch protection rules require it by this name. */
export const CHECK_NAME = "gitops-guard";

/** GitHub accepts at most this many annotations in one create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** A check-run annotation in GitHub's field names. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: readonly Annotation[];
}

/** A button on a completed check run; clicking it sends `check_run.requested_action` with the identifier. */
export interface CheckRunAction {
  /** ≤ 20 characters. */
  label: string;
  /** ≤ 40 characters. */
  description: string;
  /** ≤ 20 characters. */
  identifier: string;
}

/** The one button gitops-guard offers: review the commit again (the same as `/guard recheck`). */
export const RECHECK_ACTION: CheckRunAction = { label: "Re-run review", description: "Review this commit again", identifier: "recheck" };

export interface CheckRunCompletion {
  conclusion: Conclusion;
  output: CheckRunOutput;
  /** Buttons (≤ 3). Default: the "Re-run review" button. */
  actions?: readonly CheckRunAction[];
}

/** Creates the `gitops-guard` check run on `headSha`, already `in_progress`. Returns its id. */
export async function createCheckRun(octokit: GitHubClient, repo: RepoRef, headSha: string, now: Date): Promise<number> {
  const res = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: now.toISOString(),
    output: { title: "Reviewing GitOps changes…", summary: "gitops-guard is reviewing the manifests this pull request changes." },
  });
  return res.data.id;
}

/**
 * Completes a check run. The first request sets the conclusion with the first 50 annotations; any
 * further annotations are appended 50 a request (GitHub's limit).
 */
export async function completeCheckRun(octokit: GitHubClient, repo: RepoRef, checkRunId: number, completion: CheckRunCompletion, now: Date): Promise<void> {
  const { title, summary, text } = completion.output;
  const batches = chunk((completion.output.annotations ?? []).map(sanitizeAnnotation), ANNOTATIONS_PER_REQUEST);
  const base = { title, summary, ...(text ? { text } : {}) };
  const first = {
    ...repo,
    check_run_id: checkRunId,
    status: "completed" as const,
    conclusion: completion.conclusion,
    completed_at: now.toISOString(),
    output: { ...base, ...(batches[0] ? { annotations: batches[0] } : {}) },
  };
  const actions = [...(completion.actions ?? [RECHECK_ACTION])];
  try {
    await octokit.rest.checks.update({ ...first, ...(actions.length ? { actions } : {}) });
  } catch (error) {
    // The buttons are a convenience: a GitHub-compatible server that refuses them must not leave the run unfinished.
    if (!actions.length || httpStatus(error) !== 422) throw error;
    await octokit.rest.checks.update(first);
  }
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { ...base, annotations: batch } });
  }
}

/** GitHub rejects columns on multi-line annotations; keep positions valid whatever the reporter sends. */
function sanitizeAnnotation(a: Annotation): Annotation {
  const start = Math.max(1, a.start_line);
  const end = Math.max(start, a.end_line);
  const { start_column, end_column, ...rest } = a;
  if (start !== end || start_column === undefined) return { ...rest, start_line: start, end_line: end };
  return { ...rest, start_line: start, end_line: end, start_column, ...(end_column !== undefined ? { end_column: Math.max(start_column, end_column) } : {}) };
}
