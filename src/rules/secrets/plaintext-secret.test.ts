import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./plaintext-secret.js";

describe("secrets/plaintext-secret", () => {
  it("flags each plaintext Secret value at the value itself", () => {
    const findings = runFixture(rule, "invalid-secrets.yaml");
    expect(positions(findings)).toEqual([
      { line: 9, column: 13, path: "data.password", severity: "critical" },
      { line: 20, column: 21, path: "stringData.SESSION_MATERIAL", severity: "critical" },
      { line: 21, column: 16, path: 'stringData["rclone.conf"]', severity: "critical" },
      { line: 39, column: 13, path: "stringData.password", severity: "critical" },
      { line: 49, column: 26, path: "stringData.CLOUDFLARE_ZONE_TOKEN", severity: "critical" },
      { line: 68, column: 55, path: 'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]', severity: "critical" },
    ]);
    expect(findings[0]!.message).toBe('Secret "shop/db-credentials" stores a plaintext value at data.password.');
    expect(findings[4]!.message).toContain("is SOPS-managed but stringData.CLOUDFLARE_ZONE_TOKEN is not encrypted");
    expect(findings[5]!.message).toContain("1 plaintext value in its kubectl.kubernetes.io/last-applied-configuration annotation");
  });

  it("does not flag metadata keys, words, hostnames or base64-encoded placeholders next to a secret", () => {
    const paths = runFixture(rule, "invalid-secrets.yaml").map((f) => f.path);
    for (const p of ["data.username", "data.port", "data.LOG_LEVEL", "stringData.type", "stringData.url", "stringData.username", "stringData.BUCKET", "stringData.BACKUP_SCHEDULE"]) {
      expect(paths).not.toContain(p);
    }
  });

  it("flags neutral keys and the keys of the built-in Secret types, not metadata or public material", () => {
    const findings = runFixture(rule, "invalid-typed-secrets.yaml");
    expect(positions(findings)).toEqual([
      // base64 "mypassword" under `key`; LOG_LEVEL, a version and a host name next to it stay quiet.
      { line: 8, column: 8, path: "data.key", severity: "critical" },
      { line: 21, column: 22, path: 'data[".dockerconfigjson"]', severity: "critical" },
      { line: 29, column: 15, path: 'stringData[".dockercfg"]', severity: "critical" },
      { line: 39, column: 13, path: "stringData.password", severity: "critical" },
      { line: 47, column: 19, path: "stringData.ssh-privatekey", severity: "critical" },
      { line: 62, column: 12, path: 'stringData["tls.key"]', severity: "critical" },
    ]);
    expect(findings[1]!.message).toBe('Secret "apps/pull" stores a plaintext value at data[".dockerconfigjson"].');
    expect(findings.map((f) => f.message).join("\n")).not.toMatch(/Gr3en|Op3n|mypassword/);
  });

  it("judges a registry config by its credential fields", () => {
    expect(runFixture(rule, "valid-typed-secrets.yaml")).toEqual([]);
  });

  it("flags Kustomize secretGenerator literals", () => {
    expect(positions(runFixture(rule, "invalid-kustomization.yaml"))).toEqual([
      { line: 9, column: 9, path: "secretGenerator[0].literals[1]", severity: "critical" },
      { line: 10, column: 9, path: "secretGenerator[0].literals[2]", severity: "critical" },
    ]);
  });

  it("passes SOPS, Sealed Secrets, ExternalSecrets, references, placeholders, certificates and token Secrets", () => {
    expect(runFixture(rule, "valid-references.yaml")).toEqual([]);
    expect(runFixture(rule, "valid-kustomization.yaml")).toEqual([]);
  });

  it("decodes base64 data before judging it", () => {
    const yaml = (v: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: ${v}\n`;
    expect(runRule(rule, yaml(Buffer.from("changeme").toString("base64")))).toEqual([]);
    expect(runRule(rule, yaml(Buffer.from("${DB_PASSWORD}").toString("base64")))).toEqual([]);
    expect(runRule(rule, yaml(Buffer.from("Pr0d-Pa55word").toString("base64")))).toHaveLength(1);
  });

  it("ignores kinds other than core v1 Secret", () => {
    const yaml = "apiVersion: example.com/v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: Pr0d-Pa55word\n";
    expect(runRule(rule, yaml)).toEqual([]);
  });
});
