/**
 * A key written twice, read as kustomize reads each kind of file (each case checked with kubectl kustomize, v5.5):
 * the last wins in a kustomization and a JSON 6902 patch, the first in a strategic merge patch, and a resource file
 * is refused.
 */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "./index.js";

const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n';

const build = (files: Record<string, string>) => buildKustomization(memoryTree(files), "k");

describe("a key written twice in a kustomization: the last one", () => {
  it("reads the last of two top-level keys (the first configMapGenerator, whose file is missing, is not built)", () => {
    const r = build({
      "k/kustomization.yaml":
        "resources: [d.yaml]\nconfigMapGenerator:\n- name: unused\n  files: [missing.html]\nconfigMapGenerator:\n- name: env\n  literals: [a=b]\ncommonLabels:\n  a: \"1\"\ncommonLabels:\n  b: \"2\"\n",
      "k/d.yaml": deployment,
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources.map((x) => x.resource.name)).toEqual([expect.stringMatching(/^env-/), "web"]);
    const web = r.resources.find((x) => x.resource.kind === "Deployment")!;
    expect(web.value.metadata).toEqual({ name: "web", labels: { b: "2" } });
    expect(web.originOf(["metadata", "labels", "b"])).toMatchObject({ file: "k/kustomization.yaml", line: 11 });
  });

  it("reads the last of two nested keys, its origin at that key's line", () => {
    const r = build({ "k/kustomization.yaml": 'resources: [d.yaml]\nimages:\n- name: nginx\n  newTag: "1"\n  newTag: latest\n', "k/d.yaml": deployment });
    if (!r.ok) throw new Error(r.reason);
    const path = ["spec", "template", "spec", "containers", 0, "image"];
    expect(r.resources[0]!.value).toMatchObject({ spec: { template: { spec: { containers: [{ image: "nginx:latest" }] } } } });
    expect(r.resources[0]!.originOf(path)).toMatchObject({ file: "k/kustomization.yaml", line: 5 });
  });
});

describe("a key written twice in a patch", () => {
  it("reads the first of two keys of a strategic merge patch file", () => {
    const r = build({
      "k/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: p.yaml\n",
      "k/cm.yaml": configMap,
      "k/p.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "2"\ndata:\n  z: "3"\n',
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources[0]!.value.data).toEqual({ x: "2" });
    expect(r.resources[0]!.originOf(["data", "x"])).toMatchObject({ file: "k/p.yaml", line: 6 });
  });

  it("reads the first of two nested keys of an inline strategic merge patch it merges into the object", () => {
    const r = build({
      "k/kustomization.yaml":
        'resources: [d.yaml]\npatches:\n- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n      labels: {x: "1"}\n      labels: {y: "2"}\n    spec:\n      replicas: 2\n      replicas: 3\n',
      "k/d.yaml": deployment,
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources[0]!.value).toMatchObject({ metadata: { labels: { x: "1" } }, spec: { replicas: 2 } });
  });

  it("fails when a map with a key written twice is copied into an object that lacks it (kustomize cannot read the object back)", () => {
    const r = build({
      "k/kustomization.yaml": "resources: [d.yaml]\npatches:\n- path: p.yaml\n",
      "k/d.yaml": deployment,
      "k/p.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {a: b}\n      labels: {c: d}\n",
    });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("k/p.yaml:8: strategic merge patch: the value at spec.template.metadata has a key written twice") });
  });

  it("reads the last of two keys of a JSON 6902 patch", () => {
    const r = build({
      "k/kustomization.yaml": "resources: [d.yaml]\npatches:\n- path: p.yaml\n  target: {kind: Deployment}\n",
      "k/d.yaml": deployment,
      "k/p.yaml": "- op: add\n  path: /spec/replicas\n  value: 2\n  value: 3\n",
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources[0]!.value).toMatchObject({ spec: { replicas: 3 } });
  });
});

describe("a key written twice in a resource file", () => {
  it("is refused, as go-yaml refuses it", () => {
    const r = build({ "k/kustomization.yaml": "resources: [d.yaml]\n", "k/d.yaml": `${deployment}  replicas: 1\n  replicas: 2\n` });
    expect(r).toMatchObject({ ok: false, reason: 'k/d.yaml:12:3: invalid YAML: mapping key "replicas" already defined at line 11' });
  });
});
