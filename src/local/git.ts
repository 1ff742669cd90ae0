import { spawn } from "node:child_process";
import type { FileChange } from "../core/review.js";
import { pullRequestCommits } from "./git-history.js";

export class GitError extends Error {
  override name = "GitError";
}

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

/** Reads many blobs in one `git cat-file --batch`; missing ones are absent from the map. */
export async function readBlobs(repo: string, specs: string[]): Promise<Map<string, Uint8Array>> {
  const result = new Map<string, Uint8Array>();
  if (specs.length === 0) return result;
  const out = await run(repo, ["cat-file", "--batch"], specs.map((s) => `${s}\n`).join(""));
  let pos = 0;
  for (const spec of specs) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = out.subarray(pos, nl).toString("utf8");
    pos = nl + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) continue;
    const size = Number(header.split(" ")[2]);
    result.set(spec, new Uint8Array(out.subarray(pos, pos + size)));
    pos += size + 1;
  }
  return result;
}

/**
 * What a pull request from `head` into `base` changes: `git diff base...head` (against the merge base, as GitHub
 * shows a PR), with renames. Only files that `wanted` accepts (on either side) are read.
 */
export async function diffRefs(repo: string, base: string, head: string, wanted: (path: string) => boolean): Promise<FileChange[]> {
  const { headSha, mergeBase } = await pullRequestCommits(repo, base, head);
  const raw = (await run(repo, ["diff", "--name-status", "-z", "-M", mergeBase, headSha])).toString("utf8");
  const parts = raw.split("\0").filter((p) => p !== "");
  const changes: FileChange[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++]!;
    if (code.startsWith("R")) {
      // -M reports renames as R<score> <from> <to>; copies (C) need -C, which is not asked for.
      const from = parts[i++]!;
      const to = parts[i++]!;
      if (wanted(from) || wanted(to)) changes.push({ path: to, previousPath: from, status: "renamed" });
    } else {
      const path = parts[i++]!;
      if (!wanted(path)) continue;
      const status = code === "A" ? "added" : code === "D" ? "removed" : "modified";
      changes.push({ path, status });
    }
  }
  const specs: string[] = [];
  for (const c of changes) {
    if (c.status !== "added") specs.push(`${mergeBase}:${c.previousPath ?? c.path}`);
    if (c.status !== "removed") specs.push(`${headSha}:${c.path}`);
  }
  const blobs = await readBlobs(repo, specs);
  for (const c of changes) {
    if (c.status !== "added") c.base = blobs.get(`${mergeBase}:${c.previousPath ?? c.path}`);
    if (c.status !== "removed") c.head = blobs.get(`${headSha}:${c.path}`);
  }
  return changes;
}

/** A file's content at a ref, or null when it does not exist there. */
export async function readAtRef(repo: string, ref: string, path: string): Promise<Uint8Array | null> {
  const sha = await resolveRef(repo, ref);
  return (await readBlobs(repo, [`${sha}:${path}`])).get(`${sha}:${path}`) ?? null;
}
