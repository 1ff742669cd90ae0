/**
 * Issue 12 #1: `review` in git mode must read each path's own content, whatever the path contains. Before the fix a
 * file named "a\nmain:clean.yaml" split the `git cat-file --batch` request, every later file was reviewed with the
 * previous file's content, and a PR adding a privileged pod passed. Real repositories, real git.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configMap, findingsOf, git, gitRepo, privilegedPod, runCli, tempDir, type CliRun, type JsonFinding } from "./helpers.js";

/** Path on disk (bytes) → what it holds; pods are named so a finding shows which content was read. */
const NAMES: ReadonlyArray<{ raw: Buffer; shown: string; content: string; risky: boolean }> = [
  { raw: Buffer.from("a\nmain:clean.yaml"), shown: "a\nmain:clean.yaml", content: configMap("newline-file"), risky: false },
  { raw: Buffer.from("risky.yaml"), shown: "risky.yaml", content: privilegedPod("risky"), risky: true },
  { raw: Buffer.from("tab\there.yaml"), shown: "tab\there.yaml", content: privilegedPod("tab"), risky: true },
  { raw: Buffer.from('say "hi".yaml'), shown: 'say "hi".yaml', content: configMap("quotes"), risky: false },
  { raw: Buffer.from("with space.yaml"), shown: "with space.yaml", content: privilegedPod("space"), risky: true },
  { raw: Buffer.from("-leading-dash.yaml"), shown: "-leading-dash.yaml", content: privilegedPod("dash"), risky: true },
  { raw: Buffer.from("--output=x.yaml"), shown: "--output=x.yaml", content: privilegedPod("option-like"), risky: true },
  { raw: Buffer.from("ünïcødé/日本.yaml"), shown: "ünïcødé/日本.yaml", content: privilegedPod("unicode"), risky: true },
  { raw: Buffer.from("HEAD:risky.yaml\n"), shown: "HEAD:risky.yaml\n", content: configMap("spec-like"), risky: false },
  // Not valid UTF-8 (Latin-1 "é"): shown with the byte escaped.
  { raw: Buffer.concat([Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(".yaml")]), shown: "caf\\xE9.yaml", content: privilegedPod("latin1"), risky: true },
  { raw: Buffer.concat([Buffer.from("back\\"), Buffer.from([0xff]), Buffer.from(".yaml")]), shown: "back\\\\\\xFF.yaml", content: configMap("backslash"), risky: false },
  { raw: Buffer.from("zz-last.yaml"), shown: "zz-last.yaml", content: privilegedPod("last"), risky: true },
];

let repo: string;

beforeAll(() => {
  repo = gitRepo({ "clean.yaml": configMap("clean"), "old\nname.yaml": configMap("old-name") });
  git(repo, ["checkout", "-q", "-b", "pr"]);
  for (const n of NAMES) {
    const dir = join(repo, ...n.shown.split("/").slice(0, -1));
    if (n.shown.includes("/")) mkdirSync(dir, { recursive: true });
    writeFileSync(Buffer.concat([Buffer.from(`${repo}/`), n.raw]), n.content);
  }
  // A modified file with a newline in its name.
  writeFileSync(join(repo, "old\nname.yaml"), privilegedPod("old-name-now-risky"));
  git(repo, ["add", "-A"]);
  git(repo, ["commit", "-qm", "pr"]);
});

describe("git mode reads each path's own content", () => {
  let findings: JsonFinding[];
  let code: number;

  beforeAll(async () => {
    const run = await runCli(["review", "--base", "main", "--head", "pr", "--repo", repo, "--format", "json"], repo);
    code = run.code;
    findings = findingsOf(run);
  });

  it("fails the review: the risky pod is reviewed with its own content", () => {
    expect(code).toBe(1);
    expect(findings.find((f) => f.ruleId === "k8s/privileged-container" && f.file === "risky.yaml")).toMatchObject({ status: "new", resource: { name: "risky" } });
  });

  it.each(NAMES.map((n) => [JSON.stringify(n.shown), n] as const))("%s: the findings are about its own content", (_name, n) => {
    const privileged = findings.filter((f) => f.ruleId === "k8s/privileged-container" && f.file === n.shown);
    if (n.risky) {
      expect(privileged).toHaveLength(1);
      expect(privileged[0]!.resource.name).toBe(/name: (.*)/.exec(n.content)![1]);
    } else {
      expect(privileged).toEqual([]);
    }
    // A harmless file is never blamed for a neighbour's content (nor is anything shown as not found).
    expect(findings.filter((f) => f.file === n.shown && f.ruleId === "guard/parse-error")).toEqual([]);
  });

  it("every privileged finding belongs to a file that holds a privileged pod of that name", () => {
    const expected = NAMES.filter((n) => n.risky).map((n) => `${n.shown} → ${/name: (.*)/.exec(n.content)![1]}`);
    expected.push("old\nname.yaml → old-name-now-risky");
    const got = findings.filter((f) => f.ruleId === "k8s/privileged-container" && f.status === "new").map((f) => `${f.file} → ${f.resource.name}`);
    expect(got.sort()).toEqual(expected.sort());
  });

  it("a modified file with a newline in its name is compared with its own base", () => {
    expect(findings.find((f) => f.file === "old\nname.yaml" && f.ruleId === "k8s/privileged-container")).toMatchObject({ status: "new" });
  });
});

describe("the red team's pull request", () => {
  it("a newline file name cannot make a privileged pod pass (exit 1, the pod's own finding)", async () => {
    const r = gitRepo({ "clean.yaml": configMap("clean") });
    git(r, ["checkout", "-q", "-b", "pr"]);
    writeFileSync(join(r, "a\nmain:clean.yaml"), configMap("decoy"));
    writeFileSync(join(r, "risky.yaml"), privilegedPod("risky"));
    git(r, ["add", "-A"]);
    git(r, ["commit", "-qm", "pr"]);
    const run = await runCli(["review", "--base", "main", "--head", "pr", "--repo", r, "--format", "json"], r);
    expect(run.code).toBe(1);
    expect(findingsOf(run).filter((f) => f.ruleId === "k8s/privileged-container").map((f) => [f.file, f.resource.name])).toEqual([["risky.yaml", "risky"]]);
  });
});

describe("renames and removals with unusual names", () => {
  it("a removed file's findings are fixed", async () => {
    const r = gitRepo({ "gone\t\n.yaml": privilegedPod("gone"), "stays.yaml": configMap("stays") });
    git(r, ["checkout", "-q", "-b", "pr"]);
    git(r, ["rm", "-q", "gone\t\n.yaml"]);
    git(r, ["commit", "-qm", "remove"]);
    const run = await runCli(["review", "--base", "main", "--head", "pr", "--repo", r, "--format", "json"], r);
    expect(run.code).toBe(0);
    expect(findingsOf(run).find((f) => f.ruleId === "k8s/privileged-container")).toMatchObject({ file: "gone\t\n.yaml", status: "fixed", resource: { name: "gone" } });
  });

  it("a renamed file keeps its findings' identity; the content read is the renamed file's", async () => {
    const r = gitRepo({ "app\n1.yaml": privilegedPod("keep") });
    git(r, ["checkout", "-q", "-b", "pr"]);
    git(r, ["mv", "app\n1.yaml", "app\t2.yaml"]);
    writeFileSync(join(r, "zz.yaml"), privilegedPod("zz"));
    git(r, ["add", "-A"]);
    git(r, ["commit", "-qm", "rename"]);
    const f = findingsOf(await runCli(["review", "--base", "main", "--head", "pr", "--repo", r, "--format", "json"], r)).filter((x) => x.ruleId === "k8s/privileged-container");
    expect(f.map((x) => [x.file, x.status, x.resource.name]).sort()).toEqual([
      ["app\t2.yaml", "existing", "keep"],
      ["zz.yaml", "new", "zz"],
    ]);
  });
});

describe("unusual names in scan and directory modes", () => {
  /** Writes every name of NAMES into `dir` (raw bytes on disk). */
  const writeAll = (dir: string): void => {
    for (const n of NAMES) {
      if (n.shown.includes("/")) mkdirSync(join(dir, ...n.shown.split("/").slice(0, -1)), { recursive: true });
      writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), n.raw]), n.content);
    }
  };
  const privileged = (run: CliRun): string[] =>
    findingsOf(run)
      .filter((f) => f.ruleId === "k8s/privileged-container")
      .map((f) => `${f.file} → ${f.resource.name}`)
      .sort();
  const expected = (): string[] =>
    NAMES.filter((n) => n.risky)
      .map((n) => `${n.shown} → ${/name: (.*)/.exec(n.content)![1]}`)
      .sort();

  it("scan of a directory reads each file by its own name (bytes), shown as in git mode", async () => {
    const dir = tempDir("names");
    writeAll(dir);
    const run = await runCli(["scan", ".", "--format", "json"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(privileged(run)).toEqual(expected());
    expect(findingsOf(run).filter((f) => f.ruleId === "guard/parse-error")).toEqual([]);
  });

  it("review of two directories does the same", async () => {
    const base = tempDir("names-base");
    const head = tempDir("names-head");
    writeFileSync(join(base, "keep.yaml"), configMap("keep"));
    writeFileSync(join(head, "keep.yaml"), configMap("keep"));
    writeAll(head);
    const run = await runCli(["review", "--base", base, "--head", head, "--format", "json"], head);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(privileged(run)).toEqual(expected());
  });
});
