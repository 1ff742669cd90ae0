import { describe, expect, it } from "@jest/globals";
import { derivedDocs, isDerivedDoc, readsDerivedDocs } from "./helm-argocd-values.js";
import { parseYamlFile } from "./yaml-file.js";

const VALUES = [
  "applications:", //                                   1
  "  guestbook:", //                                    2
  "    namespace: argocd", //                           3
  "    additionalLabels: {team: web}", //               4
  "    project: web", //                                5
  "    source:", //                                     6
  "      repoURL: https://github.com/example/web.git", // 7
  "    destination: {name: prod, namespace: web}", //   8
  "projects:", //                                       9
  "  - name: web", //                                  10
  "    sourceRepos: ['*']", //                         11
  "",
].join("\n");

describe("derived documents from Helm values", () => {
  const file = parseYamlFile("argocd/values.yaml", `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: argocd\n---\n${VALUES}`);
  const derived = derivedDocs(file);

  it("builds each object as the chart renders it", () => {
    expect(derived.map((d) => d.value)).toEqual([
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "guestbook", namespace: "argocd", labels: { team: "web" } },
        spec: { project: "web", source: { repoURL: "https://github.com/example/web.git" }, destination: { name: "prod", namespace: "web" } },
      },
      { apiVersion: "argoproj.io/v1alpha1", kind: "AppProject", metadata: { name: "web" }, spec: { sourceRepos: ["*"] } },
    ]);
    expect(derived.map((d) => [d.class, d.resource.kind, d.resource.name, d.derivedFrom])).toEqual([
      ["argocd", "Application", "guestbook", "Helm values applications.guestbook"],
      ["argocd", "AppProject", "web", "Helm values projects[0]"],
    ]);
    // After the real documents' indices; computed once per file.
    expect(derived.map((d) => d.index)).toEqual([2, 3]);
    expect(derivedDocs(file)).toBe(derived);
    expect(derived.every(isDerivedDoc) && !file.docs.some(isDerivedDoc)).toBe(true);
  });

  it("locates object paths at their lines in the values file (offset by the first document)", () => {
    const [app, project] = derived;
    const line = (d: typeof app, path: Array<string | number>, target?: "key" | "value") => d!.locate(path, target).line - 5;
    expect(line(app, ["spec", "source", "repoURL"])).toBe(7);
    expect(line(app, ["spec", "destination", "namespace"])).toBe(8);
    expect(line(app, ["metadata", "labels", "team"])).toBe(4);
    expect(line(app, ["metadata", "namespace"])).toBe(3);
    // The name of a map entry is its key; a missing field points at the nearest existing ancestor.
    expect(app!.locate(["metadata", "name"])).toMatchObject({ line: 7, column: 3 });
    expect(line(app, ["spec", "syncPolicy", "automated"])).toBe(2);
    expect(line(app, [])).toBe(2);
    expect(line(project, ["metadata", "name"])).toBe(10);
    expect(line(project, ["spec", "sourceRepos", 0])).toBe(11);
    expect(app!.contains(app!.span[0])).toBe(false);
  });

  it("is read by the Argo CD rules only", () => {
    expect(readsDerivedDocs("argocd/app-default-project")).toBe(true);
    expect(readsDerivedDocs("secrets/sensitive-config-value")).toBe(false);
    expect(readsDerivedDocs("k8s/privileged-container")).toBe(false);
  });

  it("leaves Kubernetes objects and other charts' look-alike keys alone", () => {
    const list = parseYamlFile("apps/list.yaml", "apiVersion: v1\nkind: List\napplications:\n  a: {destination: {name: x}}\n");
    expect(derivedDocs(list)).toEqual([]);
    const other = parseYamlFile("values.yaml", "applications:\n  frontend: {enabled: true}\nprojects: [{name: a, enabled: true}]\nextraObjects: [{apiVersion: v1, kind: Secret}]\n");
    expect(derivedDocs(other)).toEqual([]);
  });

  it("reads an umbrella chart's subchart values under the usual aliases when they look like the argo-cd or argocd-apps chart's", () => {
    const cm = "  configs:\n    cm:\n      exec.enabled: true\n";
    const app = "  applications:\n    web: {project: web, destination: {name: prod, namespace: web}}\n";
    const derived = (text: string): Array<[string, string | null]> => derivedDocs(parseYamlFile("platform/values.yaml", text)).map((d) => [d.derivedFrom, d.resource.name]);
    expect(derived(`argocd:\n${cm}`)).toEqual([["Helm values argocd.configs.cm", "argocd-cm"]]);
    expect(derived(`argo:\n${cm}`)).toEqual([["Helm values argo.configs.cm", "argocd-cm"]]);
    expect(derived(`apps:\n${app}`)).toEqual([["Helm values apps.applications.web", "web"]]);
    expect(derived(`argocd:\n  server:\n    rbacConfig: {policy.default: role:admin}\n`)).toEqual([["Helm values argocd.server.rbacConfig", "argocd-rbac-cm"]]);
    // Another Argo chart under `argo:` (Workflows: server, controller, workflow), or another key, is not argo-cd's.
    expect(derived("argo:\n  server: {extraArgs: [--auth-mode=server]}\n  controller: {workflowNamespaces: [ci]}\n  extraObjects: []\n")).toEqual([]);
    // Any other key is another chart's, whatever it holds (the Chart.yaml that would name it an alias is not read).
    expect(derived(`cd:\n${cm}`)).toEqual([]);
  });
});

describe("partial derived documents", () => {
  it("marks argocd-apps entries that leave out what makes their kind as partial (an overlay values file's), whole ones not", () => {
    const values = [
      "applications:",
      "  whole: {project: web, source: {repoURL: r}, destination: {name: prod}}",
      "  no-project: {source: {repoURL: r}, destination: {name: prod}}",
      "  revision-only: {source: {targetRevision: v2}}",
      "  destination-only: {destination: {name: prod}}",
      "applicationsets:",
      "  whole: {generators: [{list: {elements: []}}], template: {metadata: {name: x}, spec: {destination: {name: prod}}}}",
      "  patched: {generators: [{list: {elements: []}}], templatePatch: 'spec: {}'}",
      "  overlay: {generators: [{list: {elements: []}}], template: {spec: {source: {targetRevision: dev}}}}",
      "  template-only: {template: {metadata: {name: x}, spec: {destination: {name: prod}}}}",
      "projects:",
      "  repos-only: {sourceRepos: ['*']}",
      "",
    ].join("\n");
    const docs = derivedDocs(parseYamlFile("argocd/values-seed.yaml", values));
    expect(docs.map((d) => [d.resource.kind, d.resource.name, d.partial])).toEqual([
      ["Application", "whole", false],
      // The chart fails without `project` (`tpl .project`): a layer, or another chart's entry (held-out round 8).
      ["Application", "no-project", true],
      ["Application", "revision-only", true],
      ["Application", "destination-only", true],
      ["ApplicationSet", "whole", false],
      ["ApplicationSet", "patched", false],
      ["ApplicationSet", "overlay", true],
      ["ApplicationSet", "template-only", true],
      ["AppProject", "repos-only", false],
    ]);
  });

  it("reads a kustomization's inline patches of Argo CD objects and ConfigMaps as partial documents at their lines", () => {
    const kustomization = [
      "resources: [https://github.com/argoproj/argo-cd//manifests/cluster-install?ref=v2.13.0]", // 1
      "patches:", // 2
      "  - target: {kind: ConfigMap, name: argocd-rbac-cm}", // 3
      "    patch: |", // 4
      "      data:", // 5
      "        policy.default: role:admin", // 6
      "  - target: {kind: ConfigMap, name: argocd-cm}", // 7
      "    patch: |-", // 8
      "      - op: replace", // 9
      "        path: /data", // 10
      "        value:", // 11
      '          users.anonymous.enabled: "true"', // 12
      "      - op: remove", // 13
      "        path: /data/exec.enabled", // 14
      "  - target: {kind: Deployment, name: argocd-server}", // 15
      "    patch: |-", // 16
      "      - {op: add, path: /spec/replicas, value: 2}", // 17
      "patchesStrategicMerge:", // 18
      "  - |-", // 19
      "    apiVersion: argoproj.io/v1alpha1", // 20
      "    kind: AppProject", // 21
      "    metadata:", // 22
      "      name: default", // 23
      "    spec:", // 24
      "      sourceRepos: ['*']", // 25
      "  - argocd-server-patch.yaml", // 26
      "",
    ].join("\n");
    const docs = derivedDocs(parseYamlFile("argocd/kustomization.yaml", kustomization));
    expect(docs.map((d) => [d.class, d.resource.kind, d.resource.name, d.partial, d.derivedFrom])).toEqual([
      ["kubernetes", "ConfigMap", "argocd-rbac-cm", true, 'inline patch patches[0] of ConfigMap "argocd-rbac-cm"'],
      ["kubernetes", "ConfigMap", "argocd-cm", true, 'inline patch patches[1] of ConfigMap "argocd-cm"'],
      ["kubernetes", "Deployment", "argocd-server", true, 'inline patch patches[2] of Deployment "argocd-server"'],
      ["argocd", "AppProject", "default", true, 'inline patch patchesStrategicMerge[0] of AppProject "default"'],
    ]);
    const [rbac, cm, server, project] = docs;
    // Another object's patch is what its ops write, for every rule (held-out round 21); Argo CD's, for the Argo CD rules.
    expect(server!.value).toEqual({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "argocd-server" }, spec: { replicas: 2 } });
    expect(docs.map((d) => ("everyRule" in d ? d.everyRule : false))).toEqual([false, false, true, false]);
    expect(server!.locate(["spec", "replicas"])).toMatchObject({ line: 17, column: 48 });
    expect(rbac!.value).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "argocd-rbac-cm" }, data: { "policy.default": "role:admin" } });
    expect(rbac!.locate(["data", "policy.default"])).toMatchObject({ line: 6, column: 25 });
    expect(cm!.value).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "argocd-cm" }, data: { "users.anonymous.enabled": "true" } });
    expect(cm!.locate(["data", "users.anonymous.enabled"])).toMatchObject({ line: 12, column: 36 });
    expect(project!.locate(["spec", "sourceRepos", 0])).toMatchObject({ line: 25, column: 21 });
  });

  it("reads the inline patches a Flux Kustomization or an Argo CD source hands to Kustomize, labelled by where they are listed", () => {
    const flux = [
      "apiVersion: kustomize.toolkit.fluxcd.io/v1", // 1
      "kind: Kustomization", // 2
      "metadata: {name: agents, namespace: flux-system}", // 3
      "spec:", // 4
      "  path: ./agents", // 5
      "  patches:", // 6
      "    - target: {kind: DaemonSet, name: node-exporter}", // 7
      "      patch: |-", // 8
      "        - {op: add, path: /spec/template/spec/hostPID, value: true}", // 9
      "---",
      "apiVersion: argoproj.io/v1alpha1", // 11
      "kind: Application", // 12
      "metadata: {name: agents, namespace: argocd}", // 13
      "spec:", // 14
      "  sources:", // 15
      "    - repoURL: https://github.com/acme/platform.git", // 16
      "      path: agents", // 17
      "      kustomize:", // 18
      "        patches:", // 19
      "          - target: {kind: Deployment, name: web}", // 20
      "            patch: |-", // 21
      "              spec:", // 22
      "                replicas: 2", // 23
      "",
    ].join("\n");
    const docs = derivedDocs(parseYamlFile("clusters/prod/agents.yaml", flux));
    expect(docs.map((d) => [d.resource.kind, d.resource.name, d.partial, d.derivedFrom])).toEqual([
      ["DaemonSet", "node-exporter", true, 'inline patch spec.patches[0] of DaemonSet "node-exporter"'],
      ["Deployment", "web", true, 'inline patch spec.sources[0].kustomize.patches[0] of Deployment "web"'],
    ]);
    expect(docs[0]!.locate(["spec", "template", "spec", "hostPID"])).toMatchObject({ line: 9, column: 63 });
    expect(docs[1]!.locate(["spec", "replicas"])).toMatchObject({ line: 23, column: 27 });
  });
});
