/**
 * The ECR provider as a `FactsSource` for the CLI and the App: one provider per review, built for the repository's
 * `ecr:` config and the environment (`ecrActivation`: on with AWS credentials or `AWS_ENDPOINT_URL_ECR`, off with
 * `ecr.enabled: false` or the CLI's `--no-ecr`). SDK clients are created on the first call, not before, and reused
 * across reviews that configure the same roles (a warm Lambda keeps its sockets and assumed-role credentials).
 */
import type { Config } from "../../core/config.js";
import type { AnyFactsProvider } from "../../core/facts.js";
import type { FactsSource } from "../../facts/source.js";
import type { PersistentEcrCache } from "./cache.js";
import { EcrClients } from "./clients.js";
import { ecrActivation } from "./enabled.js";
import { mentionsEcrRegistry } from "./host.js";
import { EcrFactsProvider } from "./provider.js";

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

export function ecrFactsSource(opts: EcrFactsSourceOptions): EcrFactsSource {
  const clientSets = new Map<string, EcrClients>();
  const clientsFor = (ecr: Config["ecr"]): EcrClients => {
    const key = JSON.stringify([Object.entries(ecr.roles).sort(), ecr.region ?? null]);
    let clients = clientSets.get(key);
    if (!clients) {
      clients = new EcrClients({ env: opts.env, roles: ecr.roles, stsRegion: ecr.region, ...(opts.sessionName ? { sessionName: opts.sessionName } : {}) });
      if (clientSets.size >= MAX_CLIENT_SETS) clientSets.delete(clientSets.keys().next().value!);
      clientSets.set(key, clients);
    }
    return clients;
  };
  return {
    async providersFor(config: Config): Promise<readonly AnyFactsProvider[]> {
      const activation = ecrActivation(opts.env, config.ecr, { cliDisabled: opts.cliDisabled });
      const provider = new EcrFactsProvider({
        config: config.ecr,
        env: opts.env,
        activation,
        // EcrClients builds no SDK client until a call needs one.
        ...(activation.enabled ? { clients: clientsFor(config.ecr) } : {}),
        cache: opts.cache ?? null,
        ...(opts.warn ? { warn: opts.warn } : {}),
      });
      return [provider as AnyFactsProvider];
    },
    mayReference: mentionsEcrRegistry,
    close(): void {
      for (const c of clientSets.values()) c.destroy();
      clientSets.clear();
    },
  };
}
