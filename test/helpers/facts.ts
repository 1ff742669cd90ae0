/**
 * Review facts for rule tests, without a provider: `ecrFacts({ "<image key>": fact | "<unavailable reason>" })`,
 * or a fixture folder's `facts.json` (`{ "asOf": "…", "ecr": { "<image key>": { "fact": {…} } | { "unavailable": "…" } } }`).
 */
import { buildReviewFacts } from "../../src/facts/build.js";
import type { ProviderResult, ReviewFacts } from "../../src/core/facts.js";
import { ECR_FACTS, type EcrImageFact, type EcrScan, type EcrVulnerability } from "../../src/facts/ecr-image-fact.js";
import { parseImageRef } from "../../src/parse/image-ref.js";
import { imageKey } from "../../src/parse/image-sources.js";

export const AS_OF = "2026-11-22T00:00:00.000Z";

export function ecrFacts(entries: Record<string, EcrImageFact | string>, asOf: string = AS_OF): ReviewFacts {
  const results = new Map<string, ProviderResult<EcrImageFact>>();
  const requests = Object.keys(entries).map((raw) => {
    const ref = parseImageRef(raw);
    const key = imageKey(ref);
    const v = entries[raw]!;
    results.set(key, typeof v === "string" ? { kind: "unavailable", reason: v } : { kind: "fact", value: v });
    return { key, ref, locations: [] };
  });
  return buildReviewFacts({
    asOf,
    requests,
    runs: [{ provider: ECR_FACTS.provider, name: "ECR", enabled: true, skipped: null, requested: requests.length, unavailable: 0 }],
    results: new Map([[ECR_FACTS.provider, results]]),
  });
}

interface FactsFixture {
  asOf?: string;
  ecr?: Record<string, { fact: EcrImageFact } | { unavailable: string }>;
}

export function factsFromFixture(json: unknown): ReviewFacts {
  const f = json as FactsFixture;
  const entries: Record<string, EcrImageFact | string> = {};
  for (const [k, v] of Object.entries(f.ecr ?? {})) entries[k] = "fact" in v ? v.fact : v.unavailable;
  return ecrFacts(entries, f.asOf ?? AS_OF);
}

export const DIGEST_A = `sha256:${"a1".repeat(32)}`;
export const DIGEST_B = `sha256:${"b2".repeat(32)}`;

export function vuln(id: string, severity: string, more: Partial<EcrVulnerability> = {}): EcrVulnerability {
  return { id, severity, fix: "yes", exploit: false, packages: [{ name: "openssl", version: "3.0.1", fixedIn: "3.0.15" }], ...more };
}

export function complete(vulnerabilities: EcrVulnerability[] = []): EcrScan {
  return { state: "complete", status: "COMPLETE", completedAt: "2026-11-21T00:00:00.000Z", severityCounts: {}, vulnerabilities };
}

/** A found, scanned, single-platform image fact; override any part. */
export function foundFact(more: Partial<EcrImageFact> & { scan?: EcrScan; digest?: string } = {}): EcrImageFact {
  const { scan, digest = DIGEST_A, ...rest } = more;
  return {
    registryId: "111122223333",
    region: "eu-central-1",
    repository: "payments/api",
    tag: "v2.14.0",
    image: { found: true, digest, mediaType: "application/vnd.docker.distribution.manifest.v2+json", index: false },
    platforms: [{ digest, platform: null, scan: scan ?? complete() }],
    repositorySettings: null,
    signature: null,
    problems: [],
    ...rest,
  };
}
