import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../core/config.js";
import { review as reviewChange, scan } from "../core/review.js";
import { ALL_RULES } from "../rules/index.js";
import { derivedDocs } from "./helm-argocd-values.js";
import { parseYamlFile } from "./yaml-file.js";

/** Every rule over the files, as `scan` runs them: [rule, line, column] of each finding, and the notes. */
function review(files: Record<string, string>): { findings: Array<[string, number, number]>; messages: string[]; notes: readonly string[] } {
  const config = parseConfig({}, ALL_RULES);
  const result = scan(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    { config, rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z") },
  );
  return { findings: result.findings.map((f) => [f.ruleId, f.line, f.column]), messages: result.findings.map((f) => f.message), notes: result.notes };
}

const SKIPPED = "skipped — Helm/Go template syntax";

/** An app-of-apps bootstrap chart's projects: `range` over values, `include` helpers, `toYaml | nindent`, `if`. */
const BOOTSTRAP_PROJECTS = [
  "{{- range .Values.projects }}", //                               1
  "---", //                                                          2
  "apiVersion: argoproj.io/v1alpha1", //                             3
  "kind: AppProject", //                                             4
  "metadata:", //                                                    5
  "  name: {{ .name }}", //                                          6
  "  namespace: {{ $.Values.argocdNamespace }}", //                  7
  "  labels:", //                                                    8
  '    {{- include "bootstrap.labels" $ | nindent 4 }}', //          9
  "spec:", //                                                       10
  "  description: {{ .name }} project", //                          11
  "  sourceRepos:", //                                              12
  "    - {{ $.Values.repoURL }}", //                                13
  "  destinations:", //                                             14
  "    - namespace: '*'", //                                        15
  "      server: https://kubernetes.default.svc", //                16
  "  clusterResourceWhitelist: [{group: '*', kind: '*'}]", //       17
  "  {{- if .extraDestinations }}", //                              18
  "  {{- toYaml .extraDestinations | nindent 4 }}", //              19
  "  {{- end }}", //                                                20
  "{{- end }}", //                                                  21
  "",
].join("\n");

/** A team chart's project: a role policy granting every action, around unquoted `{{ .Values.x }}` scalars. */
const TEAM_PROJECT = [
  "apiVersion: argoproj.io/v1alpha1", //                                                     1
  "kind: AppProject", //                                                                     2
  "metadata:", //                                                                            3
  "  name: {{ .Values.team }}", //                                                           4
  "spec:", //                                                                                5
  "  sourceRepos:", //                                                                       6
  "    {{- toYaml .Values.repos | nindent 4 }}", //                                          7
  "  destinations:", //                                                                      8
  "    - namespace: {{ .Values.team }}-*", //                                                9
  '      server: {{ .Values.server | default "https://kubernetes.default.svc" }}', //      10
  "  roles:", //                                                                            11
  "    - name: ci", //                                                                      12
  "      policies:", //                                                                     13
  "        - p, proj:{{ .Values.team }}:ci, applications, *, {{ .Values.team }}/*, allow", // 14
  "        - p, proj:{{ .Values.team }}:ci, applications, get, {{ .Values.team }}/*, allow", // 15
  "",
].join("\n");

describe("Argo CD objects in Helm chart templates", () => {
  it("judges what a bootstrap chart's AppProjects write literally, once per range body, at the template's lines and columns", () => {
    const { findings, notes } = review({ "bootstrap/templates/argocd-projects.yaml": BOOTSTRAP_PROJECTS });
    expect(findings).toEqual([
      ["argocd/project-destination-control-plane", 15, 18],
      ["argocd/project-cluster-resources-wildcard", 17, 49],
    ]);
    // No parse error, and the note says what was judged instead of "skipped" (held-out round 16).
    expect(notes).toEqual([
      "bootstrap/templates/argocd-projects.yaml: read as Argo CD object templates (Helm/Go template syntax): only the settings its Argo CD object writes literally are judged; render it (helm template) to review the rest",
    ]);
  });

  it("never notes a template as skipped when it reports findings from it (held-out round 16)", () => {
    const project = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: bootstrap\n  namespace: argocd\nspec:\n  sourceRepos:\n    - https://github.com/example/repo.git\n  destinations:\n    - namespace: '*'\n      server: {{ .Values.server }}\n";
    const two = `${project}---\n${project.replace("name: bootstrap", "name: second")}`;
    const { findings, notes } = review({ "chart/templates/project.yaml": project, "chart/templates/two.yaml": two });
    expect(findings.map(([rule, line]) => [rule, line])).toEqual([
      ["argocd/project-destination-control-plane", 10],
      ["argocd/project-destination-control-plane", 10],
      ["argocd/project-destination-control-plane", 22],
    ]);
    expect(notes.filter((n) => n.includes(SKIPPED))).toEqual([]);
    expect(notes).toEqual([
      "chart/templates/project.yaml: read as Argo CD object templates (Helm/Go template syntax): only the settings its Argo CD object writes literally are judged; render it (helm template) to review the rest",
      "chart/templates/two.yaml: read as Argo CD object templates (Helm/Go template syntax): only the settings its 2 Argo CD objects write literally are judged; render it (helm template) to review the rest",
    ]);
  });

  it("judges a team chart's role policy granting every action, next to templated values it leaves alone", () => {
    expect(review({ "team/templates/project.yaml": TEAM_PROJECT }).findings).toEqual([["argocd/project-role-wildcard-policy", 14, 11]]);
  });

  it("keeps a template's finding the base already had existing, and a new one new, across a shifted line", () => {
    const base = BOOTSTRAP_PROJECTS.replace("    - namespace: '*'\n", "    - namespace: 'team-*'\n").replace("  sourceRepos:", "  # repositories\n  sourceRepos:");
    const config = parseConfig({}, ALL_RULES);
    const result = reviewChange({
      config,
      rules: ALL_RULES,
      now: new Date("2026-11-22T00:00:00Z"),
      changes: [{ path: "bootstrap/templates/argocd-projects.yaml", status: "modified", base, head: BOOTSTRAP_PROJECTS }],
    });
    expect(result.findings.map((f) => [f.status, f.ruleId, f.line])).toEqual([
      ["new", "argocd/project-destination-control-plane", 15],
      ["existing", "argocd/project-cluster-resources-wildcard", 17],
    ]);
  });

  it("reads a value an action writes as its own text, and a key followed only by an action as that action", () => {
    const [project] = derivedDocs(parseYamlFile("team/templates/project.yaml", TEAM_PROJECT));
    expect(project!.partial).toBe(true);
    expect(project!.resource).toMatchObject({ kind: "AppProject", name: "{{ .Values.team }}" });
    expect(project!.value).toMatchObject({
      spec: {
        sourceRepos: "{{- toYaml .Values.repos | nindent 4 }}",
        destinations: [{ namespace: "{{ .Values.team }}-*", server: '{{ .Values.server | default "https://kubernetes.default.svc" }}' }],
      },
    });
  });

  it("never judges a templated value: revision (under a production path), prune, project and destination from values give nothing", () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata:",
      '  name: "{{ include "apps.name" . }}-web"', // the action's quotes break the YAML string: skipped all the same
      "  namespace: argocd",
      "spec:",
      "  project: {{ .Values.project }}",
      "  source:",
      "    repoURL: {{ .Values.repoURL }}",
      "    targetRevision: {{ .Values.revision }}",
      "    path: apps/web",
      "  destination:",
      "    server: {{ .Values.server }}",
      "    namespace: {{ .Values.namespace }}",
      "  syncPolicy:",
      "    automated:",
      "      prune: {{ .Values.prune }}",
      "    syncOptions: [CreateNamespace=true, {{ .Values.option }}]",
      "---",
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata:",
      "  name: {{ .Release.Name }}-envs",
      "spec:",
      "  generators:",
      "    - list:",
      "        elements:",
      "          - env: dev",
      "  template:",
      "    metadata:",
      "      name: '{{`{{ .env }}`}}-web'",
      "    spec:",
      "      project: {{ .Values.project }}",
      "      source:",
      "        repoURL: https://github.com/acme/web",
      "        targetRevision: v1.2.0",
      "        path: envs/dev",
      "      destination:",
      "        name: workload-eu-1",
      "        namespace: web",
      "",
    ].join("\n");
    const { findings, notes } = review({ "prod/apps/templates/web.yaml": app });
    expect(findings).toEqual([]);
    expect(notes).toEqual([expect.stringMatching(/^prod\/apps\/templates\/web\.yaml: read as Argo CD object templates /)]);
  });

  it("still reports a literal value next to templated ones (in-cluster, a project from values), and an escaped ApplicationSet parameter", () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1", //                 1
      "kind: Application", //                                2
      "metadata:", //                                        3
      "  name: root", //                                     4
      "spec:", //                                            5
      "  project: {{ .Values.project }}", //                 6
      "  source:", //                                        7
      "    repoURL: https://github.com/acme/apps", //        8
      "    targetRevision: {{ .Values.revision }}", //       9
      "    path: apps", //                                  10
      "  destination:", //                                  11
      "    server: https://kubernetes.default.svc", //      12
      "    namespace: apps", //                             13
      "---", //                                             14
      "apiVersion: argoproj.io/v1alpha1", //                15
      "kind: ApplicationSet", //                            16
      "metadata:", //                                       17
      "  name: teams", //                                   18
      "spec:", //                                           19
      "  generators: [{list: {elements: [{team: a}]}}]", // 20
      "  template:", //                                     21
      "    metadata: {name: '{{`{{ .team }}`}}'}", //        22
      "    spec:", //                                       23
      "      project: '{{`{{ .team }}`}}'", //               24
      "      source: {repoURL: 'https://github.com/acme/apps', targetRevision: v1.0.0, path: '{{ .Values.path }}'}", // 25
      "      destination: {name: workload, namespace: apps}", // 26
      "",
    ].join("\n");
    const { findings, messages } = review({ "bootstrap/templates/root.yaml": app });
    expect(findings).toEqual([
      ["argocd/appset-templated-project", 24, 16],
      ["argocd/app-in-cluster-destination", 12, 13],
    ]);
    expect(messages[1]).toBe('Application "root" (project "{{ .Values.project }}", set by the Helm chart) deploys to the cluster that runs Argo CD (server: https://kubernetes.default.svc).');
  });

  it("reads both branches of an if/else as written when they parse, and skips silently a document whose branches write a key twice", () => {
    const projects = [
      "apiVersion: argoproj.io/v1alpha1", //    1
      "kind: AppProject", //                    2
      "metadata:", //                           3
      "  name: branches", //                    4
      "spec:", //                               5
      "  destinations:", //                     6
      "    {{- if .Values.strict }}", //        7
      "    - namespace: team", //               8
      "    {{- else }}", //                     9
      "    - namespace: '*'", //               10
      "    {{- end }}", //                     11
      "      server: https://kubernetes.default.svc", // 12
      "---", //                                13
      "apiVersion: argoproj.io/v1alpha1", //   14
      "kind: AppProject", //                   15
      "metadata:", //                          16
      "  name: twice", //                      17
      "spec:", //                              18
      "  {{- if .Values.strict }}", //         19
      "  sourceRepos: [https://github.com/acme/x]", // 20
      "  {{- else }}", //                      21
      "  sourceRepos: ['*']", //               22
      "  {{- end }}", //                       23
      "",
    ].join("\n");
    expect(review({ "team/templates/projects.yaml": projects }).findings).toEqual([["argocd/project-destination-control-plane", 10, 18]]);
  });

  it("gives nothing for a template that declares no Argo CD object, workload or RBAC object, or one that does not parse once masked", () => {
    // A workload's literal settings are judged (see test/engine/helm-template-workloads.test.ts); a Service's are not.
    const deployment = [
      "apiVersion: v1",
      "kind: Service",
      "metadata:",
      "  name: {{ .Values.name }}",
      "spec:",
      "  type: LoadBalancer",
      "  ports:",
      "    - port: {{ .Values.port }}",
      "",
    ].join("\n");
    const broken = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  sourceRepos: ['*'\n";
    const { findings, notes } = review({ "web/templates/deployment.yaml": deployment, "team/templates/broken.yaml": broken });
    expect(findings).toEqual([]);
    expect(notes.filter((n) => n.includes(SKIPPED))).toHaveLength(2);
    expect(derivedDocs(parseYamlFile("web/templates/deployment.yaml", deployment))).toEqual([]);
  });
});
