/**
 * The ECR call budget of DESIGN.md, measured: a pull request introducing 50 images across 5 repositories,
 * reviewed twice within the hour (cold, then warm persistent cache on dynalite, as the App uses it), against the
 * loopback ECR-compatible server. Each review runs the way the App and the CLI run it: prepare the review, gather
 * the facts of the images it introduces through the ECR facts source, evaluate. Returns the calls per operation.
 */
import { defaultConfig } from "../../../src/core/config.js";
import { prepareReview, type FileChange } from "../../../src/core/review.js";
import { gatherReviewFacts } from "../../../src/facts/source.js";
import { ecrFactsSource } from "../../../src/aws/ecr/facts-source.js";
import { ALL_RULES } from "../../../src/rules/index.js";
import { startDynalite } from "../../../src/store/dynalite-server.js";
import { ecrScanCacheFor } from "../../../src/store/ecr-scan-cache.js";
import { openStore } from "../../../src/store/open.js";
import { FakeEcr, type CallCounts } from "./fake-ecr.js";
import { digestOf } from "./fixtures.js";
import { useFake } from "./harness.js";

export interface EcrScenarioResult {
  /** Images the change introduces (asked about). */
  images: number;
  /** ecr/* findings of the cold review (one ecr/critical-vulnerabilities or ecr/high-vulnerabilities per image). */
  findings: number;
  repositories: number;
  /** How the manifests reference the images. */
  refs: "digest" | "tag";
  cold: CallCounts;
  warm: CallCounts;
}

const ACCOUNT = "111122223333";
const HOST = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com`;

/** One Deployment per image, ten per repository, in one changed file per repository. */
function manifests(refs: "digest" | "tag", repositories: number, perRepository: number): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  for (let r = 0; r < repositories; r++) {
    const docs: string[] = [];
    for (let i = 0; i < perRepository; i++) {
      const image = refs === "digest" ? `${HOST}/team${r}/service@${digestOf(`r${r}i${i}`)}` : `${HOST}/team${r}/service:v${i}`;
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${r}-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`);
    }
    files.push({ path: `apps/team${r}/deployments.yaml`, text: docs.join("---\n") });
  }
  return files;
}

export async function runEcrScenario(opts: { refs?: "digest" | "tag"; repositories?: number; perRepository?: number } = {}): Promise<EcrScenarioResult> {
  const refs = opts.refs ?? "digest";
  const repositories = opts.repositories ?? 5;
  const perRepository = opts.perRepository ?? 10;
  const fake = await FakeEcr.start();
  const restore = useFake(fake);
  const dynamo = await startDynalite();
  const store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: "ecr-scenario" });
  try {
    for (let r = 0; r < repositories; r++) {
      fake.repository(ACCOUNT, `team${r}/service`, { mutability: "MUTABLE" });
      for (let i = 0; i < perRepository; i++) {
        fake.image(ACCOUNT, `team${r}/service`, {
          digest: digestOf(`r${r}i${i}`),
          tags: [`v${i}`],
          scan: { status: "COMPLETE", findings: [{ name: `CVE-2026-${r}${i}`, severity: i % 3 === 0 ? "CRITICAL" : "HIGH" }] },
        });
      }
    }
    const changes: FileChange[] = manifests(refs, repositories, perRepository).map((f) => ({ path: f.path, status: "added", head: f.text }));
    const config = defaultConfig();
    const source = ecrFactsSource({ env: process.env, cache: ecrScanCacheFor(store) });
    let images = 0;
    const reviewOnce = async (at: Date): Promise<{ calls: CallCounts; findings: number }> => {
      fake.resetCalls();
      const prepared = prepareReview({ changes, config, rules: ALL_RULES, now: at });
      const { facts, notes } = await gatherReviewFacts({ prepared, changes, config, source, now: at });
      const run = facts.providers[0];
      if (!run?.enabled || notes.length) throw new Error(`ECR scenario: the ECR checks did not run (${notes.join("; ")})`);
      if (run.unavailable) throw new Error(`ECR scenario: ${run.unavailable} images had no facts`);
      images = run.requested;
      const result = prepared.evaluate({ facts });
      return { calls: fake.counts(), findings: result.findings.filter((f) => f.ruleId.startsWith("ecr/")).length };
    };
    try {
      const t0 = new Date();
      const cold = await reviewOnce(t0);
      const warm = await reviewOnce(new Date(t0.getTime() + 30 * 60_000));
      return { images, findings: cold.findings, repositories, refs, cold: cold.calls, warm: warm.calls };
    } finally {
      source.close();
    }
  } finally {
    restore();
    await store.close();
    await dynamo.close();
    await fake.close();
  }
}
