/**
 * The installed command as a process (bin/gitops-guard.js over dist/), reviewing two directories with
 * `AWS_ENDPOINT_URL_ECR` pointing at the loopback ECR-compatible server, dummy credentials, no AWS_REGION and no
 * config file: ecr/* findings at the lines that introduced each image (container `image:`, Helm values `tag`,
 * a Kustomize overlay's `newTag` as Argo CD renders it), calls counted; `--no-ecr` and missing credentials make no
 * call and say so once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { startDynalite } from "../../src/store/dynalite-server.js";
import { FakeEcr, type FakeScan } from "../fakes/ecr/fake-ecr.js";
import { digestOf } from "../fakes/ecr/fixtures.js";
import { tree } from "../helpers/cli.js";

const ROOT = resolve(".");
const BIN = join(ROOT, "bin/gitops-guard.js");
const built = existsSync(join(ROOT, "dist/cli/main.js"));

const ACCOUNT = "111122223333";
const EU = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const US = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const CN = `${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn`;
const FIPS = `${ACCOUNT}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`;

const critical = (id: string, pkg = "openssl", fixed = "3.0.15"): FakeScan => ({
  status: "ACTIVE",
  enhancedFindings: [
    {
      severity: "CRITICAL",
      status: "ACTIVE",
      fixAvailable: "YES",
      exploitAvailable: "NO",
      packageVulnerabilityDetails: { vulnerabilityId: id, vulnerablePackages: [{ name: pkg, version: "3.0.1", fixedInVersion: fixed }] },
    },
  ],
});
const clean: FakeScan = { status: "COMPLETE", findings: [] };

const deployment = (name: string, images: string[]) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
${images.map((image, i) => `        - name: c${i}\n          image: ${image}\n`).join("")}`;

const values = (tag: string) => `replicaCount: 2
image:
  registry: ${US}
  repository: billing/worker
  tag: "${tag}"
`;

const overlay = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ${EU}/web
    newTag: "${tag}"
`;

const BASE_FILES = {
  "apps/payments/deployment.yaml": deployment("payments", [`${EU}/payments/api:v1`, `${EU}/payments/sidecar:v1`]),
  "charts/billing/values.yaml": values("1.0"),
  "web/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  "web/base/deployment.yaml": deployment("web", [`${EU}/web:1.0`]),
  "web/overlays/prod/kustomization.yaml": overlay("1.0"),
};

const HEAD_FILES = {
  ...BASE_FILES,
  // v2 has a critical CVE; the sidecar is unchanged (never asked about); three more regions, one FIPS; a missing tag.
  "apps/payments/deployment.yaml": deployment("payments", [`${EU}/payments/api:v2`, `${EU}/payments/sidecar:v1`, `${US}/audit@${digestOf("audit")}`, `${CN}/china/app:v1`, `${FIPS}/gov/app:v1`, `${EU}/payments/api:v9-missing`]),
  "charts/billing/values.yaml": values("2.0"),
  "web/overlays/prod/kustomization.yaml": overlay("1.1"),
};

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // Asynchronous: the fake ECR server answers from this process's event loop.
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, maxBuffer: 20 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; line: number; column: number; status: string; message: string }>;
  notes: string[];
  images?: Array<{ image: string; scan: string; digest: string | null; critical: { count: number; fixable: number } | null; vulnerabilities: Array<{ id: string; fixedIn: string | null }> }>;
}

(built ? describe : describe.skip)("gitops-guard review of two directories against a loopback ECR (needs dist/)", () => {
  let fake: FakeEcr;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeEcr.start();
    fake
      .repository(ACCOUNT, "payments/api", { mutability: "IMMUTABLE" })
      .image(ACCOUNT, "payments/api", { digest: digestOf("api1"), tags: ["v1"], scan: clean })
      .image(ACCOUNT, "payments/api", { digest: digestOf("api2"), tags: ["v2"], scan: critical("CVE-2026-1000") })
      .repository(ACCOUNT, "payments/sidecar")
      .image(ACCOUNT, "payments/sidecar", { digest: digestOf("side"), tags: ["v1"], scan: clean })
      .repository(ACCOUNT, "audit")
      .image(ACCOUNT, "audit", { digest: digestOf("audit"), scan: clean })
      .repository(ACCOUNT, "china/app")
      .image(ACCOUNT, "china/app", { digest: digestOf("cn"), tags: ["v1"], scan: clean })
      .repository(ACCOUNT, "gov/app")
      .image(ACCOUNT, "gov/app", { digest: digestOf("gov"), tags: ["v1"], scan: { status: "IN_PROGRESS" } })
      .repository(ACCOUNT, "billing/worker")
      .image(ACCOUNT, "billing/worker", { digest: digestOf("b1"), tags: ["1.0"], scan: clean })
      .image(ACCOUNT, "billing/worker", { digest: digestOf("b2"), tags: ["2.0"], scan: critical("CVE-2026-2000", "glibc", "2.39-1") })
      .repository(ACCOUNT, "web")
      .image(ACCOUNT, "web", { digest: digestOf("web10"), tags: ["1.0"], scan: clean })
      .image(ACCOUNT, "web", { digest: digestOf("web11"), tags: ["1.1"], scan: critical("CVE-2026-3000", "zlib", "1.3.1") });
    dir = tree(Object.fromEntries([...Object.entries(BASE_FILES).map(([p, c]) => [`base/${p}`, c]), ...Object.entries(HEAD_FILES).map(([p, c]) => [`head/${p}`, c])]));
    env = { AWS_ENDPOINT_URL_ECR: fake.endpoint, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" };
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.resetCalls());

  it("reports each introduced ECR image at the line that introduced it, with one DescribeImages per repository and one scan lookup per digest", async () => {
    const r = await run(["review", "--base", "base", "--head", "head", "--format", "json"], env, dir);
    expect(r.stderr).toBe("gitops-guard: defaults (no .github/gitops-guard.yml in the base directory base)\n");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as JsonOut;
    const ecr = json.findings.filter((f) => f.ruleId.startsWith("ecr/")).map((f) => [f.ruleId, f.file, f.line, f.column]);
    expect(ecr).toEqual(
      expect.arrayContaining([
        ["ecr/critical-vulnerabilities", "apps/payments/deployment.yaml", 10, 18],
        ["ecr/image-not-found", "apps/payments/deployment.yaml", 20, 18],
        ["ecr/scan-incomplete", "apps/payments/deployment.yaml", 18, 18],
        ["ecr/critical-vulnerabilities", "charts/billing/values.yaml", 5, 8],
        ["ecr/critical-vulnerabilities", "web/overlays/prod/kustomization.yaml", 7, 13],
      ]),
    );
    expect(ecr).toHaveLength(5);
    expect(json.findings.find((f) => f.file === "web/overlays/prod/kustomization.yaml")!.message).toContain("CVE-2026-3000 (zlib 3.0.1, fixed in 1.3.1)");
    // The repositories of unchanged images were never asked about; every call counted.
    expect(fake.calls.some((c) => c.body.repositoryName === "payments/sidecar")).toBe(false);
    // Repositories: payments/api (2 tags), audit, china/app, gov/app, billing/worker, web → 6 DescribeImages; the missing
    // tag makes payments/api's batch fall back to one BatchGetImage. Digests: api2, audit, cn, gov, b2, web11 → 6 lookups.
    expect(fake.counts()).toEqual({ DescribeImages: 6, BatchGetImage: 1, DescribeImageScanFindings: 6, DescribeRepositories: 5, ListImageReferrers: 0, AssumeRole: 0 });
    // Each registry's region, from its host (no AWS_REGION).
    expect(new Set(fake.calls.map((c) => c.region))).toEqual(new Set(["eu-west-1", "us-east-1", "cn-north-1", "us-gov-west-1"]));
    // The Images part of the JSON report.
    const images = json.images!;
    expect(images.map((i) => [i.image, i.scan])).toEqual([
      [`${EU}/payments/api:v9-missing`, "not-found"],
      [`${EU}/payments/api:v2`, "complete"],
      [`${EU}/web:1.1`, "complete"],
      [`${US}/billing/worker:2.0`, "complete"],
      [`${FIPS}/gov/app:v1`, "pending"],
      [`${CN}/china/app:v1`, "complete"],
      [`${US}/audit@${digestOf("audit")}`, "complete"],
    ]);
    expect(images[1]).toMatchObject({ digest: digestOf("api2"), critical: { count: 1, fixable: 1 }, vulnerabilities: [{ id: "CVE-2026-1000", fixedIn: "3.0.15" }] });
  });

  it("shows the images in text and markdown output", async () => {
    const text = await run(["review", "--base", "base", "--head", "head"], env, dir);
    expect(text.stdout).toMatch(/^images: 7 images this change introduces on Amazon ECR: 1 not found, 3 with critical vulnerabilities, 1 scan pending, 2 clean\.$/m);
    expect(text.stdout).toContain(`  ${EU}/payments/api:v2  sha256:${"61706932".padEnd(12, "0")}  scanned (ACTIVE)  critical 1 (1 fixable)  high 0  CVE-2026-1000 openssl 3.0.1 → 3.0.15`);
    const md = await run(["review", "--base", "base", "--head", "head", "--format", "markdown"], env, dir);
    expect(md.stdout).toContain("#### Images (7)\n\n<details><summary>7 images this change introduces on Amazon ECR: 1 not found, 3 with critical vulnerabilities, 1 scan pending, 2 clean.</summary>");
    expect(md.stdout).toContain("| Image | Scan | Critical | High | Top CVEs |");
    expect(md.stdout).toContain("| `payments/api:v2`<br><sub>sha256:617069320000 · 111122223333 eu-west-1</sub> | ✅ scanned (ACTIVE) | **1**<br><sub>1 fixable</sub> | 0 | CVE-2026-1000<br><sub>openssl 3.0.1 → 3.0.15</sub> |");
  });

  it("--no-ecr: no ECR finding and no call, one note", async () => {
    const r = await run(["review", "--base", "base", "--head", "head", "--format", "json", "--no-ecr"], env, dir);
    const json = JSON.parse(r.stdout) as JsonOut;
    expect(json.findings.filter((f) => f.ruleId.startsWith("ecr/"))).toEqual([]);
    expect(json.images).toBeUndefined();
    expect(json.notes.filter((n) => n.startsWith("ECR"))).toEqual(["ECR checks skipped: turned off by --no-ecr"]);
    expect(fake.calls).toEqual([]);
  });

  it("without credentials and endpoint: no call, and it says once that the ECR checks were skipped (stderr and a report note)", async () => {
    const r = await run(["review", "--base", "base", "--head", "head", "--format", "json"], {}, dir);
    const json = JSON.parse(r.stdout) as JsonOut;
    expect(json.findings.filter((f) => f.ruleId.startsWith("ecr/"))).toEqual([]);
    expect(json.notes.filter((n) => /ECR/.test(n))).toEqual([expect.stringMatching(/^ECR checks skipped: no AWS credentials/)]);
    expect(r.stderr.split("\n").filter((l) => /ECR/.test(l))).toEqual([expect.stringMatching(/^gitops-guard: ECR checks skipped: no AWS credentials/)]);
    expect(fake.calls).toEqual([]);
  });

  it("shares the decision store's one-hour scan cache when the environment names one: a second run asks only for tags and pending scans", async () => {
    const dynamo = await startDynalite();
    try {
      const withStore = { ...env, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: "ecr-cli-cache" };
      const first = await run(["review", "--base", "base", "--head", "head", "--format", "json"], withStore, dir);
      expect(first.code).toBe(1);
      expect(fake.counts().DescribeImageScanFindings).toBe(6);
      fake.resetCalls();
      const second = await run(["review", "--base", "base", "--head", "head", "--format", "json"], withStore, dir);
      expect(JSON.parse(second.stdout).findings.filter((f: { ruleId: string }) => f.ruleId.startsWith("ecr/"))).toHaveLength(5);
      // Tags resolve again (they move; the digest-pinned audit image needs no call at all); finished scans and tag
      // mutability come from the cache; the pending scan is asked again.
      expect(fake.counts()).toEqual({ DescribeImages: 5, BatchGetImage: 1, DescribeImageScanFindings: 1, DescribeRepositories: 0, ListImageReferrers: 0, AssumeRole: 0 });
      expect(second.stderr).not.toMatch(/cache/i);
    } finally {
      await dynamo.close();
    }
  });

  it("scan of a directory: every ECR image is introduced", async () => {
    const r = await run(["scan", "head/apps", "--format", "json"], env, dir);
    const json = JSON.parse(r.stdout) as JsonOut;
    expect(json.images!.map((i) => i.image)).toContain(`${EU}/payments/sidecar:v1`);
    expect(json.findings.filter((f) => f.ruleId === "ecr/critical-vulnerabilities").map((f) => [f.file, f.line])).toEqual([["head/apps/payments/deployment.yaml", 10]]);
  });
});
