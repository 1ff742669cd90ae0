import { describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { parseConfig } from "../../core/config.js";
import { scan } from "../../core/review.js";
import type { Finding } from "../../core/types.js";
import { ALL_RULES, RULE_IDS } from "../index.js";
import { lines, scanRepo } from "../../../test/engine/kustomize-helpers.js";

/**
 * One credential, one finding: a known-format token under a credential-like name is `secrets/known-credential`'s
 * (it names the token type), not also `secrets/sensitive-config-value`'s or `secrets/literal-env-secret`'s on the
 * same value — unless known-credential does not report it there (off, or a file it does not read).
 */

// Random bodies from a fixed seed: shaped like real tokens, never real ones.
let counter = 0;
const rand = (n: number): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  while (out.length < n) {
    for (const byte of createHash("sha256").update(`one-per-credential ${counter++}`).digest()) if (out.length < n) out += alphabet[byte % alphabet.length];
  }
  return out;
};
const OPENAI = `sk-proj-${rand(64)}`;
const GITLAB = `glpat-${rand(20)}`;

const SECRETS = ["secrets/known-credential", "secrets/sensitive-config-value", "secrets/literal-env-secret", "secrets/plaintext-secret"];

function secretsFindings(path: string, text: string, config: unknown = {}): Finding[] {
  const result = scan([{ path, content: text }], { config: parseConfig(config, RULE_IDS), rules: ALL_RULES, now: new Date("2026-11-22T00:00:00Z") });
  return result.findings.filter((f) => SECRETS.includes(f.ruleId));
}

const at = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.ruleId}@${f.line} ${f.severity}`).sort();

const CONFIGMAP = lines(
  "apiVersion: v1",
  "kind: ConfigMap",
  "metadata:",
  "  name: app",
  "data:",
  `  OPENAI_API_KEY: ${OPENAI}`, // 6
  "  DB_PASSWORD: vT9qLm2xR7wZ4kPb", // 7: a password, no known format
  "  application.properties: |",
  `    openai.api-key=${OPENAI}`, // 9
  "    spring.datasource.password=Hq7vN2pXw9LmR4tZ", // 10
);

const DEPLOYMENT = lines(
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: app",
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: app",
  "          image: ghcr.io/acme/app:1.0.0",
  `          args: ["--gitlab-token=${GITLAB}"]`, // 11
  "          env:",
  "            - name: OPENAI_API_KEY",
  `              value: ${OPENAI}`, // 14
  "            - name: SMTP_PASSWORD",
  "              value: Rz4Wn8Tb6YxQ2mLp", // 16
);

describe("one finding per credential: known-credential stands for the generic secrets rules on its token", () => {
  it("a ConfigMap entry and an embedded config line holding a known token are known-credential's only", () => {
    expect(at(secretsFindings("apps/cm.yaml", CONFIGMAP))).toEqual([
      "secrets/known-credential@6 critical",
      "secrets/known-credential@9 critical",
      "secrets/sensitive-config-value@10 high",
      "secrets/sensitive-config-value@7 high",
    ]);
  });

  it("Helm values and an Argo CD Application's valuesObject: known-credential only on the token", () => {
    const values = lines("openai:", `  apiKey: ${OPENAI}`, "smtp:", "  password: Hq7vN2pXw9LmR4tZ");
    expect(at(secretsFindings("charts/app/values.yaml", values))).toEqual(["secrets/known-credential@2 critical", "secrets/sensitive-config-value@4 high"]);
    const app = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: { name: app, namespace: argocd }",
      "spec:",
      "  project: default",
      "  destination: { server: https://kubernetes.default.svc, namespace: app }",
      "  source:",
      "    repoURL: https://charts.example.org",
      "    chart: app",
      "    targetRevision: 1.2.3",
      "    helm:",
      "      valuesObject:",
      `        gitlab: { token: ${GITLAB} }`, // 13
    );
    expect(at(secretsFindings("apps/app.yaml", app))).toEqual(["secrets/known-credential@13 critical"]);
  });

  it("a container env value and a command-line flag holding a known token are known-credential's only", () => {
    expect(at(secretsFindings("apps/deploy.yaml", DEPLOYMENT))).toEqual([
      "secrets/known-credential@11 critical",
      "secrets/known-credential@14 critical",
      "secrets/literal-env-secret@16 high",
    ]);
  });

  it("two values on one line: only the one holding the token is known-credential's", () => {
    const text = DEPLOYMENT.replace(`args: ["--gitlab-token=${GITLAB}"]`, `args: ["--db-password=Hq7vN2pXw9LmR4tZ", "--gitlab-token=${GITLAB}"]`);
    const fs = secretsFindings("apps/deploy.yaml", text).filter((f) => f.line === 11);
    expect(fs.map((f) => [f.ruleId, f.column])).toEqual([
      ["secrets/known-credential", 68],
      ["secrets/literal-env-secret", 18],
    ]);
  });

  it("keeps the higher severity: the finding that stays is never weaker than the one it stands for", () => {
    const config = { rules: { "secrets/known-credential": "medium", "secrets/sensitive-config-value": "critical" } };
    const fs = secretsFindings("apps/cm.yaml", CONFIGMAP, config);
    expect(fs.filter((f) => f.line === 6).map((f) => [f.ruleId, f.severity])).toEqual([["secrets/known-credential", "critical"]]);
  });

  it("with known-credential off, the generic rules still report the token", () => {
    const fs = secretsFindings("apps/cm.yaml", CONFIGMAP, { rules: { "secrets/known-credential": "off" } });
    expect(at(fs)).toEqual([
      "secrets/sensitive-config-value@10 high",
      "secrets/sensitive-config-value@6 high",
      "secrets/sensitive-config-value@7 high",
      "secrets/sensitive-config-value@9 high",
    ]);
  });

  it("a Secret keeps its one plaintext-secret finding beside the token's known-credential finding", () => {
    const secret = lines("apiVersion: v1", "kind: Secret", "metadata:", "  name: api", "stringData:", `  OPENAI_API_KEY: ${OPENAI}`, "  DB_PASSWORD: Hq7vN2pXw9LmR4tZ");
    expect(at(secretsFindings("apps/secret.yaml", secret))).toEqual(["secrets/known-credential@6 critical", "secrets/plaintext-secret@6 critical"]);
  });

  it("a Kustomize literal and a generator's .env line are known-credential's (it reads the committed .env, trial ov5b)", () => {
    const result = scanRepo({
      "app/kustomization.yaml": lines(
        "configMapGenerator:",
        "  - name: app",
        "    envs: [app.env]",
        "  - name: ci",
        "    literals:",
        `      - GITLAB_TOKEN=${GITLAB}`, // 6
      ),
      "app/app.env": lines(`OPENAI_API_KEY=${OPENAI}`, "LOG_LEVEL=info"),
    });
    const fs = result.findings.filter((f) => SECRETS.includes(f.ruleId));
    expect(fs.map((f) => `${f.ruleId}@${f.file}:${f.line}:${f.column} ${f.severity}`).sort()).toEqual([
      "secrets/known-credential@app/app.env:1:16 critical",
      "secrets/known-credential@app/kustomization.yaml:6:22 critical",
    ]);
  });
});
