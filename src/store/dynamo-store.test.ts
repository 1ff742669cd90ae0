import { CreateTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { WaiverSet } from "../core/suppress.js";
import type { Finding } from "../core/types.js";
import { reviewRecordFrom, toCoreWaiver } from "./convert.js";
import { DynamoDecisionStore } from "./dynamo-store.js";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { openStore, type OpenedStore } from "./open.js";
import type { NewReview } from "./types.js";

const REPO = "acme/gitops";
const T0 = new Date("2026-03-01T10:00:00.000Z");
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

let server: DynaliteServer;
let store: OpenedStore;
let tableSeq = 0;

async function freshStore(): Promise<OpenedStore> {
  return openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: `decisions-${++tableSeq}` });
}

function rawClient(): DynamoDBClient {
  return new DynamoDBClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
}

const counts = { new: 1, existing: 0, fixed: 0, suppressed: 0, bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 } };

function review(pr: number, sha: string, time: Date, conclusion: "success" | "failure" = "failure"): NewReview {
  return {
    repo: REPO,
    pr,
    headSha: sha,
    baseSha: "base0",
    conclusion,
    counts,
    time,
    findings: [{ ruleId: "k8s/privileged-container", severity: "high", file: "apps/a.yaml", resource: { kind: "Deployment", namespace: "web", name: "api" }, fingerprint: "fp1" }],
  };
}

beforeAll(async () => {
  server = await startDynalite();
  store = await freshStore();
});

afterAll(async () => {
  await store.close();
  await server.close();
});

describe("deliveries", () => {
  it("a delivery id is new once; a redelivery is not", async () => {
    expect(await store.recordDelivery("d-1", T0)).toBe(true);
    expect(await store.recordDelivery("d-1", at(1000))).toBe(false);
    expect(await store.recordDelivery("d-2", at(1000))).toBe(true);
  });

  it("an expired delivery record counts as absent (dynalite has no TTL sweeper)", async () => {
    expect(await store.recordDelivery("d-3", T0)).toBe(true);
    expect(await store.recordDelivery("d-3", at(DAY - 1000))).toBe(false);
    expect(await store.recordDelivery("d-3", at(DAY + 1000))).toBe(true);
  });

  it("a forgotten delivery (its processing failed) is new again", async () => {
    expect(await store.recordDelivery("d-5", T0)).toBe(true);
    await store.forgetDelivery("d-5");
    expect(await store.recordDelivery("d-5", at(1000))).toBe(true);
    expect(await store.recordDelivery("d-5", at(2000))).toBe(false);
  });

  it("stores expiresAt as epoch seconds one day ahead", async () => {
    await store.recordDelivery("d-4", T0);
    const out = await rawClient().send(new GetItemCommand({ TableName: store.tableName, Key: { pk: { S: "DELIVERY#d-4" }, sk: { S: "DELIVERY" } } }));
    expect(out.Item?.expiresAt).toEqual({ N: String(T0.getTime() / 1000 + 86_400) });
  });

  it("two concurrent deliveries with the same id: exactly one is new", async () => {
    const results = await Promise.all([store.recordDelivery("d-race", T0), store.recordDelivery("d-race", T0), store.recordDelivery("d-race", T0)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe("waivers", () => {
  const base = { repo: REPO, pr: 7, rule: "k8s/privileged-container", reason: "vendor chart, tracked in OPS-12", actor: "alice", headSha: "sha7a" };

  it("records a waiver with a generated id and lists it as active until it expires", async () => {
    const res = await store.createWaiver({ ...base, file: "apps/a.yaml", resource: "Deployment/api", time: T0, expires: at(30 * DAY) });
    expect(res.created).toBe(true);
    if (!res.created) return;
    expect(res.record.id).toMatch(/^[a-z2-9]{8}$/);
    expect(res.record).toMatchObject({ type: "waiver", pr: 7, expires: at(30 * DAY).toISOString(), time: T0.toISOString() });

    expect((await store.activeWaivers(REPO, 7, at(DAY))).map((w) => w.id)).toContain(res.record.id);
    expect((await store.activeWaivers(REPO, 7, at(31 * DAY))).map((w) => w.id)).not.toContain(res.record.id);
    // Expired waivers stay on the record.
    expect((await store.waiversOf(REPO, 7)).map((w) => w.id)).toContain(res.record.id);
    expect(await store.activeWaivers(REPO, 8, at(DAY))).toEqual([]);
  });

  it("two concurrent waivers with the same id: exactly one is written, the other sees it", async () => {
    const [a, b] = await Promise.all([
      store.createWaiver({ ...base, id: "same-id", actor: "alice", time: T0, expires: at(DAY) }),
      store.createWaiver({ ...base, id: "same-id", actor: "bob", time: T0, expires: at(DAY) }),
    ]);
    const winners = [a, b].filter((r) => r.created);
    expect(winners).toHaveLength(1);
    const loser = [a, b].find((r) => !r.created)!;
    if (loser.created || !winners[0]!.created) throw new Error("unreachable");
    expect(loser.existing).toEqual(winners[0]!.record);
    expect((await store.waiversOf(REPO, 7)).filter((w) => w.id === "same-id")).toHaveLength(1);
  });

  it("unwaive marks the waiver revoked, keeps the record and records the unwaive", async () => {
    const res = await store.createWaiver({ ...base, pr: 9, id: "to-revoke", time: T0, expires: at(10 * DAY) });
    expect(res.created).toBe(true);
    expect(await store.revokeWaiver({ repo: REPO, pr: 10, id: "to-revoke", actor: "bob", headSha: "x", time: at(1000) })).toMatchObject({ revoked: false, reason: "other-pr" });
    const r = await store.revokeWaiver({ repo: REPO, pr: 9, id: "to-revoke", actor: "bob", headSha: "sha9", time: at(1000) });
    expect(r).toMatchObject({ revoked: true, waiver: { revokedBy: "bob", revokedAt: at(1000).toISOString() } });
    expect(await store.activeWaivers(REPO, 9, at(2000))).toEqual([]);
    expect(await store.getWaiver(REPO, "to-revoke")).toMatchObject({ reason: base.reason, revokedBy: "bob" });
    expect(await store.revokeWaiver({ repo: REPO, pr: 9, id: "to-revoke", actor: "carol", headSha: "sha9", time: at(3000) })).toMatchObject({ revoked: false, reason: "already-revoked" });
    expect(await store.revokeWaiver({ repo: REPO, pr: 9, id: "nope", actor: "bob", headSha: "sha9" })).toEqual({ revoked: false, reason: "not-found" });
    const trail = await store.audit({ repo: REPO, pr: 9 });
    expect(trail.map((t) => t.type)).toEqual(["waiver", "unwaive"]);
    expect(trail[1]).toMatchObject({ type: "unwaive", waiverId: "to-revoke", actor: "bob", rule: base.rule, headSha: "sha9" });
  });

  it("two concurrent unwaives: exactly one revokes", async () => {
    await store.createWaiver({ ...base, pr: 11, id: "race-revoke", time: T0, expires: at(DAY) });
    const results = await Promise.all([
      store.revokeWaiver({ repo: REPO, pr: 11, id: "race-revoke", actor: "bob", headSha: "s", time: at(10) }),
      store.revokeWaiver({ repo: REPO, pr: 11, id: "race-revoke", actor: "carol", headSha: "s", time: at(10) }),
    ]);
    expect(results.filter((r) => r.revoked)).toHaveLength(1);
    expect((await store.audit({ repo: REPO, pr: 11 })).filter((r) => r.type === "unwaive")).toHaveLength(1);
  });

  it("an expired waiver cannot be revoked (it already stopped applying)", async () => {
    await store.createWaiver({ ...base, pr: 12, id: "old", time: T0, expires: at(DAY) });
    expect(await store.revokeWaiver({ repo: REPO, pr: 12, id: "old", actor: "bob", headSha: "s", time: at(2 * DAY) })).toMatchObject({ revoked: false, reason: "expired" });
  });

  it("converts to the engine's waiver shape, which then suppresses the matching finding only", async () => {
    const res = await store.createWaiver({ ...base, pr: 13, file: "apps/a.yaml", resource: "Deployment/api", time: T0, expires: at(DAY) });
    if (!res.created) throw new Error("not created");
    const core = toCoreWaiver(res.record);
    expect(core).toEqual({ by: "waiver", rule: base.rule, path: "apps/a.yaml", resource: "Deployment/api", reason: base.reason, expires: at(DAY).toISOString(), actor: "alice", id: res.record.id });
    const set = new WaiverSet([core], at(1000));
    const finding = (file: string, name: string) => ({ ruleId: base.rule, file, resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "web", name }, docIndex: 0 }) as unknown as Finding;
    expect(set.match(finding("apps/a.yaml", "api"))).toMatchObject({ by: "waiver", actor: "alice" });
    expect(set.match(finding("apps/a.yaml", "other"))).toBeNull();
    expect(set.match(finding("apps/b.yaml", "api"))).toBeNull();
    expect(new WaiverSet([core], at(2 * DAY)).match(finding("apps/a.yaml", "api"))).toBeNull();
  });
});

describe("overrides", () => {
  it("one override per head SHA: of two concurrent ones exactly one is written", async () => {
    const [a, b] = await Promise.all([
      store.createOverride({ repo: REPO, pr: 20, headSha: "abc", actor: "admin1", reason: "hotfix, reviewed live", time: T0 }),
      store.createOverride({ repo: REPO, pr: 20, headSha: "abc", actor: "admin2", reason: "other reason", time: T0 }),
    ]);
    expect([a, b].filter((r) => r.created)).toHaveLength(1);
    const found = await store.overrideFor(REPO, 20, "abc");
    expect(found).not.toBeNull();
    expect(["admin1", "admin2"]).toContain(found!.actor);
    expect(await store.overrideFor(REPO, 20, "def")).toBeNull();
    expect(await store.overrideFor(REPO, 21, "abc")).toBeNull();
  });
});

describe("reviews and closing", () => {
  it("records reviews and returns the latest; a closed PR records its final state", async () => {
    await store.recordReview(review(30, "s1", T0));
    await store.recordReview(review(30, "s2", at(60_000)));
    await store.recordReview(review(300, "other", at(120_000), "success"));
    const latest = await store.latestReview(REPO, 30);
    expect(latest).toMatchObject({ type: "review", headSha: "s2", conclusion: "failure", counts, findings: [{ fingerprint: "fp1" }] });
    await store.createOverride({ repo: REPO, pr: 30, headSha: "s2", actor: "boss", reason: "accepted", time: at(70_000) });
    const closed = await store.recordClosed({ repo: REPO, pr: 30, merged: true, headSha: "s2", actor: "carol", time: at(80_000) });
    expect(closed).toMatchObject({ type: "closed", merged: true, lastConclusion: "failure", overrides: [{ actor: "boss", reason: "accepted", headSha: "s2" }] });
    expect(await store.latestReview(REPO, 31)).toBeNull();
  });

  it("never records a finding's message or fix (a secret could be in it)", async () => {
    const finding = {
      ruleId: "secrets/plaintext-secret",
      severity: "critical",
      status: "new",
      file: "apps/s.yaml",
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 9,
      resource: { apiVersion: "v1", kind: "Secret", namespace: "web", name: "db" },
      path: "stringData.password",
      message: "Secret web/db holds hunter2-s3cr3t",
      fix: "remove hunter2-s3cr3t",
      fingerprint: "fpS",
      docIndex: 0,
      suppressed: null,
    } satisfies Finding;
    const rec = reviewRecordFrom(
      { conclusion: "failure", summary: { ...counts, bySeverity: { ...counts.bySeverity, critical: 1 } }, findings: [finding, { ...finding, status: "existing", fingerprint: "old" }] },
      { repo: REPO, pr: 40, headSha: "h", baseSha: "b", time: T0 },
    );
    expect(rec.findings).toEqual([{ ruleId: "secrets/plaintext-secret", severity: "critical", file: "apps/s.yaml", resource: { kind: "Secret", namespace: "web", name: "db" }, fingerprint: "fpS" }]);
    await store.recordReview(rec);
    const all = await rawClient().send(new ScanCommand({ TableName: store.tableName }));
    expect(JSON.stringify(all.Items)).not.toContain("hunter2");
  });

  it("keeps a huge review within DynamoDB's item size and says how many findings were left out", async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ruleId: "k8s/privileged-container",
      severity: "high" as const,
      file: `apps/very/long/path/to/some/service-number-${i}/deployment.yaml`,
      resource: { kind: "Deployment", namespace: "namespace-of-service", name: `service-number-${i}` },
      fingerprint: `fingerprint-${String(i).padStart(20, "0")}`,
    }));
    const rec = await store.recordReview({ ...review(41, "big", T0), findings: many });
    expect(rec.findingsOmitted).toBeGreaterThan(0);
    expect(rec.findings.length + rec.findingsOmitted!).toBe(3000);
    expect((await store.latestReview(REPO, 41))?.findings).toHaveLength(rec.findings.length);
  });
});

describe("audit", () => {
  it("lists a repository's records oldest first, for one PR, and since a date", async () => {
    const s = await freshStore();
    try {
      await s.recordReview(review(1, "a1", at(5_000)));
      await s.createWaiver({ repo: REPO, pr: 2, rule: "k8s/privileged-container", reason: "r", actor: "alice", headSha: "b1", time: at(1_000), expires: at(DAY), id: "w2" });
      await s.recordReview(review(2, "b1", at(3_000)));
      await s.createOverride({ repo: REPO, pr: 1, headSha: "a1", actor: "boss", reason: "ok", time: at(7_000) });
      await s.recordClosed({ repo: REPO, pr: 1, merged: false, headSha: "a1", time: at(9_000) });
      await s.recordReview({ ...review(1, "x", at(4_000)), repo: "acme/other" });
      await s.recordDelivery("dd", at(2_000));

      const all = await s.audit({ repo: REPO });
      expect(all.map((r) => [r.type, r.pr, r.time])).toEqual([
        ["waiver", 2, at(1_000).toISOString()],
        ["review", 2, at(3_000).toISOString()],
        ["review", 1, at(5_000).toISOString()],
        ["override", 1, at(7_000).toISOString()],
        ["closed", 1, at(9_000).toISOString()],
      ]);
      expect(all.every((r) => !("pk" in r) && !("auditTime" in r))).toBe(true);
      expect((await s.audit({ repo: REPO, pr: 1 })).map((r) => r.type)).toEqual(["review", "override", "closed"]);
      expect((await s.audit({ repo: REPO, since: at(4_000) })).map((r) => r.type)).toEqual(["review", "override", "closed"]);
      expect((await s.audit({ repo: REPO, pr: 2, since: at(2_000) })).map((r) => r.type)).toEqual(["review"]);
      // GitHub repository names are case-insensitive.
      expect(await s.audit({ repo: "ACME/GitOps" })).toHaveLength(5);
      expect(await s.audit({ repo: "acme/none" })).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("still answers (one Query per repository) on a table created without the audit indexes", async () => {
    const client = rawClient();
    const TableName = "no-indexes";
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
    const s = new DynamoDecisionStore(client, { tableName: TableName });
    try {
      await s.recordReview(review(1, "a", at(2_000)));
      await s.createOverride({ repo: REPO, pr: 1, headSha: "a", actor: "boss", reason: "ok", time: at(3_000) });
      await s.recordReview(review(2, "b", at(1_000)));
      expect((await s.audit({ repo: REPO })).map((r) => [r.type, r.pr])).toEqual([
        ["review", 2],
        ["review", 1],
        ["override", 1],
      ]);
      expect((await s.audit({ repo: REPO, pr: 1, since: at(2_500) })).map((r) => r.type)).toEqual(["override"]);
    } finally {
      await s.close();
    }
  });
});
