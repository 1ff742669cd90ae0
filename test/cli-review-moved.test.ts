/**
 * `review --repo` of branches that only move or rename an object (git sees no rename of the file: the file keeps
 * another object): the object's findings stay existing and the review passes. See src/core/moved.ts.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, git, tree } from "./helpers/cli.js";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.2.3
          securityContext:
            privileged: true
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports: [{port: 80}]
`;

interface Json {
  summary: { new: number; existing: number; fixed: number };
  findings: Array<{ status: string; ruleId: string; file: string; line: number }>;
}

/** A repository whose `main` holds app/all.yaml (the Deployment and the Service); each branch edits it from there. */
function repository(branches: Record<string, (dir: string) => void>): string {
  const repo = tree({ "app/all.yaml": `${DEPLOYMENT}---\n${SERVICE}` });
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "base");
  for (const [branch, edit] of Object.entries(branches)) {
    git(repo, "checkout", "-q", "-b", branch, "main");
    edit(repo);
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", branch);
  }
  return repo;
}

async function reviewOf(repo: string, head: string): Promise<{ code: number; json: Json }> {
  const r = await cli(["review", "--repo", repo, "--base", "main", "--head", head, "--format", "json"]);
  return { code: r.code, json: JSON.parse(r.stdout) as Json };
}

const privileged = (json: Json) => json.findings.filter((f) => f.ruleId === "k8s/privileged-container").map((f) => `${f.status} ${f.file}:${f.line}`);

describe("gitops-guard review of a refactor that moves or renames an object", () => {
  const write = (dir: string, path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const repo = repository({
    move: (d) => {
      write(d, "app/all.yaml", SERVICE);
      write(d, "app/deploy.yaml", DEPLOYMENT);
    },
    rename: (d) => write(d, "app/all.yaml", `${DEPLOYMENT}---\n${SERVICE}`.replaceAll("name: api", "name: api-v2")),
    ns: (d) => write(d, "app/all.yaml", `${DEPLOYMENT}---\n${SERVICE}`.replaceAll("namespace: shop", "namespace: shop2")),
    split: (d) => {
      git(d, "mv", "app/all.yaml", "app/deploy.yaml");
      write(d, "app/deploy.yaml", DEPLOYMENT);
      write(d, "app/svc.yaml", SERVICE);
    },
    prod: (d) => {
      write(d, "app/all.yaml", SERVICE);
      write(d, "envs/prod/deploy.yaml", DEPLOYMENT);
    },
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it.each([
    ["move", "app/deploy.yaml:15"],
    ["rename", "app/all.yaml:15"],
    ["ns", "app/all.yaml:15"],
    ["split", "app/deploy.yaml:15"],
  ])("%s: every finding of the Deployment is existing, at its head line, and the review passes", async (branch, at) => {
    const { code, json } = await reviewOf(repo, branch);
    expect(json.summary).toMatchObject({ new: 0, existing: 6, fixed: 0 });
    expect(privileged(json)).toEqual([`existing ${at}`]);
    expect(code).toBe(0);
  });

  it("a Deployment moved to another directory is new there and fixed where it was", async () => {
    const { code, json } = await reviewOf(repo, "prod");
    expect(json.summary).toMatchObject({ new: 6, existing: 0, fixed: 6 });
    expect(privileged(json).sort()).toEqual(["fixed app/all.yaml:15", "new envs/prod/deploy.yaml:15"]);
    expect(code).toBe(1);
  });
});
