import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./appset-unbounded-cluster-generator.js";

describe("argocd/appset-unbounded-cluster-generator", () => {
  it("flags cluster generators without a selector or with an empty one, also nested in matrix/merge", () => {
    const findings = runFixture(rule, "invalid-generators.yaml");
    expect(positions(findings)).toEqual([
      { line: 8, column: 7, path: "spec.generators[0].clusters", severity: "medium" },
      { line: 37, column: 15, path: "spec.generators[0].matrix.generators[1].clusters.selector", severity: "medium" },
      { line: 44, column: 13, path: "spec.generators[1].merge.generators[0].clusters", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ApplicationSet "everywhere" cluster generator has no selector, so it targets every cluster Argo CD manages, the in-cluster one included.',
      'ApplicationSet "matrix-everywhere" cluster generator has an empty selector, so it targets every cluster Argo CD manages, the in-cluster one included.',
      'ApplicationSet "matrix-everywhere" cluster generator has no selector, so it targets every cluster Argo CD manages, the in-cluster one included.',
    ]);
  });

  it("passes cluster generators narrowed by a selector or a post-selector, and other generators", () => {
    expect(runFixture(rule, "valid-generators.yaml")).toEqual([]);
  });

  it("leaves a merge's override clusters generator alone: only the base generator decides which clusters get one", () => {
    // Argo CD's merge generator discards override parameter sets that match no base set: an override adds no cluster.
    const merge = (base: string, override: string): string => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: addons-kyverno
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - merge:
        mergeKeys: [server]
        generators:
        - clusters:
${base}
        - clusters:
${override}
  template:
    metadata:
      name: 'addon-{{.name}}-kyverno'
    spec:
      project: addons
      source: {repoURL: https://kyverno.github.io/kyverno, chart: kyverno, targetRevision: v2.3.4}
      destination: {namespace: kyverno, name: '{{.name}}'}
`;
    const selected = "            selector:\n              matchLabels:\n                enable_kyverno: 'true'";
    const valuesOnly = "            values:\n              addonChartVersion: v2.3.4";
    expect(runRule(rule, merge(selected, valuesOnly))).toEqual([]);
    // The base generator without a selector still selects every cluster, and stays reported.
    expect(positions(runRule(rule, merge(valuesOnly, selected)))).toEqual([
      { line: 12, column: 11, path: "spec.generators[0].merge.generators[0].clusters", severity: "medium" },
    ]);
  });
});
