/** Shared pieces of the security regression tests: the CLI in process, temporary trees and git repositories. */
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cli, type Run } from "../helpers/cli.js";

export type CliRun = Run;

/** The line every CLI run prints on stderr to name its config (gitops-guard: config … / gitops-guard: defaults …). */
const CONFIG_LINE = /^gitops-guard: (config|defaults) .*\n/;

/**
 * Runs `gitops-guard <args>` in process (the same entry point as the bin), with an empty environment. `stderr` is
 * what the run printed besides the one line naming its config: these tests expect nothing else there.
 */
export async function runCli(args: string[], cwd: string): Promise<CliRun> {
  const run = await cli(args, cwd);
  return { ...run, stderr: run.stderr.replace(CONFIG_LINE, "") };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gg-sec-${prefix}-`));
}

/** A directory holding `files` (path → content). */
export function writeTree(files: Record<string, string>, root = tempDir("tree")): string {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

const GIT_ENV = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t", GIT_CONFIG_NOSYSTEM: "1", HOME: tmpdir() };

/** Runs git in `cwd`; `input` goes to its stdin. */
export function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", input, env: { ...process.env, ...GIT_ENV }, maxBuffer: 64 * 1024 * 1024 });
}

/** A new repository with one commit on `main` holding `files`. */
export function gitRepo(files: Record<string, string>): string {
  const repo = writeTree(files, tempDir("git"));
  git(repo, ["init", "-q", "-b", "main"]);
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "base"]);
  return repo;
}

/** A privileged pod named `name`: `k8s/privileged-container` reports it, with `name` in the finding's resource. */
export function privilegedPod(name: string): string {
  return [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  hostPID: true",
    "  containers:",
    "    - name: app",
    "      image: registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "      securityContext:",
    "        privileged: true",
    "",
  ].join("\n");
}

/** A harmless ConfigMap named `name`. */
export function configMap(name: string): string {
  return ["apiVersion: v1", "kind: ConfigMap", "metadata:", `  name: ${name}`, "data:", "  greeting: hello", ""].join("\n");
}

export interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
  status: string;
  resource: { kind: string | null; name: string | null };
}

export function findingsOf(run: CliRun): JsonFinding[] {
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

/** A file of `size` bytes that takes no disk space (a hole): reading it would still cost `size` bytes of memory. */
export function sparseFile(path: string, size: number): void {
  const fd = openSync(path, "w");
  ftruncateSync(fd, size);
  closeSync(fd);
}
