import { spawn } from "node:child_process";
import type { Branches } from "../core/repository.js";
import type { FileChange, FileContent } from "../core/review.js";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import { CatFileBatchReader } from "./cat-file-batch.js";
import { pullRequestCommits } from "./git-history.js";
import { pathText } from "./raw-paths.js";

export class GitError extends Error {
  override name = "GitError";
}

/**
 * Runs git and collects its output. `input` (object ids, one a line) goes to stdin. Paths never go into a line
 * protocol: git's own output is read with `-z` (NUL-separated), and what is sent back is object ids only.
 */
function run(repo: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, ...args], { stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (d: Buffer) => out.push(d));
    child.stderr!.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new GitError(`could not run git: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(`git ${args[0]} failed: ${Buffer.concat(err).toString("utf8").trim() || `exit ${code}`}`));
    });
    if (input !== undefined && child.stdin) {
      // git may exit before reading everything (e.g. a bad ref): the exit code reports that, not EPIPE.
      child.stdin.on("error", () => undefined);
      child.stdin.end(input);
    }
  });
}

export async function resolveRef(repo: string, ref: string): Promise<string> {
  return (await run(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => {
    throw new GitError(`"${ref}" is not a commit in ${repo}`);
  })).toString("utf8").trim();
}

/**
 * The branches of a review in a checkout (see `RepositoryView.branches`): the branch `base` names (`develop`,
 * `origin/develop`, `refs/heads/develop`), and the default branch `origin/HEAD` names; each left out when unknown (a
 * commit id, no `origin/HEAD`).
 */
export async function reviewBranches(repo: string, base: string): Promise<Branches> {
  const ask = async (args: string[]): Promise<string> => (await run(repo, args).catch(() => Buffer.alloc(0))).toString("utf8").trim();
  const branchOf = (ref: string): string | undefined => /^refs\/(?:heads\/|remotes\/[^/]+\/)(.+)$/.exec(ref)?.[1];
  const [named, origin] = await Promise.all([ask(["rev-parse", "--symbolic-full-name", base]), ask(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])]);
  const baseBranch = branchOf(named);
  const defaultBranch = branchOf(origin);
  return { ...(baseBranch !== undefined && baseBranch !== "HEAD" ? { base: baseBranch } : {}), ...(defaultBranch !== undefined ? { default: defaultBranch } : {}) };
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO_ID = /^0+$/;

function checkId(id: string): string {
  if (!OBJECT_ID.test(id)) throw new GitError(`git printed an unexpected object id: ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

/** Object sizes from `git cat-file --batch-check` (ids in, `<id> <type> <size>` out); missing ids are absent. */
async function objectSizes(repo: string, ids: readonly string[]): Promise<Map<string, { type: string; size: number }>> {
  const out = new Map<string, { type: string; size: number }>();
  if (ids.length === 0) return out;
  const lines = (await run(repo, ["cat-file", "--batch-check"], ids.map((id) => `${checkId(id)}\n`).join(""))).toString("utf8").split("\n");
  for (const line of lines) {
    const [id, type, size] = line.split(" ");
    if (id && type && size !== undefined && type !== "missing") out.set(id, { type, size: Number(size) });
  }
  return out;
}

/** Blob contents from one `git cat-file --batch` (ids in), parsed as the output streams. */
function readObjects(repo: string, ids: readonly string[]): Promise<Map<string, Uint8Array>> {
  return new Promise((resolve, reject) => {
    if (ids.length === 0) return resolve(new Map());
    const reader = new CatFileBatchReader();
    const child = spawn("git", ["-C", repo, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "pipe"] });
    const err: Buffer[] = [];
    let failure: Error | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      if (failure) return;
      try {
        reader.push(chunk);
      } catch (e) {
        failure = new GitError(e instanceof Error ? e.message : String(e));
        child.kill();
      }
    });
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new GitError(`could not run git: ${e.message}`)));
    child.on("close", (code) => {
      if (!failure && code === 0) {
        try {
          reader.end();
        } catch (e) {
          failure = new GitError(e instanceof Error ? e.message : String(e));
        }
      }
      if (failure) reject(failure);
      else if (code === 0) resolve(reader.objects);
      else reject(new GitError(`git cat-file failed: ${Buffer.concat(err).toString("utf8").trim() || `exit ${code}`}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(ids.map((id) => `${checkId(id)}\n`).join(""));
  });
}

/**
 * Reads blobs by object id, never more than `maxBytes` of any: sizes first (`--batch-check`), then only the blobs
 * within the cap (`--batch`). An oversized blob becomes a `too-large` stand-in that the parser reports; an id
 * that is not a blob (a submodule's commit) or is missing is absent from the map.
 */
export async function readBlobs(repo: string, ids: readonly string[], maxBytes: number = DEFAULT_LIMITS.maxFileBytes): Promise<Map<string, FileContent>> {
  const unique = [...new Set(ids)];
  const sizes = await objectSizes(repo, unique);
  const result = new Map<string, FileContent>();
  const wanted: string[] = [];
  for (const id of unique) {
    const info = sizes.get(id);
    if (!info || info.type !== "blob") continue;
    if (info.size > maxBytes) result.set(id, { unread: "too-large", byteSize: info.size, limit: maxBytes });
    else wanted.push(id);
  }
  for (const [id, bytes] of await readObjects(repo, wanted)) result.set(id, bytes);
  return result;
}

interface RawEntry {
  status: string;
  oldMode: string;
  newMode: string;
  oldId: string;
  newId: string;
  from: string;
  to: string;
}

/** Parses `git diff-tree -r -z --raw --no-abbrev` output: `:<modes> <ids> <status>\0<path>\0[<path>\0]`. */
function parseRawDiff(out: Buffer): RawEntry[] {
  const entries: RawEntry[] = [];
  let pos = 0;
  const field = (): Buffer => {
    const end = out.indexOf(0, pos);
    if (end < 0) throw new GitError("git diff-tree printed a truncated record");
    const value = out.subarray(pos, end);
    pos = end + 1;
    return value;
  };
  while (pos < out.length) {
    const header = field().toString("utf8");
    const [oldMode, newMode, oldId, newId, status] = header.replace(/^:/, "").split(" ");
    if (!oldMode || !newMode || !oldId || !newId || !status) throw new GitError(`git diff-tree printed an unexpected record: ${JSON.stringify(header.slice(0, 80))}`);
    const from = pathText(field());
    // Renames (R<score>) and copies (C<score>) name two paths; the rest one.
    const to = status.startsWith("R") || status.startsWith("C") ? pathText(field()) : from;
    entries.push({ status, oldMode, newMode, oldId, newId, from, to });
  }
  return entries;
}

/** A submodule (a commit, not a file of this repository). */
const GITLINK = "160000";

/**
 * What a pull request from `head` into `base` changes: `git diff base...head` (against the merge base, as GitHub
 * shows a PR), with renames. Only files that `wanted` accepts (on either side) are read, by object id.
 */
export async function diffRefs(repo: string, base: string, head: string, wanted: (path: string) => boolean): Promise<FileChange[]> {
  // The commits a pull request compares: no merge base (a shallow clone) is an error that says what to fetch.
  const { headSha, mergeBase } = await pullRequestCommits(repo, base, head);
  const raw = await run(repo, ["diff-tree", "-r", "-z", "--raw", "--no-abbrev", "-M", checkId(mergeBase), checkId(headSha)]);
  const changes: Array<FileChange & { baseId?: string; headId?: string }> = [];
  for (const e of parseRawDiff(raw)) {
    const code = e.status[0];
    const baseId = code !== "A" && e.oldMode !== GITLINK && !ZERO_ID.test(e.oldId) ? checkId(e.oldId) : undefined;
    const headId = code !== "D" && e.newMode !== GITLINK && !ZERO_ID.test(e.newId) ? checkId(e.newId) : undefined;
    if (code === "R") {
      if (wanted(e.from) || wanted(e.to)) changes.push({ path: e.to, previousPath: e.from, status: "renamed", baseId, headId });
    } else if (wanted(e.to)) {
      const status = code === "A" ? "added" : code === "D" ? "removed" : "modified";
      changes.push({ path: e.to, status, baseId, headId });
    }
  }
  const blobs = await readBlobs(repo, changes.flatMap((c) => [c.baseId, c.headId].filter((id): id is string => id !== undefined)));
  return changes.map(({ baseId, headId, ...c }) => ({
    ...c,
    ...(baseId !== undefined && blobs.has(baseId) ? { base: blobs.get(baseId) } : {}),
    ...(headId !== undefined && blobs.has(headId) ? { head: blobs.get(headId) } : {}),
  }));
}

/**
 * A file's content at a ref, or null when it does not exist there. The path is looked up with `ls-tree -z`
 * (literal pathspec, the exact entry only); the blob is read by id, within `maxBytes` (over it: a GitError).
 */
export async function readAtRef(repo: string, ref: string, path: string, maxBytes: number = DEFAULT_LIMITS.maxFileBytes): Promise<Uint8Array | null> {
  const sha = await resolveRef(repo, ref);
  const listing = await run(repo, ["--literal-pathspecs", "ls-tree", "-z", "--full-tree", checkId(sha), "--", path]);
  let id: string | null = null;
  for (const record of listing.toString("utf8").split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0 || record.slice(tab + 1) !== path) continue;
    const [, type, objectId] = record.slice(0, tab).split(" ");
    if (type === "blob" && objectId) id = checkId(objectId);
  }
  if (id === null) return null;
  const content = (await readBlobs(repo, [id], maxBytes)).get(id);
  if (content === undefined) return null;
  if (!(content instanceof Uint8Array)) throw new GitError(`${ref}:${path} is over the ${maxBytes}-byte limit; it was not read`);
  return content;
}
