import { describe, expect, it } from "@jest/globals";
import { SEVERITIES, type Finding } from "../core/types.js";
import { checkRunOutput, internalErrorOutput, invalidConfigOutput, MAX_OUTPUT_BYTES, verdictTitle } from "./check-run-output.js";
import { BIG_PR_RULES, bigPullRequest, finding, mixedResult, result } from "./test-helpers.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const waiver = (actor: string) => ({ by: "waiver" as const, reason: "accepted", expires: "2026-12-31T00:00:00.000Z", actor });
const override = (actor: string) => ({ by: "override" as const, reason: "incident 42", expires: null, actor });

describe("verdictTitle", () => {
  it("says the verdict in words", () => {
    expect(verdictTitle(result([finding(), finding({ line: 20 })]))).toBe("2 new high-risk changes");
    expect(verdictTitle(result([finding({ severity: "critical" })]))).toBe("1 new critical-risk change");
    expect(verdictTitle(result([finding({ severity: "critical" }), finding({ line: 20 })]))).toBe("2 new high-risk changes (1 critical, 1 high)");
    expect(verdictTitle(result([finding({ severity: "critical" }), finding({ severity: "medium", line: 20 })], { failOn: "medium" }))).toBe("2 new risky changes (1 critical, 1 medium)");
    expect(verdictTitle(result([]))).toBe("No new risky changes");
    expect(verdictTitle(result([finding({ status: "existing" })]))).toBe("No new risky changes");
    expect(verdictTitle(result([finding({ severity: "low" }), finding({ severity: "low", line: 2 }), finding({ severity: "low", line: 3 })]))).toBe("3 new low-risk findings (not blocking)");
    expect(verdictTitle(result([finding({ severity: "low" }), finding({ severity: "medium", line: 2 })]))).toBe("2 new findings below high risk (not blocking)");
    expect(verdictTitle(result([], { filesReviewed: 0 }))).toBe("No GitOps files changed");
    expect(verdictTitle(result([finding({ suppressed: override("bob") }), finding({ line: 3, suppressed: override("bob") })]))).toBe("Passed by override (@bob)");
    expect(verdictTitle(result([finding({ suppressed: waiver("alice") })]))).toBe("No new risky changes (1 suppressed)");
  });

  it("agrees with the conclusion", () => {
    const failing = result([finding({ severity: "medium" })], { failOn: "medium" });
    expect(failing.conclusion).toBe("failure");
    expect(verdictTitle(failing)).toBe("1 new medium-risk change");
    const passing = result([finding({ severity: "medium" })], { failOn: "high" });
    expect(passing.conclusion).toBe("success");
    expect(verdictTitle(passing)).toBe("1 new medium-risk finding (not blocking)");
  });
});

describe("checkRunOutput annotations", () => {
  it("annotates new findings only, most severe first, with GitHub's field names", () => {
    const out = checkRunOutput(mixedResult());
    expect(out.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title])).toEqual([
      ["apps/web/deploy.yaml", 21, "failure", "k8s/privileged-container (critical)"],
      ["apps/projects/team-a.yaml", 9, "failure", "argocd/project-source-repos-wildcard (high)"],
      ["apps/web/deploy.yaml", 17, "warning", "k8s/missing-resources (low)"],
      ["apps/web/app.yaml", 30, "notice", "argocd/app-destructive-sync-options (high)"],
    ]);
    const [first] = out.annotations;
    expect(first).toEqual({
      path: "apps/web/deploy.yaml",
      start_line: 21,
      end_line: 21,
      start_column: 23,
      end_column: 26,
      annotation_level: "failure",
      message: 'Container "app" in Deployment "web" runs privileged.',
      title: "k8s/privileged-container (critical)",
      raw_details: expect.stringContaining("Fix: Remove `privileged: true`."),
    });
    expect(out.annotations[3]!.message).toBe('[waived by @alice: migration window (expires 2026-12-31)] Application "web" syncs with Replace=true.');
  });

  it("gives columns only for single-line ranges", () => {
    const [a] = checkRunOutput(result([finding({ line: 4, column: 3, endLine: 8, endColumn: 2 })])).annotations;
    expect(a).toMatchObject({ start_line: 4, end_line: 8 });
    expect(a).not.toHaveProperty("start_column");
    expect(a).not.toHaveProperty("end_column");
  });

  it("caps annotations and lists every new finding in the summary", () => {
    const findings = Array.from({ length: 120 }, (_, i) => finding({ severity: SEVERITIES[i % 5]!, line: i + 1, message: `finding number ${i}` }));
    const out = checkRunOutput(result(findings));
    expect(out.annotations).toHaveLength(50);
    const ranks = out.annotations.map((a) => SEVERITIES.findIndex((s) => a.title.endsWith(`(${s})`)));
    expect([...ranks].sort((x, y) => x - y)).toEqual(ranks);
    expect(out.annotations.filter((a) => a.annotation_level === "failure")).toHaveLength(48);
    expect(out.summary).toContain("Annotations mark 50 of the 120 new findings, blocking ones first and each rule in turn");
    for (let i = 0; i < 120; i++) expect(out.summary).toContain(`— finding number ${i}\n`);
    expect(checkRunOutput(result(findings), { maxAnnotations: 5 }).annotations).toHaveLength(5);
    expect(checkRunOutput(result(findings), { maxAnnotations: 0 }).annotations).toHaveLength(0);
  });

  it("a large pull request: every blocking rule gets annotations, the rules taking turns (a secret first among equals)", () => {
    const big = bigPullRequest();
    const out = checkRunOutput(big);
    expect(out.annotations).toHaveLength(50);
    expect(out.annotations.every((a) => a.annotation_level === "failure")).toBe(true);
    const perRule = new Map<string, number>();
    for (const a of out.annotations) perRule.set(a.title.split(" ")[0]!, (perRule.get(a.title.split(" ")[0]!) ?? 0) + 1);
    expect(Object.fromEntries(perRule)).toEqual(Object.fromEntries(BIG_PR_RULES.map((r) => [r, 10])));
    // Still listed most severe first.
    expect(out.annotations[0]!.title).toBe("k8s/privileged-container (critical)");
    // With room for two: the critical rule and the secret.
    expect(checkRunOutput(big, { maxAnnotations: 2 }).annotations.map((a) => a.title)).toEqual(["k8s/privileged-container (critical)", "secrets/literal-env-secret (high)"]);
    expect(out.summary).toContain("Annotations mark 50 of the 420 new findings, blocking ones first and each rule in turn");
  });

  it("never annotates existing or fixed findings", () => {
    const out = checkRunOutput(result([finding({ status: "existing" }), finding({ status: "fixed", line: 3 })]));
    expect(out.annotations).toEqual([]);
    expect(out.text).toContain("existing finding");
    expect(out.text).toContain("Fixed by this change (1)");
  });
});

describe("checkRunOutput summary", () => {
  it("has the counts, blocking findings first, then the others by file, suppressions, notes and command hints", () => {
    const out = checkRunOutput(mixedResult(), { commandPrefix: "/gg" });
    expect(out.title).toBe("2 new high-risk changes (1 critical, 1 high)");
    expect(out.summary).toContain("3 files · **3 new** (1 critical, 1 high, 1 low) · 1 existing · 1 fixed · 1 suppressed.");
    const blocking = out.summary.indexOf("#### ⛔ Blocking the merge (2)");
    const rest = out.summary.indexOf("#### Not blocking: 1 new finding below high");
    expect(blocking).toBeGreaterThan(0);
    expect(rest).toBeGreaterThan(blocking);
    // Same order as the PR comment: the critical rule, then the high one, each with its fix; then the low one by file.
    expect(out.summary.indexOf("`k8s/privileged-container`")).toBeGreaterThan(blocking);
    expect(out.summary.indexOf("`k8s/privileged-container`")).toBeLessThan(out.summary.indexOf("`argocd/project-source-repos-wildcard`"));
    expect(out.summary).toContain("  - `apps/web/deploy.yaml:21` — Container \"app\" in Deployment \"web\" runs privileged.\n  - **Fix:** Remove `privileged: true`.");
    expect(out.summary.slice(rest)).toContain("**`apps/web/deploy.yaml`**\n\n- 🟡 `k8s/missing-resources` L17 — Container \"app\" has no resource limits.");
    expect(out.summary).toContain("#### How to fix the other findings (1 rule)\n\n- `k8s/missing-resources`: Set `resources.limits`.");
    expect(out.summary).toContain("waived by `@alice`: migration window (expires 2026-12-31)");
    expect(out.summary).toContain("charts/web/templates/deploy.yaml: skipped");
    expect(out.summary).toContain("`/gg recheck`");
    // The check run shows everything open (its page is the full view); existing and fixed findings are in the text.
    expect(out.summary).not.toContain("<details>");
    expect(out.summary).not.toContain("argocd/app-default-project");
    expect(out.text).toContain("argocd/app-default-project");
  });

  it("links locations to the head commit when the repository is known", () => {
    const sha = "a".repeat(40);
    const out = checkRunOutput(mixedResult(), { commit: { headSha: sha, repositoryUrl: "https://ghe.example.com/acme/gitops" } });
    expect(out.summary).toContain(`[\`apps/web/deploy.yaml:21\`](https://ghe.example.com/acme/gitops/blob/${sha}/apps/web/deploy.yaml#L21)`);
    expect(out.summary).toContain(`Reviewed [\`aaaaaaa\`](https://ghe.example.com/acme/gitops/commit/${sha})`);
    expect(out.text).toContain(`[L6](https://ghe.example.com/acme/gitops/blob/${sha}/apps/web/app.yaml#L6)`);
  });

  it("reports no GitOps files without annotations", () => {
    const out = checkRunOutput(result([], { filesReviewed: 0 }));
    expect(out).toMatchObject({ title: "No GitOps files changed", annotations: [] });
    expect(out.summary).toContain("nothing to review");
    expect(out.text).toBeUndefined();
  });

  it("reports the findings of a render that only a non-YAML change reached (a generator's .env), with annotations", () => {
    const env = finding({ ruleId: "argocd/anonymous-access", severity: "critical", file: "argocd/overlays/prod/argocd-cm.env", line: 3, message: 'ConfigMap "argocd-cm" enables anonymous access. [Kustomize: rendered from argocd/overlays/prod]' });
    const out = checkRunOutput(result([env], { filesReviewed: 0 }));
    expect(out.title).toBe("1 new critical-risk change");
    expect(out.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([["argocd/overlays/prod/argocd-cm.env", 3, "failure"]]);
    expect(out.summary).toContain("`argocd/overlays/prod/argocd-cm.env:3`");
    expect(out.summary).not.toContain("nothing to review");
    expect(out.summary).not.toContain("0 files");
    const existing = checkRunOutput(result([{ ...env, status: "existing" }], { filesReviewed: 0 }));
    expect(existing.title).toBe("No new risky changes");
    expect(existing.text).toContain("argocd/anonymous-access");
  });

  it("stays within 65,535 bytes with 10,000 multibyte findings", () => {
    const many = (n: number, over: Partial<Finding>) =>
      Array.from({ length: n }, (_, i) => finding({ severity: SEVERITIES[i % 5]!, file: `apps/チーム-${i % 300}/deploy.yaml`, line: i + 1, message: `コンテナ「c${i}」は特権モードで実行されています 🚨`, ...over }));
    const r = result([...many(10_000, {}), ...many(3_000, { status: "existing" }), ...many(3_000, { status: "fixed" })], { notes: Array.from({ length: 100 }, (_, i) => `note ${i}`) });
    const out = checkRunOutput(r);
    expect(bytes(out.summary)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(bytes(out.text!)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(bytes(out.summary)).toBeGreaterThan(50_000);
    expect(out.summary).toMatch(/_… and \d+ more blocking findings not shown: GitHub limits this summary to 65,535 characters; `gitops-guard review --base <base> --head <head>` lists every finding\._/);
    // Blocking findings come first.
    expect(out.summary.indexOf("#### ⛔ Blocking the merge (4000)")).toBeLessThan(out.summary.indexOf("#### Not blocking"));
    expect(out.summary).toContain("`/guard recheck`");
    expect(out.annotations).toHaveLength(50);
    expect(out.title.length).toBeLessThanOrEqual(255);
  });

  it("a large pull request: the summary names every blocking rule with its count and fix, within GitHub's limit", () => {
    const commit = { headSha: "3f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", repositoryUrl: "https://github.com/acme/gitops" };
    const summary = checkRunOutput(bigPullRequest(), { commit }).summary;
    expect(bytes(summary)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    const heads = summary.split("\n").filter((l) => l.startsWith("- ") && / · \d+ findings$/.test(l));
    // One bullet per rule: host-namespaces, which words its fix per namespace, adds up its 140 findings (held-out round 17).
    expect(heads.map((h) => h.split("`")[1])).toEqual([...BIG_PR_RULES.slice(0, 2), "k8s/host-namespaces", "k8s/dangerous-capabilities", "k8s/run-as-root"]);
    expect(heads[2]).toBe("- 🔴 **high** `k8s/host-namespaces` · 140 findings");
    for (const fix of ["Remove `privileged: true`", "valueFrom.secretKeyRef", "Remove `SYS_ADMIN`", "Remove `hostNetwork: true`", "Remove `hostPID: true`", "Set `runAsNonRoot: true`"]) {
      expect(summary).toContain(fix);
    }
    // Each rule shows its first 5 locations before any shows more; the check run shows as many as fit.
    expect(summary.match(/workers\.yml:\d+`\]/g)!.length).toBeGreaterThan(6 * 5);
    expect(summary).toMatch(/ {2}- _… and \d+ more of this rule not shown_\n {2}- \*\*Fix:\*\* Set `runAsNonRoot: true`/);
  });

  it("says a pass holds only while waivers do, naming the first expiry of one that keeps a blocking finding green (held-out round 17)", () => {
    const waiver = (expires: string | null) => ({ by: "waiver" as const, reason: "debug", expires, actor: "bob" });
    const held = result([
      finding({ severity: "high", line: 3, suppressed: waiver("2026-12-20T10:00:00.000Z") }),
      finding({ severity: "critical", line: 5, suppressed: waiver("2026-12-09T08:00:00.000Z") }),
      // Neither keeps the review green: a finding below failOn, an existing one.
      finding({ severity: "low", line: 7, suppressed: waiver("2026-12-01T00:00:00.000Z") }),
      finding({ severity: "high", line: 9, status: "existing", suppressed: waiver("2026-12-02T00:00:00.000Z") }),
    ]);
    expect(held.conclusion).toBe("success");
    const line = "⏳ Passes while waivers hold: the first expires 2026-12-09; push or `/guard recheck` after that (the check is not re-run when a waiver expires).";
    expect(checkRunOutput(held).summary.split("\n")).toContain(line);
    expect(checkRunOutput(held, { commandPrefix: "/gg" }).summary).toContain("push or `/gg recheck` after that");
    // No expiry, or a review that fails anyway: nothing to say.
    expect(checkRunOutput(result([finding({ suppressed: waiver(null) })])).summary).not.toContain("Passes while waivers hold");
    expect(checkRunOutput(result([finding({ suppressed: waiver("2026-12-09T08:00:00.000Z") }), finding({ line: 30 })])).summary).not.toContain("Passes while waivers hold");
  });

  it("escapes untrusted text in the summary", () => {
    const out = checkRunOutput(result([finding({ message: "<script>x</script> @everyone | done" })]));
    expect(out.summary).not.toContain("<script>");
    expect(out.summary).not.toMatch(/@everyone/);
    // annotations are plain text: kept readable, but without control characters
    const plain = checkRunOutput(result([finding({ message: "a\u001b[31mb\nc" })])).annotations[0]!;
    expect(plain.message).toBe("a[31mb c");
  });
});

describe("invalidConfigOutput and internalErrorOutput", () => {
  it("shows the exact configuration problems", () => {
    const problems = ['failOn: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"', "rules.k8s/nope: unknown rule `k8s/nope`", "waivers.0.reason: a waiver needs a reason"];
    const out = invalidConfigOutput(problems);
    expect(out.title).toBe("Invalid gitops-guard configuration");
    expect(out.annotations).toEqual([]);
    for (const p of problems) expect(out.summary).toContain(p);
    expect(out.summary).toContain("```text\n");
    expect(out.summary).toContain(".github/gitops-guard.yml");
  });

  it("keeps a backtick fence closed whatever the problems contain", () => {
    const out = invalidConfigOutput(["bad ``` fence"]);
    expect(out.summary).toContain("````text\nbad ``` fence\n````");
  });

  it("explains an internal error briefly with the recheck hint", () => {
    const out = internalErrorOutput("GitHub API timed out after 10 s.");
    expect(out.title).toBe("gitops-guard could not finish the review");
    expect(out.summary).toContain("GitHub API timed out after 10 s.");
    expect(out.summary).toContain("Comment `/guard recheck` to try again.");
    expect(out.annotations).toEqual([]);
    expect(internalErrorOutput("x", "/gg").summary).toContain("`/gg recheck`");
    expect(internalErrorOutput("y".repeat(5000)).summary.length).toBeLessThan(600);
  });
});
