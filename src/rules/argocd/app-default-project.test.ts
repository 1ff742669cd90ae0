import { describe, expect, it } from "@jest/globals";
import { listApplicationSet as LIST_SET } from "../../../test/helpers/applicationset.js";
import { APPSET_OVERLAY } from "../../../test/helpers/argocd-fixtures.js";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./app-default-project.js";

describe("argocd/app-default-project", () => {
  it("reports each list element that sets a templated project to default, at the element", () => {
    const findings = runRule(rule, LIST_SET("ServerSideApply=true", ["default", "team-a", "default"]));
    expect(findings.map((f) => [f.line, f.path])).toEqual([
      [9, "spec.generators[0].list.elements[0].project"],
      [15, "spec.generators[0].list.elements[2].project"],
    ]);
    expect(findings[0]!.message).toBe('ApplicationSet "charts" template, list element 1, uses the "default" AppProject (project: default).');
  });

  it("flags an explicit default project, a missing or empty one, and a default ApplicationSet template", () => {
    const findings = runFixture(rule, "invalid-apps.yaml");
    expect(positions(findings)).toEqual([
      { line: 7, column: 12, path: "spec.project", severity: "medium" },
      // Missing: the finding points at the `spec:` key that lacks it.
      { line: 21, column: 1, path: "spec.project", severity: "medium" },
      // `project:` with no value: the key itself.
      { line: 35, column: 3, path: "spec.project", severity: "medium" },
      { line: 54, column: 16, path: "spec.template.spec.project", severity: "medium" },
      // A templatePatch that does not set the project does not excuse the template.
      { line: 77, column: 5, path: "spec.template.spec.project", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Application "explicit-default" uses the "default" AppProject.',
      'Application "no-project" sets no spec.project, so it runs in the "default" AppProject.',
      'Application "empty-project" sets no spec.project, so it runs in the "default" AppProject.',
      'ApplicationSet "default-template" template uses the "default" AppProject.',
      'ApplicationSet "patch-without-project" template sets no spec.project, so it runs in the "default" AppProject.',
    ]);
  });

  it("passes dedicated projects, non-Argo Applications and AppProjects", () => {
    expect(runFixture(rule, "valid-apps.yaml")).toEqual([]);
  });

  it("leaves templated projects and projects from templatePatch or a generator template alone", () => {
    expect(runFixture(rule, "valid-appsets.yaml")).toEqual([]);
  });

  it("leaves out what an overlay values entry does not write (no destination: it is layered on another values file), but judges what it sets", () => {
    expect(runRule(rule, APPSET_OVERLAY, { file: "system/argocd/values-seed.yaml" })).toEqual([]);
    const explicit = APPSET_OVERLAY.replace("        spec:\n", "        spec:\n          project: default\n");
    expect(positions(runRule(rule, explicit, { file: "system/argocd/values-seed.yaml" }))).toEqual([
      { line: 12, column: 20, path: "spec.template.spec.project", severity: "medium" },
    ]);
    // The same entry with a destination is a whole ApplicationSet: its missing project is reported.
    const whole = APPSET_OVERLAY.replace("        spec:\n", "        spec:\n          destination: {name: workload}\n");
    expect(positions(runRule(rule, whole, { file: "system/argocd/values.yaml" })).map((p) => p.path)).toEqual(["spec.template.spec.project"]);
  });
});

describe("argocd/app-default-project: a generator's own template (held-out round 16)", () => {
  // A `kubectl get -o yaml` export writes empty generator templates (`project: ""`): Argo CD merges a generator's
  // template over the ApplicationSet's without letting empty values override, so the outer project stays in force.
  const appset = (generatorProjects: string[], outer: string): string =>
    [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata:",
      "  name: cluster-resources",
      "spec:",
      "  generators:",
      ...generatorProjects.flatMap((p, i) => [
        "    - git:",
        "        repoURL: https://github.com/example/bootstrap.git",
        `        files: [{path: 'cluster-resources/${i}/*/config.json'}]`,
        `        template: {metadata: {}, spec: {project: ${p}, destination: {}, source: {repoURL: ""}}}`,
      ]),
      "  template:",
      "    metadata:",
      "      name: 'cluster-resources-{{ path.basename }}'",
      "    spec:",
      `      project: ${outer}`,
      "      source: {repoURL: https://github.com/example/bootstrap.git, path: '{{ path }}'}",
      "      destination: {server: '{{ server }}'}",
      "",
    ].join("\n");

  it("an empty project in a generator's template does not hide the ApplicationSet's empty project", () => {
    expect(positions(runRule(rule, appset(['""'], '""')))).toEqual([{ line: 15, column: 16, path: "spec.template.spec.project", severity: "medium" }]);
  });

  it("a generator that names its project sets it for its own Applications only", () => {
    expect(runRule(rule, appset(["team-a"], '""'))).toEqual([]);
    expect(runRule(rule, appset(["team-a", "team-b"], "default"))).toEqual([]);
    // The second generator's Applications use the ApplicationSet's project.
    expect(runRule(rule, appset(["team-a", '""'], '""')).map((f) => f.path)).toEqual(["spec.template.spec.project"]);
    // A generator that names `default` puts its Applications there: reported at its template.
    const findings = runRule(rule, appset(["default", "team-b"], '""'));
    expect(positions(findings)).toEqual([{ line: 10, column: 50, path: "spec.generators[0].git.template.spec.project", severity: "medium" }]);
    expect(findings[0]!.message).toBe('ApplicationSet "cluster-resources" template, generator template, uses the "default" AppProject.');
  });
});

describe("argocd/app-default-project: Application entries of Helm values without a project (held-out round 8)", () => {
  // gnunn-gitops/cluster-config: the argocd-app-of-app chart's values, whose `default.app.project` fills in every
  // entry's project. The argocd-apps chart cannot render an entry without `project` (`tpl .project`), so such an entry
  // is not a whole Application of that chart: nothing is said about the project it leaves out.
  const values = (entry: string): string =>
    ["default:", "  app:", "    project: cluster-config", "applications:", "  compliance-operator:", "    destination:", "      namespace: openshift-compliance", "    source:", "      path: compliance-operator/aggregate/scheduled", "      repoURL: https://github.com/redhat-cop/gitops-catalog", entry, ""].join("\n");

  it("says nothing about an entry that writes no project, and reports one that writes `default`", () => {
    expect(runRule(rule, values(""), { file: "bootstrap/base/values.yaml" })).toEqual([]);
    expect(positions(runRule(rule, values("    project: default"), { file: "bootstrap/base/values.yaml" }))).toEqual([{ line: 11, column: 14, path: "spec.project", severity: "medium" }]);
  });
});
