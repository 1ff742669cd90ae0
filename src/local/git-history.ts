/**
 * The commits a local `review` compares, and the history it needs for that: the base and head commits and their merge
 * base, as GitHub computes a pull request's diff. A shallow clone (CI checkouts are depth 1 by default) often lacks
 * the base or the merge base; falling back to the base commit would make every change the base branch gained since the
 * fork look like part of the PR and report false `fixed`/`existing` findings. So a missing piece is an error that says
 * which side is missing and what to fetch; the answer is never a silent wrong one.
 */
import { execFile } from "node:child_process";
import { GitError } from "./git.js";

export interface PullRequestCommits {
  baseSha: string;
  headSha: string;
  /** The best common ancestor of base and head: what the head side is compared with. */
  mergeBase: string;
}

export type Side = "--base" | "--head";

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git; a non-zero exit is a result, not an exception (the caller says what it means). */
function git(repo: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(new GitError(`could not run git: ${error.message}`));
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The advice for a clone that lacks history, in the words of the two places people make clones in CI. */
export const FETCH_ADVICE =
  "fetch more history: in GitHub Actions, set `fetch-depth: 0` on actions/checkout (or use the gitops-guard action, which fetches what it needs); elsewhere, `git fetch --deepen=N` (or `git fetch --unshallow`)";

export async function isShallow(repo: string): Promise<boolean> {
  const r = await git(repo, ["rev-parse", "--is-shallow-repository"]);
  if (r.code !== 0) throw new GitError(`${repo} is not a git repository (${r.stderr.trim().split("\n")[0] || `git exit ${r.code}`})`);
  return r.stdout.trim() === "true";
}

/** `origin/main` → `git fetch origin main` (when `origin` is a remote of the clone); anything else → `git fetch origin <ref>`. */
function fetchCommand(remotes: readonly string[], ref: string): string {
  const slash = ref.replace(/^refs\/remotes\//, "").indexOf("/");
  const short = ref.replace(/^refs\/remotes\//, "");
  if (slash > 0 && remotes.includes(short.slice(0, slash))) return `git fetch ${short.slice(0, slash)} ${short.slice(slash + 1)}`;
  return `git fetch ${defaultRemote(remotes)} ${ref}`;
}

function defaultRemote(remotes: readonly string[]): string {
  return remotes.includes("origin") || remotes.length === 0 ? "origin" : remotes[0]!;
}

/** `HEAD^`, `main~3`, `HEAD^2`: a commit counted back from another, which only more history can bring. */
const ANCESTRY = /[~^]\d*$/;
/** A plain branch name (`main`, `release/1.2`): not a SHA, not an ancestry expression, not a full ref. */
const BRANCH_NAME = /^(?!refs\/)(?![0-9a-f]{7,40}$)[\w.][\w./-]*$/;

/** What to do about a `--base`/`--head` ref that names no commit in the clone. */
async function missingRefHint(repo: string, ref: string): Promise<string> {
  const remotes = (await git(repo, ["remote"])).stdout.split("\n").filter(Boolean);
  const shallow = await isShallow(repo);
  if (ANCESTRY.test(ref) && shallow) {
    return `; this clone is shallow, so the commits before its tip are not in it: \`git fetch --deepen=N\` (in GitHub Actions, \`fetch-depth: 0\` on actions/checkout, or \`fetch-depth: 2\` for \`HEAD^\`)`;
  }
  if (BRANCH_NAME.test(ref) && !remotes.includes(ref.split("/")[0]!)) {
    // `--base main` where only the remote-tracking branch exists (CI clones create no local branches but the one
    // checked out): `git fetch origin main` would not create `main` either, so name the ref that works.
    const remote = defaultRemote(remotes);
    const tracking = await git(repo, ["rev-parse", "--verify", "--quiet", `refs/remotes/${remote}/${ref}^{commit}`]);
    if (tracking.code === 0) return `; it is not a local branch here, but \`${remote}/${ref}\` is: use \`${remote}/${ref}\``;
    if (remotes.length > 0) {
      return fetchHint(shallow, `git fetch ${remote} +refs/heads/${ref}:refs/remotes/${remote}/${ref}`, `${remote}/${ref}`);
    }
  }
  return fetchHint(shallow, fetchCommand(remotes, ref));
}

/** The fetch that brings a missing ref (and the name to use after it): in a shallow clone, or to check the name. */
function fetchHint(shallow: boolean, fetch: string, use?: string): string {
  return shallow
    ? `; this clone is shallow and may not have fetched it: \`${fetch}\`${use ? `, then use \`${use}\`` : ""} (in GitHub Actions, \`fetch-depth: 0\` on actions/checkout)`
    : `; check the name (\`git branch -a\` lists what this clone has), or \`${fetch}\`${use ? ` and use \`${use}\`` : ""}`;
}

/** The commit a `--base`/`--head` argument names; an error naming the side, the ref and what to fetch when it is not there. */
export async function resolveSide(repo: string, side: Side, ref: string): Promise<string> {
  const r = await git(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (r.code === 0) return r.stdout.trim();
  return Promise.reject(new GitError(`${side} ${ref} is not a commit in ${repo}${await missingRefHint(repo, ref)}`));
}

/**
 * The base, head and merge-base commits of `base...head`. No merge base: in a shallow clone, an error saying what to
 * fetch (exit 2); in a complete one, the histories are unrelated and there is no pull-request diff to review.
 */
export async function pullRequestCommits(repo: string, base: string, head: string): Promise<PullRequestCommits> {
  const baseSha = await resolveSide(repo, "--base", base);
  const headSha = await resolveSide(repo, "--head", head);
  const r = await git(repo, ["merge-base", baseSha, headSha]);
  const mergeBase = r.code === 0 ? r.stdout.trim() : "";
  if (mergeBase) return { baseSha, headSha, mergeBase };
  if (r.code !== 1) throw new GitError(`git merge-base failed: ${r.stderr.trim().split("\n")[0] || `exit ${r.code}`}`);
  if (await isShallow(repo)) {
    throw new GitError(
      `--base ${base} and --head ${head} have no common commit in this shallow clone of ${repo}, so the changes of the pull request cannot be told from ` +
        `the base branch's own: ${FETCH_ADVICE}, until \`git merge-base ${base} ${head}\` finds their merge base`,
    );
  }
  throw new GitError(`--base ${base} and --head ${head} have no common history (unrelated histories in ${repo}): there is no pull-request diff to review; compare two directories instead`);
}
