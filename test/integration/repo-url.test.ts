/**
 * The App knows which repository it reviews (the webhook payload's `repository.full_name`): an Argo CD Application in
 * the pull request that deploys `deploy/prod` of another repository does not make this repository's `deploy/prod` (a
 * base of an overlay here) an applied root; the same Application naming this repository does.
 */
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import {
  API,
  BASE_SHA,
  HEAD_SHA,
  OWNER,
  REPO,
  makeProbot,
  nockCheckRun,
  nockComments,
  nockConfig,
  nockFiles,
  nockGraphql,
  nockToken,
  prPayload,
  requireAllMocksUsed,
  send,
} from "./helpers.js";

requireAllMocksUsed();

const lines = (...l: string[]) => `${l.join("\n")}\n`;

/** A Deployment whose image (line 14) has no tag: only a render of deploy/prod itself reports it (overlays/eu pins it). */
const DEPLOYMENT = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata:", // 3
  "  name: web", // 4
  "spec:", // 5
  "  selector: {matchLabels: {app: web}}", // 6
  "  template:", // 7
  "    metadata: {labels: {app: web}}", // 8
  "    spec:", // 9
  "      automountServiceAccountToken: false", // 10
  "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}", // 11
  "      containers:", // 12
  "        - name: web", // 13
  "          image: ghcr.io/acme/web", // 14
  "          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}", // 15
  "          readinessProbe: {httpGet: {path: /healthz, port: 8080}}", // 16
  "          livenessProbe: {httpGet: {path: /healthz, port: 8080}}", // 17
  "          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}", // 18
);

const TREE: Record<string, string> = {
  "deploy/prod/deployment.yaml": DEPLOYMENT,
  "deploy/prod/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
  "overlays/eu/kustomization.yaml": lines("resources:", "  - ../../deploy/prod", "images:", "  - name: ghcr.io/acme/web", "    newTag: 1.2.3"),
};

const application = (repoURL: string) =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata: {name: payments, namespace: argocd}",
    "spec:",
    "  project: payments",
    "  destination: {server: https://kubernetes.default.svc, namespace: payments}",
    "  source:",
    `    repoURL: ${repoURL}`,
    "    targetRevision: main",
    "    path: deploy/prod",
    "    kustomize: {namePrefix: pay-}",
  );

/** The App's review of a pull request that adds `apps/payments.yaml` to the tree above. */
async function reviewAdding(app: string, comment: boolean) {
  const { probot, outcomes } = await makeProbot();
  nockToken();
  const gh = nock(API);
  nockCheckRun(gh);
  nockConfig(gh, "{}\n");
  const head = { ...TREE, "apps/payments.yaml": app };
  nockFiles(gh, [{ filename: "apps/payments.yaml", status: "added" }], 2, Object.keys(head));
  nockGraphql(gh, { [HEAD_SHA]: head, [BASE_SHA]: TREE });
  if (comment) nockComments(gh, [], { create: true });
  await send(probot, "pull_request", prPayload("synchronize"));
  const outcome = outcomes.at(-1)!;
  if (outcome.kind !== "reviewed") throw new Error(`not reviewed: ${outcome.kind}`);
  return outcome.result;
}

describe("the payload's repository against the Application's repoURL", () => {
  it(`an Application of another repository (payload ${OWNER}/${REPO}, repoURL acme/payments): deploy/prod is not rendered as applied`, async () => {
    const r = await reviewAdding(application("https://github.com/acme/payments.git"), false);
    expect(r.findings.filter((f) => f.file.startsWith("deploy/"))).toEqual([]);
    expect(r.notes.join("\n")).not.toContain("deploy/prod");
  });

  it("the same Application naming this repository (another host, another case): deploy/prod is applied with its overrides", async () => {
    const r = await reviewAdding(application(`git@ghe.example.com:${OWNER.toLowerCase()}/${REPO}.git`), true);
    const found = r.findings.filter((f) => f.ruleId === "image/mutable-tag");
    expect(found.map((f) => `${f.file}:${f.line} ${f.status} ${f.resource?.name}`)).toEqual(["deploy/prod/deployment.yaml:14 new pay-web"]);
  });
});
