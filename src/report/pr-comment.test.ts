import { describe, expect, it } from "@jest/globals";
import { SEVERITIES, type Finding } from "../core/types.js";
import { renderMarkdown } from "./pr-comment.js";
import { code, escapeText, inline } from "./markdown-blocks.js";
import { finding, mixedResult, result } from "./test-helpers.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** The lines of one `#### Heading` section, up to the next heading or rule. */
function section(md: string, heading: RegExp): string[] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && (/^#{1,4} /.test(l) || l === "---" || l.startsWith("<details>")));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function many(n: number, over: (i: number) => Partial<Finding> = () => ({})): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding({ severity: SEVERITIES[i % 5]!, file: `apps/team-${i % 400}/deploy.yaml`, line: 10 + (i % 50), message: `Container "c${i}" in Deployment "d${i}" runs privileged.`, ...over(i) }),
  );
}

describe("renderMarkdown", () => {
  it("starts with the verdict and counts by severity", () => {
    const md = renderMarkdown(mixedResult());
    expect(md.split("\n")[0]).toBe("### ❌ gitops-guard: 2 new high-risk changes (1 critical, 1 high)");
    expect(md).toContain("| 1 | 1 | 0 | 1 | 0 |");
    expect(md).toContain("3 files reviewed · 3 new · 1 existing · 1 fixed · 1 suppressed");
    expect(renderMarkdown(result([finding({ severity: "high" }), finding({ severity: "high", line: 30 })])).split("\n")[0]).toBe("### ❌ gitops-guard: 2 new high-risk changes");
    expect(renderMarkdown(result([])).split("\n")[0]).toBe("### ✅ gitops-guard: No new risky changes");
    expect(renderMarkdown(result([finding({ severity: "low" })])).split("\n")[0]).toBe("### ✅ gitops-guard: 1 new low-risk finding (not blocking)");
  });

  it("lists new findings grouped by file, most severe file first, with rule id, line, message and fix", () => {
    const md = renderMarkdown(mixedResult());
    const lines = section(md, /^#### New findings \(3\)$/);
    const files = lines.filter((l) => l.startsWith("**`"));
    expect(files).toEqual(["**`apps/web/deploy.yaml`**", "**`apps/projects/team-a.yaml`**"]);
    expect(lines).toContain('- 🟥 **critical** `k8s/privileged-container` · L21 — Container "app" in Deployment "web" runs privileged.');
    expect(lines).toContain("  - Fix: Remove `privileged: true`.");
    expect(lines.filter((l) => l.startsWith("- ")).length).toBe(3);
  });

  it("shows who waived or overrode a finding, why and until when, without pinging them", () => {
    const md = renderMarkdown(mixedResult());
    const lines = section(md, /^#### Waived, overridden or ignored \(1\)$/);
    expect(lines).toContain("  - waived by `@alice`: migration window (expires 2026-12-31)");
    const over = renderMarkdown(result([finding({ suppressed: { by: "override", reason: "hotfix @oncall", expires: null, actor: "bob" } })]));
    expect(over.split("\n")[0]).toBe("### ✅ gitops-guard: Passed by override (@\u200bbob)");
    expect(over).toContain("overridden by `@bob`: hotfix @\u200boncall");
    expect(over).not.toMatch(/(^|[^`])@bob/);
  });

  it("collapses existing findings, lists fixed ones and notes, and ends with the command hints", () => {
    const md = renderMarkdown(mixedResult());
    expect(md).toContain("<details><summary>1 existing finding (already on the base branch, not blocking)</summary>\n\n");
    expect(md.indexOf("argocd/app-default-project")).toBeGreaterThan(md.indexOf("<details>"));
    expect(md.indexOf("argocd/app-default-project")).toBeLessThan(md.indexOf("</details>"));
    expect(section(md, /^#### Fixed by this change \(1\)$/).join("\n")).toContain("`argocd/project-destination-wildcard` · `apps/projects/team-a.yaml`");
    expect(section(md, /^#### Notes$/)).toContain("- charts/web/templates/deploy.yaml: skipped — Helm template");
    const footer = md.trimEnd().split("\n").pop()!;
    expect(footer).toContain('`/guard waive <rule> <file> --reason "..."`');
    expect(footer).toContain("`/guard recheck`");
    expect(footer).toContain("`/guard explain <rule>`");
    expect(renderMarkdown(mixedResult(), { commandPrefix: "/gg" })).toContain("`/gg recheck`");
  });

  it("says when no GitOps files changed", () => {
    const md = renderMarkdown(result([], { filesReviewed: 0, notes: ["3,500 files changed; GitHub lists only 3,000"] }));
    expect(md.split("\n")[0]).toBe("### ✅ gitops-guard: No GitOps files changed");
    expect(md).toContain("No GitOps files changed");
    expect(md).not.toContain("New findings");
    expect(md).toContain("- 3,500 files changed; GitHub lists only 3,000");
  });

  it("escapes text that could break Markdown, inject HTML or mention people", () => {
    const evil = finding({
      message: 'Name "a|b" <img src=x onerror=alert(1)> [click](http://evil) **bold** @octocat @org/team\nsecond # line',
      fix: "Set `a|b` to `@here`; never `` ` ``.",
      file: "apps/we`ird|<b>.yaml",
    });
    const md = renderMarkdown(result([evil]));
    expect(md).not.toMatch(/<img/);
    // `<b>` appears only inside the file name's code span, where GitHub shows it literally
    expect(md.split("\n").filter((l) => l.includes("<b>"))).toEqual(["**``apps/we`ird|<b>.yaml``**"]);
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(md).toContain("\\[click\\](http://evil)");
    expect(md).toContain("\\*\\*bold\\*\\*");
    expect(md).toContain("a\\|b");
    expect(md).not.toMatch(/@(octocat|org)/);
    expect(md).toContain("@\u200boctocat");
    // the message stays on its line
    const line = md.split("\n").find((l) => l.includes("&lt;img"))!;
    expect(line).toContain("second \\# line");
    // code spans of the fix survive; the file name is a valid code span
    expect(md).toContain("`a|b`");
    expect(md).toContain("`@here`");
    expect(md).toContain("**``apps/we`ird|<b>.yaml``**");
  });

  it("stays under maxChars with 10,000 findings, keeping the most severe and counting the rest", () => {
    const findings = [
      ...many(10_000),
      ...many(2_000, () => ({ status: "existing" })),
      ...many(1_000, () => ({ status: "fixed" })),
      ...many(500, (i) => ({ suppressed: { by: "waiver", reason: `reason ${i}`, expires: null, actor: "alice" } })),
    ];
    const notes = Array.from({ length: 300 }, (_, i) => `note ${i}: something was skipped`);
    const r = result(findings, { filesReviewed: 400, notes });
    const md = renderMarkdown(r);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(bytes(md)).toBeLessThanOrEqual(60_000);
    expect(md.length).toBeGreaterThan(50_000);
    expect(md.split("\n")[0]).toBe("### ❌ gitops-guard: 4000 new high-risk changes (2000 critical, 2000 high)");

    const fresh = section(md, /^#### New findings \(10000\)$/);
    const shown = fresh.filter((l) => l.startsWith("- ")).length;
    expect(shown).toBeGreaterThan(50);
    const more = fresh.find((l) => l.startsWith("_… and "));
    expect(more).toBe(`_… and ${10_000 - shown} more new findings not shown._`);
    // the most severe are kept: 2,000 criticals outnumber what fits
    expect(fresh.filter((l) => l.startsWith("- ")).every((l) => l.includes("**critical**"))).toBe(true);
    // structure survives truncation
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
    expect(md).toContain("`/guard recheck`");
    expect(md).toMatch(/_… and \d+ more not shown\._/);
    // the later sections still show their first items
    expect(section(md, /^#### Notes$/)).toContain("- note 0: something was skipped");
    expect(section(md, /^#### Notes$/)).toContain("_… and 280 more notes not shown._");
    expect(section(md, /^#### Waived, overridden or ignored \(500\)$/).filter((l) => l.startsWith("- ")).length).toBeGreaterThanOrEqual(10);
    expect(section(md, /^#### Fixed by this change \(1000\)$/).filter((l) => l.startsWith("- ")).length).toBeGreaterThanOrEqual(5);
  });

  it("honours a small maxChars", () => {
    const r = result(many(300), { notes: ["n1"] });
    for (const max of [4_000, 1_500, 300]) {
      const md = renderMarkdown(r, { maxChars: max });
      expect(bytes(md)).toBeLessThanOrEqual(max);
      expect(md.startsWith("### ❌ gitops-guard:")).toBe(true);
    }
  });

  it("counts multibyte text conservatively", () => {
    const r = result(many(3_000, () => ({ message: "コンテナ「app」は特権モードで実行されています 🚨".repeat(3) })));
    const md = renderMarkdown(r, { maxChars: 20_000 });
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

  it("escapeText() neutralises HTML, tables and mentions", () => {
    expect(escapeText("<a>|@x & y")).toBe("&lt;a&gt;\\|@\u200bx &amp; y");
  });
});
