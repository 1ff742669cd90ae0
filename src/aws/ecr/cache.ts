/**
 * What the ECR provider keeps across reviews, by content: a digest's manifest kind, an index's platform
 * children, a finished scan and a found signature never change for a digest (scans are re-read after the TTL);
 * a repository's tag mutability rarely does. Tags are never cached: they move.
 */
import type { EcrRepositorySettings, EcrScan } from "../../facts/ecr-image-fact.js";
import { registryName } from "./host.js";
import type { IndexChild } from "./normalize.js";

export const CACHE_TTL_SECONDS = 60 * 60;

/** What is known about one digest (a manifest or an index) of one repository. */
export interface CachedDigest {
  mediaType: string | null;
  /** For an index: its platform manifests. */
  children?: IndexChild[];
  /** For a manifest: its scan, when final (complete, or an image ECR cannot scan). */
  scan?: EcrScan;
  /** Present only when a signature was found (absence is re-checked: a signature can be added any time). */
  signature?: { evidence: string[] };
}

export interface CacheItemKey {
  /** `ECR#<account>.dkr.ecr.<region>/<repository>@<digest>` or `ECR#<account>.dkr.ecr.<region>/<repository>`. */
  pk: string;
  sk: "SCAN" | "REPOSITORY";
}

export interface CacheItem<V = unknown> extends CacheItemKey {
  value: V;
}

/** The persistent cache port (DynamoDB in production, see src/store/ecr-scan-cache.ts). */
export interface PersistentEcrCache {
  /** Unexpired items among `keys`, by `itemId(key)`; a miss is simply absent. */
  read(keys: readonly CacheItemKey[], now: Date): Promise<Map<string, unknown>>;
  /** Stores items for CACHE_TTL_SECONDS from `now`. */
  write(items: readonly CacheItem[], now: Date): Promise<void>;
}

export function itemId(k: CacheItemKey): string {
  return `${k.pk}|${k.sk}`;
}

export function digestKey(r: { registryId: string; region: string; repository: string }, digest: string): CacheItemKey {
  return { pk: `ECR#${registryName(r)}/${r.repository}@${digest}`, sk: "SCAN" };
}

export function repositoryKey(r: { registryId: string; region: string; repository: string }): CacheItemKey {
  return { pk: `ECR#${registryName(r)}/${r.repository}`, sk: "REPOSITORY" };
}

/** Accepts a cached value only if it has the shape this version writes (anything else is a miss). */
export function asCachedDigest(v: unknown): CachedDigest | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!(o.mediaType === null || typeof o.mediaType === "string")) return null;
  if (o.children !== undefined && !Array.isArray(o.children)) return null;
  if (o.scan !== undefined && (typeof o.scan !== "object" || o.scan === null || typeof (o.scan as { state?: unknown }).state !== "string")) return null;
  return o as unknown as CachedDigest;
}

export function asRepositorySettings(v: unknown): EcrRepositorySettings | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.tagMutability !== "string" || !Array.isArray(o.exclusionFilters)) return null;
  return { tagMutability: o.tagMutability, exclusionFilters: o.exclusionFilters.filter((f): f is string => typeof f === "string") };
}

/** An in-memory PersistentEcrCache (tests, and a long-lived process without a table). Honours the TTL. */
export class MemoryEcrCache implements PersistentEcrCache {
  private readonly items = new Map<string, { value: unknown; expiresAt: number }>();

  async read(keys: readonly CacheItemKey[], now: Date): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const t = Math.floor(now.getTime() / 1000);
    for (const k of keys) {
      const hit = this.items.get(itemId(k));
      if (hit && hit.expiresAt > t) out.set(itemId(k), structuredClone(hit.value));
    }
    return out;
  }

  async write(items: readonly CacheItem[], now: Date): Promise<void> {
    const expiresAt = Math.floor(now.getTime() / 1000) + CACHE_TTL_SECONDS;
    for (const i of items) this.items.set(itemId(i), { value: structuredClone(i.value), expiresAt });
  }

  get size(): number {
    return this.items.size;
  }
}
