import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import socket from "./container-runtime-socket.js";
import rule from "./host-path-volume.js";

describe("k8s/host-path-volume", () => {
  it("flags each hostPath volume at its path's value, leaving runtime sockets (and the node's root /) to k8s/container-runtime-socket", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 21, column: 19, path: "spec.template.spec.volumes[1].hostPath.path", severity: "high" },
      { line: 44, column: 23, path: "spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path", severity: "high" },
      { line: 64, column: 19, path: "spec.template.spec.volumes[0].hostPath.path", severity: "high" },
    ]);
  });

  it("names its finding by the volume and the host path it mounts (normalised), and falls back to the volume's key when no path is written", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: p}",
      "spec:",
      "  containers: [{name: c, image: registry.example.com/c:1.0.0}]",
      "  volumes:",
      "    - name: data",
      "      hostPath:",
      "        path: /srv/data",
      "    - name: templated",
      "      hostPath: {type: Directory}",
      "",
    ].join("\n");
    const found = runRule(rule, yaml);
    expect(found.map((f) => [f.path, f.line])).toEqual([
      ["spec.volumes[0].hostPath.path", 9],
      ["spec.volumes[1].hostPath", 11],
    ]);
    expect(found.map((f) => f.identity)).toEqual(['spec.volumes[name="data"].hostPath.path["/srv/data"]', 'spec.volumes[name="templated"].hostPath']);
    // Another spelling of the same host directory is the same finding; another directory is another finding.
    const identityOf = (path: string) => runRule(rule, yaml.replace("path: /srv/data", `path: ${path}`))[0]!.identity;
    expect(identityOf("/srv//data/")).toBe(identityOf("/srv/data"));
    expect(identityOf("/etc")).not.toBe(identityOf("/srv/data"));
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
    expect(runRule(rule, yaml).map((f) => f.path)).toEqual(["spec.volumes[1].hostPath.path"]);
    expect(runRule(socket, yaml).map((f) => f.path)).toEqual(["spec.volumes[0].hostPath.path"]);
  });

  it("names the volume, the workload and the host path", () => {
    expect(runFixture(rule, "invalid-workloads.yaml")[0]?.message).toBe('Volume "varlog" of DaemonSet "log-shipper" mounts host path /var/log from the node.');
  });
});
