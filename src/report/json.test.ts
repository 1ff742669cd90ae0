import { describe, expect, it } from "@jest/globals";
import { toJsonReport } from "./json.js";
import { finding, mixedResult, result } from "./test-helpers.js";

describe("toJsonReport", () => {
  it("follows the DESIGN.md contract, keys in order, plus notes", () => {
    const r = mixedResult();
    const json = toJsonReport(r);
    expect(Object.keys(json)).toEqual(["version", "conclusion", "summary", "findings", "notes"]);
    expect(json.version).toBe(1);
    expect(json.conclusion).toBe("failure");
    expect(Object.keys(json.summary)).toEqual(["new", "existing", "fixed", "suppressed", "bySeverity"]);
    expect(json.summary).toEqual({ new: 3, existing: 1, fixed: 1, suppressed: 1, bySeverity: { critical: 1, high: 1, medium: 0, low: 1, info: 0 } });
    expect(Object.keys(json.summary.bySeverity)).toEqual(["critical", "high", "medium", "low", "info"]);
    expect(json.notes).toEqual(["charts/web/templates/deploy.yaml: skipped — Helm template"]);
    expect(json.findings).toHaveLength(r.findings.length);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual([
        "ruleId", "severity", "status", "file", "line", "column", "endLine", "endColumn", "resource", "path", "message", "fix", "fingerprint", "suppressed",
      ]);
      expect(Object.keys(f.resource)).toEqual(["apiVersion", "kind", "namespace", "name"]);
    }
  });

  it("drops the internal docIndex and keeps positions, resource and fingerprint", () => {
    const f = finding({ docIndex: 3, line: 12, column: 5, endLine: 12, endColumn: 9, fingerprint: "abc123" });
    const [out] = toJsonReport(result([f])).findings;
    expect(out).not.toHaveProperty("docIndex");
    expect(JSON.stringify(out)).not.toContain("docIndex");
    expect(out).toMatchObject({ line: 12, column: 5, endLine: 12, endColumn: 9, fingerprint: "abc123", path: "spec.sourceRepos[0]", suppressed: null });
    expect(out!.resource).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "AppProject", namespace: "argocd", name: "team-a" });
  });

  it("marks a finding at a base version's line (a deleted Application) with side: base; fixed ones need no mark", () => {
    const r = result([finding({ side: "base", status: "new" }), finding({ line: 20, side: "base", status: "fixed" }), finding({ line: 30 })]);
    expect(toJsonReport(r).findings.map((f) => f.side)).toEqual(["base", undefined, undefined]);
  });

  it("renders suppression as {by, reason, expires, actor} with nulls", () => {
    const r = result([
      finding({ suppressed: { by: "annotation", reason: "legacy", expires: null, actor: null } }),
      finding({ line: 20, suppressed: { by: "waiver", reason: "window", expires: "2026-12-31T00:00:00.000Z", actor: "alice" } }),
    ]);
    const s = toJsonReport(r).findings.map((f) => f.suppressed);
    expect(s).toEqual([
      { by: "annotation", reason: "legacy", expires: null, actor: null },
      { by: "waiver", reason: "window", expires: "2026-12-31T00:00:00.000Z", actor: "alice" },
    ]);
    expect(Object.keys(s[1]!)).toEqual(["by", "reason", "expires", "actor"]);
  });

  it("does not share objects with the review result", () => {
    const r = mixedResult();
    const json = toJsonReport(r);
    json.notes.push("x");
    json.findings[0]!.resource.name = "changed";
    expect(r.notes).toHaveLength(1);
    expect(r.findings[0]!.resource.name).not.toBe("changed");
  });

  it("handles an empty review", () => {
    const json = toJsonReport(result([], { filesReviewed: 0 }));
    expect(json).toEqual({ version: 1, conclusion: "success", summary: { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } }, findings: [], notes: [] });
  });
});
