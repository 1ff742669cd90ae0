import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import type { FileContext, Report } from "../../core/rule.js";
import type { SourceRange } from "../../core/types.js";
import { parseYamlFile } from "../../parse/yaml-file.js";
import rule from "./known-credential.js";

describe("secrets/known-credential", () => {
  it("finds each credential format, comments included, with its exact range", () => {
    const findings = runFixture(rule, "invalid-credentials.yaml");
    expect(findings.map((f) => ({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, path: f.path }))).toEqual([
      { line: 1, column: 31, endLine: 1, endColumn: 71, path: "" },
      { line: 8, column: 15, endLine: 8, endColumn: 94, path: 'data["notify.url"]' },
      { line: 11, column: 38, endLine: 11, endColumn: 78, path: 'data[".npmrc"]' },
      { line: 15, column: 29, endLine: 15, endColumn: 69, path: 'data["aws.ini"]' },
      { line: 24, column: 5, endLine: 28, endColumn: 34, path: "stringData.id_rsa" },
      { line: 29, column: 15, endLine: 29, endColumn: 190, path: "stringData.api-token" },
      { line: 34, column: 13, endLine: 34, endColumn: 52, path: "reporting.maps.apiKey" },
      { line: 36, column: 16, endLine: 36, endColumn: 48, path: "reporting.payments.stripeKey" },
      { line: 38, column: 12, endLine: 38, endColumn: 38, path: "reporting.gitlab.token" },
      { line: 40, column: 15, endLine: 40, endColumn: 71, path: "reporting.slack.botToken" },
      { line: 43, column: 13, endLine: 43, endColumn: 87, path: "reporting.sops.ageKey" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ConfigMap "ci/ci-settings" contains a GitHub personal access token in a comment.',
      'ConfigMap "ci/ci-settings" contains a Slack incoming webhook URL at data["notify.url"].',
      'ConfigMap "ci/ci-settings" contains an npm access token at data[".npmrc"].',
      'ConfigMap "ci/ci-settings" contains an AWS secret access key (with its access key id) at data["aws.ini"].',
      'Secret "ci/deploy-key" contains an RSA private key (PEM) at stringData.id_rsa.',
      'Secret "ci/deploy-key" contains a signed JSON Web Token at stringData.api-token.',
      "YAML document contains a Google API key at reporting.maps.apiKey.",
      "YAML document contains a Stripe live secret key at reporting.payments.stripeKey.",
      "YAML document contains a GitLab personal access token at reporting.gitlab.token.",
      "YAML document contains a Slack token at reporting.slack.botToken.",
      "YAML document contains an age secret key (it decrypts SOPS files) at reporting.sops.ageKey.",
    ]);
    expect(new Set(findings.map((f) => f.severity))).toEqual(new Set(["critical"]));
    expect(findings[0]!.resource).toMatchObject({ kind: "ConfigMap", name: "ci-settings" });
  });

  it("reports a passphrase-encrypted private key as high", () => {
    expect(positions(runFixture(rule, "invalid-encrypted-key.yaml"))).toEqual([{ line: 7, column: 5, path: 'stringData["key.pem"]', severity: "high" }]);
  });

  it("ignores sample tokens, public material, SOPS ciphertext and SealedSecret data", () => {
    expect(runFixture(rule, "valid-placeholders.yaml")).toEqual([]);
  });

  it("needs the AWS secret access key near the access key id", () => {
    const far = `data:\n  id: AKIASTUZUR7HXHAV3OOE\n${"  filler: x\n".repeat(15)}  key: lt1BC5Gco7fcopoFShyAO9H5sLwzcZjS6dDb1qrW\n`;
    expect(runRule(rule, far)).toEqual([]);
    const near = "data:\n  id: AKIASTUZUR7HXHAV3OOE\n  key: lt1BC5Gco7fcopoFShyAO9H5sLwzcZjS6dDb1qrW\n";
    expect(positions(runRule(rule, near))).toEqual([{ line: 3, column: 8, path: "data.key", severity: "critical" }]);
  });

  it("finds SendGrid API keys, not look-alikes of the wrong length or sample text", () => {
    const key = "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";
    const found = runRule(rule, `stringData:\n  SENDGRID_API_KEY: ${key}\n`);
    expect(found.map((f) => [f.line, f.column, f.message])).toEqual([[2, 21, "YAML document contains a SendGrid API key at stringData.SENDGRID_API_KEY."]]);
    expect(runRule(rule, `a: SG.lnnudSkpmKog0Qwp_vaQcT.7xl2cwC6dT0ctPVnaawqrczLJWImKMG4hE\n`)).toEqual([]);
    expect(runRule(rule, `a: SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n`)).toEqual([]);
  });

  it("never puts a credential used as a map key into the path", () => {
    const findings = runRule(rule, "users:\n  ghp_KGpOyQNcdOyZbkBFTFoOxtzHq8STZHE6svi3: admin\n");
    expect(findings.map((f) => [f.line, f.column, f.path])).toEqual([[2, 3, "users"]]);
  });

  it("reports a GitHub App installation token in the ghs_<id>_<JWT> form once, over its whole length", () => {
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
    const jwt = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ iat: 1745568000, exp: 1745568360, iss: "98765", sub: "github|98765" })}.Qm3xT8vLk2pR9sWd4YhN7cJf1ZaE6uGb0oKi5Tq_Xr-`;
    const token = `ghs_98765_${jwt}`;
    const findings = runRule(rule, `data:\n  installation: ${token}\n`);
    expect(findings.map((f) => ({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, path: f.path }))).toEqual([
      { line: 2, column: 17, endLine: 2, endColumn: 17 + token.length, path: "data.installation" },
    ]);
    expect(findings[0]!.message).toBe("YAML document contains a GitHub App installation token at data.installation.");
    // The JWT alone, glued after `_`, is still a signed JWT.
    expect(runRule(rule, `data:\n  t: x_${jwt}\n`).map((f) => [f.column, f.message])).toEqual([[8, "YAML document contains a signed JSON Web Token at data.t."]]);
  });

  it("does not report a Slack token whose secret segment is masked", () => {
    const masked = ["#", "*", "\u2022"].map((c) => `  - xoxp-572370529330-573807301142-572331691188-${c.repeat(20)}\n`).join("");
    expect(runRule(rule, `tokens:\n${masked}`)).toEqual([]);
    // ...but reports the same token with its secret segment.
    expect(positions(runRule(rule, "tokens:\n  - xoxp-572370529330-573807301142-572331691188-e1c3a8f7d2b94c6e0f5a8d3b7c9e2f41\n"))).toEqual([
      { line: 2, column: 5, path: "tokens[0]", severity: "critical" },
    ]);
  });

  it("reads double-quoted PEM blocks with \\n escapes", () => {
    const body = "cBz36h14XmWJP4urFk0LAeNJVP8y9GXCXJ2/3NcQsyd58h8uAhUF0k1yyTDx9AnOw4X5ucOdO+HWJSybIRwRNMYqvmUuz0FGe9g3DNgRcKPYx9PAu7owiwT9UPqPNILl";
    const yaml = `key: "-----BEGIN EC PRIVATE KEY-----\\n${body}\\n-----END EC PRIVATE KEY-----\\n"\n`;
    expect(runRule(rule, yaml).map((f) => f.message)).toEqual(["YAML document contains an EC private key (PEM) at key."]);
  });

  it("still reports files without a readable document (a Helm template), from the raw text", () => {
    const text = 'apiVersion: v1\nkind: Secret\nstringData:\n  token: {{ "ghp_KGpOyQNcdOyZbkBFTFoOxtzHq8STZHE6svi3" | quote }}\n';
    const file = parseYamlFile("chart/templates/secret.yaml", text);
    expect(file.docs).toEqual([]);
    const reports: Array<Report & { range: SourceRange; docIndex: number }> = [];
    const ctx: FileContext = {
      file,
      settings: { argocdNamespace: "argocd", platformProjects: [], allowedRegistries: [], productionRegistries: [], options: {} },
      isProduction: false,
      docAt: () => null,
      report: (r) => reports.push(r),
    };
    rule.checkFile!(ctx);
    expect(reports.map((r) => [r.range, r.message])).toEqual([
      [{ line: 4, column: 14, endLine: 4, endColumn: 54 }, "chart/templates/secret.yaml contains a GitHub personal access token."],
    ]);
  });
});
