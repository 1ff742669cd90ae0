import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule, { removalOf } from "./removed-api-version.js";

describe("k8s/removed-api-version", () => {
  it("flags removed apiVersions at the apiVersion value, naming the removal and the replacement", () => {
    const findings = runFixture(rule, "invalid-apis.yaml");
    expect(positions(findings)).toEqual([
      { line: 1, column: 13, path: "apiVersion", severity: "high" },
      { line: 6, column: 13, path: "apiVersion", severity: "high" },
      { line: 11, column: 13, path: "apiVersion", severity: "high" },
      { line: 16, column: 13, path: "apiVersion", severity: "high" },
      { line: 21, column: 13, path: "apiVersion", severity: "high" },
      { line: 26, column: 13, path: "apiVersion", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment "web" uses apiVersion extensions/v1beta1, removed in Kubernetes v1.16: use apps/v1.',
      'Ingress "web" uses apiVersion networking.k8s.io/v1beta1, removed in Kubernetes v1.22: use networking.k8s.io/v1.',
      'PodSecurityPolicy "restricted" uses apiVersion policy/v1beta1, removed in Kubernetes v1.25 with no replacement API: use Pod Security Admission.',
      'CronJob "report" uses apiVersion batch/v1beta1, removed in Kubernetes v1.25: use batch/v1.',
      'StatefulSet "db" uses apiVersion apps/v1beta2, removed in Kubernetes v1.16: use apps/v1.',
      'FlowSchema "ci" uses apiVersion flowcontrol.apiserver.k8s.io/v1beta3, removed in Kubernetes v1.32: use flowcontrol.apiserver.k8s.io/v1.',
    ]);
    expect(findings[0]!.fix).toBe("Change apiVersion to apps/v1 and apply the field changes in the Kubernetes Deprecated API Migration Guide.");
  });

  it("passes current apiVersions, still-served kinds of partly removed group versions, and custom resources", () => {
    expect(runFixture(rule, "valid-apis.yaml")).toEqual([]);
  });

  it("flags a PodSecurityPolicy under a policy apiVersion that never served it (the kind is gone), not a custom resource's", () => {
    // Reduced from a public GitOps repository: a "baseline" PSP written as policy/v1 (the PodDisruptionBudget migration).
    const yaml = [
      "apiVersion: policy/v1",
      "kind: PodSecurityPolicy",
      "metadata:",
      "  name: baseline",
      "spec:",
      "  privileged: false",
      "---",
      "apiVersion: policy.example.com/v1",
      "kind: PodSecurityPolicy",
      "metadata:",
      "  name: custom",
      "",
    ].join("\n");
    const findings = runRule(rule, yaml);
    expect(positions(findings)).toEqual([{ line: 1, column: 13, path: "apiVersion", severity: "high" }]);
    expect(findings[0]!.message).toBe(
      'PodSecurityPolicy "baseline" uses apiVersion policy/v1, which never served it: PodSecurityPolicy was removed in Kubernetes v1.25 with no replacement API: use Pod Security Admission.',
    );
    expect(removalOf("extensions/v1", "PodSecurityPolicy")).toEqual({ removedIn: "v1.25", replacement: null, neverServed: true });
    expect(removalOf("policy/v1", "PodDisruptionBudget")).toBeNull();
  });

  it("knows the removals of the migration guide", () => {
    expect(removalOf("extensions/v1beta1", "Ingress")).toEqual({ removedIn: "v1.22", replacement: "networking.k8s.io/v1" });
    expect(removalOf("extensions/v1beta1", "PodSecurityPolicy")).toEqual({ removedIn: "v1.16", replacement: null });
    expect(removalOf("apps/v1beta1", "ControllerRevision")).toEqual({ removedIn: "v1.16", replacement: "apps/v1" });
    expect(removalOf("autoscaling/v2beta2", "HorizontalPodAutoscaler")).toEqual({ removedIn: "v1.26", replacement: "autoscaling/v2" });
    expect(removalOf("storage.k8s.io/v1beta1", "CSIStorageCapacity")).toEqual({ removedIn: "v1.27", replacement: "storage.k8s.io/v1" });
    expect(removalOf("storage.k8s.io/v1beta1", "VolumeAttributesClass")).toBeNull();
    expect(removalOf("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding")).toEqual({ removedIn: "v1.22", replacement: "rbac.authorization.k8s.io/v1" });
    expect(removalOf("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration")).toEqual({ removedIn: "v1.29", replacement: "flowcontrol.apiserver.k8s.io/v1" });
  });
});
