import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./container-runtime-socket.js";

describe("k8s/container-runtime-socket", () => {
  it("flags runtime sockets, their directories, /run, /var/run, the root / and Windows pipes at the path value", () => {
    expect(positions(runFixture(rule, "invalid-workloads.yaml"))).toEqual([
      { line: 18, column: 19, path: "spec.template.spec.volumes[0].hostPath.path", severity: "critical" },
      { line: 21, column: 19, path: "spec.template.spec.volumes[1].hostPath.path", severity: "critical" },
      { line: 25, column: 19, path: "spec.template.spec.volumes[2].hostPath.path", severity: "critical" },
      { line: 28, column: 19, path: "spec.template.spec.volumes[3].hostPath.path", severity: "critical" },
      { line: 47, column: 23, path: "spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path", severity: "critical" },
      { line: 66, column: 19, path: "spec.template.spec.volumes[0].hostPath.path", severity: "critical" },
      { line: 81, column: 15, path: "spec.volumes[0].hostPath.path", severity: "critical" },
      { line: 100, column: 19, path: "spec.template.spec.volumes[0].hostPath.path", severity: "critical" },
    ]);
  });

  it("calls a mount of the node's root what it is: /run is in it", () => {
    const found = runFixture(rule, "invalid-workloads.yaml").at(-1);
    expect(found?.message).toBe('Volume "host-root" of DaemonSet "node-debugger" mounts the node\'s root filesystem /, which holds the container runtime socket.');
  });

  it("passes other host paths, templated paths and non-workloads", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });
});
