import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import socket from "./container-runtime-socket.js";
import rule from "./host-path-volume.js";

describe("k8s/host-path-volume", () => {
  it("flags each hostPath volume at its key, leaving runtime sockets to k8s/container-runtime-socket", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 20, column: 11, path: "spec.template.spec.volumes[1].hostPath", severity: "high" },
      { line: 23, column: 11, path: "spec.template.spec.volumes[2].hostPath", severity: "high" },
      { line: 43, column: 15, path: "spec.jobTemplate.spec.template.spec.volumes[0].hostPath", severity: "high" },
      { line: 63, column: 11, path: "spec.template.spec.volumes[0].hostPath", severity: "high" },
    ]);
  });

  it("passes other volume types, runtime sockets, PersistentVolumes and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("leaves a runtime socket volume to k8s/container-runtime-socket: one finding per volume", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: builder}",
      "spec:",
      "  containers: [{name: b, image: registry.example.com/b:1.0.0}]",
      "  volumes:",
      "    - name: docker",
      "      hostPath: {path: /var/run/docker.sock}",
      "    - name: logs",
      "      hostPath: {path: /var/log}",
      "",
    ].join("\n");
    expect(runRule(rule, yaml).map((f) => f.path)).toEqual(["spec.volumes[1].hostPath"]);
    expect(runRule(socket, yaml).map((f) => f.path)).toEqual(["spec.volumes[0].hostPath.path"]);
  });

  it("names the volume, the workload and the host path", () => {
    expect(runFixture(rule, "invalid-workloads.yaml")[0]?.message).toBe('Volume "varlog" of DaemonSet "log-shipper" mounts host path /var/log from the node.');
  });
});
