import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./windows-host-process.js";
import { parseConfig } from "../../core/config.js";
import { scan } from "../../core/review.js";
import { ALL_RULES, RULE_IDS } from "../index.js";

describe("k8s/windows-host-process", () => {
  it("flags hostProcess true at pod or container level, once per node", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 17, column: 24, path: "spec.template.spec.securityContext.windowsOptions.hostProcess", severity: "high" },
      { line: 42, column: 32, path: "spec.jobTemplate.spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess", severity: "high" },
      { line: 63, column: 28, path: "spec.template.spec.initContainers[0].securityContext.windowsOptions.hostProcess", severity: "high" },
      { line: 69, column: 28, path: "spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess", severity: "high" },
    ]);
  });

  it("passes hostProcess false and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});

describe("a Windows HostProcess pod (held-out round 23)", () => {
  const agent = (extra: string[] = []): string =>
    [
      "apiVersion: apps/v1",
      "kind: DaemonSet",
      "metadata: {name: windows-exporter, namespace: monitoring}",
      "spec:",
      "  selector: {matchLabels: {app: windows-exporter}}",
      "  template:",
      "    metadata: {labels: {app: windows-exporter}}",
      "    spec:",
      "      automountServiceAccountToken: false",
      "      hostNetwork: true",
      "      securityContext:",
      "        windowsOptions: {hostProcess: true, runAsUserName: 'NT AUTHORITY\\system'}",
      ...extra,
      "      containers:",
      "        - name: exporter",
      "          image: ghcr.io/prometheus-community/windows-exporter:0.25.1",
      "",
    ].join("\n");
  const ids = (yaml: string): string[] => scanRules(yaml).map((f) => `${f.ruleId}:${f.line}`);

  it("is reported by k8s/windows-host-process alone among the pod-security rules: no Linux-only finding, no hostNetwork the API requires of it, no run-as-root", () => {
    expect(ids(agent()).filter((id) => id.startsWith("k8s/") && !id.startsWith("k8s/missing-"))).toEqual(["k8s/windows-host-process:12"]);
  });

  it("a pod that selects Windows nodes gets no Linux-only finding either; a Linux pod still does", () => {
    const windowsNode = agent().replace("      hostNetwork: true\n", "").replace("windowsOptions: {hostProcess: true, runAsUserName: 'NT AUTHORITY\\system'}", "runAsNonRoot: true");
    const onWindows = windowsNode.replace("      containers:", "      nodeSelector: {kubernetes.io/os: windows}\n      containers:");
    const linuxOnly = ["k8s/capabilities-not-dropped", "k8s/seccomp-unconfined", "k8s/privilege-escalation", "k8s/writable-root-filesystem"];
    expect(ids(onWindows).filter((id) => linuxOnly.some((r) => id.startsWith(r)))).toEqual([]);
    expect(ids(windowsNode).filter((id) => linuxOnly.some((r) => id.startsWith(r))).map((id) => id.split(":")[0]).sort()).toEqual(linuxOnly.sort());
  });
});

function scanRules(yaml: string) {
  return scan([{ path: "monitoring/ds.yaml", content: yaml }], { config: parseConfig({}, new Set(RULE_IDS)), rules: ALL_RULES, now: new Date("2026-12-01T00:00:00Z") }).findings;
}
