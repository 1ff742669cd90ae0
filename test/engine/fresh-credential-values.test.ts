/**
 * A plaintext credential whose value the pull request changes or adds is `new`, though its finding keeps its identity
 * (held-out round 19: a password rotated to another literal, a third credential added to a plaintext Secret, were
 * `existing` and the review passed). Reformatting, reordering, re-encoding, renaming, or moving the same value keeps
 * it `existing`.
 */
import { describe, expect, it } from "@jest/globals";
import { grafanaApplication, lines, reviewRepo, where, type Files } from "./kustomize-helpers.js";

const PLAIN = "secrets/plaintext-secret";
const CONFIG = "secrets/sensitive-config-value";
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

const secret = (name: string, data: string[], section = "stringData"): string =>
  lines("apiVersion: v1", "kind: Secret", `metadata: {name: ${name}, namespace: app}`, "type: Opaque", `${section}:`, ...data.map((d) => `  ${d}`));
const kustomization = (...body: string[]): string => lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", ...body);

/** The statuses of a rule's findings, with the review's conclusion. */
const statuses = (base: Files, head: Files, ...rules: string[]): { where: string[]; conclusion: string } => {
  const r = reviewRepo(base, head);
  return { where: where(r, ...(rules.length > 0 ? rules : [PLAIN])), conclusion: r.conclusion };
};

describe("a plaintext Secret's credential values", () => {
  const base: Files = { "app/secret.yaml": secret("db", ["username: app", "password: Zq8vN3xT6wLm", "api-token: 7c2e9a4b1f6d48e3"]) };

  it("rotated to another plaintext value: new, and the base finding is not fixed", () => {
    const head = { "app/secret.yaml": secret("db", ["username: app", "password: Hk4pW9sX2vNq", "api-token: 7c2e9a4b1f6d48e3"]) };
    expect(statuses(base, head)).toEqual({ where: [`${PLAIN} app/secret.yaml:7:13 new`], conclusion: "failure" });
  });

  it("a credential added beside the others: new", () => {
    const head = { "app/secret.yaml": secret("db", ["username: app", "password: Zq8vN3xT6wLm", "api-token: 7c2e9a4b1f6d48e3", "smtp-password: Wq3rT8vZ2mPx"]) };
    expect(statuses(base, head).where).toEqual([`${PLAIN} app/secret.yaml:7:13 new`]);
  });

  it("reformatted, reordered, or re-encoded as base64 data of the same values: existing", () => {
    const reformatted = { "app/secret.yaml": secret("db", ['username: "app"', "password: 'Zq8vN3xT6wLm'", "api-token:   7c2e9a4b1f6d48e3"]) };
    const reordered = { "app/secret.yaml": secret("db", ["api-token: 7c2e9a4b1f6d48e3", "password: Zq8vN3xT6wLm", "username: app"]) };
    const encoded = { "app/secret.yaml": secret("db", [`username: ${b64("app")}`, `password: ${b64("Zq8vN3xT6wLm")}`, `api-token: ${b64("7c2e9a4b1f6d48e3")}`], "data") };
    const cases: Array<[Files, string]> = [[reformatted, "7:13"], [reordered, "6:14"], [encoded, "7:13"]];
    for (const [head, at] of cases) expect(statuses(base, head)).toEqual({ where: [`${PLAIN} app/secret.yaml:${at} existing`], conclusion: "success" });
  });

  it("the Secret renamed and its password rotated: new, and the old Secret is not shown as fixed", () => {
    const head = { "app/secret.yaml": secret("database", ["username: app", "password: Hk4pW9sX2vNq", "api-token: 7c2e9a4b1f6d48e3"]) };
    expect(statuses(base, head)).toEqual({ where: [`${PLAIN} app/secret.yaml:7:13 new`], conclusion: "failure" });
  });

  it("a credential removed among others: existing, nothing fixed", () => {
    const head = { "app/secret.yaml": secret("db", ["username: app", "password: Zq8vN3xT6wLm"]) };
    expect(statuses(base, head).where).toEqual([`${PLAIN} app/secret.yaml:7:13 existing`]);
  });

  it("its file renamed, or a non-credential key changed: existing", () => {
    expect(statuses(base, { "app/db-secret.yaml": base["app/secret.yaml"]! }).where).toEqual([`${PLAIN} app/db-secret.yaml:7:13 existing`]);
    const head = { "app/secret.yaml": secret("db", ["username: reporting", "password: Zq8vN3xT6wLm", "api-token: 7c2e9a4b1f6d48e3"]) };
    expect(statuses(base, head).where).toEqual([`${PLAIN} app/secret.yaml:7:13 existing`]);
  });

  it("moved from a Secret in one file to a secretGenerator literal in another: existing", () => {
    const withSecret: Files = {
      "app/kustomization.yaml": kustomization("resources: [secret.yaml]"),
      "app/secret.yaml": secret("db", ["password: Zq8vN3xT6wLm"]),
    };
    const withGenerator: Files = {
      "app/kustomization.yaml": kustomization("secretGenerator:", "  - name: db", "    literals: [password=Zq8vN3xT6wLm]"),
    };
    expect(statuses(withSecret, withGenerator)).toEqual({ where: [`${PLAIN} app/kustomization.yaml:5:16 existing`], conclusion: "success" });
  });

  it("a secretGenerator literal changed to another value: new", () => {
    const gen = (value: string): Files => ({
      "app/kustomization.yaml": kustomization("secretGenerator:", "  - name: db", `    literals: [username=app, password=${value}]`),
    });
    expect(statuses(gen("Zq8vN3xT6wLm"), gen("Hk4pW9sX2vNq"))).toEqual({ where: [`${PLAIN} app/kustomization.yaml:5:30 new`], conclusion: "failure" });
  });
});

const grafanaApp = (form: string, values: string[]): Files => ({ "apps/grafana.yaml": grafanaApplication(form, values) });

describe("a credential inside a config file a Secret holds", () => {
  const config = (logLevel: string, password: string): Files => ({
    "app/secret.yaml": secret("app-config", ["config.yaml: |", `  log_level: ${logLevel}`, "  database:", "    user: app", `    password: ${password}`]),
  });
  const base = config("info", "Zq8vN3xT6wLm");

  it("another line of the file edited: existing (the review passes)", () => {
    expect(statuses(base, config("debug", "Zq8vN3xT6wLm"))).toEqual({ where: [`${PLAIN} app/secret.yaml:10:7 existing`], conclusion: "success" });
  });

  it("the password in the file rotated: new", () => {
    expect(statuses(base, config("info", "Hk4pW9sX2vNq"))).toEqual({ where: [`${PLAIN} app/secret.yaml:10:7 new`], conclusion: "failure" });
  });
});

describe("a credential in configuration changed to another literal", () => {
  it("a ConfigMap key: new", () => {
    const cm = (value: string): Files => ({
      "app/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: app-config, namespace: app}", "data:", `  DB_PASSWORD: ${value}`),
    });
    const r = statuses(cm("Zq8vN3xT6wLm"), cm("Hk4pW9sX2vNq"), CONFIG);
    expect(r).toEqual({ where: [`${CONFIG} app/cm.yaml:5:16 new`], conclusion: "failure" });
  });

  it("an Application's inline values string rewritten as valuesObject, the password the same: existing", () => {
    const app = grafanaApp;
    const r = statuses(app("values: |", ['adminPassword: "Zq8vN3xT6wLm"']), app("valuesObject:", ["adminPassword: 'Zq8vN3xT6wLm'"]), CONFIG);
    expect(r).toEqual({ where: [`${CONFIG} apps/grafana.yaml:12:24 existing`], conclusion: "success" });
  });

  it("a password inside an Application's inline values string: new when rotated, existing when another line changes", () => {
    const app = (replicas: number, password: string): Files => grafanaApp("values: |", [`replicas: ${replicas}`, `adminPassword: ${password}`]);
    const base = app(1, "Zq8vN3xT6wLm");
    expect(statuses(base, app(1, "Hk4pW9sX2vNq"), CONFIG)).toEqual({ where: [`${CONFIG} apps/grafana.yaml:13:9 new`], conclusion: "failure" });
    expect(statuses(base, app(2, "Zq8vN3xT6wLm"), CONFIG)).toEqual({ where: [`${CONFIG} apps/grafana.yaml:13:9 existing`], conclusion: "success" });
    expect(statuses(base, app(1, '"Zq8vN3xT6wLm"'), CONFIG)).toEqual({ where: [`${CONFIG} apps/grafana.yaml:13:9 existing`], conclusion: "success" });
  });

  it("a Helm values password: new", () => {
    const application = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: db, namespace: argocd}",
      "spec:",
      "  project: platform",
      "  sources:",
      "    - repoURL: https://charts.bitnami.com/bitnami",
      "      chart: postgresql",
      "      targetRevision: 15.5.0",
      "      helm:",
      "        valueFiles: [$values/apps/db/values.yaml]",
      "    - {repoURL: https://github.com/acme/gitops.git, targetRevision: main, ref: values}",
      "  destination: {name: prod, namespace: db}",
    );
    const repo = (value: string): Files => ({ "apps/db-app.yaml": application, "apps/db/values.yaml": lines("auth:", `  password: ${value}`) });
    const r = statuses(repo("Zq8vN3xT6wLm"), repo("Hk4pW9sX2vNq"), CONFIG);
    expect(r).toEqual({ where: [`${CONFIG} apps/db/values.yaml:2:13 new`], conclusion: "failure" });
  });
});

describe("argocd-cm repositories merged by a configMapGenerator literal (argocd-autopilot's bootstrap)", () => {
  const repo = (entry: string[]): Files => ({
    "bootstrap/argo-cd/kustomization.yaml": kustomization(
      "namespace: argocd",
      "configMapGenerator:",
      "- behavior: merge",
      "  literals:",
      "  - |",
      ...entry.map((l) => `    ${l}`),
      "  name: argocd-cm",
      "resources: [argocd-cm.yaml]",
    ),
    "bootstrap/argo-cd/argocd-cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: argocd-cm}", "data:", "  timeout.reconciliation: 180s"),
  });
  const references = (url: string): string[] => ["repository.credentials=- passwordSecret:", "    key: git_token", "    name: autopilot-secret", `  url: ${url}`, "  usernameSecret:", "    key: git_username", "    name: autopilot-secret"];

  it("Secret references only: quiet, and a PR narrowing the url passes (held-out round 21: a false blocking finding)", () => {
    expect(statuses({}, repo(references("https://github.com/")), CONFIG)).toEqual({ where: [], conclusion: "success" });
    expect(statuses(repo(references("https://github.com/")), repo(references("https://github.com/acme")), CONFIG)).toEqual({ where: [], conclusion: "success" });
  });

  it("an inline password in the list: new, at its line in the literal", () => {
    const inline = ["repository.credentials=- url: https://git.example.com/team", "  username: deploy", "  password: Xq7-made-up-Pw9"];
    expect(statuses({}, repo(inline), CONFIG)).toEqual({ where: [`${CONFIG} bootstrap/argo-cd/kustomization.yaml:10:7 new`], conclusion: "failure" });
  });
});
