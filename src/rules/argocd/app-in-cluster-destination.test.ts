import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { positions, readFixture, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { parseConfig } from "../../core/config.js";
import { mapSide } from "../../core/repository.js";
import { review, scan, type FileChange } from "../../core/review.js";
import type { Finding } from "../../core/types.js";
import rule from "./app-in-cluster-destination.js";

const config: unknown = parse(readFixture(rule.meta.id, "config.yaml"));

describe("argocd/app-in-cluster-destination", () => {
  it("flags in-cluster destinations of non-platform and templated projects; critical into the Argo CD namespace", () => {
    const findings = runFixture(rule, "invalid-destinations.yaml", { config });
    expect(positions(findings)).toEqual([
      { line: 27, column: 11, path: "spec.destination.name", severity: "critical" },
      { line: 76, column: 15, path: "spec.template.spec.destination.name", severity: "critical" },
      { line: 89, column: 22, path: "spec.generators[0].list.elements[0].cluster", severity: "critical" },
      { line: 13, column: 13, path: "spec.destination.server", severity: "medium" },
      { line: 50, column: 17, path: "spec.template.spec.destination.server", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Application "sneaky" (project "default") deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.',
      'ApplicationSet "per-dir" template (project "{{path.basename}}", set per generated Application) deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.',
      'ApplicationSet "addons" template (project "addons"), list element 1, deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.',
      'Application "team-tool" (project "team-a") deploys to the cluster that runs Argo CD (server: https://kubernetes.default.svc/).',
      'ApplicationSet "per-team" template (project "tools") deploys to the cluster that runs Argo CD (server: https://kubernetes.default.svc).',
    ]);
  });

  it("passes platform projects, remote clusters and templated destinations", () => {
    expect(runFixture(rule, "valid-destinations.yaml", { config })).toEqual([]);
  });

  it("treats every project as a team project when no platform projects are configured", () => {
    expect(positions(runFixture(rule, "valid-destinations.yaml"))).toEqual([
      { line: 14, column: 13, path: "spec.destination.server", severity: "critical" },
    ]);
  });

  it("uses the configured Argo CD namespace", () => {
    const gitops = { argocd: { namespace: "gitops", platformProjects: ["platform"] } };
    expect(positions(runFixture(rule, "invalid-destinations.yaml", { config: gitops })).map((p) => p.severity)).toEqual(["medium", "medium", "medium", "medium", "medium"]);
  });
});

/** An ApplicationSet whose git directories generator makes one in-cluster Application per directory of system/. */
const gitDirAppSet = (namespace: string, goTemplate = false, repoURL = "https://github.com/acme/homelab"): string =>
  [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata:",
    "  name: root",
    "  namespace: argocd",
    "spec:",
    ...(goTemplate ? ["  goTemplate: true"] : []),
    "  generators:",
    "    - git:",
    `        repoURL: ${repoURL}`,
    "        revision: main",
    "        directories:",
    "          - path: system/*",
    "  template:",
    "    metadata:",
    "      name: app",
    "    spec:",
    "      project: apps",
    "      destination:",
    "        name: in-cluster",
    `        namespace: '${namespace}'`,
    "      source:",
    `        repoURL: ${repoURL}`,
    "        path: '{{path}}'",
    "        targetRevision: main",
    "",
  ].join("\n");

function scanTree(files: Record<string, string>, identity?: string): Finding[] {
  const config = parseConfig({}, new Set([rule.meta.id]));
  const yaml = Object.entries(files).map(([path, content]) => ({ path, content }));
  const repository = { head: mapSide(new Map(Object.entries(files))), ...(identity !== undefined ? { identity } : {}) };
  return scan(yaml, { config, rules: [rule], now: new Date("2026-11-22T00:00:00Z"), repository }).findings.filter((f) => f.ruleId === rule.meta.id);
}

const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";

describe("argocd/app-in-cluster-destination: namespaces a generator fills in", () => {
  it.each([
    ["{{path.basename}}", false],
    ["{{.path.basename}}", true],
  ])("is critical when a git directory named argocd makes namespace %s the Argo CD namespace", (namespace, go) => {
    const findings = scanTree({ "apps.yaml": gitDirAppSet(namespace, go), "system/argocd/cm.yaml": CM, "system/cert-manager/cm.yaml": CM });
    // At the generator's `directories` entry that takes the directory (held-out round 24: an exclusion removed there).
    expect(positions(findings)).toEqual([{ line: go ? 13 : 12, column: 19, path: "spec.template.spec.destination.name", severity: "critical" }]);
    expect(findings[0]!.fix).toMatch(/^Exclude the directory from the generator \(`- path: system\/argocd` with `exclude: true`\)/);
    expect(findings[0]!.message).toBe(
      `ApplicationSet "root" template (project "apps") deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD for directory "system/argocd" (namespace: ${namespace}).`,
    );
  });

  it("stays medium when no directory is named argocd, and for a git generator of another repository", () => {
    expect(positions(scanTree({ "apps.yaml": gitDirAppSet("{{path.basename}}"), "system/cert-manager/cm.yaml": CM })).map((p) => p.severity)).toEqual(["medium"]);
    const other = { "apps.yaml": gitDirAppSet("{{path.basename}}", false, "https://github.com/acme/other"), "system/argocd/cm.yaml": CM };
    expect(positions(scanTree(other, "acme/homelab")).map((p) => p.severity)).toEqual(["medium"]);
  });

  it("is critical when a list element fills a literal in-cluster destination's namespace with the Argo CD namespace, at that element's value", () => {
    const yaml = gitDirAppSet("{{ns}}").replace(/ {4}- git:[\s\S]*?- path: system\/\*\n/, "    - list:\n        elements:\n          - ns: team-a\n          - ns: argocd\n");
    const findings = runRule(rule, yaml);
    // The element's value is the line a change adds: the finding is there; the other element (team-a) still deploys
    // in-cluster, so the template's medium finding stays.
    expect(positions(findings)).toEqual([
      { line: 11, column: 17, path: "spec.generators[0].list.elements[1].ns", severity: "critical" },
      { line: 18, column: 15, path: "spec.template.spec.destination.name", severity: "medium" },
    ]);
    expect(findings[0]!.message).toBe('ApplicationSet "root" template (project "apps"), list element 2, deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.');
    // When every element gives the Argo CD namespace, the elements' findings are all there is.
    expect(positions(runRule(rule, yaml.replace("- ns: team-a", "- ns: argocd"))).map((p) => p.path)).toEqual([
      "spec.generators[0].list.elements[0].ns",
      "spec.generators[0].list.elements[1].ns",
    ]);
    // Another generator (a matrix, a cluster generator) makes other Applications: the template's finding stays.
    const clusters = yaml.replace("- ns: team-a\n", "").replace("  generators:\n", "  generators:\n    - clusters: {values: {ns: team-b}}\n");
    expect(positions(runRule(rule, clusters)).map((p) => p.severity)).toEqual(["critical", "medium"]);
    // A platform project filled in from the element is left alone; the other element stays medium, at the template.
    const perElement = yaml.replace("project: apps", "project: '{{project}}'").replace("- ns: argocd", "- {ns: argocd, project: platform}");
    expect(positions(runRule(rule, perElement, { config }))).toEqual([{ line: 18, column: 15, path: "spec.template.spec.destination.name", severity: "medium" }]);
    // Only platform projects' elements, into the Argo CD namespace: no Application of a team project deploys in-cluster.
    expect(runRule(rule, perElement.replace("- ns: team-a", "- {ns: argocd, project: platform}"), { config })).toEqual([]);
  });
});

describe("argocd/app-in-cluster-destination: a review that adds a list element into the Argo CD namespace", () => {
  const appSet = (namespaces: string[]): string =>
    gitDirAppSet("{{ns}}").replace(/ {4}- git:[\s\S]*?- path: system\/\*\n/, `    - list:\n        elements:\n${namespaces.map((ns) => `          - ns: ${ns}\n`).join("")}`);

  it("reports the element new and keeps the template's finding for the other elements existing, not fixed", () => {
    const changes: FileChange[] = [{ path: "appset.yaml", status: "modified", base: appSet(["web-ui"]), head: appSet(["web-ui", "argocd"]) }];
    const result = review({ changes, config: parseConfig({}, new Set([rule.meta.id])), rules: [rule], now: new Date("2026-11-22T00:00:00Z") });
    expect(result.findings.map((f) => ({ line: f.line, severity: f.severity, status: f.status }))).toEqual([
      { line: 11, severity: "critical", status: "new" },
      { line: 18, severity: "medium", status: "existing" },
    ]);
  });
});

describe("argocd/app-in-cluster-destination: templatePatch", () => {
  const patched = (patch: string[], template = ["name: '{{.team}}'", "namespace: '{{.team}}'"], project = "team-a"): string =>
    [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: ApplicationSet", // 2
      "metadata:", // 3
      "  name: argocd-config", // 4
      "  namespace: argocd", // 5
      "spec:", // 6
      "  goTemplate: true", // 7
      "  generators:", // 8
      "    - list: {elements: [{team: platform}]}", // 9
      "  template:", // 10
      "    metadata: {name: 'config-{{.team}}'}", // 11
      "    spec:", // 12
      `      project: ${project}`, // 13
      "      source: {repoURL: https://github.com/example/repo, targetRevision: v1.0.0, path: 'teams/{{.team}}'}", // 14
      "      destination:", // 15
      ...template.map((l) => `        ${l}`), // 16, 17
      "  templatePatch: |", // 18
      ...patch.map((l) => `    ${l}`), // 19...
      "",
    ].join("\n");

  it("flags a literal in-cluster destination the patch writes, at its line, as the same values in the template", () => {
    const findings = runRule(rule, patched(["spec:", "  destination:", "    name: in-cluster", "    namespace: argocd"]));
    expect(positions(findings)).toEqual([{ line: 21, column: 15, path: "spec.templatePatch", severity: "critical" }]);
    expect(findings[0]!.message).toBe('ApplicationSet "argocd-config" templatePatch (project "team-a") deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.');
    // The template's namespace when the patch sets none; a server written in the patch; a templated patch project.
    const server = runRule(rule, patched(["spec:", "  project: '{{ .team }}'", "  destination:", "    server: https://kubernetes.default.svc/"], ["name: remote", "namespace: apps"]));
    expect(positions(server)).toEqual([{ line: 22, column: 17, path: "spec.templatePatch", severity: "medium" }]);
    expect(server[0]!.message).toBe(
      'ApplicationSet "argocd-config" templatePatch (a project set per generated Application) deploys to the cluster that runs Argo CD (server: https://kubernetes.default.svc/).',
    );
  });

  it("is critical for a patch destination into kube-system of the in-cluster server", () => {
    const findings = runRule(rule, patched(["spec:", "  destination:", "    name: in-cluster", "    namespace: kube-system"]));
    expect(positions(findings)).toEqual([{ line: 21, column: 15, path: "spec.templatePatch", severity: "critical" }]);
    expect(findings[0]!.message).toBe('ApplicationSet "argocd-config" templatePatch (project "team-a") deploys into the kube-system namespace of the cluster that runs Argo CD.');
  });

  it("passes a patch destination of a platform project, a remote one, and one the template already has (reported there)", () => {
    const inCluster = ["spec:", "  destination:", "    name: in-cluster", "    namespace: argocd"];
    expect(runRule(rule, patched(inCluster, undefined, "platform"), { config })).toEqual([]);
    expect(runRule(rule, patched(["spec:", "  destination:", "    name: workload", "    namespace: argocd"]))).toEqual([]);
    expect(positions(runRule(rule, patched(inCluster, ["name: in-cluster", "namespace: argocd"]))).map((p) => p.path)).toEqual(["spec.template.spec.destination.name"]);
  });
});

describe("argocd/app-in-cluster-destination: kube-system of the cluster that runs Argo CD", () => {
  const app = (namespace: string): string =>
    [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata:",
      "  name: team-tool",
      "spec:",
      "  project: team-a",
      "  source: {repoURL: https://github.com/acme/homelab, path: tools, targetRevision: v1.0.0}",
      "  destination:",
      "    server: https://kubernetes.default.svc",
      `    namespace: ${namespace}`,
      "",
    ].join("\n");

  it("is critical for a literal destination into kube-system, as for the Argo CD namespace", () => {
    const findings = runRule(rule, app("kube-system"));
    expect(positions(findings)).toEqual([{ line: 9, column: 13, path: "spec.destination.server", severity: "critical" }]);
    expect(findings[0]!.message).toBe('Application "team-tool" (project "team-a") deploys into the kube-system namespace of the cluster that runs Argo CD.');
    expect(positions(runRule(rule, app("kube-public"))).map((p) => p.severity)).toEqual(["medium"]);
    // A platform project is declared to deploy there.
    expect(runRule(rule, app("kube-system").replace("project: team-a", "project: platform"), { config })).toEqual([]);
  });

  it("is critical for a git directory named kube-system that fills a templated namespace", () => {
    const findings = scanTree({ "apps.yaml": gitDirAppSet("{{path.basename}}"), "system/kube-system/cm.yaml": CM, "system/cert-manager/cm.yaml": CM });
    expect(positions(findings)).toEqual([{ line: 12, column: 19, path: "spec.template.spec.destination.name", severity: "critical" }]);
    expect(findings[0]!.message).toBe(
      'ApplicationSet "root" template (project "apps") deploys into the kube-system namespace of the cluster that runs Argo CD for directory "system/kube-system" (namespace: {{path.basename}}).',
    );
  });

  it("is critical at a list element that gives kube-system, for a literal or a templated in-cluster destination", () => {
    const yaml = gitDirAppSet("{{ns}}").replace(/ {4}- git:[\s\S]*?- path: system\/\*\n/, "    - list:\n        elements:\n          - ns: team-a\n          - ns: kube-system\n");
    const findings = runRule(rule, yaml);
    expect(positions(findings)).toEqual([
      { line: 11, column: 17, path: "spec.generators[0].list.elements[1].ns", severity: "critical" },
      { line: 18, column: 15, path: "spec.template.spec.destination.name", severity: "medium" },
    ]);
    expect(findings[0]!.message).toBe('ApplicationSet "root" template (project "apps"), list element 2, deploys into the kube-system namespace of the cluster that runs Argo CD.');
    // Every element into kube-system or the Argo CD namespace: the elements' findings are all there is.
    expect(positions(runRule(rule, yaml.replace("- ns: team-a", "- ns: argocd"))).map((p) => p.severity)).toEqual(["critical", "critical"]);
    // A templated destination whose element gives the in-cluster server and kube-system.
    const templated = yaml
      .replace("name: in-cluster", "server: '{{server}}'")
      .replace("- ns: kube-system", "- {ns: kube-system, server: 'https://kubernetes.default.svc'}")
      .replace("- ns: team-a", "- {ns: team-a, server: 'https://eu.example.com'}");
    const element = runRule(rule, templated);
    expect(positions(element)).toEqual([{ line: 11, column: 39, path: "spec.generators[0].list.elements[1].server", severity: "critical" }]);
    expect(element[0]!.message).toBe('ApplicationSet "root" template (project "apps"), list element 2, deploys into the kube-system namespace of the cluster that runs Argo CD.');
  });

  /** An ApplicationSet of node agents whose destination is a cluster generator's (held-out round 23). */
  const clusterAppSet = (generatorsYaml: string[], namespace: string): string =>
    [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: ApplicationSet",
      "metadata: {name: platform-addons, namespace: argocd}",
      "spec:",
      "  goTemplate: true",
      "  generators:",
      ...generatorsYaml,
      "  template:",
      "    metadata: {name: '{{.name}}-node-exporter'}",
      "    spec:",
      "      project: addons",
      "      source: {repoURL: https://github.com/acme/gitops, targetRevision: main, path: monitoring/node-exporter}",
      "      destination:",
      "        server: '{{.server}}'",
      `        namespace: ${namespace}`,
      "",
    ].join("\n");

  it("is critical when a cluster generator with no selector makes the in-cluster Application into kube-system (held-out round 23)", () => {
    const findings = runRule(rule, clusterAppSet(["    - clusters: {}"], "kube-system"));
    expect(positions(findings)).toEqual([{ line: 15, column: 20, path: "spec.template.spec.destination.namespace", severity: "critical" }]);
    expect(findings[0]!.message).toBe('ApplicationSet "platform-addons" template (project "addons"), through a cluster generator with no selector, deploys into the kube-system namespace of the cluster that runs Argo CD.');
    // Matrixed with a list element that gives kube-system: at that element.
    const matrix = ["    - matrix:", "        generators:", "          - clusters: {}", "          - list:", "              elements:", "                - namespace: monitoring", "                - namespace: kube-system"];
    expect(positions(runRule(rule, clusterAppSet(matrix, "'{{.namespace}}'")))).toEqual([{ line: 13, column: 30, path: "spec.generators[0].matrix.generators[1].list.elements[1].namespace", severity: "critical" }]);
    // A selector keeps the in-cluster one out; another namespace is the unbounded-generator rule's (medium) alone; a platform project is left alone.
    expect(runRule(rule, clusterAppSet(["    - clusters:", "        selector: {matchLabels: {tier: workload}}"], "kube-system"))).toEqual([]);
    expect(runRule(rule, clusterAppSet(["    - clusters: {}"], "monitoring"))).toEqual([]);
    expect(runRule(rule, clusterAppSet(["    - clusters: {}"], "kube-system").replace("project: addons", "project: platform"), { config })).toEqual([]);
  });

  it("reports only the list elements when a matrix's list sends every Application into kube-system (held-out round 23)", () => {
    const matrix = "    - matrix:\n        generators:\n          - git:\n              repoURL: https://github.com/acme/homelab\n              revision: main\n              directories:\n                - path: system/*\n          - list:\n              elements:\n                - ns: kube-system\n";
    const yaml = gitDirAppSet("{{ns}}").replace(/ {4}- git:[\s\S]*?- path: system\/\*\n/, matrix);
    expect(yaml).toContain("- matrix:");
    const findings = runRule(rule, yaml);
    expect(findings.map((f) => f.severity)).toEqual(["critical"]);
    expect(findings[0]!.message).toContain("list element 1, deploys into the kube-system namespace");
  });
});

describe("argocd/app-in-cluster-destination: a review that moves an Application into kube-system", () => {
  it("reports the in-cluster finding made critical as new", () => {
    const app = (ns: string): string =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: team\nspec:\n  project: team-a\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${ns}\n`;
    const changes: FileChange[] = [{ path: "apps/team.yaml", status: "modified", base: app("team-a"), head: app("kube-system") }];
    const result = review({ changes, config: parseConfig({}, new Set([rule.meta.id])), rules: [rule], now: new Date("2026-11-22T00:00:00Z") });
    expect(result.findings.map((f) => ({ line: f.line, severity: f.severity, status: f.status }))).toEqual([{ line: 8, severity: "critical", status: "new" }]);
  });
});

describe("argocd/app-in-cluster-destination: a review that removes a git generator's exclusion of kube-system (held-out round 24)", () => {
  it("reports the critical finding new at the generator's entry, and the template's in-cluster finding is not shown fixed", () => {
    const excluded = gitDirAppSet("{{path.basename}}").replace("          - path: system/*\n", "          - path: system/*\n          - path: system/kube-system\n            exclude: true\n");
    const tree = new Map([["system/kube-system/cm.yaml", CM], ["system/web/cm.yaml", CM]]);
    const changes: FileChange[] = [{ path: "apps.yaml", status: "modified", base: excluded, head: gitDirAppSet("{{path.basename}}") }];
    const result = review({
      changes,
      config: parseConfig({}, new Set([rule.meta.id])),
      rules: [rule],
      now: new Date("2026-11-22T00:00:00Z"),
      repository: { base: mapSide(new Map([...tree, ["apps.yaml", excluded]])), head: mapSide(new Map([...tree, ["apps.yaml", gitDirAppSet("{{path.basename}}")]])) },
    });
    expect(result.findings.map((f) => ({ line: f.line, column: f.column, severity: f.severity, status: f.status }))).toEqual([{ line: 12, column: 19, severity: "critical", status: "new" }]);
  });
});
