import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../core/config.js";
import { scan } from "../core/review.js";
import { ALL_RULES } from "../rules/index.js";
import { renderText, summaryLine } from "./text.js";
import { finding, mixedResult, result } from "./test-helpers.js";

const ESC = "\u001b";

describe("renderText", () => {
  it("groups findings by file with line:col, severity, message, rule id and a fix line", () => {
    const out = renderText(mixedResult(), { color: false });
    const lines = out.split("\n");
    const fileLine = lines.indexOf("apps/web/deploy.yaml");
    expect(fileLine).toBeGreaterThanOrEqual(0);
    expect(lines[fileLine + 1]).toMatch(/^ {2}17:11 {2}low {7}Container "app" has no resource limits\. {2}\[k8s\/missing-resources\]$/);
    expect(lines[fileLine + 2]).toMatch(/^ +fix: Set `resources\.limits`\.$/);
    expect(lines[fileLine + 3]).toMatch(/^ {2}21:23 {2}critical {2}Container "app" in Deployment "web" runs privileged\. {2}\[k8s\/privileged-container\]$/);
    // every file appears exactly once, sorted
    const files = lines.filter((l) => /^\S/.test(l) && l.endsWith(".yaml"));
    expect(files).toEqual(["apps/projects/team-a.yaml", "apps/web/app.yaml", "apps/web/deploy.yaml"]);
  });

  it("says when a finding's line is the base version's (a deleted Application), not the file's as the pull request leaves it", () => {
    const out = renderText(result([finding({ side: "base", status: "new", line: 32 })]), { color: false });
    expect(out).toContain("32:");
    expect(out).toContain("(base version's line)");
  });

  it("shows status for existing and fixed findings and who suppressed what, and why", () => {
    const out = renderText(mixedResult(), { color: false });
    expect(out).toMatch(/6:12 {2}medium {2}\(existing\) Application "web" uses the default project\./);
    expect(out).toMatch(/14:7 {2}high {2}\(fixed\) AppProject "team-a" allows any destination namespace\./);
    expect(out).toMatch(/\(suppressed\) Application "web" syncs with Replace=true\./);
    expect(out).toContain("waived by @alice: migration window (expires 2026-12-31)");
    const overridden = renderText(result([finding({ suppressed: { by: "override", reason: "hotfix", expires: null, actor: "bob" } })]), { color: false });
    expect(overridden).toContain("overridden by @bob: hotfix");
    const annotated = renderText(result([finding({ suppressed: { by: "annotation", reason: "legacy app", expires: null, actor: null } })]), { color: false });
    expect(annotated).toContain("ignored by annotation: legacy app");
  });

  it("gives the fix of new findings only, and lists files with a new finding first (held-out round 23)", () => {
    const out = renderText(
      result([
        finding({ file: "a/old.yaml", status: "existing", fix: "Old fix." }),
        finding({ file: "z/new.yaml", status: "new", fix: "New fix." }),
      ]),
      { color: false },
    );
    expect(out).toContain("fix: New fix.");
    expect(out).not.toContain("fix: Old fix.");
    expect(out.indexOf("z/new.yaml")).toBeLessThan(out.indexOf("a/old.yaml"));
  });

  it("ends with one summary line", () => {
    const out = renderText(mixedResult(), { color: false }).trimEnd().split("\n");
    expect(out[out.length - 1]).toBe("✖ 3 new findings (1 critical, 1 high, 1 low) · 1 existing · 1 fixed · 1 suppressed — failing at high");
    expect(out).toContain("note: charts/web/templates/deploy.yaml: skipped — Helm template");
  });

  it("summarises passing and empty reviews", () => {
    expect(summaryLine(result([], { filesReviewed: 0 }))).toBe("✔ No GitOps files changed");
    expect(summaryLine(result([], { filesReviewed: 4 }))).toBe("✔ No new findings in 4 files — passing (fails at high)");
    expect(summaryLine(result([finding({ severity: "low" })], { filesReviewed: 1 }))).toBe("✔ 1 new finding (1 low) — passing (fails at high)");
    expect(renderText(result([], { filesReviewed: 0 }), { color: false })).toBe("✔ No GitOps files changed\n");
  });

  it("does not call a review with findings from a render (only a generator's .env changed) empty", () => {
    expect(summaryLine(result([finding({ severity: "critical", file: "overlays/prod/app.env" })], { filesReviewed: 0 }))).toBe("✖ 1 new finding (1 critical) — failing at high");
    expect(summaryLine(result([finding({ status: "existing", file: "overlays/prod/app.env" })], { filesReviewed: 0 }))).toBe("✔ No new findings · 1 existing — passing (fails at high)");
  });

  it("uses ANSI colours only when asked", () => {
    expect(renderText(mixedResult(), { color: false })).not.toContain(ESC);
    const coloured = renderText(mixedResult(), { color: true });
    expect(coloured).toContain(`${ESC}[1;31mcritical`);
    expect(coloured).toContain(`${ESC}[0m`);
  });

  it("never passes control characters from findings through to the terminal", () => {
    const evil = finding({ message: `bad ${ESC}]0;pwned\u0007 name\nsecond line`, file: `a${ESC}[2J.yaml`, fix: `x\r\ny` });
    const out = renderText(result([evil]), { color: false });
    expect(out).not.toContain(ESC);
    expect(out).not.toContain("\u0007");
    expect(out).not.toContain("\r");
    expect(out).toContain("bad ]0;pwned name second line");
  });

  it("renders a real scan with the finding's exact position", () => {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";
    const r = scan([{ path: "pod.yaml", content: pod }], { config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-01-01T00:00:00Z") });
    const out = renderText(r, { color: false });
    expect(out).toMatch(/10:21 +critical +.*\[k8s\/privileged-container\]/);
    expect(out.trimEnd().split("\n").pop()).toMatch(/^✖ .*failing at high$/);
  });

  it("renders a file with more findings than a spread may pass as arguments (no call-stack overflow)", () => {
    const many = Array.from({ length: 200_000 }, (_, i) => finding({ file: "generated/huge.yaml", line: i + 1, column: 1, severity: i % 2 ? "low" : "critical" }));
    const out = renderText(result(many), { color: false });
    const lines = out.split("\n");
    const first = lines.find((l) => /^ +1:1 /.test(l))!;
    const last = lines.find((l) => /^ +200000:1 /.test(l))!;
    // Columns sized by the widest position and severity: the severity and message start at the same offsets.
    expect([first.indexOf("critical"), first.indexOf("AppProject")]).toEqual([last.indexOf("low"), last.indexOf("AppProject")]);
  });
});
