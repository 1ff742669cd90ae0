/**
 * `.env` files are reviewed for what they commit (trial ov5b): a credential leaks by being committed, applied or not,
 * so `secrets/known-credential` reads a dotenv file's text whether a generator's `envs:` reads it or no kustomization
 * does, in `scan` and `review` alike (the App's file selection asks the same Policy). A `.env` file is not YAML: never
 * a guard/parse-error, never a document for the other rules.
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { isEnvPath, Policy } from "../../src/core/policy.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { lines, reviewRepo, scanRepo, where } from "./kustomize-helpers.js";

// An AWS access key id and its secret access key, in the shape the format has (the values of known-credential.test.ts).
const AWS_PAIR = ["AWS_ACCESS_KEY_ID=AKIASTUZUR7HXHAV3OOE", "AWS_SECRET_ACCESS_KEY=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"];

const BASE = {
  "app/base/kustomization.yaml": lines("resources:", "  - configmap.yaml"),
  "app/base/configmap.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: web-config", "data:", "  APP_ENV: base"),
  // Staging reads its .env through a generator; prod's .env is read by nothing.
  "app/staging/kustomization.yaml": lines("resources:", "  - ../base", "configMapGenerator:", "  - name: web-config", "    behavior: merge", "    envs:", "      - environment.env"),
  "app/staging/environment.env": lines("APP_ENV=staging"),
  "app/prod/kustomization.yaml": lines("resources:", "  - ../base"),
  "app/prod/environment.env": lines("APP_ENV=prod"),
};

describe(".env files: the committed-content credential rules read them", () => {
  it("a known-format credential added to a .env that no kustomization reads is a new critical known-credential finding", () => {
    const r = reviewRepo(BASE, { ...BASE, "app/prod/environment.env": lines("APP_ENV=prod", ...AWS_PAIR) });
    expect(where(r, "secrets/known-credential", "secrets/sensitive-config-value", "guard/parse-error")).toEqual(["secrets/known-credential app/prod/environment.env:3:23 new"]);
    expect(r.findings[0]!.severity).toBe("critical");
    expect(r.findings[0]!.message).toBe("app/prod/environment.env contains an AWS secret access key (with its access key id).");
    expect(r.conclusion).toBe("failure");
  });

  it("in a .env a generator reads, it is known-credential's (critical), which stands for the rendered ConfigMap's sensitive-config-value", () => {
    const r = reviewRepo(BASE, { ...BASE, "app/staging/environment.env": lines("APP_ENV=staging", ...AWS_PAIR) });
    const secrets = r.findings.filter((f) => f.ruleId.startsWith("secrets/") || f.ruleId === "guard/parse-error");
    expect(secrets.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.status} ${f.severity}`)).toEqual(["secrets/known-credential app/staging/environment.env:3:23 new critical"]);
  });

  it("scan finds it in a .env read by nothing, and in one a generator reads", () => {
    const files = { ...BASE, "app/prod/environment.env": lines("APP_ENV=prod", ...AWS_PAIR), "app/staging/environment.env": lines(...AWS_PAIR) };
    expect(where(scanRepo(files), "secrets/known-credential", "guard/parse-error").sort()).toEqual([
      "secrets/known-credential app/prod/environment.env:3:23 new",
      "secrets/known-credential app/staging/environment.env:2:23 new",
    ]);
  });

  it("secrets/credential-in-url reads a .env's URLs too (held-out round 7), read by nothing or by a generator; plain passwords stay unjudged", () => {
    const url = 'DATABASE_URL="postgresql://admin:Xk29fa8Lq@library:5432/books"';
    const files = {
      ...BASE,
      "app/prod/environment.env": lines("POSTGRES_USER=admin", "POSTGRES_PASSWORD=Xk29fa8Lq", url, "# BACKUP_URL=postgresql://admin:Xk29fa8Lq@library/books", "PUBLIC_URL=https://library.example.org/books"),
      "app/staging/environment.env": lines("APP_ENV=staging", `export ${url}`),
    };
    const scanned = scanRepo(files);
    expect(where(scanned, "secrets/credential-in-url", "secrets/known-credential", "guard/parse-error").sort()).toEqual([
      "secrets/credential-in-url app/prod/environment.env:3:15 new",
      "secrets/credential-in-url app/staging/environment.env:2:22 new",
    ]);
    const prod = scanned.findings.find((f) => f.file === "app/prod/environment.env")!;
    expect(prod.message).toBe('app/prod/environment.env embeds a password in the postgresql URL for host "library" at DATABASE_URL.');
    expect(scanned.findings.map((f) => f.message).join("\n")).not.toContain("Xk29fa8Lq");
    const reviewed = reviewRepo(BASE, { ...BASE, "app/prod/environment.env": lines("APP_ENV=prod", url) });
    expect(where(reviewed, "secrets/credential-in-url")).toEqual(["secrets/credential-in-url app/prod/environment.env:2:15 new"]);
  });

  it("a .env is not YAML: text that would break a YAML parse is no guard/parse-error, and no other rule reads it", () => {
    const notYaml = lines("# settings", "GREETING=hello: world", "LIST=[a, b", "\tINDENTED=x", "QUOTE=\"unterminated", "- item", "key: value: other");
    const files = { ...BASE, "app/prod/environment.env": notYaml, ".env": notYaml };
    expect(scanRepo(files).findings.filter((f) => f.file.endsWith(".env"))).toEqual([]);
    expect(reviewRepo(BASE, files).findings.filter((f) => f.file.endsWith(".env"))).toEqual([]);
  });

  it("the Policy reviews .env files (paths.exclude still wins); the App's fetch and the CLI's diff both ask it", () => {
    const policy = new Policy(parseConfig({ paths: { exclude: ["legacy/**"] } }, RULE_IDS), ALL_RULES);
    for (const p of [".env", "app/.env", "app/prod.env", "secrets.enc.env", "APP.ENV"]) expect([p, policy.reviews(p)]).toEqual([p, true]);
    for (const p of ["legacy/prod.env", ".envrc", "app/.env.example", "env", "README.md"]) expect([p, policy.reviews(p)]).toEqual([p, false]);
    expect(isEnvPath("app/staging/environment.env")).toBe(true);
  });
});
