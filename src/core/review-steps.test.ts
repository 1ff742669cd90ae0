/**
 * The review in steps (issue 12 #2: a server must keep answering while it reviews) and the review's time budget,
 * the backstop that turns a review too long for its deadline into a failed check naming the files left unjudged.
 * A fake clock makes "slow" exact: the slow rule costs one second of it per document.
 */
import { describe, expect, it } from "@jest/globals";
import { defaultConfig, parseConfig } from "./config.js";
import { prepareReview, prepareReviewSteps, review, type FileChange } from "./review.js";
import { mapSide } from "./repository.js";
import { runSteps } from "./steps.js";
import { ALL_RULES } from "../rules/index.js";
import { slowRule } from "../../test/helpers/slow-rule.js";

const PRIVILEGED = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: c
      image: busybox@sha256:${"a".repeat(64)}
      securityContext:
        privileged: true
`;
const now = new Date("2026-12-01T00:00:00Z");
const added = (n: number): FileChange[] => Array.from({ length: n }, (_, i) => ({ path: `apps/f${i}.yaml`, status: "added" as const, head: PRIVILEGED(`p${i}`) }));

describe("the review in steps", () => {
  it("yields at least once per changed file and gives what the synchronous review gives", () => {
    const changes = added(5);
    const input = { changes, config: defaultConfig(), rules: ALL_RULES, now };
    let yields = 0;
    const prepare = prepareReviewSteps(input);
    let p = prepare.next();
    while (!p.done) p = prepare.next();
    const steps = p.value.evaluateSteps();
    let e = steps.next();
    while (!e.done) {
      yields++;
      e = steps.next();
    }
    expect(yields).toBeGreaterThanOrEqual(5);
    expect(e.value).toEqual(review(input));
    expect(e.value.findings.filter((f) => f.ruleId === "k8s/privileged-container")).toHaveLength(5);
  });

  it("a prepared review is evaluated once, in steps or not", () => {
    const prepared = prepareReview({ changes: added(1), config: defaultConfig(), rules: ALL_RULES, now });
    runSteps(prepared.evaluateSteps());
    expect(() => prepared.evaluate()).toThrow("evaluated once");
  });
});

describe("the review's time budget", () => {
  it("leaves the files after it is spent unjudged: one guard/parse-error each, a note, and a failed review", () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    const changes: FileChange[] = ["a", "b", "c", "d", "e"].map((n) => ({ path: `${n}.yaml`, status: "added", head: PRIVILEGED(n) }));
    const result = review({ changes, config: defaultConfig(), rules: [slowRule(clock, calls), ...ALL_RULES], now, clock: () => clock.now, maxReviewMs: 2500 });
    // One second per file: after a, b and c the budget (2.5 s) is spent; d and e are never looked at.
    expect(calls).toEqual(["a.yaml", "b.yaml", "c.yaml"]);
    expect(result.unreviewed).toEqual(["d.yaml", "e.yaml"]);
    expect(result.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => f.file)).toEqual(["a.yaml", "b.yaml", "c.yaml"]);
    const left = result.findings.filter((f) => f.ruleId === "guard/parse-error");
    expect(left.map((f) => [f.file, f.line, f.status, f.message])).toEqual([
      ["d.yaml", 1, "new", "d.yaml not reviewed: the review's time budget (2.5 s of work) ran out before this file was judged"],
      ["e.yaml", 1, "new", "e.yaml not reviewed: the review's time budget (2.5 s of work) ran out before this file was judged"],
    ]);
    // Its own fix, not the rule's YAML-syntax one (held-out round 17).
    expect(left[0]!.fix).toMatch(/^Run `\/guard recheck` \(or push again\) to review it again; if the budget runs out again, split the pull request/);
    expect(result.notes).toContainEqual(expect.stringMatching(/^Not reviewed: the review's time budget \(2\.5 s of work\) ran out before 2 of 5 files were judged \(d\.yaml, e\.yaml\)/));
    expect(result.conclusion).toBe("failure");
    expect(result.filesReviewed).toBe(5);
  });

  it("fails the review even when the policy would let every finding pass (never a silent green)", () => {
    const clock = { now: 0 };
    const config = parseConfig({ failOn: "critical", rules: { "guard/parse-error": "off", "k8s/privileged-container": "off" } }, ALL_RULES);
    const changes: FileChange[] = ["a", "b"].map((n) => ({ path: `${n}.yaml`, status: "added", head: PRIVILEGED(n) }));
    const result = review({ changes, config, rules: [slowRule(clock, []), ...ALL_RULES], now, clock: () => clock.now, maxReviewMs: 500 });
    expect(result.unreviewed).toEqual(["b.yaml"]);
    expect(result.findings.some((f) => f.ruleId === "guard/parse-error")).toBe(false);
    expect(result.conclusion).toBe("failure");
    expect(result.notes.some((n) => n.includes("1 of 2 files were judged (b.yaml)"))).toBe(true);
  });

  it("counts only the review's own work: time spent elsewhere between its steps does not use it up", () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    const input = { changes: added(4), config: defaultConfig(), rules: [slowRule(clock, calls), ...ALL_RULES], now, clock: () => clock.now, maxReviewMs: 4500 };
    const prepare = prepareReviewSteps(input);
    let p = prepare.next();
    while (!p.done) {
      clock.now += 60_000; // a minute of other work (webhooks, other reviews) between two steps
      p = prepare.next();
    }
    const steps = p.value.evaluateSteps();
    let e = steps.next();
    while (!e.done) {
      clock.now += 60_000;
      e = steps.next();
    }
    expect(calls).toHaveLength(4);
    expect(e.value.unreviewed).toBeUndefined();
    expect(e.value.conclusion).toBe("failure"); // the privileged pods
    expect(e.value.findings.some((f) => f.ruleId === "guard/parse-error")).toBe(false);
  });

  it("a file parsed in one step and judged in a later one is not charged for the time in between (per-file budget)", () => {
    const clock = { now: 0 };
    const prepared = prepareReview({ changes: added(2), config: defaultConfig(), rules: ALL_RULES, now, clock: () => clock.now, limits: { maxFileBytes: 1_000_000, maxAliasCount: 100, maxDepth: 100, maxFileMs: 1000 } });
    // The facts stage reads the documents (parsing the files), then the review waits for the decision store.
    expect([...prepared.documents("head")]).toHaveLength(2);
    clock.now += 5000;
    const result = prepared.evaluate();
    expect(result.findings.some((f) => f.ruleId === "guard/parse-error")).toBe(false);
    expect(result.findings.filter((f) => f.ruleId === "k8s/privileged-container")).toHaveLength(2);
  });

  it("documents() stops reading files once the budget is spent (their facts would be of no use)", () => {
    const clock = { now: 0 };
    const prepared = prepareReview({ changes: added(3), config: defaultConfig(), rules: ALL_RULES, now, clock: () => clock.now, maxReviewMs: 1500 });
    const seen: string[] = [];
    for (const doc of prepared.documents("head")) {
      seen.push(doc.file);
      clock.now += 1000; // the caller's own time is not counted…
    }
    expect(seen).toEqual(["apps/f0.yaml", "apps/f1.yaml", "apps/f2.yaml"]);
    const spending = prepareReview({ changes: added(3), config: defaultConfig(), rules: [slowRule(clock, []), ...ALL_RULES], now, clock: () => clock.now, maxReviewMs: 1500 });
    // …the review's is: evaluation spends it (one second a file), and the files left are not judged…
    expect(spending.evaluate().unreviewed).toEqual(["apps/f2.yaml"]);
    // …nor read any more.
    expect([...spending.documents("head")]).toEqual([]);
  });
});

describe("the review in steps, with the Kustomize render", () => {
  /** Three Kustomize roots, each rendering one ConfigMap from its own file. */
  const repo = (): Map<string, string> => {
    const files = new Map<string, string>();
    for (const app of ["a", "b", "c"]) {
      files.set(`apps/${app}/kustomization.yaml`, "resources:\n  - cm.yaml\n");
      files.set(`apps/${app}/cm.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}\n`);
    }
    return files;
  };
  const input = (clock: { now: number }, calls: string[], maxReviewMs?: number) => {
    const files = repo();
    return {
      changes: [...files].map(([path, head]): FileChange => ({ path, status: "added", head })),
      config: defaultConfig(),
      rules: [slowRule(clock, calls), ...ALL_RULES],
      now,
      clock: () => clock.now,
      repository: { head: mapSide(files) },
      ...(maxReviewMs !== undefined ? { maxReviewMs } : {}),
    };
  };

  it("yields between the roots it renders", () => {
    const prepare = prepareReviewSteps(input({ now: 0 }, []));
    let yields = 0;
    let p = prepare.next();
    while (!p.done) {
      yields++;
      p = prepare.next();
    }
    expect(yields).toBeGreaterThanOrEqual(3);
    expect(p.value.evaluate().notes).toContainEqual(expect.stringContaining("rendered in process and judged as Argo CD applies them: apps/a, apps/b, apps/c"));
  });

  it("a root judged after the budget is spent leaves its changed files unreviewed", () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    // The slow rule costs a second per rendered object: roots a and b are judged, then the 1.5 s are spent.
    const result = review(input(clock, calls, 1500));
    expect(calls).toEqual(["apps/a/cm.yaml", "apps/b/cm.yaml"]);
    expect(result.unreviewed).toEqual(["apps/c/kustomization.yaml", "apps/c/cm.yaml"]);
    expect(result.conclusion).toBe("failure");
  });
});
