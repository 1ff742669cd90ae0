/** Runs the ECR provider against the fake server, the way the facts stage calls it. */
import { defaultConfig, type Config } from "../../../src/core/config.js";
import type { ProviderResult } from "../../../src/core/facts.js";
import type { EcrImageFact } from "../../../src/facts/ecr-image-fact.js";
import { EcrClients } from "../../../src/aws/ecr/clients.js";
import type { PersistentEcrCache } from "../../../src/aws/ecr/cache.js";
import { EcrFactsProvider } from "../../../src/aws/ecr/provider.js";
import { parseImageRef } from "../../../src/parse/image-ref.js";
import { imageKey } from "../../../src/parse/image-sources.js";
import type { FakeEcr } from "./fake-ecr.js";

export const HUB_KEY = "AKIDHUBEXAMPLE";

/** Points the SDK at the fake (ECR and STS) with dummy hub credentials; returns a function that restores the environment. */
export function useFake(fake: FakeEcr): () => void {
  const keys = ["AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL_STS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_PROFILE"] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  process.env.AWS_ENDPOINT_URL_ECR = fake.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = fake.endpoint;
  process.env.AWS_ACCESS_KEY_ID = HUB_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = "hub-secret";
  process.env.AWS_REGION = "eu-central-1";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

export interface GatherOptions {
  ecr?: Partial<Config["ecr"]>;
  cache?: PersistentEcrCache | null;
  clients?: EcrClients;
  now?: Date;
}

/** The provider's answer per raw reference. */
export async function gatherEcr(raws: readonly string[], opts: GatherOptions = {}): Promise<Map<string, ProviderResult<EcrImageFact>>> {
  const config = { ...defaultConfig().ecr, ...opts.ecr };
  const provider = new EcrFactsProvider({ config, env: process.env, clients: opts.clients, cache: opts.cache ?? null, now: opts.now ? () => opts.now! : undefined });
  try {
    const requests = raws.map((raw) => {
      const ref = parseImageRef(raw);
      return { key: imageKey(ref), ref, locations: [] };
    });
    const byKey = await provider.gather(requests);
    return new Map(requests.map((r, i) => [raws[i]!, byKey.get(r.key)!]));
  } finally {
    provider.close();
  }
}

/** The fact of a reference, failing the test when the provider had none. */
export function factOf(results: Map<string, ProviderResult<EcrImageFact>>, raw: string): EcrImageFact {
  const r = results.get(raw);
  if (!r || r.kind !== "fact") throw new Error(`no fact for ${raw}: ${JSON.stringify(r)}`);
  return r.value;
}
