import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { parseConfig } from "../../core/config.js";
import { review } from "../../core/review.js";
import { RULE_IDS } from "../index.js";
import rule from "./run-as-root.js";

describe("k8s/run-as-root", () => {
  it("reports container-level root settings at their value, unset containers at the container item", () => {
    expect(positions(runFixture(rule, "invalid-container-level.yaml"))).toEqual([
      { line: 25, column: 24, path: "spec.template.spec.containers[1].securityContext.runAsUser", severity: "high" },
      { line: 47, column: 27, path: "spec.template.spec.containers[1].securityContext.runAsNonRoot", severity: "high" },
      // UID 0 under the pod's runAsNonRoot: true: the kubelet will not start it (see the runAsNonRoot conflict test).
      { line: 20, column: 24, path: "spec.template.spec.containers[0].securityContext.runAsUser", severity: "medium" },
      { line: 42, column: 11, path: "spec.template.spec.containers[0]", severity: "medium" },
      { line: 49, column: 11, path: "spec.template.spec.ephemeralContainers[0]", severity: "medium" },
      { line: 63, column: 20, path: "spec.containers[0].securityContext.runAsUser", severity: "medium" },
    ]);
  });

  it("reports an inherited pod-level setting once, at the pod-level node", () => {
    expect(positions(runFixture(rule, "invalid-pod-level.yaml"))).toEqual([
      { line: 14, column: 20, path: "spec.template.spec.securityContext.runAsUser", severity: "high" },
      { line: 36, column: 27, path: "spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot", severity: "high" },
    ]);
  });

  it("passes runAsNonRoot true or a non-zero UID at either level, templated UIDs, patches and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("says whether the pod or the container is the cause", () => {
    const messages = runFixture(rule, "invalid-pod-level.yaml").map((f) => f.message);
    expect(messages).toEqual([
      'Deployment "legacy" runs its containers as root (pod securityContext.runAsUser: 0).',
      'CronJob "backup" turns off the non-root check for its containers (pod securityContext.runAsNonRoot: false).',
    ]);
    expect(runFixture(rule, "invalid-container-level.yaml")[3]?.message).toBe(
      'Container "db" of StatefulSet "db" may run as root: neither the pod nor the container sets runAsNonRoot: true or a non-zero runAsUser.',
    );
  });

  it("does not guess when the securityContext is templated", () => {
    const yaml = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web}",
      "spec:",
      "  selector: {matchLabels: {app: web}}",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: web",
      "          image: registry.example.com/web:1.0.0",
      '          securityContext: "{{ toYaml .Values.securityContext }}"',
      "",
    ].join("\n");
    expect(runRule(rule, yaml)).toEqual([]);
  });

  it("does not report unset fields on a container that only patches one defined elsewhere (no image)", () => {
    const yaml = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web}",
      "spec:",
      "  selector: {matchLabels: {app: web}}",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: web",
      "          args: [--debug]",
      "",
    ].join("\n");
    expect(runRule(rule, yaml)).toEqual([]);
  });

  describe("a pod-level runAsUser: 0 that containers override", () => {
    const pod = (init: string[], app: string[]) =>
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: app}",
        "spec:",
        "  selector: {matchLabels: {app: app}}",
        "  template:",
        "    spec:",
        "      securityContext:",
        "        runAsUser: 0",
        "      initContainers:",
        "        - name: init",
        "          image: busybox:1.36",
        ...init,
        "      containers:",
        "        - name: app",
        "          image: busybox:1.36",
        ...app,
        "",
      ].join("\n");
    const uid1000 = ["          securityContext: {runAsUser: 1000, runAsNonRoot: true}"];

    it("is low, and says no container runs as root, when every container (init too) sets a non-zero runAsUser", () => {
      const found = runRule(rule, pod(uid1000, uid1000));
      expect(positions(found)).toEqual([{ line: 9, column: 20, path: "spec.template.spec.securityContext.runAsUser", severity: "low" }]);
      expect(found[0]?.message).toBe(
        'Deployment "app" sets pod securityContext.runAsUser: 0; every container overrides it with a non-zero runAsUser, but a container added without one would run as root.',
      );
    });

    it("stays high (runs its containers as root) when one container, an init container here, inherits it", () => {
      const found = runRule(rule, pod([], uid1000));
      expect(positions(found)).toEqual([{ line: 9, column: 20, path: "spec.template.spec.securityContext.runAsUser", severity: "high" }]);
      expect(found[0]?.message).toBe('Deployment "app" runs its containers as root (pod securityContext.runAsUser: 0).');
    });
  });

  it("says in the fix that a node agent which adds capabilities or mounts host paths may keep root with a waiver; keeps the finding", () => {
    const daemonSet = (name: string, capabilities: string, volumes: string[]) => [
      "apiVersion: apps/v1",
      "kind: DaemonSet",
      `metadata: {name: ${name}}`,
      "spec:",
      `  selector: {matchLabels: {app: ${name}}}`,
      "  template:",
      "    spec:",
      "      containers:",
      `        - name: ${name}`,
      "          image: registry.example.com/agent:1.0.0",
      `          securityContext: {capabilities: {add: ${capabilities}}}`,
      ...(volumes.length > 0 ? ["      volumes:", ...volumes.map((v) => `        - ${v}`)] : []),
    ];
    const yaml = [
      ...daemonSet("vip", "[NET_ADMIN, cap_net_raw]", ["{name: modules, hostPath: {path: /lib/modules}}"]),
      "---",
      ...daemonSet("logs", "[]", ["{name: var-log, hostPath: {path: /var/log}}", "{name: containers, hostPath: {path: /var/lib/docker/containers}}"]),
      "---",
      ...daemonSet("web", "[NET_BIND_SERVICE]", ["{name: tmp, emptyDir: {}}"]),
      "",
    ].join("\n");
    const findings = runRule(rule, yaml);
    expect(positions(findings).map((p) => [p.line, p.severity])).toEqual([
      [9, "medium"],
      [23, "medium"],
      [38, "medium"],
    ]);
    const plain = rule.meta.fix;
    const waive = "if this is a node agent that needs root for them, keep root for this workload alone, in a dedicated namespace, and waive the finding with that reason.";
    expect(findings.map((f) => f.fix)).toEqual([
      `${plain.slice(0, -1)}; it adds capabilities NET_ADMIN, NET_RAW and mounts host path /lib/modules: ${waive}`,
      `${plain.slice(0, -1)}; it mounts host paths /var/log, /var/lib/docker/containers: ${waive}`,
      // NET_BIND_SERVICE is the capability a non-root process is meant to add.
      plain,
    ]);
  });

  it("UID 0 under runAsNonRoot: true is a container the kubelet will not start: medium, saying so; root where runAsNonRoot is dropped", () => {
    const deployment = (name: string, podSc: string, containerList: string[]) => [
      "apiVersion: apps/v1",
      "kind: Deployment",
      `metadata: {name: ${name}}`,
      "spec:",
      `  selector: {matchLabels: {app: ${name}}}`,
      "  template:",
      "    spec:",
      `      securityContext: ${podSc}`,
      "      containers:",
      ...containerList.map((c) => `        - ${c}`),
    ];
    const yaml = [
      // The held-out case: the container's UID 0 under the pod's runAsNonRoot.
      ...deployment("conflict", "{runAsNonRoot: true}", ["{name: app, image: busybox:1.36, securityContext: {runAsUser: 0}}"]),
      "---",
      // The pod's UID 0 under the container's runAsNonRoot, and under the pod's (every inheritor refused).
      ...deployment("inherited", "{runAsUser: 0}", ["{name: app, image: busybox:1.36, securityContext: {runAsNonRoot: true}}"]),
      "---",
      ...deployment("both-pod", "{runAsUser: 0, runAsNonRoot: true}", ["{name: a, image: busybox:1.36}", "{name: b, image: busybox:1.36}"]),
      "---",
      // One inheritor turns the check off: it runs as root, the pod-level UID stays high.
      ...deployment("one-root", "{runAsUser: 0, runAsNonRoot: true}", ["{name: a, image: busybox:1.36}", "{name: b, image: busybox:1.36, securityContext: {runAsNonRoot: false}}"]),
      "",
    ].join("\n");
    const findings = runRule(rule, yaml);
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [42, "high", 'Deployment "one-root" runs its containers as root (pod securityContext.runAsUser: 0).'],
      [10, "medium", 'Container "app" of Deployment "conflict" sets runAsUser: 0, which conflicts with runAsNonRoot: true (pod securityContext): the kubelet will not start it (CreateContainerConfigError), so it does not run as root, but dropping runAsNonRoot to start it would make it root.'],
      [19, "medium", 'Deployment "inherited" sets pod securityContext.runAsUser: 0, which conflicts with runAsNonRoot: true: the kubelet will not start its container that inherits it (CreateContainerConfigError), so none runs as root, but dropping runAsNonRoot to start it would make it root.'],
      [30, "medium", 'Deployment "both-pod" sets pod securityContext.runAsUser: 0, which conflicts with runAsNonRoot: true: the kubelet will not start the containers that inherit it (CreateContainerConfigError), so none runs as root, but dropping runAsNonRoot to start them would make them root.'],
    ]);
    expect(findings.filter((f) => f.severity === "medium").every((f) => f.fix.startsWith("Replace `runAsUser: 0` with a non-zero UID"))).toBe(true);
    // A pull request that drops runAsNonRoot to make it start makes it root: new (high), though its identity is the same.
    const conflict = deployment("conflict", "{runAsNonRoot: true}", ["{name: app, image: busybox:1.36, securityContext: {runAsUser: 0}}"]).join("\n");
    const dropped = conflict.replace("{runAsNonRoot: true}", "{}");
    const reviewed = review({ changes: [{ path: "apps/conflict.yaml", status: "modified", base: conflict, head: dropped }], config: parseConfig({}, RULE_IDS), rules: [rule], now: new Date("2026-11-22T00:00:00Z") });
    expect(reviewed.findings.map((f) => [f.status, f.severity, f.line])).toEqual([["new", "high", 10]]);
  });
});
