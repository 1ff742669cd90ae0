/**
 * End to end: the GitHub App and the CLI agree on pull requests that only move or rename an object (see
 * src/core/moved.ts): its findings are existing and the review passes on both, while a move to another directory
 * stays new on both. Each `pr-*` branch is opened on the fake GitHub and reviewed by the real server, as in
 * app-cli-parity.test.ts. Needs the build (`bin/gitops-guard.js` runs dist/).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { rmSync } from "node:fs";
import { gitPrs, scratchRepo, type ScratchRepo } from "./git-pr.js";
import { startParityRig, type ParityRig, type ParityRow } from "./parity.js";

const DEPLOY = `apiVersion: apps/v1
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
          image: registry.k8s.io/api:1.2.3
          securityContext:
            privileged: true
`;
const SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n";

let repo: ScratchRepo;
let rig: ParityRig;

beforeAll(async () => {
  repo = scratchRepo("gitops-guard-parity-moved-");
  repo.write({
    ".github/gitops-guard.yml": "failOn: high\n",
    "apps/shop/all.yaml": `${DEPLOY}---\n${SERVICE}`,
    "apps/web/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "apps/web/deployment.yaml": DEPLOY.replaceAll("api", "web"),
  });
  repo.git("add", "-A");
  repo.git("commit", "-q", "-m", "main");
  // The Deployment to a file of its own beside the Service (git sees no rename: all.yaml keeps the Service).
  repo.branch("pr-move", () => repo.write({ "apps/shop/all.yaml": SERVICE, "apps/shop/deploy.yaml": DEPLOY }));
  // Renamed where it is, and its namespace changed.
  repo.branch("pr-rename", () => repo.write({ "apps/shop/all.yaml": `${DEPLOY.replace("name: api\n", "name: api-v2\n")}---\n${SERVICE}`.replaceAll("namespace: shop", "namespace: shop2") }));
  // A root's objects renamed by a namePrefix.
  repo.branch("pr-prefix", () => repo.write({ "apps/web/kustomization.yaml": "resources:\n  - deployment.yaml\nnamePrefix: prod-\n" }));
  // To another directory: new there.
  repo.branch("pr-other-dir", () => repo.write({ "apps/shop/all.yaml": SERVICE, "apps/billing/deploy.yaml": DEPLOY }));
  rig = await startParityRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
  if (repo) rmSync(repo.dir, { recursive: true, force: true });
});

describe("the App answers as the CLI does on moved and renamed objects", () => {
  it("for every pull request: the same findings, statuses and conclusion; moves within a directory pass", async () => {
    const prs = gitPrs(repo.dir);
    const rows: ParityRow[] = [];
    for (const [i, pr] of prs.entries()) rows.push(await rig.compare(pr, "moved", i + 1));
    expect(rows.map((r) => ({ branch: r.branch, diffs: r.diffs }))).toEqual(rows.map((r) => ({ branch: r.branch, diffs: [] })));
    const conclusions = Object.fromEntries(rows.map((r) => [r.branch, r.conclusion]));
    expect(conclusions).toEqual({
      "pr-move": { app: "success", cli: "success" },
      "pr-rename": { app: "success", cli: "success" },
      "pr-prefix": { app: "success", cli: "success" },
      "pr-other-dir": { app: "failure", cli: "failure" },
    });
  }, 120_000);
});
