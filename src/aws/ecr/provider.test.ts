import { beforeEach, describe, expect, it } from "@jest/globals";
import { createServer } from "node:net";
import type { FakeEcr } from "../../../test/fakes/ecr/fake-ecr.js";
import { digestOf, fixture } from "../../../test/fakes/ecr/fixtures.js";
import { factOf, gatherEcr, HUB_KEY } from "../../../test/fakes/ecr/harness.js";
import { fakeEcrPerTest } from "../../../test/fakes/ecr/per-test.js";
import { defaultConfig } from "../../core/config.js";
import { parseImageRef } from "../../parse/image-ref.js";
import { imageKey } from "../../parse/image-sources.js";
import { MemoryEcrCache } from "./cache.js";
import { EcrClients } from "./clients.js";
import { EcrFactsProvider } from "./provider.js";

const ACCOUNT = "111122223333";
const R = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com`;
const INDEX = "application/vnd.oci.image.index.v1+json";
const complete = (findings: Array<Record<string, unknown>> = []) => ({ status: "COMPLETE", findings });

const box = fakeEcrPerTest();
let fake: FakeEcr;
beforeEach(() => {
  fake = box.fake;
});

describe("resolving and scanning", () => {
  it("makes one DescribeImages per repository, one scan lookup per unique digest, one DescribeRepositories per repository", async () => {
    fake
      .repository(ACCOUNT, "payments/api", { mutability: "MUTABLE" })
      .image(ACCOUNT, "payments/api", { digest: digestOf("a1"), tags: ["v1", "stable"], scan: complete([{ name: "CVE-2024-1", severity: "CRITICAL" }]) })
      .image(ACCOUNT, "payments/api", { digest: digestOf("a2"), tags: ["v2"], scan: complete() })
      .repository(ACCOUNT, "payments/worker")
      .image(ACCOUNT, "payments/worker", { digest: digestOf("w1"), tags: ["v1"], scan: complete() })
      .image(ACCOUNT, "payments/worker", { digest: digestOf("w2"), scan: complete() });
    const refs = [`${R}/payments/api:v1`, `${R}/payments/api:stable`, `${R}/payments/api:v2`, `${R}/payments/worker:v1`, `${R}/payments/worker@${digestOf("w2")}`];
    const results = await gatherEcr(refs);
    expect(fake.counts()).toEqual({ DescribeImages: 2, DescribeImageScanFindings: 4, DescribeRepositories: 2, BatchGetImage: 0, ListImageReferrers: 0, AssumeRole: 0 });
    const v1 = factOf(results, refs[0]!);
    expect(v1).toMatchObject({ repository: "payments/api", tag: "v1", image: { found: true, digest: digestOf("a1"), index: false }, repositorySettings: { tagMutability: "MUTABLE" }, problems: [] });
    expect(v1.platforms).toEqual([{ digest: digestOf("a1"), platform: null, scan: expect.objectContaining({ state: "complete", vulnerabilities: [expect.objectContaining({ id: "CVE-2024-1" })] }) }]);
    expect(factOf(results, refs[1]!).image).toEqual(v1.image);
    // Digest references cannot move: their repository settings are not needed.
    expect(factOf(results, refs[4]!)).toMatchObject({ tag: null, repositorySettings: null, image: { digest: digestOf("w2") } });
    // Every call was signed with the hub credentials, in the image's region.
    expect(new Set(fake.calls.map((c) => `${c.accessKeyId}/${c.region}`))).toEqual(new Set([`${HUB_KEY}/eu-central-1`]));
  });

  it("talks to the endpoint and with the keys of the environment it is given (not process.env), in every region an image host names, without AWS_REGION", async () => {
    const hosts = [
      `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`,
      `${ACCOUNT}.dkr.ecr.ap-southeast-7.amazonaws.com`,
      `${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn`,
      `${ACCOUNT}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`,
      `${ACCOUNT}.dkr-ecr.eu-west-1.on.aws`,
      `${ACCOUNT}.dkr-ecr-fips.us-east-2.on.aws`,
      `${ACCOUNT}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov`,
      `${ACCOUNT}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk`,
      `${ACCOUNT}.dkr.ecr.eusc-de-east-1.amazonaws.eu`,
    ];
    fake.repository(ACCOUNT, "app").image(ACCOUNT, "app", { digest: digestOf("r"), tags: ["v1"], scan: complete() });
    // process.env points elsewhere: the environment handed to the provider must win.
    process.env.AWS_ENDPOINT_URL_ECR = "http://127.0.0.1:9";
    const env = { AWS_ENDPOINT_URL_ECR: fake.endpoint, AWS_ACCESS_KEY_ID: "AKIDCLIENV", AWS_SECRET_ACCESS_KEY: "x" };
    const provider = new EcrFactsProvider({ config: defaultConfig().ecr, env });
    try {
      const requests = hosts.map((h) => {
        const ref = parseImageRef(`${h}/app:v1`);
        return { key: imageKey(ref), ref, locations: [] };
      });
      const results = await provider.gather(requests);
      for (const r of requests) expect([r.ref.registry, results.get(r.key)]).toEqual([r.ref.registry, expect.objectContaining({ kind: "fact", value: expect.objectContaining({ image: expect.objectContaining({ found: true }) }) })]);
    } finally {
      provider.close();
    }
    expect(new Set(fake.calls.map((c) => c.region))).toEqual(new Set(["us-east-1", "ap-southeast-7", "cn-north-1", "us-gov-west-1", "eu-west-1", "us-east-2", "us-isob-east-1", "eu-isoe-west-1", "eusc-de-east-1"]));
    expect(new Set(fake.calls.map((c) => c.accessKeyId))).toEqual(new Set(["AKIDCLIENV"]));
  });

  it("reaches FIPS and dual-stack registries through the endpoint override (the SDK refuses FIPS with a custom endpoint)", async () => {
    fake.repository(ACCOUNT, "payments/api").image(ACCOUNT, "payments/api", { digest: digestOf("f"), tags: ["v1"], scan: complete() });
    const refs = [`${ACCOUNT}.dkr.ecr-fips.us-east-1.amazonaws.com/payments/api:v1`, `${ACCOUNT}.dkr-ecr.eu-west-1.on.aws/payments/api:v1`];
    const results = await gatherEcr(refs);
    for (const r of refs) expect(factOf(results, r).image).toMatchObject({ found: true, digest: digestOf("f") });
    expect(new Set(fake.calls.map((c) => c.region))).toEqual(new Set(["us-east-1", "eu-west-1"]));
  });

  it("sends DescribeImages in batches of at most 100 ids", async () => {
    fake.repository(ACCOUNT, "big");
    const refs: string[] = [];
    for (let i = 0; i < 150; i++) {
      fake.image(ACCOUNT, "big", { digest: digestOf(`big${i}`), tags: [`t${i}`], scan: complete() });
      refs.push(`${R}/big:t${i}`);
    }
    const results = await gatherEcr(refs);
    const describe = fake.calls.filter((c) => c.op === "DescribeImages").map((c) => (c.body.imageIds as unknown[]).length);
    expect(describe.sort()).toEqual([100, 50]);
    expect(fake.counts().DescribeImageScanFindings).toBe(150);
    expect([...results.values()].every((r) => r.kind === "fact" && r.value.image.found)).toBe(true);
  });

  it("falls back to BatchGetImage when one id of a batch is missing, and reports that id as not found", async () => {
    fake
      .repository(ACCOUNT, "payments/api")
      .image(ACCOUNT, "payments/api", { digest: digestOf("a1"), tags: ["v1"], scan: complete() })
      .image(ACCOUNT, "payments/api", { digest: digestOf("a2"), tags: ["v2"], scan: complete() });
    const refs = [`${R}/payments/api:v1`, `${R}/payments/api:v2`, `${R}/payments/api:v9.9.9`];
    const results = await gatherEcr(refs);
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, BatchGetImage: 1, DescribeImageScanFindings: 2 });
    expect(factOf(results, refs[0]!).image).toMatchObject({ found: true, digest: digestOf("a1") });
    expect(factOf(results, refs[1]!).image).toMatchObject({ found: true, digest: digestOf("a2") });
    expect(factOf(results, refs[2]!).image).toEqual({ found: false, missing: "image", detail: `tag "v9.9.9" does not exist in repository payments/api of registry ${ACCOUNT} (eu-central-1)` });
  });

  it("reports a missing repository for every image in it, and a name ECR cannot hold without a call", async () => {
    const results = await gatherEcr([`${R}/nope/app:v1`, `${R}/nope/app@${digestOf(1)}`, `${R}/Bad_Name:v1`]);
    expect(factOf(results, `${R}/nope/app:v1`).image).toMatchObject({ found: false, missing: "repository" });
    expect(factOf(results, `${R}/nope/app@${digestOf(1)}`).image).toMatchObject({ found: false, missing: "repository" });
    expect(factOf(results, `${R}/Bad_Name:v1`).image).toMatchObject({ found: false, detail: '"Bad_Name" is not a valid ECR repository name' });
    expect(fake.calls.some((c) => JSON.stringify(c.body).includes("Bad_Name"))).toBe(false);
  });

  it("reads every scan status, and ScanNotFoundException as a missing scan", async () => {
    const variants = fixture("describe-image-scan-findings.status-variants");
    fake.repository(ACCOUNT, "status");
    const statuses = ["COMPLETE", "ACTIVE", "IN_PROGRESS", "PENDING", "FAILED", "UNSUPPORTED_IMAGE", "SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE", "LIMIT_EXCEEDED", "IMAGE_ARCHIVED"];
    for (const s of statuses) {
      const v = variants[s] as { imageScanStatus: { description: string } } | undefined;
      fake.image(ACCOUNT, "status", { digest: digestOf(s), tags: [s.toLowerCase()], scan: { status: s, description: v?.imageScanStatus.description, findings: [] } });
    }
    fake.image(ACCOUNT, "status", { digest: digestOf("none"), tags: ["none"] });
    const results = await gatherEcr([...statuses.map((s) => `${R}/status:${s.toLowerCase()}`), `${R}/status:none`]);
    const state = (tag: string) => factOf(results, `${R}/status:${tag}`).platforms[0]!.scan;
    expect(state("complete")).toMatchObject({ state: "complete", status: "COMPLETE" });
    expect(state("active")).toMatchObject({ state: "complete", status: "ACTIVE" });
    expect(state("in_progress")).toEqual({ state: "pending", status: "IN_PROGRESS" });
    expect(state("pending")).toEqual({ state: "pending", status: "PENDING" });
    expect(state("failed")).toEqual({ state: "unusable", status: "FAILED", description: "UnsupportedImageError: The operating system is not supported. (PLACEHOLDER)" });
    for (const s of ["UNSUPPORTED_IMAGE", "SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE", "LIMIT_EXCEEDED", "IMAGE_ARCHIVED"]) {
      expect(state(s.toLowerCase())).toMatchObject({ state: "unusable", status: s });
    }
    expect(state("none")).toEqual({ state: "missing" });
  });

  it("reads every page of the findings (the real pages, and a forced small page size)", async () => {
    const page1 = fixture("describe-image-scan-findings.basic-aws-native.page1");
    const page2 = fixture("describe-image-scan-findings.basic-aws-native.page2");
    const enhanced = fixture("describe-image-scan-findings.enhanced.fixable-exploitable");
    const findings = (enhanced.imageScanFindings as { enhancedFindings: Array<Record<string, unknown>> }).enhancedFindings;
    fake
      .repository(ACCOUNT, "paged")
      .image(ACCOUNT, "paged", { digest: digestOf("p"), tags: ["basic"], scanPages: [page1, page2] })
      .image(ACCOUNT, "paged", { digest: digestOf("e"), tags: ["enhanced"], scan: { status: "ACTIVE", enhancedFindings: findings } });
    fake.scanPageSize = 1;
    const results = await gatherEcr([`${R}/paged:basic`, `${R}/paged:enhanced`]);
    const scanCalls = fake.calls.filter((c) => c.op === "DescribeImageScanFindings");
    expect(scanCalls.filter((c) => (c.body.imageId as { imageDigest: string }).imageDigest === digestOf("p"))).toHaveLength(2);
    expect(scanCalls.filter((c) => (c.body.imageId as { imageDigest: string }).imageDigest === digestOf("e"))).toHaveLength(3);
    const basic = factOf(results, `${R}/paged:basic`).platforms[0]!.scan;
    expect(basic).toMatchObject({ state: "complete", severityCounts: { CRITICAL: 6, HIGH: 125 } });
    expect(basic.state === "complete" && basic.vulnerabilities.map((v) => v.id)).toEqual(["CVE-2023-45871", "CVE-2023-38408", "CVE-2021-3177"]);
    const enh = factOf(results, `${R}/paged:enhanced`).platforms[0]!.scan;
    expect(enh.state === "complete" && enh.vulnerabilities.map((v) => [v.id, v.fix, v.exploit])).toEqual([
      ["CVE-2021-44228", "yes", true],
      ["CVE-2023-44487", "partial", true],
    ]);
  });

  it("expands a multi-arch index to its platform manifests (attestations skipped) and scans each once", async () => {
    const index = (fixture("batch-get-image.index-and-failure").images as Array<{ imageManifest: string; imageId: { imageDigest: string } }>)[0]!;
    const [amd, arm, att] = [`sha256:${"1".repeat(64)}`, `sha256:${"2".repeat(64)}`, `sha256:${"3".repeat(64)}`];
    fake
      .repository(ACCOUNT, "payments/api")
      .image(ACCOUNT, "payments/api", { digest: index.imageId.imageDigest, tags: ["v2.15.0"], mediaType: INDEX, manifest: index.imageManifest })
      .image(ACCOUNT, "payments/api", { digest: amd, scan: complete([{ name: "CVE-2024-2", severity: "HIGH" }]) })
      .image(ACCOUNT, "payments/api", { digest: arm, scan: { status: "IN_PROGRESS" } })
      .image(ACCOUNT, "payments/api", { digest: att, scan: complete() });
    const ref = `${R}/payments/api:v2.15.0`;
    const results = await gatherEcr([ref, `${R}/payments/api@${index.imageId.imageDigest}`]);
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, BatchGetImage: 1, DescribeImageScanFindings: 2 });
    const scanned = fake.calls.filter((c) => c.op === "DescribeImageScanFindings").map((c) => (c.body.imageId as { imageDigest: string }).imageDigest);
    expect(scanned.sort()).toEqual([amd, arm]);
    const f = factOf(results, ref);
    expect(f.image).toMatchObject({ found: true, index: true, mediaType: INDEX });
    expect(f.platforms.map((p) => [p.platform, p.digest, p.scan.state])).toEqual([
      ["linux/amd64", amd, "complete"],
      ["linux/arm64", arm, "pending"],
    ]);
  });

  it("uses the manifests the BatchGetImage fallback already returned for an index (no second read)", async () => {
    const index = (fixture("batch-get-image.index-and-failure").images as Array<{ imageManifest: string; imageId: { imageDigest: string } }>)[0]!;
    fake
      .repository(ACCOUNT, "payments/api")
      .image(ACCOUNT, "payments/api", { digest: index.imageId.imageDigest, tags: ["v2.15.0"], mediaType: INDEX, manifest: index.imageManifest })
      .image(ACCOUNT, "payments/api", { digest: `sha256:${"1".repeat(64)}`, scan: complete() })
      .image(ACCOUNT, "payments/api", { digest: `sha256:${"2".repeat(64)}`, scan: complete() });
    const results = await gatherEcr([`${R}/payments/api:v2.15.0`, `${R}/payments/api:v9.9.9`]);
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, BatchGetImage: 1, DescribeImageScanFindings: 2 });
    expect(factOf(results, `${R}/payments/api:v2.15.0`).platforms).toHaveLength(2);
  });
});

describe("failures become reasons", () => {
  beforeEach(() => {
    fake.repository(ACCOUNT, "payments/api").image(ACCOUNT, "payments/api", { digest: digestOf("a"), tags: ["v1"], scan: complete() });
  });

  it("retries throttling, then succeeds", async () => {
    fake.fail("DescribeImages", "ThrottlingException", { times: 2, message: "Rate exceeded" });
    const results = await gatherEcr([`${R}/payments/api:v1`]);
    expect(fake.counts().DescribeImages).toBe(3);
    expect(factOf(results, `${R}/payments/api:v1`).image.found).toBe(true);
  });

  it("persistent throttling makes the image unavailable, naming the cause and the attempts", async () => {
    fake.fail("DescribeImages", "ThrottlingException", { times: 100, message: "Rate exceeded" });
    const results = await gatherEcr([`${R}/payments/api:v1`]);
    expect(fake.counts().DescribeImages).toBe(3);
    expect(results.get(`${R}/payments/api:v1`)).toEqual({ kind: "unavailable", reason: "throttled by AWS on ecr:DescribeImages (ThrottlingException) after 3 attempts" });
  });

  it("does not retry LimitExceededException", async () => {
    fake.fail("DescribeImageScanFindings", "LimitExceededException", { times: 100, message: "The scan quota per image has been exceeded. Wait and try again." });
    const results = await gatherEcr([`${R}/payments/api:v1`]);
    expect(fake.counts().DescribeImageScanFindings).toBe(1);
    expect(factOf(results, `${R}/payments/api:v1`).platforms[0]!.scan).toEqual({ state: "error", reason: "throttled by AWS on ecr:DescribeImageScanFindings (LimitExceededException)" });
  });

  it("access denied on the scan names the action and resource, never a credential", async () => {
    const denied = fixture("errors").AccessDeniedException as { body: { Message: string } };
    fake.fail("DescribeImageScanFindings", "AccessDeniedException", { message: denied.body.Message });
    const results = await gatherEcr([`${R}/payments/api:v1`]);
    const scan = factOf(results, `${R}/payments/api:v1`).platforms[0]!.scan;
    expect(scan).toEqual({
      state: "error",
      reason: "access denied: not authorized to perform ecr:DescribeImageScanFindings on arn:aws:ecr:eu-central-1:111122223333:repository/payments/api",
    });
    expect(JSON.stringify(scan)).not.toContain("hub-secret");
  });

  it("access denied on DescribeRepositories leaves the image judged, with the gap named", async () => {
    fake.fail("DescribeRepositories", "AccessDeniedException", { message: "User: x is not authorized to perform: ecr:DescribeRepositories on resource: arn:aws:ecr:eu-central-1:111122223333:repository/payments/api" });
    const f = factOf(await gatherEcr([`${R}/payments/api:v1`]), `${R}/payments/api:v1`);
    expect(f.platforms[0]!.scan.state).toBe("complete");
    expect(f.problems).toEqual(["tag mutability unknown: access denied: not authorized to perform ecr:DescribeRepositories on arn:aws:ecr:eu-central-1:111122223333:repository/payments/api"]);
  });

  it("an unreachable endpoint makes the image unavailable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.AWS_ENDPOINT_URL_ECR = `http://127.0.0.1:${port}`;
    const results = await gatherEcr([`${R}/payments/api:v1`]);
    expect(results.get(`${R}/payments/api:v1`)).toEqual({ kind: "unavailable", reason: "AWS endpoint unreachable on ecr:DescribeImages (ECONNREFUSED) after 3 attempts" });
  });
});

describe("cross-account roles", () => {
  const OTHER = "222233334444";
  const ROLE = `arn:aws:iam::${OTHER}:role/pr-image-gate`;

  beforeEach(() => {
    fake
      .repository(ACCOUNT, "hub/app")
      .image(ACCOUNT, "hub/app", { digest: digestOf("h"), tags: ["v1"], scan: complete() })
      .repository(OTHER, "team/app")
      .image(OTHER, "team/app", { digest: digestOf("t1"), tags: ["v1"], scan: complete() })
      .image(OTHER, "team/app", { digest: digestOf("t2"), tags: ["v2"], scan: complete() })
      .repository(OTHER, "team/other")
      .image(OTHER, "team/other", { digest: digestOf("t3"), tags: ["v1"], scan: complete() })
      .requireRole(OTHER, ROLE);
  });

  it("assumes the configured role once and signs that account's calls with it, across repositories, regions and reviews", async () => {
    const clients = new EcrClients({ env: process.env, roles: { [OTHER]: ROLE } });
    const refs = [`${R}/hub/app:v1`, `${OTHER}.dkr.ecr.eu-central-1.amazonaws.com/team/app:v1`, `${OTHER}.dkr.ecr.us-east-1.amazonaws.com/team/app:v2`, `${OTHER}.dkr.ecr.eu-central-1.amazonaws.com/team/other:v1`];
    try {
      const results = await gatherEcr(refs, { clients, ecr: { roles: { [OTHER]: ROLE } } });
      for (const r of refs) expect(factOf(results, r).image.found).toBe(true);
      await gatherEcr(refs.slice(1, 2), { clients, ecr: { roles: { [OTHER]: ROLE } } });
    } finally {
      clients.destroy();
    }
    const assume = fake.calls.filter((c) => c.op === "AssumeRole");
    expect(assume).toHaveLength(1);
    expect(assume[0]!.body).toEqual({ RoleArn: ROLE, RoleSessionName: "gitops-guard" });
    expect(assume[0]!.accessKeyId).toBe(HUB_KEY);
    const ecrCalls = fake.calls.filter((c) => c.op !== "AssumeRole");
    expect(ecrCalls.filter((c) => c.body.registryId === OTHER).every((c) => c.accessKeyId?.startsWith(`ASIA${OTHER}`))).toBe(true);
    expect(ecrCalls.filter((c) => c.body.registryId === ACCOUNT).every((c) => c.accessKeyId === HUB_KEY)).toBe(true);
    expect(new Set(ecrCalls.filter((c) => c.body.registryId === OTHER).map((c) => c.region))).toEqual(new Set(["eu-central-1", "us-east-1"]));
  });

  it("without the role, the other account's images are unavailable: access denied", async () => {
    const results = await gatherEcr([`${OTHER}.dkr.ecr.eu-central-1.amazonaws.com/team/app:v1`]);
    expect(results.get(`${OTHER}.dkr.ecr.eu-central-1.amazonaws.com/team/app:v1`)).toEqual({
      kind: "unavailable",
      reason: `access denied: not authorized to perform ecr:DescribeImages on arn:aws:ecr:eu-central-1:${OTHER}:repository/team/app`,
    });
  });

  it("a role that cannot be assumed is named in the reason", async () => {
    const wrong = `arn:aws:iam::${OTHER}:role/does-not-trust-us`;
    const results = await gatherEcr([`${OTHER}.dkr.ecr.eu-central-1.amazonaws.com/team/app:v1`], { ecr: { roles: { [OTHER]: wrong } } });
    const r = results.get(`${OTHER}.dkr.ecr.eu-central-1.amazonaws.com/team/app:v1`);
    expect(r?.kind).toBe("unavailable");
    expect(r?.kind === "unavailable" && r.reason).toMatch(new RegExp(`^could not assume ${wrong.replace(/[/.]/g, "\\$&")}: access denied`));
  });
});

describe("signatures (ecr.requireSignature)", () => {
  it("finds Notation/Sigstore referrers and cosign .sig tags; probes the tags in one BatchGetImage per repository", async () => {
    const [notation, cosign, unsigned] = [digestOf("n"), digestOf("c"), digestOf("u")];
    fake
      .repository(ACCOUNT, "signed")
      .image(ACCOUNT, "signed", { digest: notation, tags: ["notation"], scan: complete() })
      .image(ACCOUNT, "signed", { digest: digestOf("sig1"), subject: notation, artifactType: "application/vnd.cncf.notary.signature" })
      .image(ACCOUNT, "signed", { digest: digestOf("att"), subject: cosign, artifactType: "application/vnd.in-toto+json" })
      .image(ACCOUNT, "signed", { digest: cosign, tags: ["cosign"], scan: complete() })
      .image(ACCOUNT, "signed", { digest: digestOf("sig2"), tags: [`${cosign.replace(":", "-")}.sig`] })
      .image(ACCOUNT, "signed", { digest: unsigned, tags: ["unsigned"], scan: complete() });
    const results = await gatherEcr([`${R}/signed:notation`, `${R}/signed:cosign`, `${R}/signed:unsigned`], { ecr: { requireSignature: true } });
    expect(fake.counts()).toMatchObject({ ListImageReferrers: 3, BatchGetImage: 1 });
    expect(factOf(results, `${R}/signed:notation`).signature).toEqual({ signed: true, evidence: ["Notation signature (OCI referrer)"] });
    expect(factOf(results, `${R}/signed:cosign`).signature).toEqual({ signed: true, evidence: [`cosign signature tag ${cosign.replace(":", "-")}.sig`] });
    expect(factOf(results, `${R}/signed:unsigned`).signature).toEqual({ signed: false, evidence: [] });
  });

  it("makes no signature calls unless required", async () => {
    fake.repository(ACCOUNT, "signed").image(ACCOUNT, "signed", { digest: digestOf("x"), tags: ["x"], scan: complete() });
    const f = factOf(await gatherEcr([`${R}/signed:x`]), `${R}/signed:x`);
    expect(f.signature).toBeNull();
    expect(fake.counts()).toMatchObject({ ListImageReferrers: 0, BatchGetImage: 0 });
  });
});

describe("cache", () => {
  const PINNED = () => `${R}/payments/api@${digestOf("pinned")}`;

  beforeEach(() => {
    fake
      .repository(ACCOUNT, "payments/api", { mutability: "MUTABLE" })
      .image(ACCOUNT, "payments/api", { digest: digestOf("pinned"), scan: complete([{ name: "CVE-2024-9", severity: "HIGH" }]) })
      .image(ACCOUNT, "payments/api", { digest: digestOf("tagged"), tags: ["v1"], scan: complete() })
      .image(ACCOUNT, "payments/api", { digest: digestOf("fresh"), tags: ["v2"], scan: { status: "IN_PROGRESS" } });
  });

  it("a recheck within the hour: no call for cached digests, only the tag resolution; pending scans are asked again", async () => {
    const cache = new MemoryEcrCache();
    const t0 = new Date();
    const refs = [PINNED(), `${R}/payments/api:v1`, `${R}/payments/api:v2`];
    await gatherEcr(refs, { cache, now: t0 });
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, DescribeImageScanFindings: 3, DescribeRepositories: 1 });

    fake.resetCalls();
    const again = await gatherEcr([PINNED()], { cache, now: new Date(t0.getTime() + 30 * 60_000) });
    expect(fake.calls).toEqual([]);
    expect(factOf(again, PINNED()).platforms[0]!.scan).toMatchObject({ state: "complete", vulnerabilities: [{ id: "CVE-2024-9" }] });

    fake.resetCalls();
    fake.setScan(ACCOUNT, "payments/api", digestOf("fresh"), complete([{ name: "CVE-2024-7", severity: "CRITICAL" }]));
    const recheck = await gatherEcr(refs, { cache, now: new Date(t0.getTime() + 40 * 60_000) });
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, DescribeImageScanFindings: 1, DescribeRepositories: 0 });
    expect(factOf(recheck, `${R}/payments/api:v2`).platforms[0]!.scan).toMatchObject({ state: "complete", vulnerabilities: [{ id: "CVE-2024-7" }] });
    expect(factOf(recheck, `${R}/payments/api:v1`).repositorySettings).toEqual({ tagMutability: "MUTABLE", exclusionFilters: [] });
  });

  it("remembers an index's platform manifests: a digest-pinned multi-arch image costs no call within the hour", async () => {
    const index = (fixture("batch-get-image.index-and-failure").images as Array<{ imageManifest: string; imageId: { imageDigest: string } }>)[0]!;
    fake
      .image(ACCOUNT, "payments/api", { digest: index.imageId.imageDigest, mediaType: INDEX, manifest: index.imageManifest })
      .image(ACCOUNT, "payments/api", { digest: `sha256:${"1".repeat(64)}`, scan: complete() })
      .image(ACCOUNT, "payments/api", { digest: `sha256:${"2".repeat(64)}`, scan: complete() });
    const cache = new MemoryEcrCache();
    const ref = `${R}/payments/api@${index.imageId.imageDigest}`;
    await gatherEcr([ref], { cache });
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, BatchGetImage: 1, DescribeImageScanFindings: 2 });
    fake.resetCalls();
    const f = factOf(await gatherEcr([ref], { cache }), ref);
    expect(fake.calls).toEqual([]);
    expect(f.platforms.map((p) => [p.platform, p.scan.state])).toEqual([
      ["linux/amd64", "complete"],
      ["linux/arm64", "complete"],
    ]);
  });

  it("after the hour, digests are asked again", async () => {
    const cache = new MemoryEcrCache();
    const t0 = new Date();
    await gatherEcr([PINNED()], { cache, now: t0 });
    fake.resetCalls();
    await gatherEcr([PINNED()], { cache, now: new Date(t0.getTime() + 61 * 60_000) });
    expect(fake.counts()).toMatchObject({ DescribeImages: 1, DescribeImageScanFindings: 1 });
  });

  it("a moved tag is resolved afresh (tags are never cached)", async () => {
    const cache = new MemoryEcrCache();
    await gatherEcr([`${R}/payments/api:v1`], { cache });
    fake.image(ACCOUNT, "payments/api", { digest: digestOf("moved"), tags: ["v1"], scan: complete([{ name: "CVE-2024-8", severity: "CRITICAL" }]) });
    const f = factOf(await gatherEcr([`${R}/payments/api:v1`], { cache }), `${R}/payments/api:v1`);
    expect(f.image).toMatchObject({ digest: digestOf("moved") });
    expect(f.platforms[0]!.scan).toMatchObject({ vulnerabilities: [{ id: "CVE-2024-8" }] });
  });
});
