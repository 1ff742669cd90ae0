import { describe, expect, it } from "@jest/globals";
import { SEVERITIES, type Finding } from "../core/types.js";
import { DEFAULT_MAX_CHARS, renderMarkdown } from "./pr-comment.js";
import { SECTION_PRIORITY } from "./finding-sections.js";
import { code, escapeText, inline } from "./markdown-blocks.js";
import { BIG_PR_RULES, bigPullRequest, finding, HOSTILE, liveParts, mixedResult, result, visibleText } from "./test-helpers.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const SHA = "3f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e";
const REPO = "https://github.com/acme/gitops";
const commit = { headSha: SHA, repositoryUrl: REPO, checkRunUrl: `${REPO}/runs/42` };

/** The lines of one `#### Heading` section, up to the next heading, rule or top-level `<details>`. */
function section(md: string, heading: RegExp): string[] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && (/^#{1,4} /.test(l) || l === "---"));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The body of the `<details>` whose summary matches. */
function detailsBody(md: string, summary: RegExp): string | null {
  for (const m of md.matchAll(/<details><summary>(.*?)<\/summary>\n([\s\S]*?)\n<\/details>/g)) if (summary.test(m[1]!)) return m[2]!;
  return null;
}

function many(n: number, over: (i: number) => Partial<Finding> = () => ({})): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding({ severity: SEVERITIES[i % 5]!, file: `apps/team-${i % 400}/deploy.yaml`, line: 10 + (i % 50), message: `Container "c${i}" in Deployment "d${i}" runs privileged.`, ...over(i) }),
  );
}

describe("renderMarkdown: what the author sees first", () => {
  it("starts with the verdict, then the reviewed commit and the counts", () => {
    const md = renderMarkdown(mixedResult(), { commit });
    const [title, , overview] = md.split("\n");
    expect(title).toBe("### ❌ gitops-guard: 2 new high-risk changes (1 critical, 1 high)");
    expect(overview).toContain(`Reviewed [\`3f1c2b9\`](${REPO}/commit/${SHA})`);
    expect(overview).toContain("3 files · **3 new** (1 critical, 1 high, 1 low) · 1 existing · 1 fixed · 1 suppressed.");
    expect(overview).toContain("at or above **high** block the merge");
    expect(renderMarkdown(result([finding({ severity: "high" }), finding({ severity: "high", line: 30 })])).split("\n")[0]).toBe("### ❌ gitops-guard: 2 new high-risk changes");
    expect(renderMarkdown(result([])).split("\n")[0]).toBe("### ✅ gitops-guard: No new risky changes");
    expect(renderMarkdown(result([finding({ severity: "low" })])).split("\n")[0]).toBe("### ✅ gitops-guard: 1 new low-risk finding (not blocking)");
  });

  it("names the commit without a link when only the SHA is known, and says nothing of it when nothing is", () => {
    expect(renderMarkdown(mixedResult(), { commit: { headSha: SHA } }).split("\n")[2]).toMatch(/^Reviewed `3f1c2b9` · 3 files/);
    expect(renderMarkdown(mixedResult()).split("\n")[2]).toMatch(/^3 files · /);
  });

  it("lists blocking findings first, before every other section, grouped by rule with the fix once", () => {
    const findings = [
      finding({ ruleId: "k8s/missing-probes", severity: "low", file: "a/low.yaml", line: 3, fix: "Add probes." }),
      finding({ ruleId: "k8s/privileged-container", severity: "critical", file: "b/x.yaml", line: 21, message: 'Container "a" runs privileged.', fix: "Remove `privileged: true`." }),
      finding({ ruleId: "k8s/privileged-container", severity: "critical", file: "c/y.yaml", line: 7, message: 'Container "b" runs privileged.', fix: "Remove `privileged: true`." }),
      finding({ ruleId: "k8s/privileged-container", severity: "critical", file: "d/z.yaml", line: 9, status: "existing", fix: "Remove `privileged: true`." }),
      finding({ ruleId: "k8s/host-path-volume", severity: "high", file: "a/low.yaml", line: 40, message: 'Volume "v" mounts /var/log.', fix: "Use an emptyDir." }),
      finding({ ruleId: "k8s/host-path-volume", severity: "medium", file: "e/m.yaml", line: 2, fix: "Use an emptyDir." }),
    ];
    const md = renderMarkdown(result(findings, { filesReviewed: 5 }), { commit });
    const blocking = section(md, /^#### ⛔ Blocking the merge \(3\)$/);
    expect(blocking.length).toBeGreaterThan(0);
    // Nothing but the headline and the counts comes before it.
    expect(md.indexOf("#### ⛔ Blocking")).toBeLessThan(md.indexOf("<details>"));
    expect(md.indexOf("#### ⛔ Blocking")).toBeLessThan(md.indexOf("#### Not blocking"));
    // One bullet per rule, the most severe rule first, its findings under it and then its fix.
    const rules = blocking.filter((l) => l.startsWith("- "));
    expect(rules).toEqual(["- 🟥 **critical** `k8s/privileged-container` · 2 findings", "- 🔴 **high** `k8s/host-path-volume`"]);
    const privileged = blocking.slice(blocking.indexOf(rules[0]!) + 1, blocking.indexOf(rules[1]!));
    expect(privileged).toEqual([
      `  - [\`b/x.yaml:21\`](${REPO}/blob/${SHA}/b/x.yaml#L21) — Container "a" runs privileged.`,
      `  - [\`c/y.yaml:7\`](${REPO}/blob/${SHA}/c/y.yaml#L7) — Container "b" runs privileged.`,
      "  - **Fix:** Remove `privileged: true`.",
    ]);
    // Each fix text appears once in the whole comment, whatever the number and status of its findings.
    for (const fix of ["Remove `privileged: true`.", "Use an emptyDir.", "Add probes."]) expect(md.split(fix).length - 1).toBe(1);
  });

  it("gives a rule that words its fix per finding one bullet, its count adding up all of them, each fix once (held-out round 17)", () => {
    const findings = [
      finding({ ruleId: "k8s/host-namespaces", severity: "high", file: "deploy.yaml", line: 12, message: "hostPID", fix: "Remove `hostPID: true` from the pod spec." }),
      finding({ ruleId: "k8s/host-namespaces", severity: "high", file: "deploy.yaml", line: 13, message: "hostNetwork", fix: "Remove `hostNetwork: true` from the pod spec." }),
      finding({ ruleId: "k8s/host-namespaces", severity: "high", file: "other.yaml", line: 5, message: "hostPID again", fix: "Remove `hostPID: true` from the pod spec." }),
    ];
    const md = renderMarkdown(result(findings), { commit });
    const blocking = section(md, /^#### ⛔ Blocking the merge \(3\)$/);
    expect(blocking.filter((l) => l.startsWith("- "))).toEqual(["- 🔴 **high** `k8s/host-namespaces` · 3 findings"]);
    expect(blocking.filter((l) => l.startsWith("  - **Fix:**"))).toEqual(["  - **Fix:** Remove `hostPID: true` from the pod spec.", "  - **Fix:** Remove `hostNetwork: true` from the pod spec."]);
    expect(blocking.filter((l) => l.startsWith("  - [")).map((l) => /`([^`]+)`/.exec(l)![1])).toEqual(["deploy.yaml:12", "deploy.yaml:13", "other.yaml:5"]);
    expect(md).not.toContain("How to fix");
  });

  it("says under the counts that the pass holds while a waiver with an expiry does (held-out round 17)", () => {
    const md = renderMarkdown(result([finding({ suppressed: { by: "waiver", reason: "debug", expires: "2026-12-09T08:00:00.000Z", actor: "bob" } })]), { commit });
    const lines = md.split("\n");
    const overviewAt = lines.findIndex((l) => l.startsWith("Reviewed "));
    expect(lines.slice(overviewAt + 1, overviewAt + 3)).toEqual(["", "⏳ Passes while waivers hold: the first expires 2026-12-09; push or `/guard recheck` after that (the check is not re-run when a waiver expires)."]);
  });

  it("collapses new findings that do not block in one <details> per file, most severe file first, with counts", () => {
    const findings = [
      finding({ severity: "critical", file: "apps/a.yaml", line: 1 }),
      finding({ ruleId: "k8s/missing-probes", severity: "low", file: "apps/b.yaml", line: 5, message: "no probe b5" }),
      finding({ ruleId: "k8s/run-as-root", severity: "medium", file: "apps/c.yaml", line: 8, message: "root c8" }),
      finding({ ruleId: "k8s/missing-probes", severity: "low", file: "apps/c.yaml", line: 9, message: "no probe c9" }),
    ];
    const md = renderMarkdown(result(findings), { commit });
    expect(section(md, /^#### Not blocking: 3 new findings below high$/).length).toBeGreaterThan(0);
    const summaries = [...md.matchAll(/<details><summary>(<code>.*?)<\/summary>/g)].map((m) => m[1]);
    expect(summaries).toEqual(["<code>apps/c.yaml</code> · 🟠 1 medium, 🟡 1 low", "<code>apps/b.yaml</code> · 🟡 1 low"]);
    const c = detailsBody(md, /apps\/c\.yaml/)!;
    expect(c).toContain(`- 🟠 \`k8s/run-as-root\` [L8](${REPO}/blob/${SHA}/apps/c.yaml#L8) — root c8`);
    expect(c).toContain("no probe c9");
    expect(c).not.toContain("no probe b5");
    // The fix is not repeated per finding: it is in one collapsed list, once per rule.
    const fixes = detailsBody(md, /^How to fix the other findings \(2 rules\)$/)!;
    expect(fixes.split("\n").filter((l) => l.startsWith("- ")).map((l) => l.split(":")[0])).toEqual(["- `k8s/run-as-root`", "- `k8s/missing-probes`"]);
  });

  it("calls the fixes 'these' when nothing blocks (there are no others shown above with theirs)", () => {
    const md = renderMarkdown(result([finding({ ruleId: "k8s/missing-probes", severity: "low", file: "apps/b.yaml", line: 5, message: "no probe b5" })]), { commit });
    expect(detailsBody(md, /^How to fix these findings \(1 rule\)$/)).not.toBeNull();
    expect(md).not.toContain("How to fix the other findings");
  });

  it("lists a rule's fixes once, its findings' other fixes under it, titled for existing findings when no new one is among them (held-out round 21)", () => {
    const root = (line: number, why: string) =>
      finding({ ruleId: "k8s/run-as-root", severity: "medium", status: "existing", file: "apps/ha.yaml", line, message: `root ${line}`, fix: `Set runAsNonRoot; ${why}.` });
    const probe = finding({ ruleId: "k8s/missing-probes", severity: "low", status: "existing", file: "apps/ha.yaml", line: 9, message: "no probe", fix: "Add probes." });
    const md = renderMarkdown(result([root(55, "it mounts host path /run/dbus"), root(70, "it adds NET_ADMIN"), root(80, "it mounts host path /run/dbus"), probe]), { commit });
    const fixes = detailsBody(md, /^How to fix the existing findings \(2 rules\)$/)!;
    expect(fixes).toContain("- `k8s/run-as-root`: Set runAsNonRoot; it mounts host path /run/dbus.\n  - Set runAsNonRoot; it adds NET\\_ADMIN.\n- `k8s/missing-probes`: Add probes.");
    expect(fixes.split("\n").filter((l) => l.startsWith("- ")).map((l) => l.split(":")[0])).toEqual(["- `k8s/run-as-root`", "- `k8s/missing-probes`"]);
    expect(md).not.toContain("How to fix these findings");
    // A new finding among them keeps "these".
    const withNew = renderMarkdown(result([root(55, "a"), finding({ ruleId: "k8s/missing-probes", severity: "low", file: "apps/b.yaml", line: 5, message: "no probe", fix: "Add probes." })]), { commit });
    expect(detailsBody(withNew, /^How to fix these findings \(2 rules\)$/)).not.toBeNull();
  });

  it("collapses accepted, existing and fixed findings; notes stay visible; command hints end it", () => {
    const md = renderMarkdown(mixedResult());
    expect(detailsBody(md, /^Accepted: 1 finding waived, overridden or ignored$/)).toContain("  - waived by `@alice`: migration window (expires 2026-12-31)");
    expect(detailsBody(md, /^1 existing finding \(already on the base branch, not blocking\)$/)).toContain("argocd/app-default-project");
    expect(detailsBody(md, /Fixed by this change \(1\)$/)).toContain("`argocd/project-destination-wildcard` · `apps/projects/team-a.yaml`");
    expect(section(md, /^#### Notes$/)).toContain("- charts/web/templates/deploy.yaml: skipped — Helm template");
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
    const footer = md.trimEnd().split("\n").pop()!;
    expect(footer).toContain('`/guard waive <rule> <file> --reason "..."`');
    expect(footer).toContain("`/guard recheck`");
    expect(footer).toContain("`/guard explain <rule>`");
    expect(renderMarkdown(mixedResult(), { commandPrefix: "/gg" })).toContain("`/gg recheck`");
  });

  it("shows who waived or overrode a finding, why and until when, without pinging them", () => {
    const over = renderMarkdown(result([finding({ suppressed: { by: "override", reason: "hotfix @oncall", expires: null, actor: "bob" } })]));
    expect(over.split("\n")[0]).toBe("### ✅ gitops-guard: Passed by override (@\u200bbob)");
    expect(over).toContain("overridden by `@bob`: hotfix @\u200boncall");
    expect(liveParts(over)).toEqual([]);
  });

  it("says when no GitOps files changed", () => {
    const md = renderMarkdown(result([], { filesReviewed: 0, notes: ["3,500 files changed; GitHub lists only 3,000"] }));
    expect(md.split("\n")[0]).toBe("### ✅ gitops-guard: No GitOps files changed");
    expect(md).toContain("No GitOps files changed");
    expect(md).not.toContain("Blocking");
    expect(md).toContain("- 3,500 files changed; GitHub lists only 3,000");
  });

  it("shows the findings of a render that only a non-YAML change reached (a generator's .env), not 'no GitOps files'", () => {
    const md = renderMarkdown(result([finding({ severity: "critical", file: "argocd/overlays/prod/argocd-cm.env", line: 3 })], { filesReviewed: 0 }));
    expect(md.split("\n")[0]).toBe("### ❌ gitops-guard: 1 new critical-risk change");
    expect(md).not.toContain("No GitOps files changed");
    expect(md).not.toContain("0 files");
    expect(md).toContain("`argocd/overlays/prod/argocd-cm.env:3`");
  });
});

describe("renderMarkdown: links", () => {
  it("links every location to its line at the head commit, encoding the path", () => {
    const md = renderMarkdown(result([finding({ file: "apps/my app (v2)/dé#1.yaml", line: 12 }), finding({ severity: "low", file: "x/y.yaml", line: 3 })]), { commit });
    expect(md).toContain(`(${REPO}/blob/${SHA}/apps/my%20app%20%28v2%29/d%C3%A9%231.yaml#L12)`);
    expect(md).toContain(`[L3](${REPO}/blob/${SHA}/x/y.yaml#L3)`);
    // Every link of the comment goes to the repository.
    expect(liveParts(md, [`${REPO}/`])).toEqual([]);
  });

  it("links a finding at a base line (a deleted Application) to the base commit, and not at all without one", () => {
    const BASE = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    const deleted = finding({ severity: "high", file: "apps/old.yaml", line: 7, side: "base" });
    const md = renderMarkdown(result([deleted]), { commit: { ...commit, baseSha: BASE } });
    expect(md).toContain(`(${REPO}/blob/${BASE}/apps/old.yaml#L7)`);
    expect(md).not.toContain(`${REPO}/blob/${SHA}/apps/old.yaml`);
    const noBase = renderMarkdown(result([deleted]), { commit });
    expect(noBase).not.toContain("/apps/old.yaml#L7");
    expect(noBase).toContain("`apps/old.yaml:7`");
  });

  it("shows plain file:line without a repository URL, or with one that is not a plain web address", () => {
    for (const repositoryUrl of [undefined, "javascript:alert(1)", "https://evil.example/x) [y](https://z", "https://user:pw@github.com/a/b", "ftp://github.com/a/b"]) {
      const md = renderMarkdown(result([finding({ line: 9 }), finding({ severity: "low", line: 3 })]), { commit: { headSha: SHA, ...(repositoryUrl ? { repositoryUrl } : {}) } });
      expect(md).not.toContain("](");
      expect(md).toContain("  - `apps/projects/team-a.yaml:9` — ");
      expect(md).toContain("- 🟡 `argocd/project-source-repos-wildcard` L3 — ");
    }
  });

  it("says where the rest is when lists are cut: the check run, linked when its address is known", () => {
    const r = result(many(400, () => ({ severity: "low" })));
    const linked = renderMarkdown(r, { commit, maxChars: 8_000 });
    expect(linked).toMatch(/_… and \d+ more new findings not shown: the full list is in the \[gitops-guard check run\]\(https:\/\/github\.com\/acme\/gitops\/runs\/42\)\._/);
    const plain = renderMarkdown(r, { maxChars: 8_000 });
    expect(plain).toMatch(/_… and \d+ more new findings not shown: the full list is in the gitops-guard check run\._/);
  });
});

describe("renderMarkdown: extra sections (e.g. images)", () => {
  it("places an extra section by its priority and cuts its list to fit", () => {
    const findings = [finding({ severity: "critical" }), finding({ severity: "low", line: 4 })];
    const images = { title: "Images", markdown: "2 images checked in Amazon ECR.", items: Array.from({ length: 500 }, (_, i) => `- \`repo/app:${i}\` has 1 critical vulnerability`), priority: SECTION_PRIORITY.blocking + 5 };
    const md = renderMarkdown(result(findings), { sections: [images], maxChars: 6_000 });
    const at = md.indexOf("#### Images");
    expect(at).toBeGreaterThan(md.indexOf("#### ⛔ Blocking"));
    expect(at).toBeLessThan(md.indexOf("#### Not blocking"));
    expect(md).toContain("2 images checked in Amazon ECR.");
    expect(md).toContain("- `repo/app:0` has 1 critical vulnerability");
    expect(md).toMatch(/_… and \d+ more not shown: the full list is in the gitops-guard check run\._/);
    expect(bytes(md)).toBeLessThanOrEqual(6_000);
    // Last when it asks to be last; escaped title.
    const last = renderMarkdown(result(findings), { sections: [{ title: "Images <b>", markdown: "ok", priority: 1000 }] });
    expect(last.indexOf("#### Images &lt;b&gt;")).toBeGreaterThan(last.indexOf("</details>"));
  });
});

describe("renderMarkdown: untrusted text", () => {
  it("escapes text that could break Markdown, inject HTML or mention people", () => {
    const evil = finding({
      message: 'Name "a|b" <img src=x onerror=alert(1)> [click](http://evil) **bold** @octocat @org/team\nsecond # line',
      fix: "Set `a|b` to `@here`; never `` ` ``.",
      file: "apps/we`ird|<b>.yaml",
    });
    const md = renderMarkdown(result([evil, { ...evil, severity: "low", line: 30, fingerprint: "low" }]), { commit });
    expect(md).not.toMatch(/<img/);
    // `<b>` appears only inside the file name's code spans (Markdown) or entity-escaped (the HTML <summary>)
    expect(md.split("\n").filter((l) => l.includes("<b>")).every((l) => l.includes("``apps/we`ird|<b>.yaml:"))).toBe(true);
    expect(md).toContain("<code>apps/we`ird|&lt;b&gt;.yaml</code>");
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(md).toContain("\\[click\\](http\\://evil)");
    expect(md).toContain("\\*\\*bold\\*\\*");
    expect(md).toContain("a\\|b");
    expect(md).not.toMatch(/@(octocat|org)/);
    expect(md).toContain("@\u200boctocat");
    // the message stays on its line
    const line = md.split("\n").find((l) => l.includes("&lt;img"))!;
    expect(line).toContain("second \\# line");
    // code spans of the fix survive
    expect(md).toContain("`a|b`");
    expect(md).toContain("`@here`");
    expect(liveParts(md, [`${REPO}/`])).toEqual([]);
  });

  it("renders every kind of hostile message, fix, file name and reason as the same text, with nothing live", () => {
    for (const text of HOSTILE) {
      const f = finding({ message: text, fix: text, file: `apps/${text}.yaml`, suppressed: null });
      const waived = finding({ line: 40, message: text, suppressed: { by: "waiver", reason: text, expires: "2026-12-31T00:00:00.000Z", actor: "alice" } });
      const md = renderMarkdown(result([f, { ...f, severity: "low", line: 20, fingerprint: "l" }, waived], { notes: [text] }), { commit });
      expect(liveParts(md, [`${REPO}/`])).toEqual([]);
      // Shown as written (text with backticks may become code spans, which rules use for their fixes).
      if (!text.includes("`")) expect(visibleText(md)).toContain(text.replace(/\n/g, " "));
    }
  });
});

describe("renderMarkdown: a large pull request", () => {
  const FIXES = ["Remove `privileged: true`", "valueFrom.secretKeyRef", "Remove `SYS_ADMIN`", "Remove `hostNetwork: true`", "Remove `hostPID: true`", "Set `runAsNonRoot: true`"];
  /** The blocking rules of `bigPullRequest` in their order (host-namespaces has most findings among the high non-secret rules). */
  const ORDER = ["k8s/privileged-container", "secrets/literal-env-secret", "k8s/host-namespaces", "k8s/dangerous-capabilities", "k8s/run-as-root"];

  it("names every blocking rule with its count, first 5 locations and fix; the rest are counted and point to the check run", () => {
    const md = renderMarkdown(bigPullRequest(), { commit });
    expect(bytes(md)).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    const blocking = section(md, /^#### ⛔ Blocking the merge \(420\)$/);
    // Most severe first; among equals a secret first (then the longest, then by id). host-namespaces words its fix
    // per namespace: still one bullet, its count adding up both, each fix once (held-out round 17).
    const heads = blocking.filter((l) => l.startsWith("- "));
    expect(heads).toEqual([
      "- 🟥 **critical** `k8s/privileged-container` · 70 findings",
      "- 🔴 **high** `secrets/literal-env-secret` · 70 findings",
      "- 🔴 **high** `k8s/host-namespaces` · 140 findings",
      "- 🔴 **high** `k8s/dangerous-capabilities` · 70 findings",
      "- 🔴 **high** `k8s/run-as-root` · 70 findings",
    ]);
    const fixes = [[FIXES[0]], [FIXES[1]], [FIXES[3], FIXES[4]], [FIXES[2]], [FIXES[5]]];
    heads.forEach((head, k) => {
      const start = blocking.indexOf(head);
      const under = blocking.slice(start + 1, start + 7 + fixes[k]!.length);
      expect(under.slice(0, 5).every((l) => l.startsWith(`  - [\`apps/gitea/base/workers.yml:`))).toBe(true);
      expect(under[5]).toBe(`  - _… and ${k === 2 ? 135 : 65} more of this rule: the full list is in the [gitops-guard check run](${REPO}/runs/42)_`);
      fixes[k]!.forEach((fix, i) => {
        expect(under[6 + i]).toMatch(/^ {2}- \*\*Fix:\*\* /);
        expect(under[6 + i]).toContain(fix);
      });
    });
    expect(blocking).toContain(`_… and 395 more blocking findings not shown: the full list is in the [gitops-guard check run](${REPO}/runs/42)._`);
    for (const rule of BIG_PR_RULES) expect(md).toContain(code(rule));
  });

  it("still names every blocking rule, with fewer locations, in a small comment", () => {
    for (const max of [12_000, 6_000]) {
      const md = renderMarkdown(bigPullRequest(), { commit, maxChars: max });
      expect(bytes(md)).toBeLessThanOrEqual(max);
      const heads = section(md, /^#### ⛔ Blocking the merge \(420\)$/).filter((l) => l.startsWith("- "));
      expect(heads.map((h) => h.split("`")[1])).toEqual(ORDER);
      for (const fix of FIXES) expect(md).toContain(fix);
    }
  });
});

describe("renderMarkdown: size", () => {
  it("stays under maxChars with 10,000 findings, keeping blocking ones first and counting the rest", () => {
    const findings = [
      ...many(10_000),
      ...many(2_000, () => ({ status: "existing" })),
      ...many(1_000, () => ({ status: "fixed" })),
      ...many(500, (i) => ({ suppressed: { by: "waiver", reason: `reason ${i}`, expires: null, actor: "alice" } })),
    ];
    const notes = Array.from({ length: 300 }, (_, i) => `note ${i}: something was skipped`);
    const r = result(findings, { filesReviewed: 400, notes });
    const md = renderMarkdown(r, { commit });
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(bytes(md)).toBeLessThanOrEqual(60_000);
    expect(md.length).toBeGreaterThan(50_000);
    expect(md.split("\n")[0]).toBe("### ❌ gitops-guard: 4000 new high-risk changes (2000 critical, 2000 high)");

    const blocking = section(md, /^#### ⛔ Blocking the merge \(4000\)$/);
    // One rule (one fix): its first 5 locations, the most severe; the rest counted, in the rule and in the section.
    const shown = blocking.filter((l) => l.startsWith("  - ["));
    expect(shown).toHaveLength(5);
    expect(shown.every((l) => !l.includes("(high)"))).toBe(true);
    expect(blocking).toContain(`  - _… and 3995 more of this rule: the full list is in the [gitops-guard check run](${REPO}/runs/42)_`);
    expect(blocking.find((l) => l.startsWith("_… and "))).toBe(`_… and 3995 more blocking findings not shown: the full list is in the [gitops-guard check run](${REPO}/runs/42)._`);
    expect(blocking.filter((l) => l.startsWith("- "))).toEqual(["- 🟥 **critical** `argocd/project-source-repos-wildcard` · 4000 findings"]);
    // structure survives truncation
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
    expect(md).toContain("`/guard recheck`");
    // the later sections still show their first items
    expect(section(md, /^#### Notes$/)).toContain("- note 0: something was skipped");
    expect(section(md, /^#### Notes$/).find((l) => l.includes("more note"))).toMatch(/^_… and \d+ more notes not shown\._$/);
    expect(md).toMatch(/<details><summary>Accepted: 500 findings waived/);
    expect(md).toMatch(/<details><summary>✔️ Fixed by this change \(1000\)<\/summary>\n\n- ✔️/);
  });

  it("honours a small maxChars", () => {
    const r = result(many(300), { notes: ["n1"] });
    for (const max of [4_000, 1_500, 300]) {
      const md = renderMarkdown(r, { maxChars: max, commit });
      expect(bytes(md)).toBeLessThanOrEqual(max);
      expect(md.startsWith("### ❌ gitops-guard:")).toBe(true);
    }
  });

  it("counts multibyte text conservatively", () => {
    const r = result(many(3_000, () => ({ message: "コンテナ「app」は特権モードで実行されています 🚨".repeat(3) })));
    const md = renderMarkdown(r, { maxChars: 20_000, commit });
    expect(bytes(md)).toBeLessThanOrEqual(20_000);
  });
});

describe("markdown escaping helpers", () => {
  it("code() fences any content", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`x`")).toBe("`` `x` ``");
    expect(code("plain")).toBe("`plain`");
    expect(code("")).toBe("` `");
  });

  it("inline() keeps single-backtick spans and escapes the rest", () => {
    expect(inline("Remove `privileged: true` from *it*.")).toBe("Remove `privileged: true` from \\*it\\*.");
    expect(inline("unbalanced ` tick")).toBe("unbalanced \\` tick");
    expect(inline("x".repeat(2000), 100).length).toBe(100);
  });

  it("escapeText() neutralises HTML, tables, mentions, autolinks and issue references", () => {
    expect(escapeText("<a>|@x & y")).toBe("&lt;a&gt;\\|@\u200bx &amp; y");
    expect(escapeText("see https://a.example and www.b.example")).toBe("see https\\://a.example and www\\.b.example");
    expect(escapeText("fixes #12, GH-3")).toBe("fixes \\#\u200b12, GH-\u200b3");
    for (const text of HOSTILE) {
      expect(liveParts(`- ${escapeText(text)}\n`)).toEqual([]);
      expect(visibleText(`- ${escapeText(text)}\n`).trim()).toBe(text.replace(/\n/g, " ").trim());
    }
  });
});
