/**
 * The CLI knows which repository it reviews from `--repo-url`, else from the git work tree's `origin` remote: an Argo CD
 * Application of another repository (here `acme/payments`) pointing at `deploy/prod` does not make this repository's
 * `deploy/prod` (a base of an overlay that pins its image) an applied root. Without a remote nor `--repo-url`, every
 * source counts, as before.
 */
import { describe, expect, it } from "@jest/globals";
import { cli, git, tree } from "./helpers/cli.js";
import { API, lines } from "./engine/kustomize-helpers.js";

const UNTAGGED = API.replace("image: ghcr.io/acme/api:1.0.0", "image: ghcr.io/acme/api");
const TREE = {
  "deploy/prod/deployment.yaml": UNTAGGED,
  "deploy/prod/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  "overlays/eu/kustomization.yaml": lines("resources:", "  - ../../deploy/prod", "images:", "  - name: ghcr.io/acme/api", "    newTag: 1.2.3"),
};
const APPLICATION = lines(
  "apiVersion: argoproj.io/v1alpha1",
  "kind: Application",
  "metadata: {name: payments, namespace: argocd}",
  "spec:",
  "  project: payments",
  "  destination: {server: https://kubernetes.default.svc, namespace: payments}",
  "  source:",
  "    repoURL: https://github.com/acme/payments.git",
  "    targetRevision: main",
  "    path: deploy/prod",
);
/** The finding only a render of deploy/prod itself gives (the overlay pins the image). */
const BASE_FINDING = "image/mutable-tag deploy/prod/deployment.yaml:18";

const found = (stdout: string): string[] =>
  (JSON.parse(stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> }).findings.filter((f) => f.ruleId === "image/mutable-tag").map((f) => `${f.ruleId} ${f.file}:${f.line}`);

/** A git repository: `main` holds the tree, `feature` adds the Application. */
function repository(): string {
  const dir = tree(TREE);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "main");
  git(dir, "checkout", "-qb", "feature");
  tree({ "apps/payments.yaml": APPLICATION }, dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "feature");
  return dir;
}

describe("the CLI's repository identity", () => {
  it("scan: the origin remote names another repository than the Application's: deploy/prod is judged through its overlay only", async () => {
    const dir = repository();
    expect(found((await cli(["scan", ".", "--format", "json"], dir)).stdout)).toEqual([BASE_FINDING]);
    git(dir, "remote", "add", "origin", "https://github.com/acme/other.git");
    expect(found((await cli(["scan", ".", "--format", "json"], dir)).stdout)).toEqual([]);
    // The Application's own repository, in another URL form: a root again.
    git(dir, "remote", "set-url", "origin", "git@github.com:Acme/Payments.git");
    expect(found((await cli(["scan", "deploy", "apps", "--format", "json"], dir)).stdout)).toEqual([BASE_FINDING]);
  });

  it("review of git refs: the origin remote, or --repo-url first", async () => {
    const dir = repository();
    const args = ["review", "--base", "main", "--head", "feature", "--repo", dir, "--format", "json"];
    expect(found((await cli(args, dir)).stdout)).toEqual([`${BASE_FINDING}`]);
    git(dir, "remote", "add", "origin", "https://github.com/acme/other.git");
    expect(found((await cli(args, dir)).stdout)).toEqual([]);
    expect(found((await cli([...args, "--repo-url", "https://github.com/acme/payments"], dir)).stdout)).toEqual([BASE_FINDING]);
    git(dir, "remote", "remove", "origin");
    expect(found((await cli([...args, "--repo-url", "https://github.com/acme/other"], dir)).stdout)).toEqual([]);
  });
});
