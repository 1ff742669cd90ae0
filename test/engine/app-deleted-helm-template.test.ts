/**
 * `argocd/app-deleted` for Applications an app-of-apps Helm chart writes in its templates (held-out round 8,
 * BinaryMan32/argocd): renaming or deleting one there is the cascade a plain manifest's would be.
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, type Files } from "./kustomize-helpers.js";

const template = (name: string, extra: string[] = []): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    `  name: ${name}`,
    "  namespace: argocd",
    "  finalizers:",
    "    - resources-finalizer.argocd.argoproj.io",
    "spec:",
    "  project: play",
    "  source: {repoURL: 'https://gitlab.com/play/argocd.git', targetRevision: main, path: environments/stage}",
    "  destination:",
    "    namespace: play-stage",
    "    server: {{ .Values.server }}",
    ...extra,
  );
const chart = (files: Record<string, string>): Files => ({ "chart/Chart.yaml": lines("apiVersion: v2", "name: apps", "version: 0.1.0"), "chart/values.yaml": lines("server: https://kubernetes.default.svc"), ...files });
const deleted = (r: ReturnType<typeof reviewRepo>) => r.findings.filter((f) => f.ruleId === "argocd/app-deleted").map((f) => `${f.file}:${f.line} ${f.status} ${f.message.slice(0, 80)}`);

describe("argocd/app-deleted: Applications written in a Helm chart's templates", () => {
  const main = chart({ "chart/templates/stage.yaml": template("play-stage") });

  it("reports a rename and a deletion in the template, at the finalizer", () => {
    expect(deleted(reviewRepo(main, chart({ "chart/templates/stage.yaml": template("play-staging") })))).toEqual([
      'chart/templates/stage.yaml:7 new Application "play-stage" is renamed to "play-staging" by this change and has the',
    ]);
    expect(deleted(reviewRepo(main, chart({})))).toEqual(['chart/templates/stage.yaml:7 new Application "play-stage" is deleted by this change and has the resources finaliz']);
  });

  it("says nothing when the template's Applications are not all read with literal names (a templated name, a range)", () => {
    expect(deleted(reviewRepo(main, chart({ "chart/templates/stage.yaml": template("{{ .Values.name }}") })))).toEqual([]);
    const ranged = lines("{{- range .Values.apps }}", "---", template("play-{{ .name }}"), "{{- end }}");
    expect(deleted(reviewRepo(main, chart({ "chart/templates/stage.yaml": ranged })))).toEqual([]);
    // A plain Application deleted beside a template that is not read whole: it may have moved there.
    const withPlain = { ...main, "apps/other.yaml": template("other").replace("{{ .Values.server }}", "https://kubernetes.default.svc") };
    expect(deleted(reviewRepo(withPlain, chart({ "chart/templates/stage.yaml": ranged })))).toEqual([]);
  });
});
