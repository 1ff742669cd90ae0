/**
 * `review` in git mode on a pull request that moves a base and leaves a symbolic link at its old path, or points an
 * overlay into a submodule: Kustomize and Argo CD follow both, so the build is not reported broken (held-out round 15:
 * three false blocking findings). Deleting the base without a link still is.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../src/cli/main.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });

async function brokenBuilds(repo: string): Promise<string[]> {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d) => (out += String(d)));
  await main(["review", "--repo", repo, "--base", "main", "--head", "pr", "--format", "json"], { stdout, stderr: new PassThrough(), cwd: repo, env: {} });
  const report = JSON.parse(out) as { findings: Array<{ ruleId: string; file: string; line: number }> };
  return report.findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => `${f.file}:${f.line}`);
}

function repository(): string {
  const repo = mkdtempSync(join(tmpdir(), "gg-links-"));
  const files: Record<string, string> = {
    "base/kustomization.yaml": lines("resources:", "  - cm.yaml"),
    "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
    "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "namespace: prod"),
  };
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, p)), { recursive: true });
    writeFileSync(join(repo, p), content);
  }
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  git(repo, "checkout", "-qb", "pr");
  return repo;
}

describe("a build that reads through a symbolic link or a submodule", () => {
  it("a base moved with a symbolic link left at its old path is not a broken build; without the link it is", async () => {
    const linked = repository();
    mkdirSync(join(linked, "bases"));
    renameSync(join(linked, "base"), join(linked, "bases/web"));
    symlinkSync("bases/web", join(linked, "base"));
    git(linked, "add", "-A");
    git(linked, "commit", "-qm", "move the base, link its old path");
    expect(await brokenBuilds(linked)).toEqual([]);

    const unlinked = repository();
    mkdirSync(join(unlinked, "bases"));
    renameSync(join(unlinked, "base"), join(unlinked, "bases/web"));
    git(unlinked, "add", "-A");
    git(unlinked, "commit", "-qm", "move the base");
    expect(await brokenBuilds(unlinked)).toEqual(["overlays/prod/kustomization.yaml:2"]);
  });

  it("an overlay that adds an openapi schema written as JSON, committed with it, is not a broken build (the review reads the schema)", async () => {
    const repo = repository();
    writeFileSync(join(repo, "overlays/prod/schema.json"), JSON.stringify({ definitions: {} }));
    writeFileSync(join(repo, "overlays/prod/kustomization.yaml"), lines("resources:", "  - ../../base", "namespace: prod", "openapi:", "  path: schema.json"));
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "a schema for the overlay");
    expect(await brokenBuilds(repo)).toEqual([]);
  });

  it("an overlay that reads a directory of a submodule (a gitlink) is not a broken build", async () => {
    const repo = repository();
    writeFileSync(join(repo, "overlays/prod/kustomization.yaml"), lines("resources:", "  - ../../base", "  - ../../vendor/shared/monitoring", "namespace: prod"));
    git(repo, "update-index", "--add", "--cacheinfo", `160000,${git(repo, "rev-parse", "HEAD").trim()},vendor/shared`);
    git(repo, "add", "overlays");
    git(repo, "commit", "-qm", "read the vendored monitoring");
    expect(await brokenBuilds(repo)).toEqual([]);
  });
});
