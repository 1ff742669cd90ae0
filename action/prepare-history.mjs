#!/usr/bin/env node
/**
 * The first step of the gitops-guard GitHub Action: decide which two commits to compare and make sure the clone has
 * what `gitops-guard review` needs to compare them (both commits and their merge base).
 *
 * actions/checkout clones with `fetch-depth: 1` by default. On a `pull_request` event it checks out GitHub's test
 * merge commit (`refs/pull/N/merge`, `GITHUB_SHA`), whose first parent is the tip of the base branch and whose second
 * is the PR head — and at depth 1 neither parent is in the clone. So, by default:
 *   head = HEAD; base = the first parent of HEAD when HEAD is that merge commit (what the PR changes as it would be
 *   merged, and the commit code scanning attaches a PR's SARIF to), else the event's `pull_request.base.sha`.
 * In a shallow clone it fetches those commits with a growing `--depth` (2, 8, 32, 128, 512, 2048) until
 * `git merge-base` finds their merge base, then the whole history of both as a last resort. When that still fails, it
 * exits 1 with what to change. It writes `base=<sha>` and `head=<sha>` to `$GITHUB_OUTPUT`.
 *
 * Environment: INPUT_BASE, INPUT_HEAD (optional refs or SHAs), INPUT_REMOTE (default origin), GITHUB_EVENT_NAME,
 * GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_OUTPUT. Plain Node (no dependencies): it runs before anything is built.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";

const DEPTHS = [2, 8, 32, 128, 512, 2048];
const env = process.env;
const remote = env.INPUT_REMOTE || "origin";

class Failure extends Error {}

function git(args, { quiet = false } = {}) {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", quiet ? "ignore" : "inherit"] }).trim();
  } catch (error) {
    if (quiet) return null;
    throw new Failure(`git ${args.join(" ")} failed${error.status !== undefined ? ` (exit ${error.status})` : ""}`);
  }
}

const commitOf = (ref) => git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { quiet: true });
const isSha = (ref) => /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(ref);
const shallow = () => git(["rev-parse", "--is-shallow-repository"]) === "true";
const mergeBase = (a, b) => git(["merge-base", a, b], { quiet: true });

function log(message) {
  process.stdout.write(`gitops-guard: ${message}\n`);
}

function readEvent() {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  } catch {
    return {};
  }
}

/** A ref name that is not in the clone (`main`, `origin/main`) → the branch to fetch and the local ref to keep it under. */
function fetchSpecFor(ref) {
  const branch = ref.replace(new RegExp(`^(?:refs/remotes/)?${remote}/`), "").replace(/^refs\/heads\//, "");
  return [`+refs/heads/${branch}:refs/remotes/${remote}/${branch}`, `refs/remotes/${remote}/${branch}`];
}

/** The commit a ref names, fetched (at `depth`, in a shallow clone) when the clone does not have it yet. */
function ensureCommit(ref, side, depth) {
  const have = commitOf(ref);
  if (have) return have;
  const depthArgs = shallow() ? [`--depth=${depth}`] : [];
  if (isSha(ref)) {
    log(`fetching ${side} ${ref}`);
    git(["fetch", "--no-tags", ...depthArgs, remote, ref]);
    return commitOf(ref) ?? fail(`${side} ${ref} could not be fetched from ${remote}`);
  }
  const [spec, local] = fetchSpecFor(ref);
  log(`fetching ${side} ${ref} (${spec})`);
  if (git(["fetch", "--no-tags", ...depthArgs, remote, spec], { quiet: true }) === null) fail(`${side} ${ref} is neither a commit in this clone nor a branch of ${remote}`);
  return commitOf(local) ?? fail(`${side} ${ref} could not be fetched from ${remote}`);
}

function fail(message) {
  throw new Failure(message);
}

/** base and head as the inputs or the event say (see the header). */
function chooseRefs(event) {
  const headRef = env.INPUT_HEAD || "HEAD";
  if (env.INPUT_BASE) return { base: env.INPUT_BASE, head: headRef };
  const pr = event.pull_request;
  if (!pr) {
    fail(`on a "${env.GITHUB_EVENT_NAME || "unknown"}" event there is no pull request to take the base from: set the action's \`base\` input (e.g. \`base: \${{ github.event.before }}\` on push)`);
  }
  const headSha = commitOf(headRef);
  if (!headSha) fail(`head ${headRef} is not a commit in this clone: check out the repository first (actions/checkout)`);
  const parents = git(["cat-file", "-p", headSha])
    .split("\n")
    .filter((l) => l.startsWith("parent "))
    .map((l) => l.slice(7));
  // The commit object names its parents even when a shallow clone does not have them.
  if (parents.length === 2 && (!env.GITHUB_SHA || env.GITHUB_SHA === headSha) && (!pr.head?.sha || parents[1] === pr.head.sha)) {
    log(`head ${headSha} is the pull request's merge commit: base is its first parent ${parents[0]}`);
    return { base: parents[0], head: headSha };
  }
  if (!pr.base?.sha) fail("the pull_request event has no base.sha: set the action's `base` input");
  return { base: pr.base.sha, head: headRef };
}

function prepare() {
  const event = readEvent();
  const { base, head } = chooseRefs(event);
  let headSha = ensureCommit(head, "head", DEPTHS[0]);
  let baseSha = ensureCommit(base, "base", DEPTHS[0]);
  if (mergeBase(baseSha, headSha)) return { baseSha, headSha };
  if (!shallow()) fail(`base ${base} and head ${head} have no common history: there is no pull-request diff to review`);
  for (const depth of DEPTHS) {
    log(`no merge base of ${baseSha} and ${headSha} in this shallow clone yet: fetching ${depth} commits of each`);
    git(["fetch", "--no-tags", `--depth=${depth}`, remote, baseSha, headSha]);
    if (mergeBase(baseSha, headSha)) return { baseSha, headSha };
  }
  log("still no merge base: fetching the whole history of both");
  git(["fetch", "--no-tags", "--unshallow", remote, baseSha, headSha]);
  headSha = commitOf(headSha);
  baseSha = commitOf(baseSha);
  if (baseSha && headSha && mergeBase(baseSha, headSha)) return { baseSha, headSha };
  return fail(`base ${base} and head ${head} have no common history, even with the whole history fetched`);
}

try {
  const { baseSha, headSha } = prepare();
  log(`reviewing ${baseSha}...${headSha} (merge base ${mergeBase(baseSha, headSha)})`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `base=${baseSha}\nhead=${headSha}\n`);
  else process.stdout.write(`base=${baseSha}\nhead=${headSha}\n`);
} catch (error) {
  if (!(error instanceof Failure)) throw error;
  process.stdout.write(
    `::error title=gitops-guard cannot compare the pull request::${error.message}. ` +
      "Give actions/checkout `fetch-depth: 0`, or set the action's `base`/`head` inputs to commits the repository has.\n",
  );
  process.exitCode = 1;
}
