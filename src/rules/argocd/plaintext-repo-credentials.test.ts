import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import { parseConfig } from "../../core/config.js";
import { review, type FileChange } from "../../core/review.js";
import knownCredential from "../secrets/known-credential.js";
import plaintextSecret from "../secrets/plaintext-secret.js";
import rule from "./plaintext-repo-credentials.js";

describe("argocd/plaintext-repo-credentials", () => {
  const findings = runFixture(rule, "invalid-repo-secrets.yaml");

  it("flags literal credentials in stringData and (decoded) data, and credentials inside a cluster config", () => {
    expect(positions(findings)).toEqual([
      { line: 13, column: 13, path: "stringData.password", severity: "critical" },
      { line: 25, column: 18, path: "data.sshPrivateKey", severity: "critical" },
      // inside the `config: |` block, at the bearerToken line
      { line: 40, column: 7, path: "stringData.config", severity: "critical" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Argo CD repository Secret "deploy-repo" has a plaintext password in stringData.',
      'Argo CD repo-creds Secret "my-org-creds" has a plaintext SSH private key in data.',
      'Argo CD cluster Secret "prod-eu-1" has a plaintext bearer token in stringData.config.',
    ]);
  });

  it("never puts a secret value in a message", () => {
    for (const f of findings) {
      expect(f.message).not.toMatch(/not-a-real|ZmFrZS1rZXk|fake-key/);
      expect(f.fix).not.toMatch(/not-a-real/);
    }
  });

  it("passes references, encrypted and empty values, credential-free cluster configs and other kinds", () => {
    expect(runFixture(rule, "valid-references.yaml")).toEqual([]);
  });

  it("points at the config value when it is not a literal block", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: c",
      "  labels: {argocd.argoproj.io/secret-type: cluster}",
      'stringData: {config: \'{"tlsClientConfig": {"keyData": "bm90LWEta2V5"}}\'}',
      "",
    ].join("\n");
    expect(positions(runRule(rule, yaml))).toEqual([{ line: 6, column: 22, path: "stringData.config", severity: "critical" }]);
  });
});

describe("argocd/plaintext-repo-credentials: the argo-cd chart's configs.repositories and credentialTemplates (held-out round 8)", () => {
  const values = [
    "configs:",
    "  repositories:",
    "    private:",
    "      url: https://github.com/acme/private.git",
    "      username: deploy",
    "      password: Sup3rS3cretPassw0rd",
    "    public:",
    "      url: https://github.com/acme/public.git",
    "    vaulted:",
    "      url: https://github.com/acme/vaulted.git",
    "      password: <path:secret/data/git#password>",
    "  credentialTemplates:",
    "    github:",
    "      url: https://github.com/acme",
    "      sshPrivateKey: |",
    "        -----BEGIN OPENSSH PRIVATE KEY-----",
    "        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "        QyNTUxOQAAACDx8T6rJfQ2pLmN4vW9sK3hY7uB1cZ5dR0aE2gF6jH8kAAAAJg1xq0CNcat",
    "        -----END OPENSSH PRIVATE KEY-----",
    "",
  ].join("\n");

  it("judges each entry as the repository Secret the chart writes, at the credential's line, without echoing it", () => {
    const found = runRule(rule, values, { file: "argocd/values.yaml" });
    expect(positions(found)).toEqual([
      { line: 6, column: 17, path: "stringData.password", severity: "critical" },
      { line: 15, column: 22, path: "stringData.sshPrivateKey", severity: "critical" },
    ]);
    expect(found[0]!.message).toBe('Argo CD repository Secret "argocd-repo-private" has a plaintext password in stringData.');
    expect(found[1]!.message).toContain('"argocd-repo-creds-github"');
    expect(found.map((f) => f.message).join("\n")).not.toContain("Sup3r");
  });
});

describe("argocd/plaintext-repo-credentials: one finding for a known token written as the password", () => {
  // A GitHub token of the right shape, assembled so that no scanner reads this file as holding one.
  const token = ["ghp", "_", "Zx9kQ2mVb7", "Lp4Rt8Wn3Y", "c6Hd1Jf5Gs", "0Ka2Vq"].join("");
  const secret = (password: string): string =>
    [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: repo-apps",
      "  namespace: argocd",
      "  labels:",
      "    argocd.argoproj.io/secret-type: repository",
      "stringData:",
      "  type: git",
      "  url: https://github.com/example/apps.git",
      "  username: deploy",
      `  password: ${password}`,
      "",
    ].join("\n");
  const rules = [rule, knownCredential, plaintextSecret];
  const run = (changes: FileChange[]) =>
    review({ changes, config: parseConfig({}, new Set(rules.map((r) => r.meta.id))), rules, now: new Date("2026-11-22T00:00:00Z") }).findings.map((f) => ({
      ruleId: f.ruleId,
      line: f.line,
      column: f.column,
      severity: f.severity,
      status: f.status,
    }));

  it("stands for secrets/known-credential at the same value (the Secret's own finding stays, a different fix)", () => {
    expect(run([{ path: "argocd/repo.yaml", status: "added", head: secret(token) }])).toEqual([
      { ruleId: "argocd/plaintext-repo-credentials", line: 12, column: 13, severity: "critical", status: "new" },
      { ruleId: "secrets/plaintext-secret", line: 12, column: 13, severity: "critical", status: "new" },
    ]);
  });

  it("keeps the token new when the pull request replaces an existing password with it: a value the base did not commit", () => {
    const findings = run([{ path: "argocd/repo.yaml", status: "modified", base: secret("nR8wKz3qLm6vXt2YpJ9s"), head: secret(token) }]);
    expect(findings).toEqual([
      { ruleId: "argocd/plaintext-repo-credentials", line: 12, column: 13, severity: "critical", status: "new" },
      { ruleId: "secrets/plaintext-secret", line: 12, column: 13, severity: "critical", status: "new" },
    ]);
  });
});
