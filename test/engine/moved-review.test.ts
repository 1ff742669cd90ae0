/**
 * Reviews of pull requests that only move an object to another file of its directory, or rename it (name or
 * namespace): its findings stay `existing` instead of `new` (blocking the merge) plus `fixed`. See src/core/moved.ts.
 */
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../src/core/config.js";
import { mapSide } from "../../src/core/repository.js";
import { review, type FileChange, type ReviewResult } from "../../src/core/review.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import { lines, NOW, reviewRepo, type Files } from "./kustomize-helpers.js";

const PRIV = "k8s/privileged-container";

/** A privileged Deployment (6 findings of the default rules: privileged, root, probes, resources …; the escalation, capabilities and seccomp ones are left to privileged-container). */
const deployment = (name = "api", namespace = "shop", container = name) =>
  lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    "spec:",
    `  selector: {matchLabels: {app: ${name}}}`,
    "  template:",
    `    metadata: {labels: {app: ${name}}}`,
    "    spec:",
    "      containers:",
    `        - name: ${container}`,
    "          image: ghcr.io/acme/api:1.2.3",
    "          securityContext:",
    "            privileged: true",
  );
const service = (name = "api", namespace = "shop") =>
  lines("apiVersion: v1", "kind: Service", "metadata:", `  name: ${name}`, `  namespace: ${namespace}`, "spec:", `  selector: {app: ${name}}`, "  ports: [{port: 80}]");
const both = (d: string, s: string) => `${d}---\n${s}`;

const run = (changes: FileChange[], config: unknown = {}): ReviewResult => review({ changes, config: parseConfig(config, RULE_IDS), rules: ALL_RULES, now: NOW });

/** `status rule file:line`, sorted. */
const statuses = (r: ReviewResult, rule?: string): string[] =>
  r.findings
    .filter((f) => rule === undefined || f.ruleId === rule)
    .map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line}`)
    .sort();
const counts = (r: ReviewResult) => ({ new: r.summary.new, existing: r.summary.existing, fixed: r.summary.fixed });

describe("review of a moved or renamed object", () => {
  it("keeps the findings of a Deployment moved to a new file beside it existing, at their head lines", () => {
    const r = run([
      { path: "app/all.yaml", status: "modified", base: both(deployment(), service()), head: service() },
      { path: "app/deploy.yaml", status: "added", head: deployment() },
    ]);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} app/deploy.yaml:15`]);
    expect(r.conclusion).toBe("success");
  });

  it("keeps the findings of a renamed Deployment (its container renamed too) existing", () => {
    const r = run([{ path: "app/all.yaml", status: "modified", base: both(deployment(), service()), head: both(deployment("api-v2"), service("api-v2")) }]);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(r.findings.every((f) => f.resource.name === "api-v2")).toBe(true);
    expect(r.conclusion).toBe("success");
  });

  it("keeps the findings of an object moved to another namespace existing", () => {
    const r = run([{ path: "app/all.yaml", status: "modified", base: both(deployment(), service()), head: both(deployment("api", "shop2"), service("api", "shop2")) }]);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(r.findings.every((f) => f.resource.namespace === "shop2")).toBe(true);
  });

  it("keeps a Deployment moved from envs/dev to envs/prod new there (and fixed in dev)", () => {
    const r = run([
      { path: "envs/dev/api.yaml", status: "removed", base: deployment() },
      { path: "envs/prod/api.yaml", status: "added", head: deployment() },
    ]);
    expect(counts(r)).toEqual({ new: 6, existing: 0, fixed: 6 });
    expect(statuses(r, PRIV)).toEqual([`fixed ${PRIV} envs/dev/api.yaml:15`, `new ${PRIV} envs/prod/api.yaml:15`]);
    expect(r.conclusion).toBe("failure");
  });

  it("keeps fixed-here-added-there new and fixed: in another directory, and beside it while the object stays", () => {
    const safe = deployment().replace("privileged: true", "privileged: false");
    const elsewhere = run([
      { path: "envs/dev/api.yaml", status: "modified", base: deployment(), head: safe },
      { path: "envs/staging/api.yaml", status: "added", head: deployment() },
    ]);
    expect(statuses(elsewhere, PRIV)).toEqual([`fixed ${PRIV} envs/dev/api.yaml:15`, `new ${PRIV} envs/staging/api.yaml:15`]);
    // The same object (same key) added to a file beside the one that keeps it: the base object is still there.
    const beside = run([
      { path: "app/a.yaml", status: "modified", base: deployment(), head: safe },
      { path: "app/b.yaml", status: "added", head: deployment() },
    ]);
    expect(statuses(beside, PRIV)).toEqual([`fixed ${PRIV} app/a.yaml:15`, `new ${PRIV} app/b.yaml:15`]);
    expect(beside.conclusion).toBe("failure");
  });

  it("reports the risk a rename brings along as new, and only that one", () => {
    const before = deployment().replace("privileged: true", "privileged: false");
    const r = run([{ path: "app/all.yaml", status: "modified", base: before, head: deployment("api-v2") }]);
    // (The base's escalation, capabilities and seccomp findings pair with the head's, which privileged-container stands for: neither fixed nor shown.)
    expect(statuses(r).filter((s) => s.startsWith("new"))).toEqual([`new ${PRIV} app/all.yaml:15`]);
    expect(r.summary.existing).toBe(5);
    expect(r.conclusion).toBe("failure");
  });

  it("keeps a renamed Secret's committed credentials existing (secrets/plaintext-secret)", () => {
    const secret = (name: string) => lines("apiVersion: v1", "kind: Secret", "metadata:", `  name: ${name}`, "  namespace: shop", "stringData:", "  password: Zq8#rT2!vLx9@kPw");
    const r = run([{ path: "app/secret.yaml", status: "modified", base: secret("db"), head: secret("db-v2") }]);
    expect(statuses(r, "secrets/plaintext-secret")).toEqual(["existing secrets/plaintext-secret app/secret.yaml:7"]);
  });

  it("does not guess between two Deployments renamed in one file", () => {
    const base = both(deployment("api"), deployment("web"));
    const head = both(deployment("api-v2"), deployment("web-v2"));
    const r = run([{ path: "app/all.yaml", status: "modified", base, head }]);
    expect(counts(r)).toEqual({ new: 12, existing: 0, fixed: 12 });
  });

  it("pairs an object moved out of a file the pull request also renamed (base findings carry the head path)", () => {
    const r = run([
      { path: "app/services.yaml", previousPath: "app/all.yaml", status: "renamed", base: both(deployment(), service()), head: service() },
      { path: "app/deploy.yaml", status: "added", head: deployment() },
    ]);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
  });

  it("judges a waiver by the head finding: one written for the old file or name no longer matches (the finding is existing)", () => {
    const changes: FileChange[] = [
      { path: "app/all.yaml", status: "modified", base: both(deployment(), service()), head: service() },
      { path: "app/deploy.yaml", status: "added", head: deployment() },
    ];
    const waiver = (path: string, resource: string) => ({ waivers: [{ rule: PRIV, path, resource, reason: "legacy agent", expires: "2027-06-01" }] });
    const old = run(changes, waiver("app/all.yaml", "Deployment/api")).findings.filter((f) => f.ruleId === PRIV);
    expect(old.map((f) => [f.status, f.file, f.suppressed?.by ?? null])).toEqual([["existing", "app/deploy.yaml", null]]);
    const current = run(changes, waiver("app/*.yaml", "Deployment/api")).findings.filter((f) => f.ruleId === PRIV);
    expect(current.map((f) => [f.status, f.suppressed?.by ?? null])).toEqual([["existing", "config"]]);
  });
});

describe("review of a workload whose kind changed in place (trial: a Deployment turned StatefulSet failed the review)", () => {
  const asKind = (text: string, apiVersion: string, kind: string) => text.replace("apiVersion: apps/v1\nkind: Deployment", `apiVersion: ${apiVersion}\nkind: ${kind}`);

  it.each([
    ["apps/v1", "StatefulSet"],
    ["argoproj.io/v1alpha1", "Rollout"],
    ["apps/v1", "DaemonSet"],
  ])("keeps the findings of a Deployment turned into %s %s existing, at their head lines", (apiVersion, kind) => {
    const r = run([{ path: "app/all.yaml", status: "modified", base: both(deployment(), service()), head: both(asKind(deployment(), apiVersion, kind), service()) }]);
    expect(r.findings.filter((f) => f.status !== "existing").map((f) => `${f.status} ${f.ruleId}`)).toEqual([]);
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} app/all.yaml:15`]);
    expect(r.findings.find((f) => f.ruleId === PRIV)?.resource.kind).toBe(kind);
    expect(r.conclusion).toBe("success");
  });

  it("reports the risk the kind change brings along as new, and only that one", () => {
    const head = asKind(deployment(), "apps/v1", "StatefulSet").replace("    spec:\n", "    spec:\n      hostNetwork: true\n");
    const r = run([{ path: "app/all.yaml", status: "modified", base: deployment(), head }]);
    expect(r.findings.filter((f) => f.status !== "existing").map((f) => `${f.status} ${f.ruleId}`)).toEqual(["new k8s/host-namespaces"]);
    expect(r.conclusion).toBe("failure");
  });

  it("keeps the findings of a root's workload existing when its kind changes in the file the root reads", () => {
    const kustomization = lines("resources:", "  - all.yaml");
    const r = reviewRepo({ "app/kustomization.yaml": kustomization, "app/all.yaml": deployment() }, { "app/kustomization.yaml": kustomization, "app/all.yaml": asKind(deployment(), "apps/v1", "StatefulSet") });
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} app/all.yaml:15`]);
  });
});

describe("review of a container renamed in its object", () => {
  /** The Deployment with a second container, `name`, after the first. */
  const withSidecar = (d: string, name: string) => `${d}        - name: ${name}\n          image: ghcr.io/acme/proxy:1.0.0\n`;

  it("keeps the findings of a container renamed where it is existing (trial: a new critical blocked the merge)", () => {
    const r = run([{ path: "app/api.yaml", status: "modified", base: deployment("api", "shop", "api"), head: deployment("api", "shop", "server") }]);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} app/api.yaml:15`]);
    expect(r.findings.filter((f) => f.path.includes("containers")).every((f) => f.message.includes('"server"'))).toBe(true);
    expect(r.conclusion).toBe("success");
  });

  it("pairs the second container renamed at its index while the first stays", () => {
    const r = run([{ path: "app/api.yaml", status: "modified", base: withSidecar(deployment(), "proxy"), head: withSidecar(deployment(), "envoy") }]);
    expect(r.summary.new).toBe(0);
    expect(r.summary.fixed).toBe(0);
  });

  it("reports the risk the renamed container brings along as new, and only that one", () => {
    const head = deployment("api", "shop", "server").replace("privileged: true", "privileged: true\n            capabilities: {add: [SYS_ADMIN]}");
    const r = run([{ path: "app/api.yaml", status: "modified", base: deployment(), head }]);
    expect(statuses(r).filter((s) => !s.startsWith("existing"))).toEqual(["new k8s/dangerous-capabilities app/api.yaml:16"]);
  });

  it("keeps a container added beside one that stays new", () => {
    const r = run([{ path: "app/api.yaml", status: "modified", base: deployment(), head: withSidecar(deployment(), "proxy") }]);
    expect(r.summary.fixed).toBe(0);
    expect(r.summary.existing).toBe(6);
    expect(r.summary.new).toBeGreaterThan(0);
    expect(r.findings.filter((f) => f.status === "new").every((f) => f.path.startsWith("spec.template.spec.containers[1]"))).toBe(true);
  });
});

describe("review of a moved or renamed object, with the Kustomize render", () => {
  const kustomization = (...extra: string[]) => lines("resources:", "  - all.yaml", ...extra);

  it("keeps the findings of a root's objects existing when the root renames them (namePrefix)", () => {
    const base = { "app/kustomization.yaml": kustomization(), "app/all.yaml": deployment() };
    const head = { "app/kustomization.yaml": kustomization("namePrefix: prod-"), "app/all.yaml": deployment() };
    const r = reviewRepo(base, head);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(r.findings.every((f) => f.resource.name === "prod-api")).toBe(true);
  });

  it("keeps a file's object existing when a kustomization of the same directory now renders it from another file", () => {
    // On the base side nothing renders (no file the head's root reads was there): all.yaml is judged on its own.
    const base = { "app/all.yaml": deployment() };
    const head = { "app/kustomization.yaml": lines("resources:", "  - deploy.yaml"), "app/deploy.yaml": deployment() };
    const r = reviewRepo(base, head);
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} app/deploy.yaml:15`]);
  });

  it("keeps the findings of several Deployments existing when the root adds a namePrefix (each by where it was written)", () => {
    const files = { "app/api.yaml": deployment("api"), "app/web.yaml": deployment("web") };
    const base = { ...files, "app/kustomization.yaml": lines("resources:", "  - api.yaml", "  - web.yaml") };
    const head = { ...files, "app/kustomization.yaml": lines("resources:", "  - api.yaml", "  - web.yaml", "namePrefix: prod-") };
    const r = reviewRepo(base, head);
    expect(counts(r)).toEqual({ new: 0, existing: 12, fixed: 0 });
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} app/api.yaml:15`, `existing ${PRIV} app/web.yaml:15`]);
  });

  /** A review of `base` → `head` where git saw the files of `renamed` (head path → base path) renamed. */
  const reviewRenamed = (base: Record<string, string>, head: Record<string, string>, renamed: Record<string, string>): ReviewResult => {
    const changes: FileChange[] = Object.entries(renamed).map(([path, previousPath]) => ({ path, previousPath, status: "renamed", base: base[previousPath], head: head[path] }));
    for (const path of Object.keys(head)) if (!(path in renamed) && base[path] !== head[path]) changes.push(base[path] === undefined ? { path, status: "added", head: head[path] } : { path, status: "modified", base: base[path], head: head[path] });
    const changed = changes.flatMap((c) => [c.path, ...(c.previousPath ? [c.previousPath] : [])]);
    const repository = { base: mapSide(new Map(Object.entries(base))), head: mapSide(new Map(Object.entries(head))), changed };
    return review({ changes, config: parseConfig({}, RULE_IDS), rules: ALL_RULES, now: NOW, repository });
  };

  it("keeps the findings of several Deployments in one file existing when the root changes their namespace", () => {
    const all = both(deployment("api"), deployment("web"));
    const r = reviewRepo({ "app/kustomization.yaml": kustomization("namespace: shop"), "app/all.yaml": all }, { "app/kustomization.yaml": kustomization("namespace: shop2"), "app/all.yaml": all });
    expect(counts(r)).toEqual({ new: 0, existing: 12, fixed: 0 });
    expect(r.findings.every((f) => f.resource.namespace === "shop2")).toBe(true);
  });

  it("pairs a rename in a root the pull request moves to another directory (base findings carry the head root)", () => {
    const base = { "app/kustomization.yaml": kustomization(), "app/all.yaml": deployment() };
    const head = { "svc/kustomization.yaml": kustomization(), "svc/all.yaml": deployment("api-v2") };
    const r = reviewRenamed(base, head, { "svc/kustomization.yaml": "app/kustomization.yaml", "svc/all.yaml": "app/all.yaml" });
    expect(counts(r)).toEqual({ new: 0, existing: 6, fixed: 0 });
    expect(statuses(r, PRIV)).toEqual([`existing ${PRIV} svc/all.yaml:15`]);
  });

  it("knows where a root's objects were written when the pull request renames those files too", () => {
    const base = { "app/api.yaml": deployment("api"), "app/web.yaml": deployment("web"), "app/kustomization.yaml": lines("resources:", "  - api.yaml", "  - web.yaml") };
    const head = { "app/deploy-api.yaml": deployment("api"), "app/deploy-web.yaml": deployment("web"), "app/kustomization.yaml": lines("resources:", "  - deploy-api.yaml", "  - deploy-web.yaml", "namePrefix: prod-") };
    const r = reviewRenamed(base, head, { "app/deploy-api.yaml": "app/api.yaml", "app/deploy-web.yaml": "app/web.yaml" });
    expect(counts(r)).toEqual({ new: 0, existing: 12, fixed: 0 });
  });

  it("keeps an object an overlay starts rendering in another directory new", () => {
    const base = { "base/kustomization.yaml": lines("resources:", "  - all.yaml"), "base/all.yaml": service(), "other/api.yaml": deployment() };
    const head = { "base/kustomization.yaml": lines("resources:", "  - all.yaml", "  - api.yaml"), "base/all.yaml": service(), "base/api.yaml": deployment() };
    const r = reviewRepo(base, head);
    expect(statuses(r, PRIV)).toEqual([`fixed ${PRIV} other/api.yaml:15`, `new ${PRIV} base/api.yaml:15`]);
  });
});

describe("a list of one unnamed item that a pull request grows to two (or shrinks back)", () => {
  const role = (...extra: string[]) =>
    lines("apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRole", "metadata: {name: ops}", "rules:", '  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}', ...extra);
  const readRule = '  - {apiGroups: [""], resources: ["configmaps"], verbs: ["get"]}';

  it("keeps the wildcard rule's finding existing: its identity is its fields, with one item as with two", () => {
    const one: Files = { "rbac/ops.yaml": role() };
    const two: Files = { "rbac/ops.yaml": role(readRule) };
    for (const [base, head] of [
      [one, two],
      [two, one],
    ] as const) {
      const r = reviewRepo(base, head);
      expect(r.findings.filter((f) => f.ruleId === "rbac/wildcard-permissions").map((f) => f.status)).toEqual(["existing"]);
      expect(r.conclusion).toBe("success");
    }
  });
});
