import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./exposed-service.js";

describe("k8s/exposed-service", () => {
  it("flags NodePort and internet-facing LoadBalancer Services at spec.type", () => {
    const findings = runFixture(rule, "invalid-services.yaml");
    expect(positions(findings)).toEqual([
      { line: 6, column: 9, path: "spec.type", severity: "medium" },
      { line: 16, column: 9, path: "spec.type", severity: "medium" },
      { line: 27, column: 9, path: "spec.type", severity: "medium" },
      { line: 37, column: 9, path: "spec.type", severity: "medium" },
      { line: 46, column: 9, path: "spec.type", severity: "medium" },
      { line: 53, column: 9, path: "spec.type", severity: "medium" },
    ]);
    expect(findings.map((f) => f.resource.name)).toEqual(["node-port", "public-lb", "aws-explicitly-public", "aws-lbc-internet-facing", "mixed-addresses", "open-ranges"]);
    expect(findings[0]!.message).toBe(`Service "node-port" is type NodePort: its ports are open on every node's address.`);
    expect(findings[1]!.message).toBe(
      'Service "public-lb" is type LoadBalancer with no internal-load-balancer annotation or private address, so cloud providers give it a public address.',
    );
  });

  it("passes ClusterIP, ExternalName, provider internal annotations, internal classes, private addresses and restricted source ranges", () => {
    expect(runFixture(rule, "valid-services.yaml")).toEqual([]);
  });
});
