import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./insecure-connection.js";

describe("argocd/insecure-connection", () => {
  it("flags insecure repository flags (stringData and decoded data) and an insecure cluster TLS config", () => {
    const findings = runFixture(rule, "invalid-insecure.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 13, path: "stringData.insecure", severity: "high" },
      { line: 11, column: 26, path: "stringData.insecureIgnoreHostKey", severity: "high" },
      { line: 23, column: 25, path: "data.insecureOCIForceHttp", severity: "high" },
      // the `"insecure": true` line inside the config block
      { line: 39, column: 9, path: "stringData.config", severity: "high" },
    ]);
    expect(findings[3]!.message).toBe(
      'Argo CD cluster Secret "lab-cluster" config sets tlsClientConfig.insecure: Argo CD skips the cluster API server\'s certificate verification.',
    );
  });

  it("passes verified connections, flags Argo CD ignores, and other kinds", () => {
    expect(runFixture(rule, "valid-verified.yaml")).toEqual([]);
  });
});
