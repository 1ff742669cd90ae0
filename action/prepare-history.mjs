#!/usr/bin/env node
/**
 * The first step of the gitops-guard GitHub Action: decide which two commits to compare and make sure the clone has
 * what `gitops-guard review` needs to compare them (both commits and their merge base).
 *
 * actions/checkout clones with `fetch-depth: 1` by default. On a `pull_request` event it checks out GitHub's test
 * merge commit (`refs/pull/N/merge`, `GITHUB_SHA`), whose first parent is the tip of the base branch and whose second
 * is the PR head — and at depth 1 neither parent is in the clone. So, by default, on an event with a pull request:
 *   - HEAD is that merge commit: head = HEAD, base = its first parent (what the PR changes as it would be merged, and
 *     the commit code scanning attaches a PR's SARIF to);
 *   - HEAD is the PR head (`ref: ${{ github.event.pull_request.head.sha }}`): head = HEAD, base = the event's
 *     `pull_request.base.sha`;
 *   - HEAD is anything else — on `pull_request_target` actions/checkout checks out the base branch — head = the
 *     event's `pull_request.head.sha` (fetched as data: it is read, never checked out or run), base =
 *     `pull_request.base.sha`. Reviewing HEAD there would compare the base with itself and pass every PR.
 * On `push`: base = the event's `before`, head = HEAD (a push that created the branch has no `before`: set `base`).
 * On `merge_group` (a merge queue): base = the group's `base_sha`, head = HEAD (the group's merge commit).
 * In a shallow clone it fetches those commits with a growing `--depth` (2, 8, 32, 128, 512, 2048) until
 * `git merge-base` finds their merge base, then the whole history of both as a last resort. When that still fails, it
 * exits 2 (gitops-guard's usage error) with what to change. It writes `base=<sha>` and `head=<sha>` to `$GITHUB_OUTPUT`.
 *
 * Environment: INPUT_BASE, INPUT_HEAD (optional refs or SHAs), INPUT_REMOTE (default origin), GITHUB_EVENT_NAME,
 * GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_OUTPUT. Plain Node (no dependencies): it runs before anything is built.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";

const DEPTHS = [2, 8, 32, 128, 512, 2048];
const env = process.env;
const remote = env.INPUT_REMOTE || "origin";

/** A review that cannot be prepared; `history` when fetching more history (or other inputs) would help. */
class Failure extends Error {
  constructor(message, { history = false } = {}) {
    super(message);
    this.history = history;
  }
}

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

/**
 * The commit a ref names, fetched (at `depth`, in a shallow clone) when the clone does not have it yet; a SHA the
 * remote will not serve by itself is fetched through `fallback` (a PR's `refs/pull/N/head`) when one is given.
 */
function ensureCommit(ref, side, depth, fallback) {
  const have = commitOf(ref);
  if (have) return have;
  const depthArgs = shallow() ? [`--depth=${depth}`] : [];
  if (isSha(ref)) {
    log(`fetching ${side} ${ref}`);
    if (git(["fetch", "--no-tags", ...depthArgs, remote, ref], { quiet: true }) === null && fallback) {
      log(`fetching ${side} ${ref} through ${fallback}`);
      git(["fetch", "--no-tags", ...depthArgs, remote, `+${fallback}:${fallback.replace(/^refs\//, `refs/remotes/${remote}/`)}`], { quiet: true });
    }
    return commitOf(ref) ?? fail(`${side} ${ref} could not be fetched from ${remote}`, { history: true });
  }
  const [spec, local] = fetchSpecFor(ref);
  log(`fetching ${side} ${ref} (${spec})`);
  if (git(["fetch", "--no-tags", ...depthArgs, remote, spec], { quiet: true }) === null) fail(`${side} ${ref} is neither a commit in this clone nor a branch of ${remote}: set the action's \`${side}\` input to a commit SHA or a branch name`);
  return commitOf(local) ?? fail(`${side} ${ref} could not be fetched from ${remote}`, { history: true });
}

function fail(message, options) {
  throw new Failure(message, options);
}

const NO_COMMIT = /^0+$/;

/** base and head as the inputs or the event say (see the header); `fallback` is where the head commit can be fetched from. */
function chooseRefs(event) {
  const headRef = env.INPUT_HEAD || "HEAD";
  if (env.INPUT_BASE) return { base: env.INPUT_BASE, head: headRef };
  const pr = event.pull_request;
  const eventName = env.GITHUB_EVENT_NAME || "unknown";
  if (!pr) {
    if (eventName === "push" && typeof event.before === "string") {
      if (NO_COMMIT.test(event.before)) {
        const what = typeof event.ref === "string" && event.ref.startsWith("refs/tags/") ? "tag" : "branch";
        fail(`this push created the ${what}, so it has no earlier commit to compare with: set the action's \`base\` input to the branch it was made from (e.g. \`base: \${{ github.event.repository.default_branch }}\`)`);
      }
      log(`push event: base is the commit before the push, ${event.before}`);
      return { base: event.before, head: headRef };
    }
    if (typeof event.merge_group?.base_sha === "string") {
      log(`merge_group event: base is the merge group's base ${event.merge_group.base_sha}`);
      return { base: event.merge_group.base_sha, head: headRef };
    }
    fail(`on a "${eventName}" event there is no pull request to take the base from: set the action's \`base\` input (e.g. \`base: \${{ github.event.before }}\` on push)`);
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
  if (!pr.base?.sha) fail("the event's pull_request has no base.sha: set the action's `base` input");
  if (env.INPUT_HEAD || !pr.head?.sha || pr.head.sha === headSha) return { base: pr.base.sha, head: headRef };
  // HEAD is neither the merge commit nor the PR head: on pull_request_target it is the base branch. The PR is its head.
  log(`HEAD ${headSha} is not the pull request's (a ${eventName} event checks out ${eventName === "pull_request_target" ? "the base branch" : "what the workflow asked for"}): head is the pull request's head ${pr.head.sha}, read from git, not checked out`);
  const pullHead = pr.number ? `refs/pull/${pr.number}/head` : undefined;
  return { base: pr.base.sha, head: pr.head.sha, fallback: pullHead, sarifRef: pullHead };
}

function prepare() {
  const event = readEvent();
  const { base, head, fallback, sarifRef } = chooseRefs(event);
  let headSha = ensureCommit(head, "head", DEPTHS[0], fallback);
  let baseSha = ensureCommit(base, "base", DEPTHS[0]);
  if (mergeBase(baseSha, headSha)) return { baseSha, headSha, sarifRef };
  if (!shallow()) fail(`base ${base} and head ${head} have no common history: there is no pull-request diff to review`, { history: false });
  for (const depth of DEPTHS) {
    log(`no merge base of ${baseSha} and ${headSha} in this shallow clone yet: fetching ${depth} commits of each`);
    git(["fetch", "--no-tags", `--depth=${depth}`, remote, baseSha, headSha]);
    if (mergeBase(baseSha, headSha)) return { baseSha, headSha, sarifRef };
  }
  log("still no merge base: fetching the whole history of both");
  git(["fetch", "--no-tags", "--unshallow", remote, baseSha, headSha]);
  headSha = commitOf(headSha);
  baseSha = commitOf(baseSha);
  if (baseSha && headSha && mergeBase(baseSha, headSha)) return { baseSha, headSha, sarifRef };
  return fail(`base ${base} and head ${head} have no common history, even with the whole history fetched`, { history: false });
}

try {
  const { baseSha, headSha, sarifRef } = prepare();
  log(`reviewing ${baseSha}...${headSha} (merge base ${mergeBase(baseSha, headSha)})`);
  // Code scanning files SARIF under GITHUB_REF and GITHUB_SHA, the base branch on pull_request_target: the PR's
  // findings would become alerts of the base branch. When the head is the PR's, not the checkout, they name the PR.
  const outputs = `base=${baseSha}\nhead=${headSha}\n${sarifRef ? `sarif-ref=${sarifRef}\nsarif-sha=${headSha}\n` : ""}`;
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, outputs);
  else process.stdout.write(outputs);
} catch (error) {
  if (!(error instanceof Failure)) throw error;
  const hint = error.history ? " Give actions/checkout `fetch-depth: 0`, or set the action's `base`/`head` inputs to commits the repository has." : "";
  process.stdout.write(`::error title=gitops-guard cannot compare the pull request::${error.message}.${hint}\n`);
  // 2, as gitops-guard itself exits on a usage error: the job fails without a review, never with a wrong one.
  process.exitCode = 2;
}
