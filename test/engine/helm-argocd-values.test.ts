import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConfig } from "../../src/core/config.js";
import { review, scan, type FileChange } from "../../src/core/review.js";
import type { Finding } from "../../src/core/types.js";
import { ALL_RULES } from "../../src/rules/index.js";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "helm-values");
const read = (name: string): string => readFileSync(join(HERE, name), "utf8");
const now = new Date("2026-11-22T00:00:00Z");
const run = (path: string, content: string) => scan([{ path, content }], { config: defaultConfig(), rules: ALL_RULES, now });
const changes = (c: FileChange[]) => review({ changes: c, config: defaultConfig(), rules: ALL_RULES, now });

/** Where, what and on which object: the parts these tests compare. */
const where = (fs: Finding[]) => fs.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.resource.kind}/${f.resource.name} ${f.path}`);

describe("Argo CD objects declared in Helm values are judged at their lines", () => {
  it("argocd-apps 2.x (maps keyed by name): Applications, AppProjects and ApplicationSets", () => {
    const r = run("platform/argocd-apps/values.yaml", read("argocd-apps-v2.yaml"));
    expect(where(r.findings)).toEqual([
      "46:20 argocd/project-destination-control-plane AppProject/team-web spec.destinations[0].namespace",
      "23:11 argocd/app-destructive-sync-options Application/guestbook spec.syncPolicy.syncOptions[1]",
      '27:40 argocd/app-unsafe-link Application/payments metadata.annotations["link.argocd.argoproj.io/runbook"]',
      "44:9 argocd/project-source-repos-wildcard AppProject/team-web spec.sourceRepos[0]",
      "52:15 argocd/project-cluster-resources-wildcard AppProject/team-web spec.clusterResourceWhitelist[0].kind",
      "56:13 argocd/project-role-wildcard-policy AppProject/team-web spec.roles[0].policies[0]",
      "72:18 argocd/appset-templated-project ApplicationSet/guestbook-everywhere spec.template.spec.project",
      "9:14 argocd/app-default-project Application/guestbook spec.project",
      "15:15 argocd/app-in-cluster-destination Application/guestbook spec.destination.server",
      "34:28 argocd/app-helm-pass-credentials Application/payments spec.sources[0].helm.passCredentials",
      "58:13 argocd/project-token-without-expiry AppProject/team-web spec.roles[0].jwtTokens[0]",
      "67:9 argocd/appset-unbounded-cluster-generator ApplicationSet/guestbook-everywhere spec.generators[0].clusters",
    ]);
    expect(r.findings[0]!.resource).toEqual({ apiVersion: "argoproj.io/v1alpha1", kind: "AppProject", namespace: "argocd", name: "team-web" });
  });

  it("the raw chart's resources (as a raw: subchart) and other charts' extraManifests: Argo CD objects judged, the rest left alone", () => {
    const values = [
      "argo-cd:", // 1
      "  fullnameOverride: argocd", // 2
      "raw:", // 3
      "  resources:", // 4
      "    - apiVersion: argoproj.io/v1alpha1", // 5
      "      kind: AppProject", // 6
      "      metadata: {name: apps}", // 7
      "      spec:", // 8
      "        sourceRepos: ['*']", // 9
      "        destinations: [{server: https://prod.example.com, namespace: apps}]", // 10
      "    - apiVersion: v1", // 11
      "      kind: Namespace", // 12
      "      metadata: {name: apps}", // 13
      "extraManifests:", // 14
      "  - apiVersion: argoproj.io/v1alpha1", // 15
      "    kind: AppProject", // 16
      "    metadata: {name: tools}", // 17
      "    spec: {sourceRepos: ['*'], destinations: [{server: https://prod.example.com, namespace: tools}]}", // 18
      "resources:", // 19: container resources of some chart, a map
      "  limits: {cpu: 100m}", // 20
      "",
    ].join("\n");
    expect(where(run("platform/argocd/values.yaml", values).findings.filter((f) => f.ruleId.startsWith("argocd/")))).toEqual([
      "9:23 argocd/project-source-repos-wildcard AppProject/apps spec.sourceRepos[0]",
      "18:26 argocd/project-source-repos-wildcard AppProject/tools spec.sourceRepos[0]",
    ]);
  });

  it("argo-cd chart: a repository or cluster Secret in extraObjects gets the Argo CD Secret rules, one finding per credential", () => {
    const values = [
      "extraObjects:", // 1
      "  - apiVersion: v1", // 2
      "    kind: Secret", // 3
      "    metadata:", // 4
      "      name: repo-github", // 5
      "      labels: {argocd.argoproj.io/secret-type: repository}", // 6
      "    stringData:", // 7
      "      url: https://git.example.com/acme/deployments", // 8
      "      password: Xk93hfQ2mLp7Wn4s", // 9
      '      insecure: "true"', // 10
      "  - apiVersion: v1", // 11
      "    kind: Secret", // 12
      "    metadata: {name: plain}", // 13
      "    stringData: {note: hello}", // 14
      "",
    ].join("\n");
    const r = run("platform/argocd/values.yaml", values);
    expect(r.findings.map((f) => `${f.line} ${f.ruleId} ${f.severity}`)).toEqual(["9 argocd/plaintext-repo-credentials critical", "10 argocd/insecure-connection high"]);
  });

  it("argocd-apps 1.x (lists with a name field), production-only rules under production paths", () => {
    const r = run("envs/prod/argocd-apps/values.yaml", read("argocd-apps-v1.yaml"));
    expect(where(r.findings)).toEqual([
      "8:20 argocd/project-destination-control-plane AppProject/team-web spec.destinations[0].namespace",
      "19:13 argocd/app-in-cluster-destination Application/web spec.destination.name",
      "9:17 argocd/project-destination-wildcard AppProject/team-web spec.destinations[0].server",
      "23:11 argocd/app-destructive-sync-options Application/web spec.syncPolicy.syncOptions[0]",
      // The project of "regional" comes only from its literal list element (region: eu): as reviewable as a literal.
      "38:27 argocd/app-unpinned-revision ApplicationSet/regional spec.template.spec.source.targetRevision",
    ]);
  });

  it("argo-cd chart: configs.cm / configs.params / configs.rbac as Argo CD's ConfigMaps, Argo CD objects in extraObjects", () => {
    const r = run("platform/argo-cd.yaml", read("argo-cd.yaml"));
    expect(where(r.findings)).toEqual([
      '9:30 argocd/anonymous-access ConfigMap/argocd-cm data["users.anonymous.enabled"]',
      '14:26 argocd/anonymous-access ConfigMap/argocd-cmd-params-cm data["server.disable.auth"]',
      '17:21 argocd/rbac-default-policy ConfigMap/argocd-rbac-cm data["policy.default"]',
      '20:7 argocd/rbac-default-policy ConfigMap/argocd-rbac-cm data["policy.csv"]',
      "45:22 argocd/project-destination-control-plane AppProject/platform spec.destinations[0].namespace",
      '10:19 argocd/exec-enabled ConfigMap/argocd-cm data["exec.enabled"]',
      '11:29 argocd/kustomize-unsafe-build-options ConfigMap/argocd-cm data["kustomize.buildOptions"]',
      "48:17 argocd/project-cluster-resources-privileged AppProject/platform spec.clusterResourceWhitelist[0].kind",
    ]);
    expect(r.findings[0]!.message).toBe("Helm values configs.cm enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.");
  });

  it("argo-cd chart: an extraObjects string entry (a template) that writes one Argo CD object literally is judged at its lines", () => {
    // The gitops-bridge pattern: a permissive default AppProject, only its namespace templated.
    const values = [
      "server:", // 1
      "  replicas: 1", // 2
      "extraObjects:", // 3
      "  - |", // 4
      "    apiVersion: argoproj.io/v1alpha1", // 5
      "    kind: AppProject", // 6
      "    metadata:", // 7
      "      name: default", // 8
      "      namespace: {{ $.Release.Namespace | quote }}", // 9
      "    spec:", // 10
      "      sourceRepos:", // 11
      "        - '*'", // 12
      "      destinations:", // 13
      "        - namespace: '*'", // 14
      "          server: '*'", // 15
      "      clusterResourceWhitelist:", // 16
      "        - group: '*'", // 17
      "          kind: '*'", // 18
      "  - |", // 19
      "    {{- if .Values.extra }}", // 20: control structures: not one object's YAML, left alone
      "    apiVersion: argoproj.io/v1alpha1", // 21
      "    kind: AppProject", // 22
      "    metadata: {name: other}", // 23
      "    spec: {sourceRepos: ['*']}", // 24
      "    {{- end }}", // 25
      "",
    ].join("\n");
    const r = run("addons/argo-cd/values.yaml", values);
    const found = where(r.findings);
    expect(found).toContain("12:11 argocd/project-source-repos-wildcard AppProject/default spec.sourceRepos[0]");
    expect(found).toContain("18:17 argocd/project-cluster-resources-wildcard AppProject/default spec.clusterResourceWhitelist[0].kind");
    expect(found.some((f) => f.startsWith("15:19 argocd/project-destination-wildcard AppProject/default"))).toBe(true);
    expect(found.some((f) => / argocd\/default-project-permissive AppProject\/default /.test(f))).toBe(true);
    expect(found.some((f) => f.includes("AppProject/other"))).toBe(false);
    expect(r.findings.find((f) => f.ruleId === "argocd/project-source-repos-wildcard")!.message).toContain('AppProject "default"');
  });

  it("an Application that installs the argo-cd chart: its helm.valuesObject, and helm.values written as a block, are the chart's values", () => {
    const r = run("argocd/argocd.yaml", read("application-argo-cd-chart.yaml"));
    expect(where(r.findings.filter((f) => f.ruleId !== "argocd/app-in-cluster-destination"))).toEqual([
      '16:38 argocd/anonymous-access ConfigMap/argocd-cm data["users.anonymous.enabled"]',
      '18:29 argocd/rbac-default-policy ConfigMap/argocd-rbac-cm data["policy.default"]',
      '38:40 argocd/anonymous-access ConfigMap/argocd-cm data["users.anonymous.enabled"]',
      '40:31 argocd/rbac-default-policy ConfigMap/argocd-rbac-cm data["policy.default"]',
    ]);
    // Another chart's values are not the argo-cd chart's.
    expect(run("argocd/other.yaml", read("application-argo-cd-chart.yaml").replaceAll("chart: argo-cd", "chart: podinfo")).findings.filter((f) => f.ruleId !== "argocd/app-in-cluster-destination")).toEqual([]);
  });

  it("a Flux HelmRelease that installs the argo-cd or argocd-apps chart: its spec.values are the chart's values", () => {
    const release = (chart: string): string =>
      [
        "apiVersion: helm.toolkit.fluxcd.io/v2",
        "kind: HelmRelease",
        "metadata: {name: argocd, namespace: argocd}",
        "spec:",
        "  chart:",
        "    spec:",
        `      chart: ${chart}`,
        "      sourceRef: {kind: HelmRepository, name: argo}",
        "  values:",
        "    configs:",
        "      cm:",
        '        users.anonymous.enabled: "true"',
        "      rbac:",
        "        policy.default: role:admin",
        "    server:",
        "      additionalProjects:",
        "        - name: apps",
        "          sourceRepos: ['*']",
        "          destinations: [{namespace: team-a, server: https://kubernetes.default.svc}]",
        "    projects:",
        "      web:",
        "        sourceNamespaces: ['*']",
        "        destinations: [{namespace: web, server: https://kubernetes.default.svc}]",
        "",
      ].join("\n");
    expect(where(run("clusters/k3s/argocd/argocd.yaml", release("argo-cd")).findings)).toEqual([
      '12:34 argocd/anonymous-access ConfigMap/argocd-cm data["users.anonymous.enabled"]',
      '14:25 argocd/rbac-default-policy ConfigMap/argocd-rbac-cm data["policy.default"]',
      "18:25 argocd/project-source-repos-wildcard AppProject/apps spec.sourceRepos[0]",
      "22:28 argocd/project-source-namespaces-wildcard AppProject/web spec.sourceNamespaces[0]",
    ]);
    // A chart path in a Git source names the chart by its last part; another chart's values are its own.
    expect(run("argocd.yaml", release("./charts/argocd-apps/")).findings.length).toBe(4);
    expect(run("argocd.yaml", release("podinfo")).findings).toEqual([]);
  });

  it("reads the same keys under the subchart name of an umbrella chart", () => {
    const nested = `argo-cd:\n  configs:\n    rbac:\n      policy.default: role:admin\nargocd-apps:\n${read("argocd-apps-v1.yaml")
      .split("\n")
      .map((l) => (l === "" ? l : `  ${l}`))
      .join("\n")}`;
    const r = run("platform/values.yaml", nested);
    expect(where(r.findings).slice(0, 3)).toEqual([
      '4:23 argocd/rbac-default-policy ConfigMap/argocd-rbac-cm data["policy.default"]',
      "13:22 argocd/project-destination-control-plane AppProject/team-web spec.destinations[0].namespace",
      "24:15 argocd/app-in-cluster-destination Application/web spec.destination.name",
    ]);
  });

  it("skips what the chart does not render: a ConfigMap with create: false, entries that are not Argo CD objects", () => {
    const values = [
      "configs:",
      "  cm:",
      "    create: false",
      "    users.anonymous.enabled: true",
      "applications:",
      "  frontend:",
      "    enabled: true",
      "    replicas: 3",
      "",
    ].join("\n");
    expect(run("values.yaml", values).findings).toEqual([]);
  });

  it("judges them with the Argo CD rules only: the values document itself is already judged by the others", () => {
    const values = [
      "applications:",
      "  db:",
      "    project: data",
      "    source:",
      "      repoURL: https://charts.example.com",
      "      chart: postgres",
      "      targetRevision: 12.1.0",
      "      helm:",
      "        valuesObject:",
      "          auth:",
      "            password: s3cr3t-Passw0rd-9f2",
      "    destination:",
      "      name: prod-eu-1",
      "      namespace: data",
      "",
    ].join("\n");
    const r = run("values.yaml", values);
    const secrets = r.findings.filter((f) => f.ruleId.startsWith("secrets/"));
    expect(secrets.length).toBeGreaterThan(0);
    // One finding per line: the derived Application is not judged again by the secrets rules.
    expect(new Set(secrets.map((f) => `${f.ruleId}@${f.line}`)).size).toBe(secrets.length);
    expect(secrets.every((f) => f.resource.kind === null)).toBe(true);
  });

  it("honours the suppression annotation written in additionalAnnotations", () => {
    const values = [
      "applications:",
      "  legacy:",
      "    additionalAnnotations:",
      '      gitops-guard.io/ignore: "argocd/app-default-project -- migrated next quarter"',
      "    project: default",
      "    source: {repoURL: https://github.com/example/legacy.git, targetRevision: v1.0.0, path: deploy}",
      "    destination: {name: prod-eu-1, namespace: legacy}",
      "",
    ].join("\n");
    const [f] = run("values.yaml", values).findings.filter((x) => x.ruleId === "argocd/app-default-project");
    expect(f).toMatchObject({ line: 5, suppressed: { by: "annotation", reason: "migrated next quarter" } });
  });
});

describe("fingerprints of values-declared objects follow the object, not its place in the file", () => {
  const body = (ns: string) =>
    [
      "    project: default",
      "    source: {repoURL: https://github.com/example/apps.git, targetRevision: v1.0.0, path: deploy}",
      `    destination: {server: https://kubernetes.default.svc, namespace: ${ns}}`,
      "",
    ].join("\n");
  const listEntry = (name: string) => `  - name: ${name}\n${body(name)}`;
  const mapEntry = (name: string) => `  ${name}:\n${body(name)}`;

  it("reordering list entries, or moving to the 2.x map form, changes no finding's status", () => {
    const base = `applications:\n${listEntry("web")}${listEntry("api")}`;
    const reordered = `applications:\n${listEntry("api")}${listEntry("web")}`;
    const r1 = changes([{ path: "argocd-apps/values.yaml", status: "modified", base, head: reordered }]);
    expect(r1.findings.map((f) => `${f.status} ${f.ruleId} ${f.resource.name}`).sort()).toEqual([
      "existing argocd/app-default-project api",
      "existing argocd/app-default-project web",
      "existing argocd/app-in-cluster-destination api",
      "existing argocd/app-in-cluster-destination web",
    ]);
    const mapForm = `applications:\n${mapEntry("web")}${mapEntry("api")}`;
    const r2 = changes([{ path: "argocd-apps/values.yaml", status: "modified", base, head: mapForm }]);
    expect(r2.findings.map((f) => f.status)).toEqual(["existing", "existing", "existing", "existing"]);
  });

  it("an Application removed from the values with the resources finalizer is argocd/app-deleted, at its base line", () => {
    const base = read("argocd-apps-v2.yaml");
    const head = base.replace(/\n {2}guestbook:\n[\s\S]*?\n(?= {2}payments:)/, "\n");
    expect(head).not.toContain("guestbook:\n    namespace");
    const r = changes([{ path: "argocd-apps/values.yaml", status: "modified", base, head }]);
    const deleted = r.findings.filter((f) => f.ruleId === "argocd/app-deleted");
    expect(deleted.map((f) => [f.line, f.column, f.path, f.resource.name])).toEqual([[8, 9, "metadata.finalizers[0]", "guestbook"]]);
    expect(r.findings.filter((f) => f.status === "new").map((f) => f.ruleId)).toEqual(["argocd/app-deleted"]);
  });
});
