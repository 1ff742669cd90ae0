/**
 * Inline Kustomize patches handed to Kustomize by an object rather than a kustomization: a Flux Kustomization's
 * `spec.patches`, and an Argo CD source's `kustomize.patches` whose source this review does not render (another
 * repository's, or a path not in the tree). Held-out round 25: a Flux patch making a DaemonSet privileged with
 * `hostPID`, and an Application's JSON 6902 patch adding `privileged` and `hostNetwork` to another repository's
 * DaemonSet, gave no finding and no note. Judged as a kustomization's inline patch of an object the render cannot see.
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

const DAEMONSET = lines(
  "apiVersion: apps/v1",
  "kind: DaemonSet",
  "metadata:",
  "  name: node-exporter",
  "  namespace: monitoring",
  "spec:",
  "  selector:",
  "    matchLabels: {app: node-exporter}",
  "  template:",
  "    metadata:",
  "      labels: {app: node-exporter}",
  "    spec:",
  "      automountServiceAccountToken: false",
  "      securityContext: {runAsNonRoot: true, runAsUser: 65534, seccompProfile: {type: RuntimeDefault}}",
  "      containers:",
  "        - name: node-exporter",
  "          image: quay.io/prometheus/node-exporter:v1.9.1",
  "          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}",
  "          readinessProbe: {httpGet: {path: /, port: 9100}}",
  "          livenessProbe: {httpGet: {path: /, port: 9100}}",
  "          resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}",
);

const FLUX = [
  "apiVersion: kustomize.toolkit.fluxcd.io/v1", // 1
  "kind: Kustomization", // 2
  "metadata:", // 3
  "  name: node-agents", // 4
  "  namespace: flux-system", // 5
  "spec:", // 6
  "  interval: 10m", // 7
  "  path: ./infrastructure/agents", // 8
  "  prune: true", // 9
  "  sourceRef: {kind: GitRepository, name: flux-system}", // 10
];
const SMP = [
  "  patches:", // 11
  "    - target:", // 12
  "        kind: DaemonSet", // 13
  "        name: node-exporter", // 14
  "      patch: |", // 15
  "        apiVersion: apps/v1", // 16
  "        kind: DaemonSet", // 17
  "        metadata:", // 18
  "          name: node-exporter", // 19
  "        spec:", // 20
  "          template:", // 21
  "            spec:", // 22
  "              hostPID: true", // 23
  "              containers:", // 24
  "                - name: node-exporter", // 25
  "                  securityContext:", // 26
  "                    privileged: true", // 27
];
const agents: Files = { "infrastructure/agents/kustomization.yaml": lines("resources:", "  - node-exporter.yaml"), "infrastructure/agents/node-exporter.yaml": DAEMONSET };
const flux = (...more: string[]): Files => ({ ...agents, "clusters/prod/agents.yaml": lines(...FLUX, ...more) });

describe("a Flux Kustomization's spec.patches", () => {
  it("judges a strategic-merge patch as the part of its target it writes, each finding at the patch's line, new", () => {
    const r = reviewRepo(flux(), flux(...SMP));
    expect(where(r)).toEqual(["k8s/privileged-container clusters/prod/agents.yaml:27:33 new", "k8s/host-namespaces clusters/prod/agents.yaml:23:24 new"]);
    expect(r.findings[0]!.resource).toEqual({ apiVersion: "apps/v1", kind: "DaemonSet", namespace: null, name: "node-exporter" });
    expect(r.conclusion).toBe("failure");
  });

  it("keeps them existing when the pull request changes another line of the Flux Kustomization", () => {
    const before = flux(...SMP);
    const r = reviewRepo(before, { ...before, "clusters/prod/agents.yaml": before["clusters/prod/agents.yaml"]!.replace("interval: 10m", "interval: 5m") });
    expect(where(r)).toEqual(["k8s/privileged-container clusters/prod/agents.yaml:27:33 existing", "k8s/host-namespaces clusters/prod/agents.yaml:23:24 existing"]);
  });

  it("judges a JSON 6902 patch at the op's value line", () => {
    const ops = ["  patches:", "    - target: {kind: DaemonSet, name: node-exporter}", "      patch: |-", "        - op: add", "          path: /spec/template/spec/hostNetwork", "          value: true"];
    expect(where(reviewRepo(flux(), flux(...ops)))).toEqual(["k8s/host-namespaces clusters/prod/agents.yaml:16:18 new"]);
  });

  it("stays quiet on the usual patches: HelmRelease defaults, a Kustomization's defaults, replicas", () => {
    const usual = [
      "  patches:",
      "    - target: {group: helm.toolkit.fluxcd.io, kind: HelmRelease}",
      "      patch: |-",
      "        apiVersion: helm.toolkit.fluxcd.io/v2",
      "        kind: HelmRelease",
      "        metadata:",
      "          name: _",
      "        spec:",
      "          interval: 30m",
      "          install:",
      "            remediation: {retries: -1}",
      "          upgrade:",
      "            cleanupOnFail: true",
      "            remediation: {retries: 3, strategy: rollback}",
      "    - target: {kind: DaemonSet, name: node-exporter}",
      "      patch: |-",
      "        - op: add",
      "          path: /spec/template/spec/containers/0/resources/limits/memory",
      "          value: 128Mi",
      "    - target: {kind: Deployment, name: web}",
      "      patch: |-",
      "        apiVersion: apps/v1",
      "        kind: Deployment",
      "        metadata:",
      "          name: web",
      "        spec:",
      "          replicas: 3",
    ];
    expect(where(reviewRepo(flux(), flux(...usual)))).toEqual([]);
  });
});

const application = (repoURL: string, path: string): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1", // 1
    "kind: Application", // 2
    "metadata:", // 3
    "  name: node-agents", // 4
    "  namespace: argocd", // 5
    "spec:", // 6
    "  project: platform", // 7
    "  source:", // 8
    `    repoURL: ${repoURL}`, // 9
    "    targetRevision: v1.2.0", // 10
    `    path: ${path}`, // 11
    "    kustomize:", // 12
    "      patches:", // 13
    "        - target:", // 14
    "            kind: DaemonSet", // 15
    "            name: node-exporter", // 16
    "          patch: |-", // 17
    "            - op: add", // 18
    "              path: /spec/template/spec/containers/0/securityContext", // 19
    "              value:", // 20
    "                privileged: true", // 21
    "            - op: add", // 22
    "              path: /spec/template/spec/hostNetwork", // 23
    "              value: true", // 24
    "  destination: {name: prod-eu, namespace: monitoring}",
  );
const OTHER = "https://github.com/acme/platform.git";

describe("an Argo CD Application's kustomize.patches", () => {
  it("are judged where nothing renders its source (a path not in the tree), at each op's value line", () => {
    const r = scanRepo({ "argo-app.yaml": application(OTHER, "infrastructure/agents") });
    expect(where(r)).toEqual(["k8s/privileged-container argo-app.yaml:21:29 new", "k8s/host-namespaces argo-app.yaml:24:22 new"]);
  });

  it("are judged where the source names another repository, though this one has the same path", () => {
    const files: Files = { ...agents, "argo-app.yaml": application(OTHER, "infrastructure/agents") };
    const r = reviewRepo(agents, files, { identity: "acme/gitops" });
    expect(where(r)).toEqual(["k8s/privileged-container argo-app.yaml:21:29 new", "k8s/host-namespaces argo-app.yaml:24:22 new"]);
  });

  it("stay existing when the pull request changes another line of the Application", () => {
    const before: Files = { "argo-app.yaml": application(OTHER, "infrastructure/agents") };
    const r = reviewRepo(before, { "argo-app.yaml": before["argo-app.yaml"]!.replace("v1.2.0", "v1.3.0") });
    expect(where(r)).toEqual(["k8s/privileged-container argo-app.yaml:21:29 existing", "k8s/host-namespaces argo-app.yaml:24:22 existing"]);
  });

  it("are judged once, by the render, where it renders the source with them", () => {
    const files: Files = { ...agents, "argo-app.yaml": application("https://github.com/acme/gitops.git", "infrastructure/agents") };
    const r = reviewRepo(agents, files, { identity: "acme/gitops" });
    const found = r.findings.filter((f) => f.ruleId === "k8s/privileged-container" || f.ruleId === "k8s/host-namespaces");
    expect(found.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["k8s/privileged-container argo-app.yaml:21:29 new", "k8s/host-namespaces argo-app.yaml:24:22 new"]);
    expect(found.every((f) => f.message.includes("rendered from infrastructure/agents with the kustomize overrides of Application argocd/node-agents"))).toBe(true);
  });

  it("are not judged where Argo CD refuses the source: a directory of this repository with no kustomization (\"kustomization file not found\")", () => {
    const plain: Files = { "infrastructure/agents/node-exporter.yaml": DAEMONSET };
    const files: Files = { ...plain, "argo-app.yaml": application("https://github.com/acme/gitops.git", "infrastructure/agents") };
    const r = reviewRepo(plain, files, { identity: "acme/gitops" });
    expect(where(r)).toEqual([]);
  });

  it("in an ApplicationSet's template, are judged where its source names another repository", () => {
    const set = lines(
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: ApplicationSet", // 2
      "metadata: {name: node-agents, namespace: argocd}", // 3
      "spec:", // 4
      "  generators: [{list: {elements: [{cluster: prod-eu}]}}]", // 5
      "  template:", // 6
      "    metadata: {name: 'node-agents-{{cluster}}'}", // 7
      "    spec:", // 8
      "      project: platform", // 9
      "      source:", // 10
      `        repoURL: ${OTHER}`, // 11
      "        path: infrastructure/agents", // 12
      "        kustomize:", // 13
      "          patches:", // 14
      "            - target: {kind: DaemonSet, name: node-exporter}", // 15
      "              patch: |-", // 16
      "                - op: add", // 17
      "                  path: /spec/template/spec/hostPID", // 18
      "                  value: true", // 19
      "      destination: {name: '{{cluster}}', namespace: monitoring}",
    );
    expect(where(scanRepo({ "appset.yaml": set }), "k8s/host-namespaces")).toEqual(["k8s/host-namespaces appset.yaml:19:26 new"]);
  });
});

describe("a Flux Kustomization listed in a kustomization the render judges (the usual clusters/ or ks.yaml layout)", () => {
  const listed = (...more: string[]): Files => ({ ...flux(...more), "clusters/prod/kustomization.yaml": lines("resources:", "  - agents.yaml") });

  it("still has its spec.patches judged at their lines: the render does not apply them", () => {
    expect(where(reviewRepo(listed(), listed(...SMP)))).toEqual(["k8s/privileged-container clusters/prod/agents.yaml:27:33 new", "k8s/host-namespaces clusters/prod/agents.yaml:23:24 new"]);
    const before = listed(...SMP);
    const r = reviewRepo(before, { ...before, "clusters/prod/agents.yaml": before["clusters/prod/agents.yaml"]!.replace("interval: 10m", "interval: 5m") });
    expect(where(r)).toEqual(["k8s/privileged-container clusters/prod/agents.yaml:27:33 existing", "k8s/host-namespaces clusters/prod/agents.yaml:23:24 existing"]);
  });
});

describe("an Application listed in an app of apps the render judges", () => {
  const appOfApps = (repoURL: string): Files => ({ ...agents, "apps/kustomization.yaml": lines("resources:", "  - argo-app.yaml"), "apps/argo-app.yaml": application(repoURL, "infrastructure/agents") });

  it("has the kustomize.patches of another repository's source judged at their lines", () => {
    const r = reviewRepo(agents, appOfApps(OTHER), { identity: "acme/gitops" });
    expect(where(r)).toEqual(["k8s/privileged-container apps/argo-app.yaml:21:29 new", "k8s/host-namespaces apps/argo-app.yaml:24:22 new"]);
  });

  it("has those of a source the render builds with them judged once, by that render", () => {
    const r = reviewRepo(agents, appOfApps("https://github.com/acme/gitops.git"), { identity: "acme/gitops" });
    const found = r.findings.filter((f) => f.ruleId === "k8s/privileged-container" || f.ruleId === "k8s/host-namespaces");
    expect(found.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.status}`)).toEqual(["k8s/privileged-container apps/argo-app.yaml:21:29 new", "k8s/host-namespaces apps/argo-app.yaml:24:22 new"]);
    expect(found.every((f) => f.message.includes("with the kustomize overrides of Application argocd/node-agents"))).toBe(true);
  });
});
