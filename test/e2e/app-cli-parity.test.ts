/**
 * End to end: the GitHub App gives the CLI's answer on a small overlay layout in a real git repository — the fast
 * sibling of app-cli-parity.long.ts. Each `pr-*` branch is opened as a pull request on the fake GitHub (both commits,
 * the file list as `git diff --find-renames main...pr` reports it), reviewed by the real server from a signed webhook,
 * and its check run, annotations, summary comment and audit record are compared with `gitops-guard review --format json`
 * (findings, lines, statuses, messages with the overlays they were rendered from, fingerprints, conclusion), within the
 * request budget. Needs the build (`bin/gitops-guard.js` runs dist/).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gitPrs, scratchRepo, type ScratchRepo } from "./git-pr.js";
import { startParityRig, type ParityRig, type ParityRow } from "./parity.js";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.k8s.io/web:1.2.3
          securityContext:
            allowPrivilegeEscalation: true
`;

const CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
data:
  timeout.reconciliation: 180s
`;

const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: registry.k8s.io/busybox:1.36\n";
const PRIVILEGED_POD = `${POD}      securityContext:\n        privileged: true\n`;
const KYVERNO_TEST = "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: disallow-privileged\nresources:\n  - resource.yaml\n";

let dir: string;
let rig: ParityRig;

let repo: ScratchRepo;
const git = (...args: string[]): void => repo.git(...args);
const write = (files: Record<string, string>): void => repo.write(files);
const branch = (name: string, change: () => void): void => repo.branch(name, change);

beforeAll(async () => {
  repo = scratchRepo("gitops-guard-parity-");
  dir = repo.dir;
  write({
    // The repository's own config: read once (no org-wide lookup), as the request budget assumes.
    ".github/gitops-guard.yml": "failOn: high\n",
    "apps/web/base/deployment.yaml": DEPLOY,
    "apps/web/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "apps/web/overlays/staging/kustomization.yaml": "resources:\n  - ../../base\nnamespace: web-staging\n",
    "apps/web/overlays/prod/kustomization.yaml": "resources:\n  - ../../base\nnamespace: web-prod\n",
    "argocd/base/argocd-cm.yaml": CM,
    "argocd/base/kustomization.yaml": "resources:\n  - argocd-cm.yaml\n",
    "argocd/overlays/prod/kustomization.yaml":
      "namespace: argocd\nresources:\n  - ../../base\ngeneratorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n  - name: argocd-cm\n    behavior: merge\n    envs:\n      - argocd-cm.env\n",
    "argocd/overlays/prod/argocd-cm.env": "timeout.reconciliation=180s\n",
    // A Kyverno CLI test and its input (a fixture), and a plain directory of manifests.
    "policies/disallow-privileged/kyverno-test.yaml": KYVERNO_TEST,
    "policies/disallow-privileged/resource.yaml": POD,
    "apps/raw/pod.yaml": POD,
  });
  git("add", "-A");
  git("commit", "-q", "-m", "main");
  // Only a generator's .env changes: the render's findings, nothing reviewed on its own.
  branch("pr-env-only", () => write({ "argocd/overlays/prod/argocd-cm.env": "timeout.reconciliation=180s\nusers.anonymous.enabled=true\nexec.enabled=true\n" }));
  // A base change reached through two overlays: one finding per line, naming both roots.
  branch("pr-base-privileged", () => write({ "apps/web/base/deployment.yaml": DEPLOY.replace("allowPrivilegeEscalation: true", "allowPrivilegeEscalation: true\n            privileged: true") }));
  // An overlay moved (GitHub lists a rename): its findings stay existing.
  branch("pr-rename-overlay", () => renameSync(join(dir, "apps/web/overlays/prod"), join(dir, "apps/web/overlays/production")));
  // A base fix: fixed through both overlays.
  branch("pr-base-fix", () => write({ "apps/web/base/deployment.yaml": DEPLOY.replace("allowPrivilegeEscalation: true", "allowPrivilegeEscalation: false") }));
  // A test suite's input changes alone: both find the suite from the tree and leave the input out.
  branch("pr-suite-input", () => write({ "policies/disallow-privileged/resource.yaml": PRIVILEGED_POD }));
  // A known-format credential committed to a .env no kustomization reads (trial ov5b): both select the file and report it.
  branch("pr-env-credential", () => write({ "apps/web/overlays/prod/web.env": "AWS_ACCESS_KEY_ID=AKIASTUZUR7HXHAV3OOE\nAWS_SECRET_ACCESS_KEY=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\n" }));
  // A manifest made privileged with a Kyverno test added beside it: still judged on both.
  branch("pr-suite-beside", () => write({ "apps/raw/pod.yaml": PRIVILEGED_POD, "apps/raw/kyverno-test.yaml": KYVERNO_TEST }));
  rig = await startParityRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the App answers as the CLI does on an overlay layout in git", () => {
  it("for every pull request: findings, statuses, messages, fingerprints, conclusion, within the request budget", async () => {
    const prs = gitPrs(dir);
    expect(prs.map((p) => p.branch).sort()).toEqual(["pr-base-fix", "pr-base-privileged", "pr-env-credential", "pr-env-only", "pr-rename-overlay", "pr-suite-beside", "pr-suite-input"]);
    const rows: ParityRow[] = [];
    for (const [i, pr] of prs.entries()) rows.push(await rig.compare(pr, "overlays", i + 1));
    expect(rows.map((r) => ({ branch: r.branch, diffs: r.diffs }))).toEqual(rows.map((r) => ({ branch: r.branch, diffs: [] })));
    // The cases say something: the .env change fails, the rename is a rename, the fix is a fix.
    const by = (b: string) => rows.find((r) => r.branch === b)!;
    expect(by("pr-env-only").conclusion).toEqual({ app: "failure", cli: "failure" });
    expect(by("pr-base-privileged").conclusion).toEqual({ app: "failure", cli: "failure" });
    expect(by("pr-rename-overlay").conclusion).toEqual({ app: "success", cli: "success" });
    expect(by("pr-suite-input").conclusion).toEqual({ app: "success", cli: "success" });
    expect(by("pr-suite-beside").conclusion).toEqual({ app: "failure", cli: "failure" });
    expect(by("pr-env-credential").conclusion).toEqual({ app: "failure", cli: "failure" });
    const renamed = rig.gh.repo("layouts/overlays").pulls.get(prs.findIndex((p) => p.branch === "pr-rename-overlay") + 1)!.files;
    expect(renamed.map((f) => [f.status, f.filename, f.previous_filename])).toEqual([["renamed", "apps/web/overlays/production/kustomization.yaml", "apps/web/overlays/prod/kustomization.yaml"]]);
  }, 120_000);
});
