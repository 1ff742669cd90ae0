import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { parseConfig } from "../../core/config.js";
import { review } from "../../core/review.js";
import { RULE_IDS } from "../index.js";
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

  it("skips pods whose dedicated ServiceAccount a binding in the file names; keeps `default` and unbound accounts", () => {
    const yaml = [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: RoleBinding",
      "metadata: {name: cron-exec, namespace: storage}",
      "subjects:",
      "  - {kind: ServiceAccount, name: cron}",
      "  - {kind: ServiceAccount, name: default, namespace: storage}",
      "roleRef: {kind: Role, name: exec, apiGroup: rbac.authorization.k8s.io}",
      "---",
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRoleBinding",
      "metadata: {name: lister}",
      "subjects: [{kind: ServiceAccount, name: lister, namespace: ops}]",
      "roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}",
      "---",
      "apiVersion: batch/v1",
      "kind: CronJob",
      "metadata: {name: bound, namespace: storage}",
      "spec:",
      "  schedule: '*/5 * * * *'",
      "  jobTemplate:",
      "    spec:",
      "      template:",
      "        spec:",
      "          serviceAccountName: cron",
      "          containers: [{name: c, image: busybox:1.36}]",
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: bound-true, namespace: ops}",
      "spec:",
      "  serviceAccountName: lister",
      "  automountServiceAccountToken: true",
      "  containers: [{name: c, image: busybox:1.36}]",
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: uses-default, namespace: storage}",
      "spec:",
      "  containers: [{name: c, image: busybox:1.36}]",
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: unbound, namespace: storage}",
      "spec:",
      "  serviceAccountName: loner",
      "  containers: [{name: c, image: busybox:1.36}]",
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: other-namespace, namespace: web}",
      "spec:",
      "  serviceAccountName: cron",
      "  containers: [{name: c, image: busybox:1.36}]",
      "",
    ].join("\n");
    const findings = runRule(rule, yaml);
    expect(positions(findings)).toEqual([
      { line: 38, column: 1, path: "spec", severity: "low" },
      { line: 44, column: 1, path: "spec", severity: "low" },
      { line: 51, column: 1, path: "spec", severity: "low" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Pod "uses-default" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "default".',
      'Pod "unbound" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "loner".',
      // The RoleBinding binds `cron` in its own namespace (storage), not in web.
      'Pod "other-namespace" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "cron".',
    ]);
  });
  it("takes a binding's User system:serviceaccount:<namespace>:<name> for that ServiceAccount (the same identity)", () => {
    const yaml = [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: RoleBinding",
      "metadata: {name: mqtt-discovery, namespace: iot}",
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: endpoints-reader}",
      "subjects:",
      "  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: 'system:serviceaccount:iot:mqtt'}",
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: broker, namespace: iot}",
      "spec:",
      "  serviceAccountName: mqtt",
      "  containers: [{name: emqx, image: emqx/emqx:5.8.0}]",
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: elsewhere, namespace: web}",
      "spec:",
      "  serviceAccountName: mqtt",
      "  containers: [{name: emqx, image: emqx/emqx:5.8.0}]",
    ].join("\n");
    expect(runRule(rule, yaml).map((f) => f.message)).toEqual(['Pod "elsewhere" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "mqtt".']);
  });

  it("skips pods the Vault agent injector injects (it logs in with the token) unless they name their own token volume", () => {
    const pod = (name: string, annotations: string[], extra: string[] = []) => [
      "apiVersion: apps/v1",
      "kind: Deployment",
      `metadata: {name: ${name}, namespace: apps}`,
      "spec:",
      `  selector: {matchLabels: {app: ${name}}}`,
      "  template:",
      "    metadata:",
      `      labels: {app: ${name}}`,
      "      annotations:",
      ...annotations.map((a) => `        ${a}`),
      "    spec:",
      ...extra.map((e) => `      ${e}`),
      "      containers: [{name: c, image: busybox:1.36}]",
    ];
    const yaml = [
      ...pod("injected", ['vault.hashicorp.com/agent-inject: "true"', 'vault.hashicorp.com/role: "app"'], ["serviceAccountName: app"]),
      "---",
      ...pod("injected-explicit", ['vault.hashicorp.com/agent-inject: "1"'], ["automountServiceAccountToken: true"]),
      "---",
      ...pod("not-injected", ['vault.hashicorp.com/agent-inject: "false"']),
      "---",
      ...pod("own-token-volume", ['vault.hashicorp.com/agent-inject: "true"', "vault.hashicorp.com/agent-service-account-token-volume-name: vault-token"]),
      "",
    ].join("\n");
    const findings = runRule(rule, yaml);
    expect(findings.map((f) => [f.message, f.line])).toEqual([
      ['Deployment "not-injected" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "default".', 40],
      ['Deployment "own-token-volume" does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "default".', 54],
    ]);
  });

  it("in a review, a pull request that deletes the binding (grants go down) shows the token existing, not new; adding one shows nothing", () => {
    const binding = [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRoleBinding",
      "metadata: {name: fluent-bit-read}",
      "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fluent-bit-read}",
      "subjects: [{kind: ServiceAccount, name: fluent-bit, namespace: logging}]",
      "---",
    ].join("\n");
    const daemonSet = [
      "apiVersion: apps/v1",
      "kind: DaemonSet",
      "metadata: {name: fluent-bit, namespace: logging}",
      "spec:",
      "  selector: {matchLabels: {app: fluent-bit}}",
      "  template:",
      "    metadata: {labels: {app: fluent-bit}}",
      "    spec:",
      "      serviceAccountName: fluent-bit",
      "      containers: [{name: fluent-bit, image: fluent/fluent-bit:3.2.2}]",
      "",
    ].join("\n");
    const statuses = (base: string, head: string): string[] =>
      review({ changes: [{ path: "logging/fluent-bit.yaml", status: "modified", base, head }], config: parseConfig({}, RULE_IDS), rules: [rule], now: new Date("2026-11-22T00:00:00Z") })
        .findings.map((f) => `${f.status} ${f.line}`);
    const bound = `${binding}\n${daemonSet}`;
    expect(statuses(bound, daemonSet)).toEqual(["existing 8"]);
    expect(statuses(daemonSet, bound)).toEqual([]);
    expect(statuses(bound, bound)).toEqual([]);
  });
});
