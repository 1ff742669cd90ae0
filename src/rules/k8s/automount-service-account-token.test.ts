import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./automount-service-account-token.js";

describe("k8s/automount-service-account-token", () => {
  it("flags pod specs that keep the token, at the pod spec or at an explicit `true`", () => {
    const findings = runFixture(rule, "invalid-workloads.yaml");
    expect(positions(findings)).toEqual([
      { line: 14, column: 5, path: "spec.template.spec", severity: "low" },
      { line: 25, column: 33, path: "spec.automountServiceAccountToken", severity: "low" },
      { line: 48, column: 9, path: "spec.jobTemplate.spec.template.spec", severity: "low" },
      { line: 63, column: 37, path: "spec.template.spec.automountServiceAccountToken", severity: "low" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment "web" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "default".',
      'Pod "tool" sets automountServiceAccountToken: true, so its pods carry an API token for ServiceAccount "tooling".',
      // The ServiceAccount in the file that disables automounting lives in another namespace.
      'CronJob "report" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "worker".',
      // A fragment without spec.selector: the absence finding waits for the whole object, an explicit `true` does not.
      'Deployment "patch" sets automountServiceAccountToken: true, so its pods carry an API token for ServiceAccount "default".',
    ]);
  });

  it("passes `false`, a same-file ServiceAccount that disables automounting, Kustomize patches and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
