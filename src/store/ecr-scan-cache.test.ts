import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { digestOf } from "../../test/fakes/ecr/fixtures.js";
import { factOf, gatherEcr } from "../../test/fakes/ecr/harness.js";
import { fakeEcrPerTest } from "../../test/fakes/ecr/per-test.js";
import { digestKey, itemId, repositoryKey } from "../aws/ecr/cache.js";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { ecrScanCacheFor } from "./ecr-scan-cache.js";
import { openStore, type OpenedStore } from "./open.js";

const ACCOUNT = "111122223333";
const R = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com`;
const REPO = { registryId: ACCOUNT, region: "eu-central-1", repository: "payments/api" };
const T0 = new Date("2026-11-22T10:00:00Z");

let server: DynaliteServer;
let store: OpenedStore;

beforeAll(async () => {
  server = await startDynalite();
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: "ecr-cache-test" });
});

afterAll(async () => {
  await store.close();
  await server.close();
});

describe("DynamoEcrScanCache", () => {
  it("stores items under ECR#… keys with an expiry one hour ahead, and filters expired items on read", async () => {
    const cache = ecrScanCacheFor(store)!;
    const scanKey = digestKey(REPO, digestOf(1));
    const repoKey = repositoryKey(REPO);
    expect(scanKey).toEqual({ pk: `ECR#${ACCOUNT}.dkr.ecr.eu-central-1/payments/api@${digestOf(1)}`, sk: "SCAN" });
    await cache.write([{ ...scanKey, value: { mediaType: null, scan: { state: "missing" } } }, { ...repoKey, value: { tagMutability: "MUTABLE", exclusionFilters: [] } }], T0);
    const hit = await cache.read([scanKey, repoKey, digestKey(REPO, digestOf(2))], new Date(T0.getTime() + 59 * 60_000));
    expect(hit.size).toBe(2);
    expect(hit.get(itemId(scanKey))).toEqual({ mediaType: null, scan: { state: "missing" } });
    expect(hit.get(itemId(repoKey))).toEqual({ tagMutability: "MUTABLE", exclusionFilters: [] });
    expect((await cache.read([scanKey], new Date(T0.getTime() + 60 * 60_000))).size).toBe(0);
  });

  it("reads and writes more items than one batch holds", async () => {
    const cache = ecrScanCacheFor(store)!;
    const keys = Array.from({ length: 230 }, (_, i) => digestKey(REPO, digestOf(`many${i}`)));
    await cache.write(keys.map((k, i) => ({ ...k, value: { mediaType: null, n: i } })), T0);
    const hit = await cache.read(keys, T0);
    expect(hit.size).toBe(230);
  });

  it("is not offered for a store that is not DynamoDB", () => {
    expect(ecrScanCacheFor({} as never)).toBeNull();
  });
});

describe("the ECR provider on the persistent cache", () => {
  const box = fakeEcrPerTest();

  it("a second review within the hour makes no ECR call for the digests it has seen", async () => {
    box.fake.repository(ACCOUNT, "payments/api");
    const refs: string[] = [];
    for (let i = 0; i < 12; i++) {
      box.fake.image(ACCOUNT, "payments/api", { digest: digestOf(`img${i}`), scan: { status: "COMPLETE", findings: [{ name: `CVE-2026-${i}`, severity: "HIGH" }] } });
      refs.push(`${R}/payments/api@${digestOf(`img${i}`)}`);
    }
    const cache = ecrScanCacheFor(store)!;
    await gatherEcr(refs, { cache, now: T0 });
    expect(box.fake.calls.length).toBeGreaterThan(0);
    box.fake.resetCalls();
    const second = await gatherEcr(refs, { cache, now: new Date(T0.getTime() + 45 * 60_000) });
    expect(box.fake.calls).toEqual([]);
    expect(factOf(second, refs[7]!).platforms[0]!.scan).toMatchObject({ state: "complete", vulnerabilities: [{ id: "CVE-2026-7" }] });
  });

  it("a failing cache costs calls, never the review", async () => {
    box.fake.repository(ACCOUNT, "payments/api").image(ACCOUNT, "payments/api", { digest: digestOf("x"), scan: { status: "COMPLETE", findings: [] } });
    const broken = { read: async () => Promise.reject(new Error("table gone")), write: async () => Promise.reject(new Error("table gone")) };
    const results = await gatherEcr([`${R}/payments/api@${digestOf("x")}`], { cache: broken });
    expect(factOf(results, `${R}/payments/api@${digestOf("x")}`).platforms[0]!.scan.state).toBe("complete");
  });
});
