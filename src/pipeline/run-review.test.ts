import { describe, expect, it } from "@jest/globals";
import { ConfigError, defaultConfig, parseConfig } from "../core/config.js";
import { Policy } from "../core/policy.js";
import { commentBody, contentDigest } from "../report/summary-comment.js";
import { ALL_RULES } from "../rules/index.js";
import { publishSummary, type CommentMemory } from "./comment.js";
import { assemble, planFetch } from "./gather.js";
import { describeError, runReview } from "./run-review.js";
import type { FactsProvider, ImageFactRequest, ProviderResult } from "../core/facts.js";
import type { FactsSource } from "../facts/source.js";
import { ECR_FACTS, type EcrImageFact } from "../facts/ecr-image-fact.js";
import { complete, foundFact, vuln } from "../../test/helpers/facts.js";
import type { ChangedFile, CheckCompletion, FileVersion, FileVersionRequest, PullRequestTarget, RememberedComment, ReviewDecisions, ReviewPorts, SummaryComment } from "./types.js";

const HEAD = "h".repeat(40);
const BASE = "b".repeat(40);
const target: PullRequestTarget = { owner: "acme", repo: "gitops", number: 5, headSha: HEAD, baseSha: BASE, changedFiles: 1 };

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: busybox@sha256:${"a".repeat(64)}
      securityContext:
        privileged: true
`;

/** In-memory ports: files and contents from maps, check runs and comments recorded. */
class MemoryPorts {
  completions: CheckCompletion[] = [];
  comment: SummaryComment | null = null;
  commentWrites = 0;
  /** Ids of comments an update was asked for. */
  commentUpdates: number[] = [];
  currentHead = HEAD;
  headReads = 0;
  failStart = false;
  failContents = false;
  failCompleteTimes = 0;
  rawConfig: unknown = {};
  files: ChangedFile[] = [];
  blobs = new Map<string, string>();
  /** `sha:path` → size of a version the source reports as over the limit (never downloaded). */
  oversized = new Map<string, number>();

  checks = {
    start: async () => {
      if (this.failStart) throw Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
      return 11;
    },
    complete: async (_id: number, c: CheckCompletion) => {
      if (this.failCompleteTimes-- > 0) throw new Error("PATCH failed");
      this.completions.push(c);
    },
  };
  config = {
    load: async () => {
      if (this.rawConfig instanceof Error) throw this.rawConfig;
      return this.rawConfig;
    },
  };
  filesPort = { list: async () => ({ files: this.files, notes: [] }) };
  contents = {
    fetch: async (requests: readonly FileVersionRequest[]) => {
      if (this.failContents) throw new Error("GraphQL timed out");
      const out = new Map<string, FileVersion>();
      for (const r of requests) {
        const byteSize = this.oversized.get(`${r.commitSha}:${r.path}`);
        if (byteSize !== undefined) {
          out.set(r.key, { kind: "oversized", byteSize });
          continue;
        }
        const text = this.blobs.get(`${r.commitSha}:${r.path}`);
        out.set(r.key, text === undefined ? { kind: "missing" } : { kind: "text", text });
      }
      return out;
    },
  };
  /** Ids of comments read by id. */
  commentReads: number[] = [];
  comments = {
    maxBodyChars: 65_536,
    find: async () => this.comment,
    read: async (id: number) => (this.commentReads.push(id), this.comment?.id === id ? this.comment : null),
    create: async (body: string) => {
      this.commentWrites++;
      this.comment = { id: 1, body, sha: HEAD };
      return 1;
    },
    update: async (id: number, body: string) => {
      this.commentUpdates.push(id);
      if (this.comment?.id !== id) return false;
      this.commentWrites++;
      this.comment = { id, body, sha: HEAD };
      return true;
    },
    currentHeadSha: async () => (this.headReads++, this.currentHead),
  };
}

function ports(m: MemoryPorts): ReviewPorts {
  return { platform: "GitHub", checks: m.checks, config: m.config, files: m.filesPort, contents: m.contents, comments: m.comments };
}

describe("runReview", () => {
  it("reviews and completes the check run; a new finding creates the comment", async () => {
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "added" }];
    m.blobs.set(`${HEAD}:pod.yaml`, PRIVILEGED);
    const outcome = await runReview(target, { ports: ports(m) });
    expect(outcome).toMatchObject({ kind: "reviewed", checkRunId: 11, comment: "created" });
    expect(m.completions).toHaveLength(1);
    expect(m.completions[0].conclusion).toBe("failure");
  });

  it("a review whose time budget is spent fails its check run with that reason, naming the files left", async () => {
    const m = new MemoryPorts();
    m.files = [
      { path: "a.yaml", status: "added" },
      { path: "b.yaml", status: "added" },
    ];
    m.blobs.set(`${HEAD}:a.yaml`, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    m.blobs.set(`${HEAD}:b.yaml`, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
    // Parse failures or not, nothing blocks under this policy: only the spent budget can fail the check.
    m.rawConfig = { failOn: "critical" };
    const outcome = await runReview(target, { ports: ports(m), maxReviewMs: -1 }); // a budget spent before the first file
    expect(outcome).toMatchObject({ kind: "reviewed", result: { unreviewed: ["a.yaml", "b.yaml"] } });
    expect(m.completions).toHaveLength(1);
    expect(m.completions[0]).toMatchObject({ conclusion: "failure", output: { title: "Not fully reviewed: the time budget ran out before 2 of 2 files" } });
    expect(m.completions[0]!.output.summary).toContain("Not reviewed: the review's time budget");
    expect(m.completions[0]!.output.summary.startsWith("**Not fully reviewed: the time budget ran out before 2 of 2 files**\n\n")).toBe(true);
    expect(m.completions[0]!.output.annotations.map((a) => a.path)).toEqual(["a.yaml", "b.yaml"]);
    // The summary comment says the same first (never "No new risky changes" while the check fails).
    expect(m.comment?.body).toContain("❌ gitops-guard: Not fully reviewed: the time budget ran out before 2 of 2 files");
  });

  it("an internal error completes the run as failure with the reason (and the configured onError)", async () => {
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "added" }];
    m.failContents = true;
    expect(await runReview(target, { ports: ports(m) })).toMatchObject({ kind: "error", reason: "GraphQL timed out" });
    expect(m.completions[0]).toMatchObject({ conclusion: "failure", output: { title: "gitops-guard could not finish the review" } });

    const n = new MemoryPorts();
    n.files = [{ path: "pod.yaml", status: "added" }];
    n.failContents = true;
    n.rawConfig = { onError: "neutral" };
    await runReview(target, { ports: ports(n) });
    expect(n.completions[0].conclusion).toBe("neutral");
  });

  it("records a review that failed in the decision store, with the check run's conclusion and the reason (held-out round 17)", async () => {
    const failed: unknown[] = [];
    const recorded: unknown[] = [];
    const decisions: ReviewDecisions = {
      waiversFor: async () => [],
      overrideFor: async () => null,
      recordReview: async (r) => void recorded.push(r),
      recordFailedReview: async (r) => void failed.push(r),
    };
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "added" }];
    m.failContents = true;
    const at = new Date("2026-12-07T16:00:00.000Z");
    const outcome = await runReview(target, { ports: ports(m), decisions, now: () => at, deliveryId: "d-1" });
    expect(outcome).toMatchObject({ kind: "error", reason: "GraphQL timed out" });
    expect(recorded).toEqual([]);
    expect(failed).toEqual([
      { repo: `${target.owner}/${target.repo}`, pr: target.number, headSha: target.headSha, baseSha: target.baseSha, conclusion: "failure", reason: "GraphQL timed out", checkRunId: outcome.checkRunId, time: at, deliveryId: "d-1" },
    ]);
    // With onError: neutral, the record says neutral, as the check run does; a store that fails too changes nothing.
    const n = new MemoryPorts();
    n.files = [{ path: "pod.yaml", status: "added" }];
    n.failContents = true;
    n.rawConfig = { onError: "neutral" };
    const down: ReviewDecisions = { ...decisions, recordFailedReview: async () => Promise.reject(new Error("store down")) };
    expect(await runReview(target, { ports: ports(n), decisions: down })).toMatchObject({ kind: "error", reason: "GraphQL timed out" });
    expect(n.completions[0]!.conclusion).toBe("neutral");
    await runReview(target, { ports: ports(n), decisions });
    expect(failed.at(-1)).toMatchObject({ conclusion: "neutral" });
  });

  it("when completing the result fails, it still completes the run with the error (never left in progress)", async () => {
    const m = new MemoryPorts();
    m.failCompleteTimes = 1;
    const outcome = await runReview(target, { ports: ports(m) });
    expect(outcome.kind).toBe("error");
    expect(m.completions).toHaveLength(1);
    expect(m.completions[0].conclusion).toBe("failure");
  });

  it("a check run that cannot be created ends the review without further writes", async () => {
    const m = new MemoryPorts();
    m.failStart = true;
    expect(await runReview(target, { ports: ports(m) })).toMatchObject({ kind: "error", checkRunId: null, reason: "GitHub API answered 403: Resource not accessible by integration" });
    expect(m.completions).toHaveLength(0);
    expect(m.commentWrites).toBe(0);
  });

  it("an invalid config fails the run with each problem", async () => {
    const m = new MemoryPorts();
    m.rawConfig = { failOn: "extreme" };
    const outcome = await runReview(target, { ports: ports(m) });
    expect(outcome.kind).toBe("invalid-config");
    expect(m.completions[0]).toMatchObject({ conclusion: "failure", output: { title: "Invalid gitops-guard configuration" } });
    m.rawConfig = new ConfigError(["Configuration could not be parsed (invalid YAML)"]);
    m.completions = [];
    expect((await runReview(target, { ports: ports(m) })).kind).toBe("invalid-config");
  });

  it("a bad rule option is an invalid config naming the key, not an internal error", async () => {
    const m = new MemoryPorts();
    m.rawConfig = { rules: { "image/mutable-tag": { options: { tag: ["main"] } } } };
    expect(await runReview(target, { ports: ports(m) })).toMatchObject({ kind: "invalid-config", problems: ['rules.image/mutable-tag.options.tag: unknown key; did you mean "tags"?'] });
  });

  it("links findings to their lines at the head commit, and the comment to the check run, when the repository's address is known", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "added" }];
    m.blobs.set(`${sha}:pod.yaml`, PRIVILEGED);
    await runReview({ ...target, headSha: sha, webUrl: "https://github.com/acme/gitops" }, { ports: ports(m) });
    const line = `https://github.com/acme/gitops/blob/${sha}/pod.yaml#L10`;
    expect(m.comment!.body).toContain(`(${line})`);
    expect(m.comment!.body).toContain(`Reviewed [\`0123456\`](https://github.com/acme/gitops/commit/${sha})`);
    expect(m.completions[0].output.summary).toContain(`(${line})`);

    const plain = new MemoryPorts();
    plain.files = m.files;
    plain.blobs = m.blobs;
    await runReview({ ...target, headSha: sha }, { ports: ports(plain) });
    expect(plain.comment!.body).toContain("Reviewed `0123456`");
    expect(plain.comment!.body).toContain("`pod.yaml:10`");
    expect(plain.comment!.body).not.toContain("](http");
  });

  it("a stale review (newer head known) leaves the comment alone", async () => {
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "added" }];
    m.blobs.set(`${HEAD}:pod.yaml`, PRIVILEGED);
    expect(await runReview(target, { ports: ports(m), isLatest: () => false })).toMatchObject({ comment: "skipped-stale" });
    expect(m.commentWrites).toBe(0);
  });
});

describe("publishSummary", () => {
  const md = "### report\n";
  const m = () => new MemoryPorts();

  it("creates only with new findings; edits an existing comment even when all is clear now", async () => {
    const a = m();
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: false, isLatest: true })).toBe("skipped-no-findings");
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true })).toBe("created");
    expect(await publishSummary(a.comments, target, "### all clear\n", { hasNewFindings: false, isLatest: true })).toBe("updated");
    expect(await publishSummary(a.comments, target, "### all clear\n", { hasNewFindings: false, isLatest: true })).toBe("unchanged");
    expect(a.commentWrites).toBe(2);
  });

  it("a PR just opened with nothing to say does not even look for a comment", async () => {
    const a = m();
    a.comments.find = async () => {
      throw new Error("should not be called");
    };
    expect(await publishSummary(a.comments, { ...target, justOpened: true }, md, { hasNewFindings: false, isLatest: true })).toBe("skipped-no-findings");
  });

  it("a comment for the push before this one is overwritten without asking for the PR's head", async () => {
    const a = m();
    a.comment = { id: 1, body: commentBody("old", "p".repeat(40)), sha: "p".repeat(40) };
    expect(await publishSummary(a.comments, { ...target, previousHeadSha: "p".repeat(40) }, md, { hasNewFindings: true, isLatest: true })).toBe("updated");
    expect(a.headReads).toBe(0);
  });

  it("a comment for an unknown SHA is overwritten only when this review is for the PR's current head", async () => {
    const a = m();
    a.comment = { id: 1, body: commentBody("newer", "n".repeat(40)), sha: "n".repeat(40) };
    a.currentHead = "n".repeat(40);
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true })).toBe("skipped-stale");
    a.currentHead = HEAD;
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true })).toBe("updated");
    expect(a.headReads).toBe(2);
  });
});

describe("tree listings", () => {
  it("lists the base tree too only when the base versions could fill more than one read of unknown sizes", async () => {
    for (const [changedFiles, expected] of [
      [3, [HEAD]],
      [250, [HEAD, BASE]],
      [Number.NaN, [HEAD]],
    ] as const) {
      const m = new MemoryPorts();
      m.files = [{ path: "pod.yaml", status: "modified" }];
      m.blobs.set(`${HEAD}:pod.yaml`, PRIVILEGED);
      m.blobs.set(`${BASE}:pod.yaml`, PRIVILEGED);
      const listedShas: string[] = [];
      const sizes: Array<number | undefined> = [];
      const p = ports(m);
      const fetch = p.contents.fetch;
      const outcome = await runReview(
        { ...target, changedFiles },
        {
          ports: {
            ...p,
            contents: { fetch: (r, max) => (sizes.push(...r.map((x) => x.size)), fetch(r, max)), unsizedBatchSize: 200 },
            trees: { list: async (sha) => (listedShas.push(sha), { files: [{ path: "pod.yaml", size: sha === BASE ? 7 : PRIVILEGED.length }], truncated: false }) },
          },
        },
      );
      expect(outcome.kind).toBe("reviewed");
      expect(listedShas.sort()).toEqual([...expected].sort());
      expect(sizes).toContain(PRIVILEGED.length);
      expect(sizes.includes(7)).toBe(expected.length === 2);
    }
  });
});

describe("gather", () => {
  const policy = new Policy(defaultConfig(), ALL_RULES);

  it("reads only the sides it reviews, renamed bases at their previous path", () => {
    // A copy arrives from the adapter as an added file (github/pull-files.ts toChangedFile).
    const files: ChangedFile[] = [
      { path: "added.yaml", status: "added" },
      { path: "gone.yaml", status: "removed" },
      { path: "mod.yml", status: "modified" },
      { path: "new.yaml", status: "renamed", previousPath: "old.yaml" },
      { path: "copy.yaml", status: "added" },
      { path: "notes.md", status: "modified" },
      { path: "was-yaml.txt", status: "renamed", previousPath: "was-yaml.yaml" },
    ];
    const plan = planFetch(files, policy, { base: "B", head: "H" });
    expect(plan.requests.map((r) => `${r.commitSha}:${r.path}`)).toEqual([
      "H:added.yaml",
      "B:gone.yaml",
      "H:mod.yml",
      "B:mod.yml",
      "H:new.yaml",
      "B:old.yaml",
      "H:copy.yaml",
      "B:was-yaml.yaml",
    ]);
    expect(plan.planned.map((p) => p.change)).toContainEqual({ path: "copy.yaml", status: "added" });
  });

  it("reads both sides of a .json file, which the review judges when it is a Kubernetes manifest (held-out round 21)", () => {
    const plan = planFetch([{ path: "apps/agent.json", status: "modified" }, { path: "notes.md", status: "modified" }], policy, { base: "B", head: "H" });
    expect(plan.requests.map((r) => `${r.commitSha}:${r.path}`)).toEqual(["H:apps/agent.json", "B:apps/agent.json"]);
    const excluding = new Policy(parseConfig({ paths: { exclude: ["dashboards/**"] } }, ALL_RULES), ALL_RULES);
    expect(planFetch([{ path: "dashboards/api.json", status: "added" }], excluding, { base: "B", head: "H" }).requests).toEqual([]);
  });

  it("a file missing at the head is not reviewed (its base findings must not turn into 'fixed') and gets a note", () => {
    const plan = planFetch([{ path: "mod.yaml", status: "modified" }], policy, { base: "B", head: HEAD });
    const { changes, notes } = assemble(plan, new Map([["base:mod.yaml", { kind: "text", text: "a: 1" }]]), HEAD, 1_000_000);
    expect(changes).toEqual([]);
    expect(notes[0]).toMatch(/^mod\.yaml: not found at hhhhhhh/);
  });

  it("an oversized blob becomes unread content of its size: nothing of that size is allocated", () => {
    const plan = planFetch([{ path: "big.yaml", status: "added" }], policy, { base: "B", head: "H" });
    const { changes } = assemble(plan, new Map([["head:big.yaml", { kind: "oversized", byteSize: 2_000_000 }]]), "H", 1_000_000);
    expect(changes[0].head).toEqual({ unread: "too-large", byteSize: 2_000_000, limit: 1_000_000 });
  });

  it("a blob far larger than memory is reviewed as too large, not allocated (a 1 TB buffer would fail the review)", async () => {
    const m = new MemoryPorts();
    m.files = [{ path: "huge.yaml", status: "modified" }];
    m.oversized.set(`${HEAD}:huge.yaml`, 2 ** 40);
    m.oversized.set(`${BASE}:huge.yaml`, 2 ** 40 - 1);
    const outcome = await runReview(target, { ports: ports(m) });
    expect(outcome.kind).toBe("reviewed");
    if (outcome.kind !== "reviewed") return;
    const finding = outcome.result.findings.find((f) => f.file === "huge.yaml");
    expect(finding).toMatchObject({ ruleId: "guard/parse-error", status: "existing" });
    expect(finding?.message).toMatch(/1\.1 TB|1099\.5 GB|over the 1\.0 MB limit/);
  });
});

describe("describeError", () => {
  it("is one short line", () => {
    expect(describeError(new Error(`first\nsecond`))).toBe("first");
    expect(describeError("x".repeat(500)).length).toBe(300);
  });
});

describe("the facts port", () => {
  const R = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
  const pod = (images: string[]) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  automountServiceAccountToken: false\n  containers:\n${images.map((i, n) => `    - name: c${n}\n      image: ${i}\n`).join("")}`;

  function source(asked: string[][], answer: (r: ImageFactRequest) => ProviderResult<EcrImageFact>): FactsSource {
    const provider: FactsProvider<EcrImageFact> = {
      slot: ECR_FACTS,
      name: "ECR",
      enabled: true,
      covers: (ref) => ref.registry === R,
      gather: async (requests) => {
        asked.push(requests.map((r) => r.key));
        return new Map(requests.map((r) => [r.key, answer(r)]));
      },
    };
    return { providersFor: async () => [provider], mayReference: (text) => text.includes(".dkr.ecr.") };
  }

  it("asks about the images the head introduces (not the base's), and the rules and the report read the answers", async () => {
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "modified" }];
    m.blobs.set(`${BASE}:pod.yaml`, pod([`${R}/api:v1`, "nginx:1.27"]));
    m.blobs.set(`${HEAD}:pod.yaml`, pod([`${R}/api:v1`, `${R}/api:v2`, "nginx:1.28"]));
    const asked: string[][] = [];
    const facts = source(asked, () => ({ kind: "fact", value: foundFact({ repository: "api", tag: "v2", scan: complete([vuln("CVE-2026-1", "CRITICAL")]) }) }));
    const outcome = await runReview(target, { ports: ports(m), facts });
    expect(asked).toEqual([[`${R}/api:v2`]]);
    expect(outcome).toMatchObject({ kind: "reviewed" });
    const done = m.completions[0]!;
    expect(done.conclusion).toBe("failure");
    expect(done.output.annotations.map((a) => [a.title, a.start_line])).toEqual(expect.arrayContaining([[expect.stringContaining("ecr/critical-vulnerabilities"), 11]]));
    expect(done.output.summary).toContain("#### Images (1)");
    expect(m.comment?.body).toContain("CVE-2026-1<br><sub>openssl 3.0.1 → 3.0.15</sub>");
  });

  it("a source that fails completes the check as failure with the reason (never a silent pass)", async () => {
    const m = new MemoryPorts();
    m.files = [{ path: "pod.yaml", status: "added" }];
    m.blobs.set(`${HEAD}:pod.yaml`, pod([`${R}/api:v2`]));
    const facts: FactsSource = { providersFor: async () => Promise.reject(new Error("ECR module failed to load")) };
    expect(await runReview(target, { ports: ports(m), facts })).toMatchObject({ kind: "error", reason: "ECR module failed to load" });
    expect(m.completions[0]).toMatchObject({ conclusion: "failure" });
  });
});

describe("publishSummary with the decision store's memory of the comment", () => {
  const md = "### report\n";
  const previous = "p".repeat(40);
  /** A memory in a variable; `failRecall` makes recalls fail as an unreachable store would. */
  const memoryOf = (start: RememberedComment | null) => {
    const mem = { value: start, failRecall: false, recalls: 0 };
    const memory: CommentMemory = {
      recall: async () => {
        mem.recalls++;
        if (mem.failRecall) throw new Error("store unreachable");
        return mem.value;
      },
      remember: async (c) => {
        mem.value = c;
      },
    };
    return { mem, memory };
  };
  const noLookup = (a: MemoryPorts) => {
    a.comments.find = async () => {
      throw new Error("the comment was looked up");
    };
  };

  it("remembers the comment it creates: id, head SHA and content digest", async () => {
    const a = new MemoryPorts();
    const { mem, memory } = memoryOf(null);
    expect(await publishSummary(a.comments, { ...target, justOpened: true }, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("created");
    expect(mem.value).toEqual({ id: 1, sha: HEAD, digest: contentDigest(commentBody(md, HEAD)) });
  });

  it("edits the remembered comment by its id after a push, without looking it up or asking for the head", async () => {
    const a = new MemoryPorts();
    a.comment = { id: 1, body: commentBody("old", previous), sha: previous };
    noLookup(a);
    const { mem, memory } = memoryOf({ id: 1, sha: previous, digest: contentDigest(a.comment.body) });
    expect(await publishSummary(a.comments, { ...target, previousHeadSha: previous }, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("updated");
    expect(a.commentUpdates).toEqual([1]);
    expect(a.headReads).toBe(0);
    expect(a.comment.body).toBe(commentBody(md, HEAD));
    expect(mem.value).toEqual({ id: 1, sha: HEAD, digest: contentDigest(commentBody(md, HEAD)) });
  });

  it("an unchanged body is not written again: the remembered comment is read by id (not looked up) to be sure", async () => {
    const a = new MemoryPorts();
    a.comment = { id: 1, body: commentBody(md, HEAD), sha: HEAD };
    noLookup(a);
    const { memory } = memoryOf({ id: 1, sha: HEAD, digest: contentDigest(commentBody(md, HEAD)) });
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("unchanged");
    expect(a.commentReads).toEqual([1]);
    expect(a.commentUpdates).toEqual([]);
    expect(a.headReads).toBe(0);
  });

  it("a comment that no longer says what the memory says (reviews finished out of order) is written again", async () => {
    const a = new MemoryPorts();
    a.comment = { id: 1, body: commentBody("### an older review's report\n", HEAD), sha: HEAD };
    noLookup(a);
    const { memory } = memoryOf({ id: 1, sha: HEAD, digest: contentDigest(commentBody(md, HEAD)) });
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("updated");
    expect(a.comment.body).toBe(commentBody(md, HEAD));
  });

  it("a changed body is written by id without reading the comment first", async () => {
    const a = new MemoryPorts();
    a.comment = { id: 1, body: commentBody("old", HEAD), sha: HEAD };
    noLookup(a);
    const { memory } = memoryOf({ id: 1, sha: HEAD, digest: contentDigest(a.comment.body) });
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("updated");
    expect(a.commentReads).toEqual([]);
    expect(a.commentUpdates).toEqual([1]);
  });

  it("a remembered comment for an unknown SHA is edited only when this review is for the PR's current head", async () => {
    const a = new MemoryPorts();
    const newer = "n".repeat(40);
    a.comment = { id: 1, body: commentBody("newer", newer), sha: newer };
    noLookup(a);
    const { memory } = memoryOf({ id: 1, sha: newer, digest: contentDigest(a.comment.body) });
    a.currentHead = newer;
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("skipped-stale");
    expect(a.commentUpdates).toEqual([]);
    a.currentHead = HEAD;
    expect(await publishSummary(a.comments, target, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("updated");
    expect(a.headReads).toBe(2);
  });

  it("a remembered comment someone deleted is looked up, and written again when there is something to say", async () => {
    const a = new MemoryPorts();
    const { mem, memory } = memoryOf({ id: 7, sha: previous, digest: "d" });
    let lookups = 0;
    a.comments.find = async () => (lookups++, a.comment);
    expect(await publishSummary(a.comments, { ...target, previousHeadSha: previous }, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("created");
    expect(a.commentUpdates).toEqual([7]);
    expect(lookups).toBe(1);
    expect(mem.value?.id).toBe(1);
    // Gone, and all is clear now: nothing to write.
    const b = new MemoryPorts();
    const other = memoryOf({ id: 7, sha: previous, digest: "d" });
    expect(await publishSummary(b.comments, { ...target, previousHeadSha: previous }, md, { hasNewFindings: false, isLatest: true }, other.memory)).toBe("skipped-no-findings");
    expect(b.commentWrites).toBe(0);
    // Gone while the memory says it holds this very body: read by id (null), looked up, written again.
    const c = new MemoryPorts();
    const same = memoryOf({ id: 7, sha: HEAD, digest: contentDigest(commentBody(md, HEAD)) });
    expect(await publishSummary(c.comments, target, md, { hasNewFindings: true, isLatest: true }, same.memory)).toBe("created");
    expect(c.commentReads).toEqual([7]);
    expect(same.mem.value?.id).toBe(1);
  });

  it("a store that cannot be read costs the lookup, not the comment", async () => {
    const a = new MemoryPorts();
    a.comment = { id: 1, body: commentBody("old", previous), sha: previous };
    const { mem, memory } = memoryOf({ id: 99, sha: previous, digest: "d" });
    mem.failRecall = true;
    expect(await publishSummary(a.comments, { ...target, previousHeadSha: previous }, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("updated");
    expect(a.commentUpdates).toEqual([1]);
    expect(mem.recalls).toBe(1);
  });

  it("a comment found by lookup is remembered, so the next review goes straight to it", async () => {
    const a = new MemoryPorts();
    a.comment = { id: 1, body: commentBody("old", previous), sha: previous };
    const { mem, memory } = memoryOf(null);
    expect(await publishSummary(a.comments, { ...target, previousHeadSha: previous }, md, { hasNewFindings: true, isLatest: true }, memory)).toBe("updated");
    expect(mem.value).toEqual({ id: 1, sha: HEAD, digest: contentDigest(commentBody(md, HEAD)) });
  });
});
