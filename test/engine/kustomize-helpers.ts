/** Reviews of in-memory repositories with the Kustomize render on, as the CLI and the App run them. */
import { parseConfig } from "../../src/core/config.js";
import { isEnvPath, isYamlPath } from "../../src/core/policy.js";
import { mapSide } from "../../src/core/repository.js";
import { isJsonPath } from "../../src/parse/json-manifest.js";
import { review, scan, type FileChange, type ReviewResult } from "../../src/core/review.js";
import type { Finding } from "../../src/core/types.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";

export type Files = Record<string, string>;

export const NOW = new Date("2026-11-22T00:00:00Z");

export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

/**
 * The files the adapters (the CLI's diff and scan, the App's fetch) hand over with their content: YAML, `.env`, and
 * `.json` (reviewed when it is a Kubernetes manifest, see json-manifest.ts).
 */
const reviewed = (path: string): boolean => isYamlPath(path) || isEnvPath(path) || isJsonPath(path);

export interface RepoReviewOptions {
  config?: unknown;
  render?: boolean;
  /** The head tree's symbolic links and submodules (RepositorySide.links), as the adapters list them. */
  links?: string[];
  /** The repository under review, `owner/name` (RepositoryView.identity): which Argo CD `repoURL`s are its own. */
  identity?: string;
}

/** What a PR from `base` to `head` changes: YAML, `.env` and `.json` files carry contents (like the adapters), every path is "changed". */
export function changesBetween(base: Files, head: Files): { changes: FileChange[]; changed: string[] } {
  const changes: FileChange[] = [];
  const changed: string[] = [];
  for (const path of new Set([...Object.keys(base), ...Object.keys(head)])) {
    const b = base[path];
    const h = head[path];
    if (b === h) continue;
    changed.push(path);
    if (!reviewed(path)) continue;
    if (b === undefined) changes.push({ path, status: "added", head: h });
    else if (h === undefined) changes.push({ path, status: "removed", base: b });
    else changes.push({ path, status: "modified", base: b, head: h });
  }
  return { changes, changed };
}

/** `review` of a pull request from `base` to `head`, with each side's whole tree. */
export function reviewRepo(base: Files, head: Files, opts: RepoReviewOptions = {}): ReviewResult {
  const { changes, changed } = changesBetween(base, head);
  return review({
    changes,
    config: parseConfig(opts.config ?? {}, RULE_IDS),
    rules: ALL_RULES,
    now: NOW,
    repository: {
      base: mapSide(new Map(Object.entries(base))),
      head: { ...mapSide(new Map(Object.entries(head))), ...(opts.links ? { links: opts.links } : {}) },
      changed,
      ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
    },
    ...(opts.render === false ? { render: false } : {}),
  });
}

/** `scan` of a whole repository (every file new), rendering its roots. */
export function scanRepo(files: Files, opts: RepoReviewOptions = {}): ReviewResult {
  const yaml = Object.entries(files)
    .filter(([p]) => reviewed(p))
    .map(([path, content]) => ({ path, content }));
  return scan(yaml, {
    config: parseConfig(opts.config ?? {}, RULE_IDS),
    rules: ALL_RULES,
    now: NOW,
    repository: { head: mapSide(new Map(Object.entries(files))) },
    ...(opts.render === false ? { render: false } : {}),
  });
}

/** `rule file:line:column status`, for the findings of some rules. */
export function where(r: ReviewResult, ...rules: string[]): string[] {
  return r.findings.filter((f) => rules.length === 0 || rules.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.status}`);
}

export function only(r: ReviewResult, rule: string): Finding[] {
  return r.findings.filter((f) => f.ruleId === rule);
}

/** A Deployment that passes every rule except what a test adds: no tag, no resources, no probes (the overlay's job). */
export const BARE_API = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata:", // 3
  "  name: api", // 4
  "spec:", // 5
  "  selector:", // 6
  "    matchLabels: {app: api}", // 7
  "  template:", // 8
  "    metadata:", // 9
  "      labels: {app: api}", // 10
  "    spec:", // 11
  "      automountServiceAccountToken: false", // 12
  "      securityContext:", // 13
  "        runAsNonRoot: true", // 14
  "        seccompProfile: {type: RuntimeDefault}", // 15
  "      containers:", // 16
  "        - name: api", // 17
  "          image: ghcr.io/acme/api", // 18
  "          securityContext:", // 19
  "            allowPrivilegeEscalation: false", // 20
  "            readOnlyRootFilesystem: true", // 21
  "            capabilities: {drop: [ALL]}", // 22
);

/** The same Deployment, complete: tag, resources and probes in the base. */
export const API = BARE_API.replace(
  "          image: ghcr.io/acme/api\n",
  [
    "          image: ghcr.io/acme/api:1.0.0", // 18
    "          resources:", // 19
    "            requests: {cpu: 100m, memory: 128Mi}", // 20
    "            limits: {memory: 256Mi}", // 21
    "          readinessProbe: {httpGet: {path: /healthz, port: 8080}}", // 22
    "          livenessProbe: {httpGet: {path: /healthz, port: 8080}}", // 23
    "",
  ].join("\n"),
);
// securityContext of the api container is at lines 24-27 of API.

/**
 * An Application of the grafana chart (from its chart repository) whose `helm` block holds `form` (`values: |`,
 * `valuesObject:`) and then `values`, each indented under it: the first value is at line 12.
 */
export const grafanaApplication = (form: string, values: readonly string[]): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata: {name: grafana, namespace: argocd}",
    "spec:",
    "  project: monitoring",
    "  source:",
    "    repoURL: https://grafana.github.io/helm-charts",
    "    chart: grafana",
    "    targetRevision: 7.3.0",
    "    helm:",
    `      ${form}`,
    ...values.map((v) => `        ${v}`),
    "  destination: {name: prod, namespace: monitoring}",
  );

/**
 * A Deployment "web" with one container that passes every pod rule (non-root, no escalation, read-only root, ALL
 * dropped, RuntimeDefault seccomp, resources, probes, no token): only what a test changes in it is found. `image` is
 * at line 12, column 18.
 */
export const hardenedDeployment = (image: string): string =>
  lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web}",
    "spec:",
    "  selector: {matchLabels: {app: web}}",
    "  template:",
    "    metadata: {labels: {app: web}}",
    "    spec:",
    "      automountServiceAccountToken: false",
    "      containers:",
    "        - name: web",
    `          image: ${image}`,
    "          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}",
    "          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}",
    "          livenessProbe: {httpGet: {path: /, port: 80}}",
    "          readinessProbe: {httpGet: {path: /, port: 80}}",
  );
