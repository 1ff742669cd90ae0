/**
 * `review` in the clones CI makes: shallow clones (`git clone --depth 1`, which needs a file:// URL to be shallow
 * locally) and the checkout actions/checkout makes on a pull_request event (depth 1 of the merge commit
 * refs/pull/N/merge, the base branch not fetched). Either the answer is the full clone's, or exit 2 says what to fetch.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, git, GIT_ENV, tree } from "./helpers/cli.js";

const ROOT = resolve(".");
const pod = (name: string) => PRIVILEGED_POD.replace("name: debug", `name: ${name}`);

interface Origin {
  dir: string;
  url: string;
  c1: string;
  mainTip: string;
  featureTip: string;
  merge: string;
}

/**
 * main: c1 (config, apps/existing.yaml) → c2 (apps/main-only.yaml) → c3; feature from c1: f1 (apps/new.yaml) → f2.
 * refs/pull/1/merge is GitHub's test merge of feature into main.
 */
function makeOrigin(): Origin {
  const dir = tree({ ".github/gitops-guard.yml": "failOn: high\n", "apps/existing.yaml": pod("existing") });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "c1");
  const c1 = git(dir, "rev-parse", "HEAD").trim();
  git(dir, "checkout", "-qb", "feature");
  tree({ "apps/new.yaml": pod("new-pod") }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "f1");
  tree({ "apps/new.yaml": `# reviewed\n${pod("new-pod")}` }, dir);
  git(dir, "commit", "-qam", "f2");
  git(dir, "checkout", "-q", "main");
  tree({ "apps/main-only.yaml": pod("main-only") }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "c2");
  tree({ "README.md": "docs\n" }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "c3");
  git(dir, "checkout", "-q", "--detach", "main");
  git(dir, "merge", "-q", "--no-ff", "feature", "-m", "Merge feature into main");
  const merge = git(dir, "rev-parse", "HEAD").trim();
  git(dir, "update-ref", "refs/pull/1/merge", merge);
  git(dir, "update-ref", "refs/pull/1/head", "feature");
  git(dir, "checkout", "-q", "main");
  return { dir, url: `file://${dir}`, c1, mainTip: git(dir, "rev-parse", "main").trim(), featureTip: git(dir, "rev-parse", "feature").trim(), merge };
}

const clone = (origin: Origin, ...args: string[]): string => {
  const dir = join(mkdtempSync(join(tmpdir(), "gg-clone-")), "repo");
  git(tmpdir(), "clone", "-q", ...args, origin.url, dir);
  return dir;
};

/** What actions/checkout does on a pull_request event with its defaults (fetch-depth: 1). */
function actionsCheckout(origin: Origin, sha: string, ref = "refs/remotes/pull/1/merge"): string {
  const dir = join(mkdtempSync(join(tmpdir(), "gg-actions-")), "repo");
  git(tmpdir(), "init", "-q", dir);
  git(dir, "remote", "add", "origin", origin.url);
  git(dir, "fetch", "-q", "--no-tags", "--prune", "--no-recurse-submodules", "--depth=1", "origin", `+${sha}:${ref}`);
  git(dir, "checkout", "-q", "--force", ref);
  return dir;
}

interface Summary {
  code: number;
  summary: { new: number; existing: number; fixed: number };
  findings: Array<{ status: string; file: string; ruleId: string; fingerprint: string }>;
  stderr: string;
}

async function reviewJson(repo: string, base: string, head: string): Promise<Summary> {
  const r = await cli(["review", "--base", base, "--head", head, "--repo", repo, "--format", "json"]);
  if (r.code === 2) return { code: 2, summary: { new: -1, existing: -1, fixed: -1 }, findings: [], stderr: r.stderr };
  const json = JSON.parse(r.stdout);
  return { code: r.code, summary: json.summary, findings: json.findings, stderr: r.stderr };
}

const statusOf = (s: Summary) => s.findings.map((f) => `${f.status} ${f.file} ${f.ruleId}`).sort();

let origin: Origin;
let truth: Summary;

beforeAll(async () => {
  origin = makeOrigin();
  truth = await reviewJson(clone(origin, "--no-single-branch"), "origin/main", "origin/feature");
});

describe("review in a complete clone (the reference answer)", () => {
  it("compares against the merge base: main's own later files are neither fixed nor existing", () => {
    expect(truth.code).toBe(1);
    expect(truth.summary.fixed).toBe(0);
    expect(new Set(truth.findings.map((f) => `${f.status} ${f.file}`))).toEqual(new Set(["new apps/new.yaml"]));
  });
});

describe("review in a shallow clone", () => {
  it("with no merge base in the clone: exit 2 saying what to fetch, never the base-commit fallback", async () => {
    const shallow = clone(origin, "--depth", "1", "--no-single-branch");
    expect(git(shallow, "rev-parse", "--is-shallow-repository").trim()).toBe("true");
    const r = await reviewJson(shallow, "origin/main", "origin/feature");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base origin\/main and --head origin\/feature have no common commit in this shallow clone/);
    expect(r.stderr).toMatch(/fetch-depth: 0/);
    expect(r.stderr).toMatch(/git fetch --deepen=N/);
    // Deepening as told gives exactly the complete clone's answer.
    git(shallow, "fetch", "-q", "--deepen=3");
    const deepened = await reviewJson(shallow, "origin/main", "origin/feature");
    expect(deepened.code).toBe(truth.code);
    expect(deepened.summary).toEqual(truth.summary);
    expect(statusOf(deepened)).toEqual(statusOf(truth));
  });

  it("a ref the clone does not have is named with its side and the fetch that brings it", async () => {
    const single = clone(origin, "--depth", "1", "--branch", "feature");
    const noBase = await cli(["review", "--base", "origin/main", "--head", "HEAD", "--repo", single]);
    expect(noBase.code).toBe(2);
    expect(noBase.stderr).toContain(`--base origin/main is not a commit in ${single}; this clone is shallow and may not have fetched it: \`git fetch origin main\``);
    const noHead = await cli(["review", "--base", "HEAD", "--head", "origin/topic", "--repo", single]);
    expect(noHead.stderr).toMatch(/^gitops-guard: --head origin\/topic is not a commit in /m);
    // A complete clone: the hint is about the name.
    const full = clone(origin);
    expect((await cli(["review", "--base", "mian", "--head", "HEAD", "--repo", full])).stderr).toMatch(/--base mian is not a commit in .*git branch -a/);
  });

  it("a branch that exists only as a remote-tracking branch is named as such; a commit counted back asks for more history", async () => {
    // `git clone` makes a local branch of the checked-out one only: `--base feature` names nothing, `origin/feature` does.
    const full = clone(origin);
    const r = await cli(["review", "--base", "feature", "--head", "HEAD", "--repo", full]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--base feature is not a commit in");
    expect(r.stderr).toContain("it is not a local branch here, but `origin/feature` is: use `origin/feature`");
    // Not fetched at all (a single-branch shallow clone): fetch it into the remote-tracking ref and use that.
    const single = clone(origin, "--depth", "1", "--branch", "feature");
    const absent = await cli(["review", "--base", "main", "--head", "HEAD", "--repo", single]);
    expect(absent.stderr).toContain("`git fetch origin +refs/heads/main:refs/remotes/origin/main`, then use `origin/main`");
    git(single, "fetch", "-q", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main");
    expect(git(single, "rev-parse", "--verify", "origin/main").trim()).toBe(origin.mainTip);
    // `HEAD^` in a depth-1 clone: no fetch of a name can bring it, deepening does.
    const parent = await cli(["review", "--base", "HEAD^", "--head", "HEAD", "--repo", single]);
    expect(parent.code).toBe(2);
    expect(parent.stderr).toContain("--base HEAD^ is not a commit in");
    expect(parent.stderr).toContain("`git fetch --deepen=N`");
    expect(parent.stderr).not.toContain("git fetch origin HEAD^");
  });

  it("unrelated histories in a complete clone are an error too (there is no PR diff), not a two-dot diff", async () => {
    const repo = clone(origin);
    git(repo, "checkout", "-q", "--orphan", "other");
    git(repo, "commit", "-qm", "unrelated");
    const r = await cli(["review", "--base", "origin/main", "--head", "other", "--repo", repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/have no common history \(unrelated histories/);
  });
});

const PREPARE = join(ROOT, "action/prepare-history.mjs");

function prepare(repo: string, env: Record<string, string>): { code: number; stdout: string; outputs: Record<string, string> } {
  const outFile = join(mkdtempSync(join(tmpdir(), "gg-out-")), "output");
  writeFileSync(outFile, "");
  const r = spawnSync(process.execPath, [PREPARE], { cwd: repo, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, ...GIT_ENV, GITHUB_OUTPUT: outFile, ...env } });
  const outputs = Object.fromEntries(readFileSync(outFile, "utf8").split("\n").filter(Boolean).map((l) => l.split("=") as [string, string]));
  return { code: r.status ?? -1, stdout: r.stdout + r.stderr, outputs };
}

function event(o: Origin): string {
  const path = join(mkdtempSync(join(tmpdir(), "gg-event-")), "event.json");
  writeFileSync(path, JSON.stringify({ action: "synchronize", number: 1, pull_request: { number: 1, base: { ref: "main", sha: o.mainTip }, head: { ref: "feature", sha: o.featureTip } } }));
  return path;
}

describe("in GitHub Actions (actions/checkout with its default fetch-depth: 1)", () => {
  it("review against origin/main says exactly what to change", async () => {
    const ws = actionsCheckout(origin, origin.merge);
    const r = await cli(["review", "--base", "origin/main", "--head", "HEAD", "--repo", ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base origin\/main is not a commit in .*shallow.*`git fetch origin main`.*fetch-depth: 0/);
  });

  it("the action's history step takes the merge commit's first parent as base, fetches it, and the review is the PR's", async () => {
    const ws = actionsCheckout(origin, origin.merge);
    const p = prepare(ws, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event(origin), GITHUB_SHA: origin.merge });
    expect(p.code).toBe(0);
    expect(p.outputs).toEqual({ base: origin.mainTip, head: origin.merge });
    const r = await reviewJson(ws, p.outputs.base!, p.outputs.head!);
    expect(r.code).toBe(1);
    // What the PR adds, as it would be merged: the same new findings as the complete clone, nothing fixed.
    expect(r.findings.filter((f) => f.status === "new").map((f) => f.fingerprint).sort()).toEqual(truth.findings.filter((f) => f.status === "new").map((f) => f.fingerprint).sort());
    expect(r.summary.fixed).toBe(0);
  });

  it("with the PR head checked out instead, it deepens until the merge base is there: the complete clone's answer", async () => {
    const ws = actionsCheckout(origin, origin.featureTip, "refs/remotes/pull/1/head");
    const p = prepare(ws, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event(origin), GITHUB_SHA: origin.merge });
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/fetching 2 commits of each/);
    expect(p.outputs).toEqual({ base: origin.mainTip, head: origin.featureTip });
    const r = await reviewJson(ws, p.outputs.base!, p.outputs.head!);
    expect(r.summary).toEqual(truth.summary);
    expect(statusOf(r)).toEqual(statusOf(truth));
  });

  it("explicit base and head inputs (refs) are fetched when missing", () => {
    const ws = actionsCheckout(origin, origin.featureTip, "refs/remotes/pull/1/head");
    const p = prepare(ws, { INPUT_BASE: "origin/main", INPUT_HEAD: "HEAD", GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event(origin) });
    expect(p.code).toBe(0);
    expect(p.outputs).toEqual({ base: origin.mainTip, head: origin.featureTip });
  });

  it("on an event without a pull request, a push's `before` or a base input: exit 2 with what to set", () => {
    const ws = actionsCheckout(origin, origin.mainTip, "refs/remotes/origin/main");
    const p = prepare(ws, { GITHUB_EVENT_NAME: "push", GITHUB_SHA: origin.mainTip });
    expect(p.code).toBe(2);
    expect(p.stdout).not.toContain("fetch-depth");
    expect(p.stdout).toMatch(/^::error title=gitops-guard cannot compare the pull request::on a "push" event .*set the action's `base` input/m);
    expect(p.outputs).toEqual({});
  });

  const built = existsSync(join(ROOT, "dist/cli/main.js"));
  (built ? it : it.skip)("the action's review step reports the exit code and writes SARIF (needs dist/, built by npm ci)", () => {
    const ws = actionsCheckout(origin, origin.merge);
    const p = prepare(ws, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event(origin), GITHUB_SHA: origin.merge });
    const outFile = join(mkdtempSync(join(tmpdir(), "gg-out-")), "output");
    const r = spawnSync("bash", [join(ROOT, "action/review.sh")], {
      cwd: ws,
      encoding: "utf8",
      env: { ...process.env, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: outFile, GG_BASE: p.outputs.base, GG_HEAD: p.outputs.head, GG_SARIF: "true", GG_SARIF_FILE: "out.sarif", GG_FORMAT: "text" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("apps/new.yaml");
    expect(readFileSync(outFile, "utf8")).toBe(`exit-code=1\nsarif-file=${join(ws, "out.sarif")}\ncheckout-path=${ws}\n`);
    const sarif = JSON.parse(readFileSync(join(ws, "out.sarif"), "utf8"));
    expect(sarif.runs[0].results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toContain("apps/new.yaml");
  });

  (built ? it : it.skip)("with a `working-directory` (the checkout in a subdirectory of GITHUB_WORKSPACE), the SARIF path it outputs is absolute: upload-sarif resolves it from GITHUB_WORKSPACE", () => {
    // actionsCheckout's `repo` lies in a fresh directory: that directory is GITHUB_WORKSPACE, `repo` the working-directory.
    const ws = actionsCheckout(origin, origin.merge);
    const workspace = dirname(ws);
    const p = prepare(ws, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event(origin), GITHUB_SHA: origin.merge });
    const outFile = join(mkdtempSync(join(tmpdir(), "gg-out-")), "output");
    const r = spawnSync("bash", [join(ROOT, "action/review.sh")], {
      cwd: ws,
      encoding: "utf8",
      env: { ...process.env, GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: outFile, GG_BASE: p.outputs.base, GG_HEAD: p.outputs.head, GG_SARIF: "true", GG_SARIF_FILE: "gitops-guard.sarif", GG_FORMAT: "text" },
    });
    expect(r.status).toBe(0);
    const outputs = Object.fromEntries(readFileSync(outFile, "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    // What upload-sarif does with its inputs: a path resolved from its own working directory, GITHUB_WORKSPACE.
    const uploaded = resolve(workspace, outputs["sarif-file"]!);
    expect(uploaded).toBe(join(ws, "gitops-guard.sarif"));
    expect(existsSync(uploaded)).toBe(true);
    expect(JSON.parse(readFileSync(uploaded, "utf8")).runs[0].results.length).toBeGreaterThan(0);
    expect(resolve(workspace, outputs["checkout-path"]!)).toBe(ws);
  });
});

