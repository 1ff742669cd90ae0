import { describe, expect, it } from "@jest/globals";
import { containers, podSpecs } from "./workloads.js";
import { parseYamlFile } from "./yaml-file.js";

function docOf(yaml: string) {
  const file = parseYamlFile("manifest.yaml", yaml);
  expect(file.problems).toEqual([]);
  return file.docs[0]!;
}

const deployment = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata: {name: web}",
  "spec:",
  "  template:",
  "    metadata: {labels: {app: web}}",
  "    spec:",
  "      initContainers: [{name: init, image: busybox}]",
  "      containers: [{name: app, image: nginx}, {image: sidecar}]",
  "",
].join("\n");

describe("workloads", () => {
  it("finds a workload's pod spec and containers, once per document", () => {
    const doc = docOf(deployment);
    const pods = podSpecs(doc);
    expect(pods.map((p) => p.path)).toEqual([["spec", "template", "spec"]]);
    expect(pods[0]!.metadataPath).toEqual(["spec", "template", "metadata"]);
    expect(containers(doc).map((c) => [c.name, c.path])).toEqual([
      ["app", ["spec", "template", "spec", "containers", 0]],
      ["#1", ["spec", "template", "spec", "containers", 1]],
      ["init", ["spec", "template", "spec", "initContainers", 0]],
    ]);
    expect(podSpecs(doc)).toBe(pods);
    expect(containers(doc)).toBe(containers(doc));
  });

  it("finds none in a document that is no workload, whatever its kind is called", () => {
    for (const kind of ["ConfigMap", "constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const doc = docOf(`apiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\nspec: {containers: [{name: app}]}\n`);
      expect(podSpecs(doc)).toEqual([]);
      expect(containers(doc)).toEqual([]);
    }
  });

  it("reads a Rollout only from Argo Rollouts", () => {
    const rollout = (apiVersion: string) => docOf(deployment.replace("apps/v1", apiVersion).replace("Deployment", "Rollout"));
    expect(containers(rollout("argoproj.io/v1alpha1"))).toHaveLength(3);
    expect(containers(rollout("example.com/v1"))).toEqual([]);
  });
});
