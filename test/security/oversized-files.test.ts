/**
 * Issue 12 #5: the 1 MB cap is applied before reading. Before the fix a sparse 1.5 GB file in a scanned directory
 * took the CLI to 3.1 GB RSS, a 2.5 GB one ended the scan with ERR_FS_FILE_TOO_LARGE (exit 2, no other file
 * reviewed), `scan /dev/zero` read until memory ran out, and git mode buffered every blob.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { chmodSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findingsOf, git, gitRepo, privilegedPod, runCli, sparseFile as sparse, tempDir, writeTree } from "./helpers.js";

const MB = 1_000_000;

/** Peak resident memory of this process so far, in MB. */
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

describe("scan and review never read more than the cap", () => {
  let root: string;
  beforeAll(() => {
    root = writeTree({ "apps/pod.yaml": privilegedPod("still-reviewed") });
  });

  it("review of two directories: an oversized head file is a new parse-error, and is not read", async () => {
    const base = writeTree({ "a.yaml": "a: 1\n" });
    const head = writeTree({ "a.yaml": "a: 2\n" });
    sparse(join(head, "big.yaml"), 1_200 * MB);
    const before = peakRssMb();
    const run = await runCli(["review", "--base", base, "--head", head, "--format", "json"], head);
    expect(peakRssMb() - before).toBeLessThan(300);
    expect(run.code).toBe(1);
    expect(findingsOf(run)).toEqual([expect.objectContaining({ file: "big.yaml", status: "new", ruleId: "guard/parse-error" })]);
  });

  it("a sparse 1.5 GB file in a scanned directory: a parse-error, no memory growth, the other files reviewed", async () => {
    sparse(join(root, "apps/huge.yaml"), 1_500 * MB);
    const before = peakRssMb();
    const run = await runCli(["scan", "apps", "--format", "json"], root);
    const grew = peakRssMb() - before;
    expect(run.code).toBe(1);
    const f = findingsOf(run);
    expect(f.find((x) => x.file === "apps/huge.yaml")).toMatchObject({
      ruleId: "guard/parse-error",
      line: 1,
      message: "apps/huge.yaml could not be reviewed: file is 1.5 GB, over the 1.0 MB limit; it was not read",
    });
    expect(f.some((x) => x.ruleId === "k8s/privileged-container" && x.file === "apps/pod.yaml")).toBe(true);
    // Reading it would have grown the peak by at least 1,500 MB.
    expect(grew).toBeLessThan(300);
  });

  it("a sparse 2.5 GB file (over Node's 2 GB read limit) is the same finding, not exit 2", async () => {
    const dir = writeTree({ "pod.yaml": privilegedPod("next-to-giant") });
    sparse(join(dir, "giant.yaml"), 2_500 * MB);
    const run = await runCli(["scan", ".", "--format", "json"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const f = findingsOf(run);
    expect(f.find((x) => x.file === "giant.yaml")!.message).toMatch(/file is 2\.5 GB, over the 1\.0 MB limit; it was not read$/);
    expect(f.some((x) => x.ruleId === "k8s/privileged-container" && x.file === "pod.yaml")).toBe(true);
  });

  it("scan /dev/zero: a clear finding at once, not a read without end", async () => {
    const run = await runCli(["scan", "/dev/zero", "--format", "json"], root);
    expect(run.code).toBe(1);
    expect(findingsOf(run)).toEqual([expect.objectContaining({ ruleId: "guard/parse-error", message: expect.stringMatching(/could not be reviewed: not a regular file \(a character device\); it was not read$/) })]);
  });

  it("scan of a FIFO named explicitly does not wait for a writer", async () => {
    const dir = tempDir("fifo");
    execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
    const run = await runCli(["scan", "pipe.yaml", "--format", "json"], dir);
    expect(run.code).toBe(1);
    expect(findingsOf(run)[0]!.message).toMatch(/not a regular file \(a FIFO\)/);
  });

});

describe("git mode sizes blobs before it reads them", () => {
  let repo: string;

  beforeAll(() => {
    repo = gitRepo({ "keep.yaml": "a: 1\n" });
    git(repo, ["checkout", "-q", "-b", "pr"]);
    for (let i = 0; i < 5; i++) writeFileSync(join(repo, `big-${i}.yaml`), `# ${i}\n${"x: y\n".repeat(600_000)}`);
    writeFileSync(join(repo, "pod.yaml"), privilegedPod("small"));
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "big blobs"]);
    // A tripwire: each big blob's object is cut short after its header. git can still say its type and size
    // (`cat-file --batch-check`), but asking for its content (`cat-file --batch`) makes git fail.
    for (let i = 0; i < 5; i++) {
      const id = git(repo, ["rev-parse", `pr:big-${i}.yaml`]).trim();
      const object = join(repo, ".git", "objects", id.slice(0, 2), id.slice(2));
      chmodSync(object, 0o644);
      truncateSync(object, 300);
    }
  });

  it("oversized blobs are parse-errors, sized but never read", async () => {
    const run = await runCli(["review", "--base", "main", "--head", "pr", "--repo", repo, "--format", "json"], repo);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const f = findingsOf(run);
    for (let i = 0; i < 5; i++) {
      expect(f.find((x) => x.file === `big-${i}.yaml`)).toMatchObject({ ruleId: "guard/parse-error", line: 1, message: `big-${i}.yaml could not be reviewed: file is 3.0 MB, over the 1.0 MB limit; it was not read` });
    }
    expect(f.some((x) => x.ruleId === "k8s/privileged-container" && x.file === "pod.yaml")).toBe(true);
  });
});

