/**
 * The GitHub Action on the checkouts actions/checkout@v4 makes, event by event, run the way the runner runs it: the
 * workspace is a fresh `git init` with `origin` → a `file://` repository (GitHub's), fetched with actions/checkout's
 * own commands and refspecs; GITHUB_EVENT_NAME, GITHUB_SHA, GITHUB_REF, GITHUB_BASE_REF, GITHUB_HEAD_REF and
 * GITHUB_EVENT_PATH (the event JSON) are set; `action/prepare-history.mjs` runs with `INPUT_*` as action.yml passes
 * them (empty when unset), then the review runs on the commits it chose. Each case gives the complete clone's
 * answer (new/existing/fixed) or exits 2 with what to change.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, git, GIT_ENV, tree } from "./helpers/cli.js";

const ROOT = resolve(".");
const PREPARE = join(ROOT, "action/prepare-history.mjs");
const pod = (name: string, privileged = true) => PRIVILEGED_POD.replace("name: debug", `name: ${name}`).replace("privileged: true", `privileged: ${privileged}`);

interface Origin {
  url: string;
  c1: string;
  mainTip: string;
  prHead: string;
  merge: string;
}

/**
 * main: c1 (config, apps/fixme.yaml privileged) → c2 (apps/main-only.yaml) → c3. PR #1 from a fork: p1 fixes
 * apps/fixme.yaml, p2 adds apps/new.yaml. As for a fork, GitHub's repository has the PR's commits only under
 * refs/pull/1/head, and refs/pull/1/merge is its test merge into main (also a merge queue's branch
 * gh-readonly-queue/main/pr-1).
 */
function makeOrigin(): Origin {
  const dir = tree({ ".github/gitops-guard.yml": "failOn: high\n", "apps/fixme.yaml": pod("fixme"), "apps/kept.yaml": pod("kept") });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "c1");
  const c1 = git(dir, "rev-parse", "HEAD").trim();
  git(dir, "checkout", "-qb", "fork-feature");
  tree({ "apps/fixme.yaml": pod("fixme", false) }, dir);
  git(dir, "commit", "-qam", "p1");
  tree({ "apps/new.yaml": pod("new-pod") }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "p2");
  git(dir, "checkout", "-q", "main");
  tree({ "apps/main-only.yaml": pod("main-only") }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "c2");
  tree({ "README.md": "docs\n" }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "c3");
  git(dir, "checkout", "-q", "--detach", "main");
  git(dir, "merge", "-q", "--no-ff", "fork-feature", "-m", "Merge fork-feature into main");
  git(dir, "update-ref", "refs/pull/1/merge", "HEAD");
  git(dir, "update-ref", "refs/pull/1/head", "fork-feature");
  // A merge queue's branch for the same merge (merge_group events).
  git(dir, "update-ref", "refs/heads/gh-readonly-queue/main/pr-1", "HEAD");
  git(dir, "checkout", "-q", "main");
  const prHead = git(dir, "rev-parse", "fork-feature").trim();
  git(dir, "branch", "-qD", "fork-feature");
  return { url: `file://${dir}`, c1, mainTip: git(dir, "rev-parse", "main").trim(), prHead, merge: git(dir, "rev-parse", "refs/pull/1/merge").trim() };
}

type Event = "pull_request" | "pull_request_target" | "push" | "merge_group";

interface Checkout {
  ws: string;
  env: Record<string, string>;
}

/**
 * actions/checkout@v4 with `fetch-depth` (0 = all history): `git init`, `remote add origin`, one fetch with its
 * refspecs (depth 0: every branch and tag, plus a pull request's ref), `checkout --force` (`-B` for a branch).
 */
function actionsCheckout(o: Origin, event: Event, depth: number, push?: { before: string; after: string }): Checkout {
  const ws = join(mkdtempSync(join(tmpdir(), "gg-ws-")), "repo");
  git(tmpdir(), "init", "-q", ws);
  git(ws, "remote", "add", "origin", o.url);
  const pr = event === "pull_request";
  const queue = event === "merge_group";
  const sha = pr || queue ? o.merge : event === "push" ? push!.after : o.mainTip;
  const ref = pr ? "refs/remotes/pull/1/merge" : queue ? "refs/remotes/origin/gh-readonly-queue/main/pr-1" : "refs/remotes/origin/main";
  const all = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"];
  const specs = depth === 0 ? (pr ? [...all, `+${sha}:${ref}`] : all) : [`+${sha}:${ref}`];
  git(ws, "-c", "protocol.version=2", "fetch", "-q", ...(depth === 0 ? [] : ["--no-tags", `--depth=${depth}`]), "--prune", "--no-recurse-submodules", "origin", ...specs);
  if (pr) git(ws, "checkout", "-q", "--force", ref);
  else git(ws, "checkout", "-q", "--force", "-B", queue ? "gh-readonly-queue/main/pr-1" : "main", ref);
  const payload =
    event === "push"
      ? { ref: "refs/heads/main", before: push!.before, after: push!.after, created: /^0+$/.test(push!.before), forced: false }
      : queue
        ? { action: "checks_requested", merge_group: { head_sha: o.merge, head_ref: "refs/heads/gh-readonly-queue/main/pr-1", base_sha: o.mainTip, base_ref: "refs/heads/main" } }
        : { action: "synchronize", number: 1, pull_request: { number: 1, base: { ref: "main", sha: o.mainTip }, head: { ref: "fork-feature", sha: o.prHead } } };
  const eventPath = join(mkdtempSync(join(tmpdir(), "gg-event-")), "event.json");
  writeFileSync(eventPath, JSON.stringify(payload));
  return {
    ws,
    env: {
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: sha,
      GITHUB_REF: pr ? "refs/pull/1/merge" : queue ? "refs/heads/gh-readonly-queue/main/pr-1" : "refs/heads/main",
      GITHUB_BASE_REF: pr || event === "pull_request_target" ? "main" : "",
      GITHUB_HEAD_REF: pr || event === "pull_request_target" ? "fork-feature" : "",
      GITHUB_WORKSPACE: ws,
      GITHUB_ACTION_PATH: ROOT,
    },
  };
}

interface Prepared {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
}

/** The action's "Fetch the history the review needs" step: its env as action.yml sets it (inputs empty when unset). */
function prepare(c: Checkout, inputs: { base?: string; head?: string } = {}): Prepared {
  const outFile = join(mkdtempSync(join(tmpdir(), "gg-out-")), "output");
  writeFileSync(outFile, "");
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...GIT_ENV, ...c.env, GITHUB_OUTPUT: outFile, INPUT_BASE: inputs.base ?? "", INPUT_HEAD: inputs.head ?? "" };
  const r = spawnSync(process.execPath, [PREPARE], { cwd: c.ws, encoding: "utf8", env });
  const outputs = Object.fromEntries(readFileSync(outFile, "utf8").split("\n").filter(Boolean).map((l) => l.split("=") as [string, string]));
  return { code: r.status ?? -1, stdout: r.stdout + r.stderr, outputs };
}

interface Review {
  code: number;
  summary: { new: number; existing: number; fixed: number };
  statuses: string[];
}

async function reviewJson(repo: string, base: string, head: string): Promise<Review> {
  const r = await cli(["review", "--base", base, "--head", head, "--repo", repo, "--format", "json"]);
  expect(r.code).not.toBe(2);
  const json = JSON.parse(r.stdout) as { summary: Review["summary"]; findings: Array<{ status: string; file: string; ruleId: string; fingerprint: string }> };
  return { code: r.code, summary: json.summary, statuses: json.findings.map((f) => `${f.status} ${f.file} ${f.ruleId} ${f.fingerprint}`).sort() };
}

let origin: Origin;
/** The complete clone's answer for PR #1 (`git diff main...pr-head`) and for the push c1 → main. */
let prTruth: Review;
let pushTruth: Review;

beforeAll(async () => {
  origin = makeOrigin();
  const full = join(mkdtempSync(join(tmpdir(), "gg-full-")), "repo");
  git(tmpdir(), "clone", "-q", origin.url, full);
  git(full, "fetch", "-q", "origin", "+refs/pull/1/head:refs/remotes/pull/1/head");
  prTruth = await reviewJson(full, "origin/main", "pull/1/head");
  pushTruth = await reviewJson(full, origin.c1, "origin/main");
});

describe("the complete clone's answers (the reference)", () => {
  it("PR #1: apps/new.yaml new, apps/fixme.yaml fixed, main's own later file neither", () => {
    const privileged = prTruth.statuses.filter((s) => s.includes("k8s/privileged-container")).map((s) => s.split(" ").slice(0, 2).join(" "));
    expect(privileged).toEqual(["fixed apps/fixme.yaml", "new apps/new.yaml"]);
    expect(prTruth.code).toBe(1);
  });
});

describe("pull_request: actions/checkout checks out refs/pull/1/merge", () => {
  it.each([1, 2, 0])("fetch-depth: %i reviews the merge commit against its first parent: the complete clone's answer", async (depth) => {
    const c = actionsCheckout(origin, "pull_request", depth);
    const p = prepare(c);
    expect(p.code).toBe(0);
    expect(p.outputs).toEqual({ base: origin.mainTip, head: origin.merge });
    const r = await reviewJson(c.ws, p.outputs.base!, p.outputs.head!);
    expect(r.code).toBe(prTruth.code);
    expect(r.summary).toEqual(prTruth.summary);
    expect(r.statuses).toEqual(prTruth.statuses);
  });
});

describe("pull_request_target: actions/checkout checks out the base branch", () => {
  it.each([1, 0])("fetch-depth: %i reviews the PR's head (fetched, not checked out) against its base, never the base against itself", async (depth) => {
    const c = actionsCheckout(origin, "pull_request_target", depth);
    expect(git(c.ws, "rev-parse", "HEAD").trim()).toBe(origin.mainTip);
    const p = prepare(c);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain(`head is the pull request's head ${origin.prHead}`);
    // SARIF goes to the pull request (its head), not to the base branch that GITHUB_REF names.
    expect(p.outputs).toEqual({ base: origin.mainTip, head: origin.prHead, "sarif-ref": "refs/pull/1/head", "sarif-sha": origin.prHead });
    // The workspace stays the base branch's: nothing of the PR is checked out.
    expect(git(c.ws, "rev-parse", "HEAD").trim()).toBe(origin.mainTip);
    const r = await reviewJson(c.ws, p.outputs.base!, p.outputs.head!);
    expect(r.code).toBe(1);
    expect(r.summary).toEqual(prTruth.summary);
    expect(r.statuses).toEqual(prTruth.statuses);
  });

  const built = existsSync(join(ROOT, "dist/cli/main.js"));
  (built ? it : it.skip)("the review step (review.sh) then fails the job with exit-code 1 (needs dist/)", () => {
    const c = actionsCheckout(origin, "pull_request_target", 1);
    const p = prepare(c);
    const outFile = join(mkdtempSync(join(tmpdir(), "gg-out-")), "output");
    const r = spawnSync("bash", [join(ROOT, "action/review.sh")], {
      cwd: c.ws,
      encoding: "utf8",
      env: { ...process.env, ...c.env, GITHUB_OUTPUT: outFile, GG_BASE: p.outputs.base, GG_HEAD: p.outputs.head, GG_FORMAT: "text", GG_SARIF: "false", GG_FAIL_ON: "", GG_CONFIG: "" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("apps/new.yaml");
    expect(readFileSync(outFile, "utf8")).toBe("exit-code=1\n");
  });
});

describe("push: actions/checkout checks out the pushed commit", () => {
  it.each([1, 0])("fetch-depth: %i reviews what the push added, from the event's `before`", async (depth) => {
    const c = actionsCheckout(origin, "push", depth, { before: origin.c1, after: origin.mainTip });
    const p = prepare(c);
    expect(p.code).toBe(0);
    expect(p.outputs).toEqual({ base: origin.c1, head: origin.mainTip });
    const r = await reviewJson(c.ws, p.outputs.base!, p.outputs.head!);
    expect(r.statuses).toEqual(pushTruth.statuses);
    expect(r.statuses.filter((s) => s.includes("k8s/privileged-container")).map((s) => s.split(" ").slice(0, 2).join(" "))).toEqual(["new apps/main-only.yaml"]);
  });

  it("a push that created the branch (before is all zeros): exit 2, set `base`", () => {
    const c = actionsCheckout(origin, "push", 1, { before: "0".repeat(40), after: origin.mainTip });
    const p = prepare(c);
    expect(p.code).toBe(2);
    expect(p.stdout).toMatch(/^::error title=gitops-guard cannot compare the pull request::this push created the branch, .*set the action's `base` input/m);
    expect(p.stdout).not.toContain("fetch-depth");
    expect(p.outputs).toEqual({});
  });

  it("a push that created a tag: the same, naming the tag", () => {
    const c = actionsCheckout(origin, "push", 1, { before: "0".repeat(40), after: origin.mainTip });
    writeFileSync(c.env.GITHUB_EVENT_PATH!, JSON.stringify({ ref: "refs/tags/v1.0.0", before: "0".repeat(40), after: origin.mainTip, created: true }));
    const p = prepare(c);
    expect(p.code).toBe(2);
    expect(p.stdout).toContain("this push created the tag, so it has no earlier commit to compare with");
  });

  it("a `before` the repository no longer has (a force-push's, garbage-collected): exit 2 naming it and what to set", () => {
    const gone = "1234567890abcdef1234567890abcdef12345678";
    const c = actionsCheckout(origin, "push", 1, { before: gone, after: origin.mainTip });
    const p = prepare(c);
    expect(p.code).toBe(2);
    expect(p.stdout).toContain(`base ${gone} could not be fetched from origin`);
    expect(p.stdout).toMatch(/set the action's `base`\/`head` inputs to commits the repository has/);
  });
});

describe("merge_group: a merge queue checks out the group's merge commit", () => {
  it.each([1, 0])("fetch-depth: %i reviews it against the group's base_sha: the PR's answer", async (depth) => {
    const c = actionsCheckout(origin, "merge_group", depth);
    const p = prepare(c);
    expect(p.code).toBe(0);
    expect(p.outputs).toEqual({ base: origin.mainTip, head: origin.merge });
    const r = await reviewJson(c.ws, p.outputs.base!, p.outputs.head!);
    expect(r.summary).toEqual(prTruth.summary);
    expect(r.statuses).toEqual(prTruth.statuses);
  });
});

describe("action.yml itself", () => {
  it("asks setup-node for no npm cache keyed on the action's own lockfile (setup-node hashes it with @actions/glob, which skips files outside GITHUB_WORKSPACE, and fails the step)", () => {
    const doc = parseDocument(readFileSync(join(ROOT, "action.yml"), "utf8")).toJS() as { runs: { steps: Array<{ uses?: string; with?: Record<string, unknown> }> } };
    const setupNode = doc.runs.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setupNode?.with?.["node-version"]).toBe(22);
    const dependency = String(setupNode?.with?.["cache-dependency-path"] ?? "");
    expect(setupNode?.with?.cache === undefined || !dependency.includes("github.action_path")).toBe(true);
  });
});
