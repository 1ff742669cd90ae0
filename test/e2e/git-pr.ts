/**
 * Pull requests from real git repositories, for the end-to-end tests that compare the GitHub App with the CLI:
 * a branch's two commits loaded into the fake GitHub (every file, its tree and blobs, and the PR's file list with
 * statuses and renames as GitHub reports them — `git diff --find-renames base...head`), the App's published answer
 * (check run and summary comment) read back as findings, and the CLI's `review --format json` on the same refs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeCheckRun, FakeComment, FakeGitHub, FakeRepo, FileTree, PullSpec } from "../fakes/github/fake-github.js";

const BIN = fileURLToPath(new URL("../../bin/gitops-guard.js", import.meta.url));

function git(dir: string, ...args: string[]): Buffer {
  return execFileSync("git", ["-C", dir, ...args], { maxBuffer: 256 * 1024 * 1024 });
}

export function revParse(dir: string, ref: string): string {
  return git(dir, "rev-parse", `${ref}^{commit}`).toString("utf8").trim();
}

/** Every file of a commit (symbolic links as GitHub stores them: a blob holding the target). */
export function gitFiles(dir: string, sha: string): FileTree {
  const entries = git(dir, "ls-tree", "-r", "-z", sha).toString("utf8").split("\0").filter(Boolean);
  const files: FileTree = {};
  for (const e of entries) {
    const tab = e.indexOf("\t");
    const [, type, blob] = e.slice(0, tab).split(" ");
    if (type !== "blob") continue;
    files[e.slice(tab + 1)] = new Uint8Array(git(dir, "cat-file", "blob", blob!));
  }
  return files;
}

export type Listed = NonNullable<PullSpec["listed"]>;

/** The PR's files as GitHub lists them: the three-dot diff with rename detection, sorted by name. */
export function prFileList(dir: string, base: string, head: string): Listed {
  const out = git(dir, "diff", "--find-renames", "--name-status", "-z", `${base}...${head}`).toString("utf8").split("\0");
  const listed: Listed = [];
  for (let i = 0; i < out.length - 1; ) {
    const code = out[i++]!;
    if (code.startsWith("R")) {
      const from = out[i++]!;
      listed.push({ filename: out[i++]!, status: "renamed", previous_filename: from });
    } else {
      const path = out[i++]!;
      listed.push({ filename: path, status: code === "A" ? "added" : code === "D" ? "removed" : "modified" });
    }
  }
  return listed.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

export interface GitPr {
  dir: string;
  branch: string;
  /** The branch the PR targets: the newest `main*` branch the PR branch contains. */
  baseRef: string;
  baseSha: string;
  headSha: string;
}

/** The `pr-*` branches of a repository, each against the newest `main*` branch it contains. */
export function gitPrs(dir: string): GitPr[] {
  const branches = git(dir, "branch", "--format=%(refname:short)").toString("utf8").split("\n").filter(Boolean);
  const bases = branches.filter((b) => b === "main" || b.startsWith("main-"));
  const isAncestor = (a: string, b: string) => spawnSync("git", ["-C", dir, "merge-base", "--is-ancestor", a, b]).status === 0;
  const depth = (ref: string) => Number(git(dir, "rev-list", "--count", ref).toString("utf8").trim());
  return branches
    .filter((b) => b.startsWith("pr-"))
    .map((branch) => {
      const baseRef = bases.filter((m) => isAncestor(m, branch)).sort((a, b) => depth(b) - depth(a))[0] ?? "main";
      return { dir, branch, baseRef, baseSha: revParse(dir, baseRef), headSha: revParse(dir, branch) };
    });
}

/** Loads a PR's two commits into a fake repository as PR `number` (the default branch is `main`). */
export function loadPr(repo: FakeRepo, pr: GitPr, number: number): Listed {
  repo.commit(pr.baseSha, gitFiles(pr.dir, pr.baseSha), pr.baseRef);
  if (!repo.branches.has("main")) repo.commit(revParse(pr.dir, "main"), gitFiles(pr.dir, "main"), "main");
  repo.commit(pr.headSha, gitFiles(pr.dir, pr.headSha), pr.branch);
  const listed = prFileList(pr.dir, pr.baseSha, pr.headSha);
  repo.addPull({ number, base: { sha: pr.baseSha, ref: pr.baseRef }, head: { sha: pr.headSha, ref: pr.branch }, listed });
  return listed;
}

export interface CliFinding {
  ruleId: string;
  severity: string;
  status: "new" | "existing" | "fixed";
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
  message: string;
  renderedFrom?: string[];
  suppressed: unknown;
}

export interface CliReview {
  conclusion: string;
  findings: CliFinding[];
  notes?: string[];
}

/**
 * `gitops-guard review --repo DIR --base BASE --head HEAD --format json [--config FILE] [--repo-url URL]` with this
 * checkout's build. `repoUrl`: the repository the App reviews (the fake GitHub's), so that both know the same one.
 */
export function cliReview(pr: GitPr, config?: string, repoUrl?: string): CliReview {
  const args = ["review", "--repo", pr.dir, "--base", pr.baseRef, "--head", pr.branch, "--format", "json", ...(config ? ["--config", config] : []), ...(repoUrl ? ["--repo-url", repoUrl] : [])];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`gitops-guard review exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliReview;
}

/** A finding as a report shows it: its rule, place and status (fixed findings are shown without a line). */
export interface ShownFinding {
  status: "new" | "existing" | "fixed";
  ruleId: string;
  file: string;
  line: number | null;
  /** The Markdown line it was read from. */
  text: string;
}

const unescape = (s: string) => s.replace(/\\(.)/g, "$1");

/**
 * The findings a summary (the PR comment, or the check run's summary and text) lists, by section: blocking and other
 * new findings, existing ones (per file, with their line) and fixed ones (rule and file).
 */
export function shownFindings(markdown: string): ShownFinding[] {
  const out: ShownFinding[] = [];
  let section: "new" | "existing" | "fixed" | "other" = "other";
  let rule = "";
  let file = "";
  for (const line of markdown.split("\n")) {
    if (line.startsWith("#### ") || /^<details><summary>(?!<code>)/.test(line)) {
      section = /Blocking the merge|New findings below|Not blocking:/.test(line)
        ? "new"
        : /existing finding/.test(line)
          ? "existing"
          : /Fixed by this change/.test(line)
            ? "fixed"
            : "other";
      continue;
    }
    if (section === "other") continue;
    let g: RegExpExecArray | null;
    if ((g = /^<details><summary><code>(.*?)<\/code>/.exec(line))) file = g[1]!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    else if ((g = /^\*\*`+ ?(.*?) ?`+\*\*$/.exec(line))) file = g[1]!;
    else if ((g = /^- \S+ \*\*\w+\*\* `+ ?(.*?) ?`+/.exec(line))) rule = g[1]!;
    else if ((g = /^ {2}- \[?`+ ?(.*?):(\d+) ?`+/.exec(line))) out.push({ status: "new", ruleId: rule, file: g[1]!, line: Number(g[2]), text: line });
    else if ((g = /^- ✔️ `+ ?(.*?) ?`+ · `+ ?(.*?) ?`+ — /.exec(line))) out.push({ status: "fixed", ruleId: g[1]!, file: g[2]!, line: null, text: line });
    else if ((g = /^- \S+ `+ ?(.*?) ?`+ \[?L(\d+)\]?/.exec(line)) && section !== "fixed") out.push({ status: section, ruleId: g[1]!, file, line: Number(g[2]), text: line });
  }
  return out.map((f) => ({ ...f, file: unescape(f.file) }));
}

export interface AppAnswer {
  run: FakeCheckRun;
  comment: FakeComment | undefined;
  /** Requests the review made (installation tokens left out). */
  requests: number;
  /** Distinct files read through GraphQL. */
  filesRead: number;
  /** `METHOD /path status` of each request. */
  calls: string[];
}

/** What the fake GitHub holds after a review: the newest check run on the head and the summary comment. */
export function appAnswer(gh: FakeGitHub, repo: FakeRepo, number: number, headSha: string, since: number): AppAnswer {
  const run = repo.latestCheckRun(headSha);
  if (!run) throw new Error(`no check run on ${headSha}`);
  const comment = repo.comments(number).find((c) => c.body.includes("<!-- gitops-guard:summary -->"));
  const reqs = gh.apiRequests(since);
  const read = new Set<string>();
  for (const r of reqs) {
    if (!r.path.endsWith("/graphql")) continue;
    const text = JSON.stringify(r.body);
    for (const m of text.matchAll(/[0-9a-f]{40}:([^"\\]+)/g)) read.add(m[1]!);
  }
  return { run, comment, requests: reqs.length, filesRead: read.size, calls: reqs.map((r) => `${r.method} ${r.path} ${r.status}`) };
}

/** A scratch git repository for a parity test: `main` with a committer; files written, branches made from `main`. */
export interface ScratchRepo {
  dir: string;
  git(...args: string[]): void;
  write(files: Record<string, string>): void;
  /** A branch from `main` with one commit of what `change` does. */
  branch(name: string, change: () => void): void;
}

export function scratchRepo(prefix: string): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const run = (...args: string[]): void => {
    execFileSync("git", ["-C", dir, ...args], { stdio: "ignore" });
  };
  run("init", "-q", "-b", "main");
  run("config", "user.email", "parity@example.com");
  run("config", "user.name", "parity");
  return {
    dir,
    git: run,
    write(files) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    },
    branch(name, change) {
      run("checkout", "-q", "-b", name, "main");
      change();
      run("add", "-A");
      run("commit", "-q", "-m", name);
    },
  };
}
