import type { Context } from "probot";
import { CONFIG_PATH, ConfigError, DEFAULT_COMMAND_PREFIX, type Config } from "../core/config.js";
import { loadConfig } from "../core/config-loader.js";
import { ALL_RULES } from "../rules/index.js";
import { isBot } from "../slash/authorize.js";
import { code, plainText } from "../slash/reply-format.js";
import { handleComment, REPLY_MARKER, type CommandDeps, type CommentOutcome, type ReviewOutcome as CommandReview } from "../slash/handlers.js";
import { parseCommands } from "../slash/parse.js";
import { PLATFORM_NAME, type GitHubClient, type RepoRef } from "../github/client.js";
import { loadRawConfig } from "../github/config.js";
import { isTeamMember, permissionOf, reactToComment } from "../github/people.js";
import { getPull, type PullSnapshot } from "../github/pulls.js";
import { createComment } from "../github/sticky-comment.js";
import { describeError, type ReviewOutcome } from "../pipeline/run-review.js";
import type { PullRequestTarget } from "../pipeline/types.js";
import type { DecisionStore } from "../store/types.js";
import { branchesOf } from "./review-target.js";

type CommentContext = Context<"issue_comment.created">;
type CommentPayload = CommentContext["payload"];

/**
 * Whether a new comment may hold commands for us, from the payload alone (no request): a comment on a
 * pull request (not a plain issue) by someone who is not a bot. Our own replies are bot comments.
 */
export function isCommandCandidate(payload: CommentPayload): boolean {
  if (payload.action !== "created" || !payload.issue.pull_request) return false;
  const user = payload.comment.user;
  if (!user || isBot({ login: user.login, type: user.type })) return false;
  return typeof payload.comment.body === "string" && payload.comment.body.trim() !== "";
}

export interface CommentDeps {
  store: DecisionStore;
  now: () => Date;
  /** Reviews the PR at `target` with the store's current decisions, using this (already loaded) raw config. */
  review(target: PullRequestTarget, rawConfig: unknown): Promise<ReviewOutcome>;
}

/** The prefix a config that failed validation asked for, when it says (so its commands can still be answered). */
function rawPrefix(raw: unknown): string {
  if (typeof raw !== "object" || raw === null) return DEFAULT_COMMAND_PREFIX;
  const commands = (raw as { commands?: unknown }).commands;
  const prefix = typeof commands === "object" && commands !== null ? (commands as { prefix?: unknown }).prefix : undefined;
  return typeof prefix === "string" && prefix.trim() ? prefix : DEFAULT_COMMAND_PREFIX;
}

type LoadedConfig = { ok: true; raw: unknown; config: Config } | { ok: false; prefix: string; problem: string };

const CONFIG_FILE = code(CONFIG_PATH);

/** The repository config from the base repository's default branch, as the review pipeline loads it. */
async function loadCommandConfig(context: CommentContext): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    raw = await loadRawConfig(context);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, prefix: DEFAULT_COMMAND_PREFIX, problem: invalid(error) };
    return { ok: false, prefix: DEFAULT_COMMAND_PREFIX, problem: `${CONFIG_FILE} could not be read (${plainText(describeError(error, PLATFORM_NAME))}). Try again in a moment.` };
  }
  try {
    return { ok: true, raw, config: loadConfig(raw, ALL_RULES) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ok: false, prefix: rawPrefix(raw), problem: invalid(error) };
  }
}

function invalid(error: ConfigError): string {
  return `${CONFIG_FILE} on the default branch is invalid: ${plainText(error.problems.join("; "))}. Fix it, then try again.`;
}

/** The command-side adapters on the installation's Octokit. */
function githubCommandPorts(octokit: GitHubClient, repo: RepoRef, issueNumber: number, commentId: number): Pick<CommandDeps, "permissionOf" | "isTeamMember" | "reply" | "react"> {
  return {
    permissionOf: (login) => permissionOf(octokit, repo, login),
    isTeamMember: (login, teams) => isTeamMember(octokit, repo.owner, login, teams),
    reply: async (body) => void (await createComment(octokit, repo, issueNumber, body)),
    react: (content) => reactToComment(octokit, repo, commentId, content),
  };
}

function toCommandReview(outcome: ReviewOutcome, headSha: string): CommandReview {
  switch (outcome.kind) {
    case "reviewed":
      return { headSha, conclusion: outcome.result.conclusion, summary: { new: outcome.result.summary.new, suppressed: outcome.result.summary.suppressed } };
    case "invalid-config":
      throw new Error(`the repository configuration is invalid: ${outcome.problems.join("; ")}`);
    case "error":
      throw new Error(outcome.reason);
  }
}

/**
 * Slash-commands in a new PR comment: the config (commands.prefix, waiveRequires, overrideTeams,
 * allowSelfOverride) from the base repository's default branch, the PR's head at this moment, then
 * handleComment with GitHub-backed permission and team checks, reply, reaction and a re-evaluation that
 * updates the check run and the summary comment. Comments without commands cost one config read.
 * Returns null when the comment held no command.
 */
export async function onPullRequestComment(context: CommentContext, deps: CommentDeps): Promise<CommentOutcome | null> {
  const { payload } = context;
  const body = payload.comment.body;
  const repo = context.repo();
  const number = payload.issue.number;
  const user = payload.comment.user;
  if (!user) return null;
  const loaded = await loadCommandConfig(context);

  if (!loaded.ok) {
    // Without a valid config nothing can be decided, but a command still gets an answer.
    if (!parseCommands(body, loaded.prefix).length) return null;
    const text = `${REPLY_MARKER}\n@${user.login}\n\n⚠️ Nothing was done: ${loaded.problem}\n`;
    await createComment(context.octokit, repo, number, text);
    return { handled: true, results: [], reply: text, reaction: null, review: null };
  }

  const settings = loaded.config.commands;
  if (!parseCommands(body, settings.prefix).length) return null;

  const pull: PullSnapshot = await getPull(context.octokit, repo, number);
  const target: PullRequestTarget = { ...repo, number, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: pull.changedFiles, ...branchesOf(pull) };
  return handleComment(
    body,
    {
      repo: `${repo.owner}/${repo.repo}`,
      pr: number,
      headSha: pull.headSha,
      prAuthor: payload.issue.user?.login ?? null,
      actor: { login: user.login, type: user.type },
      commentId: payload.comment.id,
      settings,
    },
    {
      store: deps.store,
      now: deps.now,
      ...githubCommandPorts(context.octokit, repo, number, payload.comment.id),
      rerunReview: async () => toCommandReview(await deps.review(target, loaded.raw), pull.headSha),
    },
  );
}
