export { EcrFactsProvider, type EcrProviderOptions } from "./provider.js";
export { EcrClients, type EcrClientsOptions } from "./clients.js";
export { ecrActivation, type EcrActivation } from "./enabled.js";
export { MemoryEcrCache, CACHE_TTL_SECONDS, type PersistentEcrCache, type CachedDigest } from "./cache.js";
export { ECR_FACTS, type EcrImageFact, type EcrScan, type EcrVulnerability, type EcrPlatformScan, type EcrRepositorySettings } from "../../facts/ecr-image-fact.js";
export { parseEcrHost, ecrImageOf, mentionsEcrRegistry, type EcrRegistry, type EcrImageId } from "./host.js";
export { ecrFactsSource, type EcrFactsSource, type EcrFactsSourceOptions } from "./facts-source.js";
