import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./privileged-container.js";

describe("k8s/privileged-container", () => {
  it("flags each privileged container at the `true` value", () => {
    expect(positions(runFixture(rule, "invalid-deployment.yaml"))).toEqual([
      { line: 13, column: 25, path: "spec.template.spec.initContainers[0].securityContext.privileged", severity: "critical" },
      { line: 18, column: 25, path: "spec.template.spec.containers[0].securityContext.privileged", severity: "critical" },
    ]);
  });

  it("passes unprivileged containers and non-workloads", () => {
    expect(runFixture(rule, "valid-deployment.yaml")).toEqual([]);
  });

  it("names an init container \"Init container\", as the other rules do", () => {
    expect(runFixture(rule, "invalid-deployment.yaml").map((f) => f.message)).toEqual([
      'Init container "setup" in Deployment "node-agent" runs privileged.',
      'Container "agent" in Deployment "node-agent" runs privileged.',
    ]);
  });

  describe("an init container that only sets kernel parameters", () => {
    const statefulSet = (init: string[]) =>
      [
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "metadata: {name: opensearch}",
        "spec:",
        "  selector: {matchLabels: {app: opensearch}}",
        "  template:",
        "    metadata: {labels: {app: opensearch}}",
        "    spec:",
        "      initContainers:",
        "        - name: sysctl",
        "          image: busybox:1.37.0",
        "          securityContext: {privileged: true, runAsUser: 0}",
        ...init.map((l) => `          ${l}`),
        "      containers:",
        "        - name: opensearch",
        "          image: opensearchproject/opensearch:2.18.0",
        "",
      ].join("\n");
    const fixOf = (init: string[]) => runRule(rule, statefulSet(init)).map((f) => [f.line, f.fix]);

    it("is told to tune the nodes (or waive), not to grant capabilities", () => {
      for (const init of [
        ['command: ["sysctl", "-w", "vm.max_map_count=262144"]'],
        ['command: ["sh", "-c", "set -e; sysctl -w vm.max_map_count=262144 && echo done"]'],
        ['command: ["/bin/sh", "-c"]', 'args: ["echo 262144 > /proc/sys/vm/max_map_count"]'],
      ]) {
        expect(fixOf(init)).toEqual([
          [
            12,
            "This init container only sets kernel parameters (vm.max_map_count), which are the node's, not the pod's: set them on the nodes instead, in the node's own configuration (a sysctl.d file in the node image, the cloud provider's node configuration) or with a node-tuning DaemonSet the platform team owns, and remove the init container; if it must stay, waive this finding with that reason. Elasticsearch and OpenSearch can also run without it (`node.store.allow_mmap: false`).",
          ],
        ]);
      }
      expect(fixOf(['command: ["sysctl", "-w", "fs.file-max=1000000", "net.core.somaxconn=1024"]'])[0]?.[1]).toMatch(
        /^This init container only sets kernel parameters \(fs\.file-max, net\.core\.somaxconn\), .* with that reason\.$/,
      );
    });

    it("keeps the usual fix when the container does anything else, or its command is unknown", () => {
      const usual = "Remove `privileged: true`; grant only the specific capabilities the process needs under `securityContext.capabilities.add`.";
      for (const init of [
        ['command: ["sh", "-c", "sysctl -w vm.max_map_count=262144 && chown -R 1000 /data"]'],
        ['command: ["sh", "-c", "sysctl -a"]'],
        ['command: ["sh", "-c", "{{ .Values.initScript }}"]'],
        ['command: "{{ .Values.command }}"'],
        [],
      ]) {
        expect(fixOf(init)).toEqual([[12, usual]]);
      }
    });
  });
});
