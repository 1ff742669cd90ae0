/**
 * A kustomization's inline patch aimed at an object the render cannot see (a `helmCharts:` chart's, a remote base's):
 * the root is reviewed file by file, where the same patch in a file of its own is judged as a document. Held-out
 * round 21: an inline JSON 6902 `hostNetwork: true` on the chart's operator Deployment (and on the remote Argo CD
 * install's argocd-server) passed with no finding, while `patches: - path: op-patch.yaml` failed the check.
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const chart = ["helmCharts:", "  - name: kube-prometheus-stack", "    repo: https://prometheus-community.github.io/helm-charts", '    version: "78.2.1"', "    releaseName: kps"];
const NS = lines("apiVersion: v1", "kind: Namespace", "metadata:", "  name: monitoring");
const main: Files = { "ov/kustomization.yaml": lines(...chart, "resources:", "  - ns.yaml"), "ov/ns.yaml": NS };
const withPatch = (...patch: string[]): Files => ({ ...main, "ov/kustomization.yaml": lines(...chart, "resources:", "  - ns.yaml", "patches:", ...patch) });

describe("an inline JSON 6902 patch of a Helm chart's object", () => {
  const hostNetwork = ["  - target:", "      kind: Deployment", "      name: kps-operator", "    patch: |-", "      - op: add", "        path: /spec/template/spec/hostNetwork", "        value: true"];

  it("is judged as the partial object its ops write, at the op's value line, and nothing it leaves out is reported", () => {
    const r = reviewRepo(main, withPatch(...hostNetwork));
    expect(where(r)).toEqual(["k8s/host-namespaces ov/kustomization.yaml:15:16 new"]);
    expect(r.findings[0]!.resource).toEqual({ apiVersion: "apps/v1", kind: "Deployment", namespace: null, name: "kps-operator" });
    expect(r.conclusion).toBe("failure");
  });

  it("judges the same as the patch written in a file of its own", () => {
    const file = lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: kps-operator", "spec:", "  template:", "    spec:", "      hostNetwork: true");
    const r = reviewRepo(main, { ...withPatch("  - path: op-patch.yaml"), "ov/op-patch.yaml": file });
    expect(where(r)).toEqual(["k8s/host-namespaces ov/op-patch.yaml:8:20 new"]);
  });

  it("stays existing when the pull request changes another line of the kustomization", () => {
    const before = withPatch(...hostNetwork);
    const r = reviewRepo(before, { ...before, "ov/kustomization.yaml": before["ov/kustomization.yaml"]!.replace('"78.2.1"', '"78.3.0"') });
    expect(where(r, "k8s/host-namespaces")).toEqual(["k8s/host-namespaces ov/kustomization.yaml:15:16 existing"]);
  });

  it("judges a container an op adds at its lines, a value as Kustomize reads it (yes is true), and never the list items before it", () => {
    const ops = [
      "  - target: {kind: DaemonSet, name: kps-node-exporter}",
      "    patch: |-",
      "      - op: add",
      "        path: /spec/template/spec/containers/1",
      "        value:",
      "          name: debug",
      "          image: busybox:1.36",
      "          securityContext:",
      "            privileged: true",
      "      - op: replace",
      "        path: /spec/template/spec/hostPID",
      "        value: yes",
    ];
    const r = reviewRepo(main, withPatch(...ops));
    expect(where(r, "k8s/privileged-container", "k8s/host-namespaces")).toEqual([
      "k8s/privileged-container ov/kustomization.yaml:17:25 new",
      "k8s/host-namespaces ov/kustomization.yaml:20:16 new",
    ]);
    // Nothing about what the patch does not write: the filler item 0, the container's probes or resources.
    expect(r.findings.filter((f) => f.path.includes("containers[0]") || f.ruleId === "k8s/missing-probes" || f.ruleId === "k8s/missing-resources")).toEqual([]);
  });


  it("judges a patch written on one line (a quoted JSON list) at that line", () => {
    const oneLine = ["  - target: {kind: Deployment, name: kps-operator}", `    patch: '[{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": true}]'`];
    expect(where(reviewRepo(main, withPatch(...oneLine)))).toEqual(["k8s/host-namespaces ov/kustomization.yaml:10:12 new"]);
  });
});

describe("an inline strategic-merge patch of a remote base's object (the usual Argo CD install overlay)", () => {
  const remote = lines("resources:", "  - https://github.com/argoproj/argo-cd//manifests/cluster-install?ref=v2.13.0");
  const smp = [
    "patches:",
    "  - target: {kind: Deployment, name: argocd-server}",
    "    patch: |-",
    "      spec:",
    "        template:",
    "          spec:",
    "            hostNetwork: true",
    "            containers:",
    "              - name: argocd-server",
    "                securityContext:",
    "                  privileged: true",
  ];

  it("is judged as the document it is (kind and name from its target), each finding at its line", () => {
    const base: Files = { "argocd/kustomization.yaml": remote };
    const r = reviewRepo(base, { "argocd/kustomization.yaml": lines(remote.trimEnd(), ...smp) });
    expect(where(r, "k8s/host-namespaces", "k8s/privileged-container")).toEqual([
      "k8s/privileged-container argocd/kustomization.yaml:13:31 new",
      "k8s/host-namespaces argocd/kustomization.yaml:9:26 new",
    ]);
    expect(r.findings.filter((f) => f.ruleId === "k8s/missing-probes" || f.ruleId === "k8s/missing-resources" || f.ruleId === "k8s/run-as-root")).toEqual([]);
  });
});
