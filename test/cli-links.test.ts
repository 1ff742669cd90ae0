import { describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, git } from "./helpers/cli.js";
import { PRIVILEGED_POD } from "./engine/fixtures.js";

/** A repository with a base commit on main and a privileged pod added on `feature`; returns the head SHA. */
function repository(): { dir: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), "gg-links-"));
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "README.md"), "x\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  git(dir, "checkout", "-qb", "feature");
  mkdirSync(join(dir, "apps"));
  writeFileSync(join(dir, "apps/pod.yaml"), PRIVILEGED_POD);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "head");
  return { dir, head: git(dir, "rev-parse", "HEAD").trim() };
}

describe("links in the CLI's markdown", () => {
  it("review of git refs links each finding to its line at the head commit with --repo-url, or in GitHub Actions", async () => {
    const { dir, head } = repository();
    const args = ["review", "--base", "main", "--head", "feature", "--repo", dir, "--format", "markdown"];
    const explicit = await cli([...args, "--repo-url", "https://github.example.com/acme/gitops/"], dir);
    expect(explicit.code).toBe(1);
    expect(explicit.stdout).toContain(`[\`apps/pod.yaml:11\`](https://github.example.com/acme/gitops/blob/${head}/apps/pod.yaml#L11)`);
    expect(explicit.stdout).toContain(`Reviewed [\`${head.slice(0, 7)}\`](https://github.example.com/acme/gitops/commit/${head})`);

    const actions = await cli(args, dir, { env: { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/gitops", GITHUB_SHA: "f".repeat(40) } });
    // The commit is the one reviewed (--head), not whatever GITHUB_SHA names.
    expect(actions.stdout).toContain(`(https://github.com/acme/gitops/blob/${head}/apps/pod.yaml#L11)`);
  });

  it("without a repository address, or for scan, findings show plain file:line", async () => {
    const { dir } = repository();
    const plain = await cli(["review", "--base", "main", "--head", "feature", "--repo", dir, "--format", "markdown"], dir);
    expect(plain.stdout).toContain("`apps/pod.yaml:11`");
    expect(plain.stdout).not.toContain("](http");
    const scan = await cli(["scan", "apps", "--format", "markdown"], dir, { env: { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/gitops", GITHUB_SHA: "f".repeat(40) } });
    expect(scan.stdout).not.toContain("](http");
  });

  it("a bad --repo-url, or one given to scan, is a usage error", async () => {
    const { dir } = repository();
    const bad = await cli(["review", "--base", "main", "--head", "feature", "--repo", dir, "--format", "markdown", "--repo-url", "javascript:alert(1)"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--repo-url must be the repository's web address");
    const scan = await cli(["scan", "apps", "--repo-url", "https://github.com/acme/gitops"], dir);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toContain("scan: Unknown option '--repo-url'");
  });
});
