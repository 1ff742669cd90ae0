/**
 * Deliveries too large for an SQS message (256 KB) travel as a slim event: what identifies the event (its
 * action, installation, repository, sender and the number or id of the pull request, comment, check run or
 * check suite). The worker re-reads those objects from the GitHub API and rebuilds the payload the app
 * expects. Only the events the app handles can be re-read; a large payload is almost always a long PR body,
 * issue body or comment, which GitHub caps at 65,536 characters each.
 */
import * as z from "zod/mini";

export const SlimEventSchema = z.object({
  action: z.optional(z.string()),
  installationId: z.int().check(z.positive()),
  owner: z.string().check(z.minLength(1)),
  repo: z.string().check(z.minLength(1)),
  sender: z.optional(z.object({ login: z.string(), id: z.optional(z.number()), type: z.optional(z.string()) })),
  pullNumber: z.optional(z.int().check(z.positive())),
  before: z.optional(z.string()),
  after: z.optional(z.string()),
  /** `changes.base` of `pull_request.edited` (the app reviews again only when the base branch changed). */
  baseChange: z.optional(z.record(z.string(), z.unknown())),
  issueNumber: z.optional(z.int().check(z.positive())),
  commentId: z.optional(z.int().check(z.positive())),
  checkRunId: z.optional(z.int().check(z.positive())),
  requestedAction: z.optional(z.string()),
  checkSuiteId: z.optional(z.int().check(z.positive())),
});
export type SlimEvent = z.infer<typeof SlimEventSchema>;

/** Events whose payload the worker can rebuild from the API. */
export const SLIM_EVENTS = ["pull_request", "issue_comment", "check_run", "check_suite"] as const;

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The slim form of a payload, or null when this event cannot be rebuilt from the API. */
export function slimEvent(name: string, payload: Json): SlimEvent | null {
  if (!(SLIM_EVENTS as readonly string[]).includes(name)) return null;
  const installationId = num(obj(payload.installation)?.id);
  const repository = obj(payload.repository);
  const owner = str(obj(repository?.owner)?.login);
  const repo = str(repository?.name);
  if (!installationId || !owner || !repo) return null;
  const senderJson = obj(payload.sender);
  const sender = str(senderJson?.login) ? { login: String(senderJson!.login), id: num(senderJson!.id), type: str(senderJson!.type) } : undefined;
  const base: SlimEvent = { action: str(payload.action), installationId, owner, repo, sender };
  switch (name) {
    case "pull_request": {
      const pullNumber = num(payload.number) ?? num(obj(payload.pull_request)?.number);
      if (!pullNumber) return null;
      return { ...base, pullNumber, before: str(payload.before), after: str(payload.after), baseChange: obj(obj(payload.changes)?.base) };
    }
    case "issue_comment": {
      const issueNumber = num(obj(payload.issue)?.number);
      const commentId = num(obj(payload.comment)?.id);
      return issueNumber && commentId ? { ...base, issueNumber, commentId } : null;
    }
    case "check_run": {
      const checkRunId = num(obj(payload.check_run)?.id);
      return checkRunId ? { ...base, checkRunId, requestedAction: str(obj(payload.requested_action)?.identifier) } : null;
    }
    default: {
      const checkSuiteId = num(obj(payload.check_suite)?.id);
      return checkSuiteId ? { ...base, checkSuiteId } : null;
    }
  }
}

/** A GET through the installation's Octokit (`octokit.request`). */
export type ApiGet = (route: string, params: Record<string, string | number>) => Promise<{ data: unknown }>;

async function getJson(get: ApiGet, route: string, params: Record<string, string | number>): Promise<Json> {
  const data = obj((await get(route, params)).data);
  if (!data) throw new Error(`GitHub answered ${route} with something that is not an object`);
  return data;
}

/** Rebuilds the payload of a slim event from the GitHub API (what GitHub would have sent, as of now). */
export async function rebuildPayload(name: string, slim: SlimEvent, get: ApiGet): Promise<Json> {
  const { owner, repo } = slim;
  const common: Json = {
    ...(slim.action ? { action: slim.action } : {}),
    installation: { id: slim.installationId },
    ...(slim.sender ? { sender: slim.sender } : {}),
  };
  const repository = () => getJson(get, "GET /repos/{owner}/{repo}", { owner, repo });
  if (name === "pull_request" && slim.pullNumber) {
    const pull = await getJson(get, "GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: slim.pullNumber });
    return {
      ...common,
      number: slim.pullNumber,
      pull_request: pull,
      repository: obj(obj(pull.base)?.repo) ?? (await repository()),
      ...(slim.before ? { before: slim.before } : {}),
      ...(slim.after ? { after: slim.after } : {}),
      ...(slim.baseChange ? { changes: { base: slim.baseChange } } : {}),
    };
  }
  if (name === "issue_comment" && slim.issueNumber && slim.commentId) {
    const [comment, issue, repo_] = await Promise.all([
      getJson(get, "GET /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner, repo, comment_id: slim.commentId }),
      getJson(get, "GET /repos/{owner}/{repo}/issues/{issue_number}", { owner, repo, issue_number: slim.issueNumber }),
      repository(),
    ]);
    return { ...common, comment, issue, repository: repo_ };
  }
  if (name === "check_run" && slim.checkRunId) {
    const [run, repo_] = await Promise.all([getJson(get, "GET /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner, repo, check_run_id: slim.checkRunId }), repository()]);
    return { ...common, check_run: run, ...(slim.requestedAction ? { requested_action: { identifier: slim.requestedAction } } : {}), repository: repo_ };
  }
  if (name === "check_suite" && slim.checkSuiteId) {
    const [suite, repo_] = await Promise.all([getJson(get, "GET /repos/{owner}/{repo}/check-suites/{check_suite_id}", { owner, repo, check_suite_id: slim.checkSuiteId }), repository()]);
    return { ...common, check_suite: suite, repository: repo_ };
  }
  throw new Error(`a slim ${name} event cannot be rebuilt (it names no object to read)`);
}
