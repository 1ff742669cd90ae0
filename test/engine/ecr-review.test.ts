/**
 * The facts stage end to end, without the CLI: the images a change introduces → the ECR provider against the
 * loopback ECR-compatible server → review() → ecr/* findings at the lines that introduced them.
 */
import { beforeEach, describe, expect, it } from "@jest/globals";
import { EcrFactsProvider } from "../../src/aws/ecr/provider.js";
import { parseConfig } from "../../src/core/config.js";
import { review, type FileChange } from "../../src/core/review.js";
import { gatherFacts, skippedNotes } from "../../src/facts/stage.js";
import { introducedImageRequests } from "../../src/facts/requests.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";
import type { FakeEcr } from "../fakes/ecr/fake-ecr.js";
import { digestOf } from "../fakes/ecr/fixtures.js";
import { fakeEcrPerTest } from "../fakes/ecr/per-test.js";

const ACCOUNT = "111122223333";
const R = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com`;
const now = new Date("2026-11-22T00:00:00Z");

const deployment = (api: string, worker: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
  namespace: payments
spec:
  template:
    spec:
      containers:
        - name: api
          image: ${api}
        - name: worker
          image: ${worker}
`;

const kustomization = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml]
images:
  - name: web
    newName: ${R}/web
    newTag: ${tag}
`;

const box = fakeEcrPerTest();
let fake: FakeEcr;

beforeEach(() => {
  fake = box.fake;
  const critical = { status: "ACTIVE", enhancedFindings: [{ severity: "CRITICAL", status: "ACTIVE", fixAvailable: "YES", exploitAvailable: "NO", packageVulnerabilityDetails: { vulnerabilityId: "CVE-2026-1000", vulnerablePackages: [{ name: "openssl", version: "3.0.1", fixedInVersion: "3.0.15" }] } }] };
  fake
    .repository(ACCOUNT, "payments/api", { mutability: "MUTABLE" })
    .image(ACCOUNT, "payments/api", { digest: digestOf("api1"), tags: ["v1"], scan: critical })
    .image(ACCOUNT, "payments/api", { digest: digestOf("api2"), tags: ["v2"], scan: critical })
    .repository(ACCOUNT, "payments/worker")
    .image(ACCOUNT, "payments/worker", { digest: digestOf("w1"), tags: ["v1"], scan: critical })
    .repository(ACCOUNT, "web")
    .image(ACCOUNT, "web", { digest: digestOf("web1"), tags: ["1.0"], scan: { status: "COMPLETE", findings: [] } })
    .image(ACCOUNT, "web", { digest: digestOf("web2"), tags: ["1.1"], scan: { status: "IN_PROGRESS" } });
});

async function reviewWithEcr(changes: FileChange[], env: NodeJS.ProcessEnv = process.env) {
  const config = parseConfig({}, RULE_IDS);
  const headFiles = changes.filter((c) => c.head !== undefined).map((c) => parseYamlFile(c.path, c.head!));
  const baseFiles = changes.filter((c) => c.base !== undefined).map((c) => parseYamlFile(c.previousPath ?? c.path, c.base!));
  const provider = new EcrFactsProvider({ config: config.ecr, env });
  try {
    const facts = await gatherFacts({ images: introducedImageRequests(headFiles, baseFiles), providers: [provider], now });
    const result = review({ changes, config, rules: ALL_RULES, now, facts, notes: skippedNotes(facts) });
    return { result, ecr: result.findings.filter((f) => f.ruleId.startsWith("ecr/")) };
  } finally {
    provider.close();
  }
}

describe("ECR findings in a review", () => {
  it("judges only what the change introduces, at the line that introduced it", async () => {
    const { result, ecr } = await reviewWithEcr([
      { path: "apps/payments/deployment.yaml", status: "modified", base: deployment(`${R}/payments/api:v1`, `${R}/payments/worker:v1`), head: deployment(`${R}/payments/api:v2`, `${R}/payments/worker:v1`) },
      { path: "apps/web/kustomization.yaml", status: "modified", base: kustomization("1.0"), head: kustomization("1.1") },
    ]);
    expect(ecr.map((f) => [f.ruleId, f.status, f.file, f.line, f.column, f.path])).toEqual([
      ["ecr/critical-vulnerabilities", "new", "apps/payments/deployment.yaml", 11, 18, "spec.template.spec.containers[0].image"],
      ["ecr/mutable-repository", "new", "apps/payments/deployment.yaml", 11, 18, "spec.template.spec.containers[0].image"],
      ["ecr/scan-incomplete", "new", "apps/web/kustomization.yaml", 7, 13, "images[0].newTag"],
    ]);
    expect(ecr[0]!.message).toContain("CVE-2026-1000 (openssl 3.0.1, fixed in 3.0.15)");
    expect(result.conclusion).toBe("failure");
    // The worker image (already on the base side) was not asked about at all.
    expect(fake.calls.some((c) => c.body.repositoryName === "payments/worker")).toBe(false);
  });

  it("stays silent (with one note) when ECR checks are off", async () => {
    const { result, ecr } = await reviewWithEcr([{ path: "apps/payments/deployment.yaml", status: "added", head: deployment(`${R}/payments/api:v2`, `${R}/payments/worker:v1`) }], {});
    expect(ecr).toEqual([]);
    expect(result.notes).toEqual([expect.stringMatching(/^ECR checks skipped: no AWS credentials/)]);
    expect(fake.calls).toEqual([]);
  });

  it("turns an ECR outage into ecr/scan-unavailable, never a clean result", async () => {
    fake.fail("DescribeImages", "AccessDeniedException", { times: 10, message: `User: x is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/payments/api` });
    const { ecr } = await reviewWithEcr([{ path: "apps/payments/deployment.yaml", status: "added", head: deployment(`${R}/payments/api:v2`, "nginx:1.27") }]);
    expect(ecr.map((f) => [f.ruleId, f.line, f.message.split("unavailable: ")[1]])).toEqual([
      ["ecr/scan-unavailable", 11, `access denied: not authorized to perform ecr:DescribeImages on arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/payments/api.`],
    ]);
  });
});
