/**
 * kustomize's own annotations written in input files: the ones kubectl kustomize removes from its output are removed
 * (its build annotations, kyaml's reader annotations and legacy names, buildMetadata's origin annotations), the
 * "needs a hash suffix" mark is honoured, and the previous-id annotations (a panic or a rename in kubectl) refuse.
 * The differential test checks fixtures/internal-annotations and fixtures/failures/previous-names against kubectl.
 */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { find, lines, ok } from "./render-helpers.js";

const configMap = (annotations: string[]) =>
  lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: settings", "  annotations:", ...annotations.map((a) => `    ${a}`), "data:", '  a: "1"');

const render = (annotations: string[], kustomization = "resources: [cm.yaml]\n") => buildKustomization(memoryTree({ "k/kustomization.yaml": kustomization, "k/cm.yaml": configMap(annotations) }), "k");

describe("kustomize's internal annotations in input objects", () => {
  it("drops the reader, build and origin annotations kubectl drops, and keeps the rest of those prefixes", () => {
    const r = ok(render(['config.kubernetes.io/index: "5"', "config.kubernetes.io/path: x.yaml", 'config.k8s.io/id: "1"', "internal.config.kubernetes.io/seqindent: compact", "config.kubernetes.io/origin: x", "alpha.config.kubernetes.io/transformations: x", "internal.config.kubernetes.io/other: kept", "kustomize.config.k8s.io/id: kept"]));
    expect((find(r, "ConfigMap").value as { metadata: { annotations: unknown } }).metadata.annotations).toEqual({ "internal.config.kubernetes.io/other": "kept", "kustomize.config.k8s.io/id": "kept" });
  });

  it("removes the annotations map when only dropped annotations were in it", () => {
    const r = ok(render(['config.kubernetes.io/index: "5"']));
    expect((find(r, "ConfigMap").value as { metadata: Record<string, unknown> }).metadata).toEqual({ name: "settings" });
  });

  it("gives a ConfigMap marked as needing a hash suffix the suffix a generator would, and the annotation goes", () => {
    const r = ok(render(["internal.config.kubernetes.io/needsHashSuffix: enabled"], "resources: [cm.yaml]\nnamePrefix: p-\n"));
    const cm = find(r, "ConfigMap");
    expect(cm.resource.name).toMatch(/^p-settings-[a-z0-9]{10}$/);
    expect((cm.value as { metadata: Record<string, unknown> }).metadata.annotations).toBeUndefined();
  });

  it("refuses the hash mark on other kinds (kustomize hashes them with its own annotations inside)", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [sa.yaml]\n", "k/sa.yaml": lines("apiVersion: v1", "kind: ServiceAccount", "metadata:", "  name: sa", "  annotations:", "    internal.config.kubernetes.io/needsHashSuffix: enabled") });
    expect(buildKustomization(tree, "k")).toMatchObject({ ok: false, reason: expect.stringContaining("needsHashSuffix annotation on a ServiceAccount is not supported") });
  });

  it("refuses the previous-id annotations, which make kubectl panic or rename", () => {
    expect(render(["internal.config.kubernetes.io/previousNames: old"])).toMatchObject({
      ok: false,
      reason: expect.stringContaining("kustomize's internal annotation internal.config.kubernetes.io/previousNames in an input object is not supported"),
    });
  });
});
