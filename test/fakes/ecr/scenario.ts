/**
 * The ECR call budget of DESIGN.md, measured: a pull request introducing 50 images across 5 repositories,
 * reviewed twice within the hour (cold, then warm persistent cache on dynalite, as the App and CLI use it),
 * against the loopback ECR-compatible server. Returns the calls per operation of each review.
 */
import { defaultConfig } from "../../../src/core/config.js";
import { gatherFacts } from "../../../src/facts/stage.js";
import { imageRequests } from "../../../src/facts/requests.js";
import { EcrFactsProvider } from "../../../src/aws/ecr/provider.js";
import { parseYamlFile } from "../../../src/parse/yaml-file.js";
import { imageSourcesOf } from "../../../src/parse/image-sources.js";
import { startDynalite } from "../../../src/store/dynalite-server.js";
import { ecrScanCacheFor } from "../../../src/store/ecr-scan-cache.js";
import { openStore } from "../../../src/store/open.js";
import { FakeEcr, type CallCounts } from "./fake-ecr.js";
import { digestOf } from "./fixtures.js";
import { useFake } from "./harness.js";

export interface EcrScenarioResult {
  images: number;
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
    const files = manifests(refs, repositories, perRepository).map((f) => parseYamlFile(f.path, f.text));
    const images = imageRequests(imageSourcesOf(files));
    const cache = ecrScanCacheFor(store);
    const reviewOnce = async (at: Date): Promise<CallCounts> => {
      fake.resetCalls();
      const provider = new EcrFactsProvider({ config: defaultConfig().ecr, env: process.env, cache, now: () => at });
      try {
        const facts = await gatherFacts({ images, providers: [provider], now: at });
        const unavailable = facts.providers[0]?.unavailable ?? 0;
        if (unavailable) throw new Error(`ECR scenario: ${unavailable} images had no facts`);
      } finally {
        provider.close();
      }
      return fake.counts();
    };
    const t0 = new Date();
    const cold = await reviewOnce(t0);
    const warm = await reviewOnce(new Date(t0.getTime() + 30 * 60_000));
    return { images: images.length, repositories, refs, cold, warm };
  } finally {
    restore();
    await store.close();
    await dynamo.close();
    await fake.close();
  }
}
