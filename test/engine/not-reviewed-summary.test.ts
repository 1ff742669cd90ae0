/**
 * A pull request whose changed files the review could not read at all (a Helm chart template with `{{ }}` outside
 * strings) says so in every summary instead of "No new findings in 1 file" (held-out round 21: `privileged: true`
 * added to `charts/api/templates/deployment.yaml` read as a clean review of one file). The conclusion is unchanged.
 * (A literal `privileged: true` there is now judged, see helm-template-workloads.test.ts: here it is written in both
 * branches of an `if`/`else`, which is not read.)
 */
import { describe, expect, it } from "@jest/globals";
import { toJsonReport } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/pr-comment.js";
import { renderText } from "../../src/report/text.js";
import { lines, reviewRepo, type Files } from "./kustomize-helpers.js";

const template = (extra: string[]): string =>
  lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: {{ .Release.Name }}-api",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: api",
    "          image: {{ .Values.image }}",
    ...extra,
  );
const chart = (extra: string[]): Files => ({
  "charts/api/Chart.yaml": lines("apiVersion: v2", "name: api", "version: 1.0.0"),
  "charts/api/values.yaml": lines("image: ghcr.io/acme/api:1.2.3"),
  "charts/api/templates/deployment.yaml": template(extra),
});
const privileged = chart([
  "          securityContext:",
  "            {{- if .Values.debug }}",
  "            privileged: true",
  "            {{- else }}",
  "            privileged: false",
  "            {{- end }}",
]);

describe("a review whose every changed file is a skipped Helm template", () => {
  const r = reviewRepo(chart([]), privileged);

  it("counts the file as not reviewed, and why", () => {
    expect(r.conclusion).toBe("success");
    expect(r.notReviewed).toEqual([{ path: "charts/api/templates/deployment.yaml", why: "Helm template" }]);
  });

  it("says so in the text summary line, not 'No new findings in 1 file'", () => {
    const text = renderText(r, { color: false });
    expect(text.trimEnd().split("\n").at(-1)).toBe("✔ No new findings · 1 file not reviewed (Helm template, see the note) — passing (fails at high)");
  });

  it("says so in the Markdown headline and overview (the PR comment and the check run summary)", () => {
    const md = renderMarkdown(r);
    expect(md).toContain("### ✅ gitops-guard: No new risky changes (1 file not reviewed)\n");
    expect(md).toContain("\n1 file not reviewed (Helm template, see the note) · **0 new**. New findings at or above **high** block the merge.\n");
  });

  it("counts it in the JSON summary (an addition: present only when not 0)", () => {
    expect(toJsonReport(r).summary.notReviewed).toBe(1);
    expect(Object.keys(toJsonReport(r).summary)).toEqual(["new", "existing", "fixed", "suppressed", "bySeverity", "notReviewed"]);
  });
});

describe("a review of a skipped template beside a file it read", () => {
  it("counts only the read file as reviewed, and the template as not reviewed", () => {
    const base = { ...chart([]), "apps/web.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web, namespace: web}", "data: {a: '1'}") };
    const head = { ...privileged, "apps/web.yaml": base["apps/web.yaml"]!.replace("'1'", "'2'") };
    const r = reviewRepo(base, head);
    expect(renderText(r, { color: false }).trimEnd().split("\n").at(-1)).toBe(
      "✔ No new findings in 1 file · 1 file not reviewed (Helm template, see the note) — passing (fails at high)",
    );
    expect(toJsonReport(r).summary.notReviewed).toBe(1);
  });

  it("leaves every summary as it was when every changed file was read", () => {
    const base = { "apps/web.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web, namespace: web}", "data: {a: '1'}") };
    const r = reviewRepo(base, { "apps/web.yaml": base["apps/web.yaml"]!.replace("'1'", "'2'") });
    expect(r.notReviewed).toBeUndefined();
    expect(renderText(r, { color: false }).trimEnd().split("\n").at(-1)).toBe("✔ No new findings in 1 file — passing (fails at high)");
    expect("notReviewed" in toJsonReport(r).summary).toBe(false);
  });
});
