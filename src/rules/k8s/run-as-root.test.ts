import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./run-as-root.js";

describe("k8s/run-as-root", () => {
  it("reports container-level root settings at their value, unset containers at the container item", () => {
    expect(positions(runFixture(rule, "invalid-container-level.yaml"))).toEqual([
      { line: 20, column: 24, path: "spec.template.spec.containers[0].securityContext.runAsUser", severity: "high" },
      { line: 25, column: 24, path: "spec.template.spec.containers[1].securityContext.runAsUser", severity: "high" },
      { line: 47, column: 27, path: "spec.template.spec.containers[1].securityContext.runAsNonRoot", severity: "high" },
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
});
