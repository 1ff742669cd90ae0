/**
 * The App with its default ECR wiring (AWS_ENDPOINT_URL_ECR → the loopback ECR-compatible server, the decision store
 * on dynalite holding the one-hour scan cache), GitHub through nock: a first review sees a pending scan
 * (ecr/scan-incomplete, passing); the scan finishes; `/guard recheck` turns it into a verdict from the finished scan
 * (ecr/critical-vulnerabilities fails the check); a second recheck within the hour reads the finished scan from the
 * cache, not from ECR.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { openStore, type OpenedStore } from "../../src/store/open.js";
import { FakeEcr, type FakeScan } from "../fakes/ecr/fake-ecr.js";
import { digestOf } from "../fakes/ecr/fixtures.js";
import { useFake } from "../fakes/ecr/harness.js";
import {
  API,
  BASE_SHA,
  HEAD_SHA,
  OWNER,
  REPO,
  REPO_PATH,
  example,
  findingTitles,
  makeProbot,
  nockCheckRun,
  nockComments,
  nockConfig,
  nockFiles,
  nockGraphql,
  nockToken,
  prPayload,
  type PayloadJson,
} from "./helpers.js";

const ACCOUNT = "111122223333";
const IMAGE = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2`;
const DIGEST = digestOf("api-v2");
const NOW = new Date("2026-11-22T10:00:00.000Z");
let tick = 0;
const clock = () => new Date(NOW.getTime() + ++tick * 1000);

/** A Deployment no other rule blocks: only the image decides the verdict. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: api
          image: ${IMAGE}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 128Mi}
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
`;
const IMAGE_LINE = 20;

const FINISHED: FakeScan = {
  status: "ACTIVE",
  enhancedFindings: [
    {
      severity: "CRITICAL",
      status: "ACTIVE",
      fixAvailable: "YES",
      exploitAvailable: "YES",
      packageVulnerabilityDetails: { vulnerabilityId: "CVE-2026-4242", vulnerablePackages: [{ name: "libssl3", version: "3.0.1", fixedInVersion: "3.0.15" }] },
    },
  ],
};

let dynalite: DynaliteServer;
let store: OpenedStore;
let fake: FakeEcr;
let restoreEnv: () => void;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.close();
});
beforeEach(async () => {
  nock.cleanAll();
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, TABLE_NAME: `ecr-app-${++tables}` });
  fake = await FakeEcr.start();
  restoreEnv = useFake(fake);
  fake.repository(ACCOUNT, "payments/api").image(ACCOUNT, "payments/api", { digest: DIGEST, tags: ["v2"], scan: { status: "IN_PROGRESS" } });
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  restoreEnv();
  await fake.close();
  await store.close();
  expect(pending).toEqual([]);
});

function recheckComment(): PayloadJson {
  const p = example("issue_comment", "created");
  p.repository.owner.login = OWNER;
  p.repository.name = REPO;
  p.repository.full_name = `${OWNER}/${REPO}`;
  const issue = p.issue as { number: number; pull_request?: unknown };
  issue.number = 2;
  issue.pull_request = { url: `${API}${REPO_PATH}/pulls/2`, html_url: `https://github.com/${OWNER}/${REPO}/pull/2`, diff_url: null, patch_url: null, merged_at: null };
  const comment = p.comment as { id: number; body: string; user: { login: string; type: string } };
  comment.id = 6000 + tick;
  comment.body = "/guard recheck";
  comment.user = { ...comment.user, login: "bob", type: "User" };
  return p;
}

async function deliver(probot: Probot, name: string, payload: PayloadJson): Promise<void> {
  await probot.receive({ id: `delivery-${Math.random().toString(36).slice(2)}`, name, payload } as Parameters<Probot["receive"]>[0]);
}

/** One `/guard recheck`: the reaction, the PR, a new check run, the files, and the summary comment (edited when it changed). */
async function recheck(probot: Probot, checkId: number, summary: { id: number; body: string }, edits = true) {
  const gh = nock(API);
  nockConfig(gh, "{}\n");
  const payload = recheckComment();
  gh.post(`${REPO_PATH}/issues/comments/${(payload.comment as { id: number }).id}/reactions`).reply(201, { id: 1 });
  gh.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, changed_files: 1 });
  gh.get(`${REPO_PATH}/collaborators/bob/permission`).optionally().reply(200, { permission: "read", role_name: "read", user: { login: "bob" } });
  const check = nockCheckRun(gh, checkId);
  nockFiles(gh, [{ filename: "apps/api.yaml", status: "added" }]);
  nockGraphql(gh, { [HEAD_SHA]: { "apps/api.yaml": DEPLOYMENT } });
  // The store remembers the summary comment: it is edited by id (or left alone when unchanged), never looked up.
  const comments = nockComments(gh, [summary], edits ? { update: summary.id, list: false } : { list: false, read: summary.id });
  await deliver(probot, "issue_comment", payload);
  return { check, comments };
}

describe("ECR scans in the App", () => {
  it("a pending scan is ecr/scan-incomplete; after the scan finishes, /guard recheck fails the check on its critical CVE; a second recheck reads the cache", async () => {
    const { probot, outcomes } = await makeProbot({ store, now: clock });
    nockToken();

    // 1. The PR is pushed while the image's scan is still running.
    const gh = nock(API);
    const first = nockCheckRun(gh, 42);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/api.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/api.yaml": DEPLOYMENT } });
    const comments = nockComments(gh, [], { create: true });
    await deliver(probot, "pull_request", prPayload("synchronize"));
    expect(outcomes[0]).toMatchObject({ kind: "reviewed" });
    expect(first.updates[0]).toMatchObject({ conclusion: "success" });
    const pending = first.updates[0]!.output.annotations.find((a) => a.title.includes("ecr/scan-incomplete"));
    expect(pending).toMatchObject({ path: "apps/api.yaml", start_line: IMAGE_LINE, annotation_level: "warning" });
    expect(first.updates[0]!.output.summary).toContain("⏳ scan pending (IN\\_PROGRESS)");
    expect(comments.created[0]).toContain("Images (1)");
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, DescribeImageScanFindings: 1 });

    // 2. The scan finishes; /guard recheck: the same image, now with a critical CVE (pending scans were not cached).
    fake.setScan(ACCOUNT, "payments/api", DIGEST, FINISHED);
    fake.resetCalls();
    const second = await recheck(probot, 43, { id: 900, body: comments.created[0]! });
    expect(second.check.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(findingTitles(second.check.updates[0]!)).toEqual(expect.arrayContaining([expect.stringContaining("ecr/critical-vulnerabilities")]));
    expect(findingTitles(second.check.updates[0]!).some((t) => t.includes("ecr/scan-incomplete"))).toBe(false);
    const critical = second.check.updates[0]!.output.annotations.find((a) => a.title.includes("ecr/critical-vulnerabilities"))!;
    expect(critical).toMatchObject({ path: "apps/api.yaml", start_line: IMAGE_LINE, annotation_level: "failure" });
    expect(critical.message).toContain("CVE-2026-4242 (libssl3 3.0.1, fixed in 3.0.15; exploit available)");
    expect(second.comments.updated[0]!.body).toContain("CVE-2026-4242<br><sub>libssl3 3.0.1 → 3.0.15 · exploit</sub>");
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, DescribeImageScanFindings: 1 });

    // 3. Another recheck within the hour: the tag is resolved again (tags move), the finished scan comes from the cache.
    fake.resetCalls();
    const third = await recheck(probot, 44, { id: 900, body: second.comments.updated[0]!.body }, false);
    expect(third.check.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(outcomes.map((o) => (o.kind === "reviewed" ? o.comment : o.kind))).toEqual(["created", "updated", "unchanged"]);
    expect(fake.counts()).toEqual({ DescribeImages: 1, DescribeImageScanFindings: 0, DescribeRepositories: 0, BatchGetImage: 0, ListImageReferrers: 0, AssumeRole: 0 });
  });

  it("ECR unreachable: ecr/scan-unavailable naming the reason, never a pass without a word", async () => {
    fake.fail("DescribeImages", "AccessDeniedException", {
      times: 10,
      message: `User: arn:aws:sts::000000000000:assumed-role/hub/x is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/payments/api`,
    });
    const { probot } = await makeProbot({ store, now: clock });
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh, 42);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/api.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/api.yaml": DEPLOYMENT } });
    nockComments(gh, [], { create: true });
    await deliver(probot, "pull_request", prPayload("synchronize"));
    const unavailable = check.updates[0]!.output.annotations.find((a) => a.title.includes("ecr/scan-unavailable"));
    expect(unavailable).toMatchObject({ path: "apps/api.yaml", start_line: IMAGE_LINE });
    expect(unavailable!.message).toContain(`access denied: not authorized to perform ecr:DescribeImages on arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/payments/api`);
  });

  it("ECR on, but the pull request introduces no ECR image: no empty Images section (held-out round 14)", async () => {
    const { probot } = await makeProbot({ store, now: clock });
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh, 42);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/api.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/api.yaml": DEPLOYMENT.replace(/image: .*/, "image: docker.io/library/nginx:1.27.3") } });
    nockComments(gh, []);
    await deliver(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]!.output.summary).not.toContain("Images (");
    expect(fake.calls).toEqual([]);
  });

  it("ECR off (ecr.enabled: false in the repository config): no call, one note", async () => {
    const { probot } = await makeProbot({ store, now: clock });
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh, 42);
    nockConfig(gh, "ecr:\n  enabled: false\n");
    nockFiles(gh, [{ filename: "apps/api.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/api.yaml": DEPLOYMENT } });
    nockComments(gh, []);
    await deliver(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    expect((check.updates[0]!.output.annotations ?? []).filter((a) => a.title.includes("ecr/"))).toEqual([]);
    const summary = check.updates[0]!.output.summary;
    expect(summary.match(/ECR checks skipped/g)).toHaveLength(1);
    expect(summary).toContain("ECR checks skipped: turned off by ecr.enabled: false in the configuration");
    expect(summary).not.toContain("Images (");
    expect(fake.calls).toEqual([]);
  });
});
