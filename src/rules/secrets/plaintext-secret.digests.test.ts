import { describe, expect, it, jest } from "@jest/globals";

// Counts the digests the rule takes (the real digest still answers).
const real = await import("../../core/value-digest.js");
const digested: string[] = [];
jest.unstable_mockModule("../../core/value-digest.js", () => ({
  credentialDigest: (value: string): string => {
    digested.push(value);
    return real.credentialDigest(value);
  },
}));
const { runRule } = await import("../../../test/helpers/rule-tester.js");
const { default: rule } = await import("./plaintext-secret.js");

describe("secrets/plaintext-secret digests", () => {
  it("digests only the values it reports as credentials, not every value of the Secret", () => {
    const settings = Array.from({ length: 40 }, (_, i) => `  SETTING_${i}: value-${i}`);
    const yaml = ["apiVersion: v1", "kind: Secret", "metadata: {name: app, namespace: shop}", "stringData:", ...settings, "  DB_PASSWORD: Kx9#mQ2vLp7wZr4T", ""].join("\n");
    digested.length = 0;
    const findings = runRule(rule, yaml);
    expect(findings.map((f) => f.path)).toEqual(["stringData"]);
    expect(findings[0]!.message).toBe('Secret "shop/app" stores a plaintext credential at stringData.DB_PASSWORD.');
    expect(digested).toHaveLength(1);
  });
});
