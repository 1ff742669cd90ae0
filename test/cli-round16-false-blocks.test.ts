/**
 * `review` in git mode on pull requests where the round-16 hunt found false blocking `guard/parse-error`s: builds
 * `kubectl kustomize` (and Argo CD) run, reported as no longer building because the review read or judged them wrong.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../src/cli/main.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });

type Files = Record<string, string | null>;

interface Report {
  conclusion: string;
  findings: Array<{ ruleId: string; file: string; line: number; status: string; message: string }>;
  notes?: string[];
}

/** Writes (or, for null, deletes) files in a work tree. */
function write(repo: string, files: Files): void {
  for (const [p, content] of Object.entries(files)) {
    if (content === null) rmSync(join(repo, p), { force: true });
    else {
      mkdirSync(dirname(join(repo, p)), { recursive: true });
      writeFileSync(join(repo, p), content);
    }
  }
}

/** A repository with `base` committed on `baseBranch` and `head`'s changes on branch `pr`. */
function pullRequest(base: Files, head: Files, baseBranch = "main"): string {
  const repo = mkdtempSync(join(tmpdir(), "gg-fp16-"));
  git(repo, "init", "-q", "-b", baseBranch);
  git(repo, "remote", "add", "origin", "https://github.com/acme/deploy.git");
  write(repo, base);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  git(repo, "checkout", "-qb", "pr");
  write(repo, head);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "pr");
  return repo;
}

async function reviewOf(repo: string, baseRef = "main"): Promise<Report> {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d) => (out += String(d)));
  await main(["review", "--repo", repo, "--base", baseRef, "--head", "pr", "--format", "json"], { stdout, stderr: new PassThrough(), cwd: repo, env: {} });
  return JSON.parse(out) as Report;
}

const blocking = (r: Report): string[] => r.findings.filter((f) => f.ruleId === "guard/parse-error" && f.status === "new").map((f) => `${f.file}:${f.line}`);

const DEPLOYMENT = lines(
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata: {name: web}",
  "spec:",
  "  selector: {matchLabels: {app: web}}",
  "  template:",
  "    metadata: {labels: {app: web}}",
  "    spec:",
  "      containers:",
  "        - name: web",
  "          image: registry.example.com/web:1.2.3",
);

const application = (path: string, extra: string[] = [], name = "web", targetRevision = "HEAD"): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    `metadata: {name: ${name}, namespace: argocd}`,
    "spec:",
    "  project: web",
    "  source:",
    "    repoURL: https://github.com/acme/deploy.git",
    `    targetRevision: ${targetRevision}`,
    `    path: ${path}`,
    ...extra,
    "  destination: {name: prod, namespace: web}",
  );

const components: Files = {
  "base/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  "base/deployment.yaml": DEPLOYMENT,
  "components/hardening/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patches:", "  - path: patch.yaml"),
  "components/hardening/patch.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      automountServiceAccountToken: false"),
  "overlays/argo/kustomization.yaml": lines("resources:", "  - ../../base"),
  "argocd/web.yaml": application("overlays/argo"),
};

describe("round 16: false blocking findings", () => {
  it("a component added only by an Application's kustomize.components: its files are read, the build is not broken", async () => {
    const repo = pullRequest(components, { "argocd/web.yaml": application("overlays/argo", ["    kustomize:", "      components:", "        - ../../components/hardening"]) });
    const r = await reviewOf(repo);
    expect(blocking(r)).toEqual([]);
    expect(r.conclusion).toBe("success");
    // Rendered with the component, not judged file by file.
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: overlays/argo with the kustomize overrides of Application argocd/web");
  });

  it("an overlay drops the component an Application's overrides still add: the component's files are read on the head", async () => {
    const withOverlay: Files = {
      ...components,
      "overlays/argo/kustomization.yaml": lines("resources:", "  - ../../base", "components:", "  - ../../components/hardening"),
      "argocd/web.yaml": application("overlays/argo", ["    kustomize:", "      components:", "        - ../../components/hardening"]),
    };
    const repo = pullRequest(withOverlay, {
      "overlays/argo/kustomization.yaml": lines("resources:", "  - ../../base"),
      "argocd/web.yaml": application("overlays/argo", ["    kustomize:", "      components:", "        - ../../components/hardening"], "web-prod"),
    });
    const r = await reviewOf(repo);
    expect(blocking(r)).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: overlays/argo with the kustomize overrides of Application argocd/web-prod");
  });

  it("spec.source beside a non-empty spec.sources is ignored by Argo CD: deleting its directory blocks nothing", async () => {
    const app = lines(
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: {name: web, namespace: argocd}",
      "spec:",
      "  project: web",
      "  source: {repoURL: https://github.com/acme/deploy.git, targetRevision: HEAD, path: apps/legacy}",
      "  sources:",
      "    - {repoURL: https://github.com/acme/deploy.git, targetRevision: HEAD, path: apps/web}",
      "  destination: {name: prod, namespace: web}",
    );
    const cm = (name: string) => lines("apiVersion: v1", "kind: ConfigMap", `metadata: {name: ${name}}`, "data: {a: '1'}");
    const repo = pullRequest({ "argocd/web.yaml": app, "apps/legacy/cm.yaml": cm("legacy"), "apps/web/cm.yaml": cm("web") }, { "apps/legacy/cm.yaml": null });
    const r = await reviewOf(repo);
    expect(r.findings.filter((f) => f.status === "new")).toEqual([]);
    expect(r.conclusion).toBe("success");
    // Deleting the directory of a source Argo CD reads still blocks.
    const used = pullRequest({ "argocd/web.yaml": app, "apps/legacy/cm.yaml": cm("legacy"), "apps/web/cm.yaml": cm("web") }, { "apps/web/cm.yaml": null });
    expect((await reviewOf(used)).conclusion).toBe("failure");
  });

  it("a pull request into another branch than the one an Application at HEAD follows: its deleted path is a note", async () => {
    const files: Files = { ...components, "overlays/argo/kustomization.yaml": lines("resources:", "  - ../../base") };
    const develop = pullRequest(files, { "overlays/argo/kustomization.yaml": null }, "develop");
    const r = await reviewOf(develop, "develop");
    expect(r.findings.filter((f) => f.status === "new" && f.ruleId === "guard/parse-error")).toEqual([]);
    expect(r.notes?.some((n) => n.includes('points at path "overlays/argo", but this pull request removes that directory'))).toBe(true);
    // Into main (the branch HEAD names here), it blocks.
    const main = pullRequest(files, { "overlays/argo/kustomization.yaml": null });
    expect(blocking(await reviewOf(main))).toEqual(["argocd/web.yaml:9"]);
  });
});
