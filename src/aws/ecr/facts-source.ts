/**
 * The ECR provider as a `FactsSource` for the CLI and the App: one provider per review, built for the repository's
 * `ecr:` config and the environment (`ecrActivation`: on with AWS credentials or `AWS_ENDPOINT_URL_ECR`, off with
 * `ecr.enabled: false` or the CLI's `--no-ecr`). SDK clients are created on the first call, not before, and reused
 * across reviews that configure the same roles (a warm Lambda keeps its sockets and assumed-role credentials).
 * The provider and the AWS SDK are loaded only when the checks run: a CLI run without credentials (or with
 * `--no-ecr`) does not pay the SDK's import (~0.3 s per process), yet still says once that the checks were skipped.
 */
import type { Config } from "../../core/config.js";
import type { AnyFactsProvider } from "../../core/facts.js";
import type { FactsSource } from "../../facts/source.js";
import { ECR_FACTS } from "../../facts/ecr-image-fact.js";
import type { PersistentEcrCache } from "./cache.js";
import type { EcrClients } from "./clients.js";
import { ecrActivation } from "./enabled.js";
import { mentionsEcrRegistry, parseEcrHost } from "./host.js";

export interface EcrFactsSourceOptions {
  /** The environment activation, endpoints and static keys are read from. */
  env: NodeJS.ProcessEnv;
  /** The persistent digest cache (the decision store's table); null: memory for each review only. */
  cache?: PersistentEcrCache | null;
  /** The CLI's `--no-ecr`. */
  cliDisabled?: boolean;
  /** Cache trouble (it never fails a review, it only costs calls). */
  warn?: (message: string) => void;
  /** Session name on assumed roles (CloudTrail). */
  sessionName?: string;
}

export interface EcrFactsSource extends FactsSource {
  /** Releases the SDK clients (sockets); a CLI run calls it when it is done. */
  close(): void;
}

/** Client sets kept at once (one per distinct `ecr.roles`/`ecr.region`); beyond it the oldest is dropped. */
const MAX_CLIENT_SETS = 32;

/** The ECR provider of a review where the checks do not run: covers the same images, so the stage can say so once. */
function disabledEcrProvider(reason: string): AnyFactsProvider {
  return {
    slot: ECR_FACTS as AnyFactsProvider["slot"],
    name: "ECR",
    enabled: false,
    disabledReason: reason,
    covers: (ref) => parseEcrHost(ref.registry) !== null,
    gather: () => Promise.reject(new Error("the ECR checks are off")),
  };
}

export function ecrFactsSource(opts: EcrFactsSourceOptions): EcrFactsSource {
  const clientSets = new Map<string, EcrClients>();
  let modules: Promise<[typeof import("./clients.js"), typeof import("./provider.js")]> | null = null;
  return {
    async providersFor(config: Config): Promise<readonly AnyFactsProvider[]> {
      const activation = ecrActivation(opts.env, config.ecr, { cliDisabled: opts.cliDisabled });
      if (!activation.enabled) return [disabledEcrProvider(activation.reason)];
      const [{ EcrClients }, { EcrFactsProvider }] = await (modules ??= Promise.all([import("./clients.js"), import("./provider.js")]));
      const key = JSON.stringify([Object.entries(config.ecr.roles).sort(), config.ecr.region ?? null]);
      let clients = clientSets.get(key);
      if (!clients) {
        // EcrClients builds no SDK client until a call needs one.
        clients = new EcrClients({ env: opts.env, roles: config.ecr.roles, stsRegion: config.ecr.region, ...(opts.sessionName ? { sessionName: opts.sessionName } : {}) });
        if (clientSets.size >= MAX_CLIENT_SETS) clientSets.delete(clientSets.keys().next().value!);
        clientSets.set(key, clients);
      }
      const provider = new EcrFactsProvider({ config: config.ecr, env: opts.env, activation, clients, cache: opts.cache ?? null, ...(opts.warn ? { warn: opts.warn } : {}) });
      return [provider as AnyFactsProvider];
    },
    mayReference: mentionsEcrRegistry,
    close(): void {
      for (const c of clientSets.values()) c.destroy();
      clientSets.clear();
    },
  };
}
