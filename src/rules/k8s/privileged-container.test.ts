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
  describe("a container with a Bidirectional volume mount (held-out round 18: a CSI node plugin)", () => {
    const daemonSet = (propagation: string) =>
      [
        "apiVersion: apps/v1", // 1
        "kind: DaemonSet", // 2
        "metadata: {name: efs-csi-node, namespace: kube-system}", // 3
        "spec:", // 4
        "  selector: {matchLabels: {app: efs-csi-node}}", // 5
        "  template:", // 6
        "    metadata: {labels: {app: efs-csi-node}}", // 7
        "    spec:", // 8
        "      containers:", // 9
        "        - name: efs-plugin", // 10
        "          image: public.ecr.aws/efs-csi-driver/amazon/aws-efs-csi-driver:v2.1.0", // 11
        "          securityContext:", // 12
        "            privileged: true", // 13
        "          volumeMounts:", // 14
        `            - {name: kubelet-dir, mountPath: /var/lib/kubelet, mountPropagation: ${propagation}}`, // 15
        "            - {name: plugin-dir, mountPath: /csi}", // 16
        "      volumes:",
        "        - {name: kubelet-dir, hostPath: {path: /var/lib/kubelet, type: Directory}}",
        "        - {name: plugin-dir, hostPath: {path: /var/lib/kubelet/plugins/efs.csi.aws.com/, type: DirectoryOrCreate}}",
        "",
      ].join("\n");

    it("keeps the finding, and its fix says privileged is required and points to a reviewed suppression or waiver, not to removing it", () => {
      const findings = runRule(rule, daemonSet("Bidirectional"));
      expect(findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([["k8s/privileged-container", 13, 25]]);
      const fix = findings[0]!.fix!;
      expect(fix).toMatch(/^This container mounts "\/var\/lib\/kubelet" with `mountPropagation: Bidirectional`, which Kubernetes accepts only in a privileged container/);
      expect(fix).toContain("removing `privileged: true` makes the pod invalid");
      expect(fix).toContain('`gitops-guard.io/ignore: "k8s/privileged-container -- CSI node plugin: Bidirectional mount propagation"`');
      expect(fix).toContain("or a waiver with that reason");
      expect(fix).not.toMatch(/^Remove `privileged: true`/);
    });

    it("keeps the usual fix with HostToContainer propagation", () => {
      expect(runRule(rule, daemonSet("HostToContainer")).map((f) => f.fix)).toEqual([
        "Remove `privileged: true`; grant only the specific capabilities the process needs under `securityContext.capabilities.add`.",
      ]);
    });
  });
});
