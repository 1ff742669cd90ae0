/**
 * Issue 12 #2, engine side: a per-file time budget. When reviewing one file (parse and every rule) runs over it,
 * the file's remaining rules are skipped and a `guard/parse-error` says it was not fully reviewed — the review
 * fails instead of hanging. A fake clock makes "slow" exact: each call of the slow rule costs one second.
 */
import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../src/core/config.js";
import { review, scan } from "../../src/core/review.js";
import { DEFAULT_LIMITS } from "../../src/parse/limits.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { slowRule as slowRuleOn } from "../helpers/slow-rule.js";
import { privilegedPod } from "./helpers.js";

/** The slow rule, recording each call as `file#document index`. */
const slowRule = (clock: { now: number }, calls: string[]) => slowRuleOn(clock, calls, (doc) => `${doc.file}#${doc.index}`);

const docs = (n: number) => Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join("---\n");
const now = new Date("2026-12-01T00:00:00Z");

describe("the per-file time budget", () => {
  it("stops a file's review when it runs over, and says so with a guard/parse-error", () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    // The slow rule runs before the built-in ones, so the privileged pod in the same file is never looked at.
    const rules = [slowRule(clock, calls), ...ALL_RULES];
    const text = `${docs(5)}---\n${privilegedPod("late")}`;
    const result = scan([{ path: "many.yaml", content: text }], {
      config: defaultConfig(),
      rules,
      now,
      limits: { ...DEFAULT_LIMITS, maxFileMs: 2500 },
      clock: () => clock.now,
    });
    // 1 s per document: after the third the budget (2.5 s) is spent, and nothing more runs for this file.
    expect(calls).toEqual(["many.yaml#0", "many.yaml#1", "many.yaml#2"]);
    const over = result.findings.filter((f) => f.ruleId === "guard/parse-error");
    expect(over).toHaveLength(1);
    expect(over[0]).toMatchObject({ file: "many.yaml", line: 1, severity: "high", status: "new" });
    expect(over[0]!.message).toBe("many.yaml could not be reviewed: too expensive to review (over 2.5 s); not fully reviewed");
    expect(result.findings.some((f) => f.ruleId === "k8s/privileged-container")).toBe(false);
    expect(result.conclusion).toBe("failure");
  });

  it("gives every file its own budget: the other files are still reviewed in full", () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    const result = review({
      changes: [
        { path: "a-slow.yaml", status: "added", head: docs(4) },
        { path: "b-pod.yaml", status: "added", head: privilegedPod("risky") },
      ],
      config: defaultConfig(),
      rules: [slowRule(clock, calls), ...ALL_RULES],
      now,
      limits: { ...DEFAULT_LIMITS, maxFileMs: 1500 },
      clock: () => clock.now,
    });
    expect(calls).toEqual(["a-slow.yaml#0", "a-slow.yaml#1", "b-pod.yaml#0"]);
    expect(result.findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => f.file)).toEqual(["a-slow.yaml"]);
    expect(result.findings.find((f) => f.ruleId === "k8s/privileged-container")).toMatchObject({ file: "b-pod.yaml", resource: { name: "risky" } });
  });

  it("a file within its budget is reviewed in full, with no extra finding", () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    const result = scan([{ path: "ok.yaml", content: docs(3) }], {
      config: defaultConfig(),
      rules: [slowRule(clock, calls)],
      now,
      limits: { ...DEFAULT_LIMITS, maxFileMs: 5000 },
      clock: () => clock.now,
    });
    expect(calls).toHaveLength(3);
    expect(result.findings).toEqual([]);
  });
});
