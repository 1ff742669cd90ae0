/**
 * The ECR facts provider. For the images a review introduces on ECR private registries it finds, with as few
 * calls as the API allows:
 * - per repository, DescribeImages in batches of ≤ 100 ids (tags resolve to digests here); one missing id fails
 *   the whole call, so that batch falls back to BatchGetImage, which reports failures per item;
 * - image indexes expanded to their platform manifests with BatchGetImage (attestation manifests skipped; ECR
 *   scans platform manifests, never an index);
 * - DescribeImageScanFindings, all pages, once per unique digest;
 * - DescribeRepositories once per repository, only for references by tag (tag mutability);
 * - with `requireSignature`, ListImageReferrers per digest and one BatchGetImage probe per repository for the
 *   cosign `sha256-<hex>.sig` tags.
 * Digests are cached: in memory for the review, and in the persistent cache for an hour (finished scans, index
 * children, found signatures, repository settings). A tag is resolved afresh on every review: tags move. So a
 * digest-pinned image seen within the hour costs no call; an image by tag costs its share of one DescribeImages.
 */
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ListImageReferrersCommand,
  paginateDescribeImageScanFindings,
  type DescribeImageScanFindingsResponse,
  type ECRClient,
  type ImageIdentifier,
} from "@aws-sdk/client-ecr";
import type { Config } from "../../core/config.js";
import type { FactsProvider, ImageFactRequest, ProviderResult } from "../../core/facts.js";
import type { ImageRef } from "../../parse/image-ref.js";
import {
  asCachedDigest,
  asRepositorySettings,
  digestKey,
  itemId,
  repositoryKey,
  type CachedDigest,
  type CacheItem,
  type CacheItemKey,
  type PersistentEcrCache,
} from "./cache.js";
import { EcrClients } from "./clients.js";
import { ecrActivation, type EcrActivation } from "./enabled.js";
import { reasonOf } from "./errors.js";
import { ECR_FACTS, type EcrImageFact, type EcrImageState, type EcrPlatformScan, type EcrRepositorySettings, type EcrScan } from "../../facts/ecr-image-fact.js";
import { ecrImageOf, parseEcrHost, registryName, type EcrImageId } from "./host.js";
import { ACCEPTED_MEDIA_TYPES, cosignSignatureTag, indexChildren, isCacheableScan, isIndexMediaType, isSignatureArtifact, scanFromPages, type IndexChild } from "./normalize.js";

const BATCH = 100;
const MAX_PAGES = 100;
const MISSING_IMAGE_FAILURES = new Set(["ImageNotFound", "InvalidImageTag", "InvalidImageDigest", "ImageTagDoesNotMatchDigest", "MissingDigestAndTag"]);

export interface EcrProviderOptions {
  config: Config["ecr"];
  env: NodeJS.ProcessEnv;
  /** Default: ecrActivation(env, config). */
  activation?: EcrActivation;
  /** Default: clients from `env` and `config.roles`/`config.region`; pass one to share it across reviews. */
  clients?: EcrClients;
  /** The persistent digest cache (the decision store's table); none: memory for this review only. */
  cache?: PersistentEcrCache | null;
  now?: () => Date;
  /** Where cache trouble is reported (it never fails a review: it only costs calls). */
  warn?: (message: string) => void;
}

export class EcrFactsProvider implements FactsProvider<EcrImageFact> {
  readonly slot = ECR_FACTS;
  readonly name = "ECR";
  readonly enabled: boolean;
  readonly disabledReason?: string;
  private clientsCache: EcrClients | null;

  constructor(private readonly opts: EcrProviderOptions) {
    const activation = opts.activation ?? ecrActivation(opts.env, opts.config);
    this.enabled = activation.enabled;
    if (!activation.enabled) this.disabledReason = activation.reason;
    this.clientsCache = opts.clients ?? null;
  }

  private get clients(): EcrClients {
    this.clientsCache ??= new EcrClients({ env: this.opts.env, roles: this.opts.config.roles, stsRegion: this.opts.config.region });
    return this.clientsCache;
  }

  covers(ref: ImageRef): boolean {
    return parseEcrHost(ref.registry) !== null;
  }

  gather(requests: readonly ImageFactRequest[], signal?: AbortSignal): Promise<ReadonlyMap<string, ProviderResult<EcrImageFact>>> {
    const now = this.opts.now?.() ?? new Date();
    return new ReviewGather(this.clients, this.opts, now, signal).run(requests);
  }

  /** Releases the SDK clients (sockets) of a provider that built its own. */
  close(): void {
    if (!this.opts.clients) this.clientsCache?.destroy();
  }
}

interface Ref {
  key: string;
  id: EcrImageId;
}

interface RepoWork {
  id: EcrImageId;
  refs: Ref[];
}

type Resolution =
  | { kind: "found"; digest: string; mediaType: string | null; manifest?: string }
  | { kind: "missing"; missing: "repository" | "image"; detail: string }
  | { kind: "error"; reason: string };

function idKey(id: ImageIdentifier): string {
  return id.imageDigest ? `@${id.imageDigest}` : `:${id.imageTag ?? ""}`;
}

function refIdKey(id: EcrImageId): string {
  return id.digest ? `@${id.digest}` : `:${id.tag}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function errName(err: unknown): string {
  return err instanceof Error ? err.name : "";
}

/** One review's gathering: its in-memory cache lives and dies with it. */
class ReviewGather {
  /** Digest entries by cache item id: what the persistent cache had, plus what this review learned. */
  private readonly digests = new Map<string, CachedDigest>();
  private readonly repoSettings = new Map<string, EcrRepositorySettings>();
  private readonly scans = new Map<string, Promise<EcrScan>>();
  private readonly dirty = new Map<string, CacheItem>();
  /** Cache items already asked for (hit or miss): each is read at most once per review. */
  private readonly cacheTried = new Set<string>();

  constructor(
    private readonly clients: EcrClients,
    private readonly opts: EcrProviderOptions,
    private readonly now: Date,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async run(requests: readonly ImageFactRequest[]): Promise<Map<string, ProviderResult<EcrImageFact>>> {
    const results = new Map<string, ProviderResult<EcrImageFact>>();
    const repos = new Map<string, RepoWork>();
    for (const req of requests) {
      const parsed = ecrImageOf(req.ref);
      if (parsed === null) continue;
      if (!parsed.ok) {
        const { registry, repository, problem } = parsed;
        results.set(req.key, {
          kind: "fact",
          value: fact({ ...registry, repository, tag: req.ref.tag, digest: req.ref.digest }, { found: false, missing: "image", detail: problem }),
        });
        continue;
      }
      const k = `${registryName(parsed.id)}/${parsed.id.repository}`;
      let work = repos.get(k);
      if (!work) {
        work = { id: parsed.id, refs: [] };
        repos.set(k, work);
      }
      work.refs.push({ key: req.key, id: parsed.id });
    }
    const works = [...repos.values()];
    await this.readCache(
      works.flatMap((w) => [
        ...w.refs.filter((r) => r.id.digest !== null).map((r) => digestKey(w.id, r.id.digest!)),
        ...(w.refs.some((r) => r.id.digest === null) ? [repositoryKey(w.id)] : []),
      ]),
    );
    await Promise.all(works.map((w) => this.repository(w, results)));
    await this.writeCache();
    return results;
  }

  private send<T>(w: RepoWork, call: (client: ECRClient, opts: { abortSignal?: AbortSignal }) => Promise<T>): Promise<T> {
    return this.clients.limiter(w.id).run(() => call(this.clients.client(w.id), this.signal ? { abortSignal: this.signal } : {}));
  }

  private async readCache(keys: CacheItemKey[]): Promise<void> {
    const cache = this.opts.cache;
    const wanted = keys.filter((k) => !this.cacheTried.has(itemId(k)));
    for (const k of wanted) this.cacheTried.add(itemId(k));
    if (!cache || wanted.length === 0) return;
    let found: Map<string, unknown>;
    try {
      found = await cache.read(wanted, this.now);
    } catch (err) {
      this.opts.warn?.(`ECR cache read failed (${errName(err) || "error"}); querying ECR instead`);
      return;
    }
    for (const k of wanted) {
      const v = found.get(itemId(k));
      if (v === undefined) continue;
      if (k.sk === "SCAN") {
        const d = asCachedDigest(v);
        if (d) this.digests.set(itemId(k), d);
      } else {
        const s = asRepositorySettings(v);
        if (s) this.repoSettings.set(itemId(k), s);
      }
    }
  }

  private async writeCache(): Promise<void> {
    const cache = this.opts.cache;
    if (!cache || this.dirty.size === 0) return;
    try {
      await cache.write([...this.dirty.values()], this.now);
    } catch (err) {
      this.opts.warn?.(`ECR cache write failed (${errName(err) || "error"}); the next review queries ECR again`);
    }
  }

  private remember(key: CacheItemKey, value: CachedDigest | EcrRepositorySettings): void {
    this.dirty.set(itemId(key), { ...key, value });
  }

  private digestEntry(w: RepoWork, digest: string): CachedDigest | undefined {
    return this.digests.get(itemId(digestKey(w.id, digest)));
  }

  private updateDigest(w: RepoWork, digest: string, patch: Partial<CachedDigest> & { mediaType: string | null }): void {
    const key = digestKey(w.id, digest);
    const merged: CachedDigest = { ...this.digests.get(itemId(key)), ...patch };
    this.digests.set(itemId(key), merged);
    // Only what stays true for an hour is written: a finished scan, index children, a found signature.
    const durable: CachedDigest = { mediaType: merged.mediaType };
    if (merged.children) durable.children = merged.children;
    if (merged.scan && isCacheableScan(merged.scan)) durable.scan = merged.scan;
    if (merged.signature) durable.signature = merged.signature;
    if (durable.children || durable.scan || durable.signature) this.remember(key, durable);
  }

  private async repository(w: RepoWork, results: Map<string, ProviderResult<EcrImageFact>>): Promise<void> {
    const byTag = w.refs.some((r) => r.id.digest === null);
    const settings = byTag ? this.settings(w) : Promise.resolve(null);

    // 1. Resolve references to digests (cached digests are known to exist: they were seen within the hour).
    const resolutions = new Map<string, Resolution>();
    const ids = new Map<string, ImageIdentifier>();
    for (const r of w.refs) {
      const cached = r.id.digest ? this.digestEntry(w, r.id.digest) : undefined;
      if (cached) resolutions.set(refIdKey(r.id), { kind: "found", digest: r.id.digest!, mediaType: cached.mediaType });
      else ids.set(refIdKey(r.id), r.id.digest ? { imageDigest: r.id.digest } : { imageTag: r.id.tag! });
    }
    for (const [k, v] of await this.resolve(w, [...ids.values()])) resolutions.set(k, v);

    const found = [...new Map([...resolutions.values()].flatMap((r) => (r.kind === "found" ? [[r.digest, r] as const] : []))).values()];
    await this.readCache(found.map((f) => digestKey(w.id, f.digest)));

    for (const f of found) if (!this.digestEntry(w, f.digest)) this.digests.set(itemId(digestKey(w.id, f.digest)), { mediaType: f.mediaType });

    // 2. Platforms of each digest: an index's children, or the manifest itself.
    const platforms = await this.platforms(w, found);

    // 3. Scans (one lookup per unique digest) and, when required, signatures.
    const scanDigests = [...new Set([...platforms.values()].flatMap((p) => (p.kind === "ok" ? p.children.map((c) => c.digest) : [])))];
    await this.readCache(scanDigests.map((d) => digestKey(w.id, d)));
    const scanned = new Map<string, EcrScan>();
    const signatures = this.opts.config.requireSignature ? this.signatures(w, found.map((f) => f.digest)) : Promise.resolve(null);
    await Promise.all(scanDigests.map(async (d) => scanned.set(d, await this.scan(w, d))));
    const signed = await signatures;
    const repoSettings = await settings;

    for (const r of w.refs) {
      const res = resolutions.get(refIdKey(r.id));
      if (!res || res.kind === "error") {
        results.set(r.key, { kind: "unavailable", reason: res?.reason ?? "ECR did not answer for this image" });
        continue;
      }
      if (res.kind === "missing") {
        results.set(r.key, { kind: "fact", value: fact(r.id, { found: false, missing: res.missing, detail: res.detail }) });
        continue;
      }
      const f = fact(r.id, { found: true, digest: res.digest, mediaType: res.mediaType, index: isIndexMediaType(res.mediaType) });
      const p = platforms.get(res.digest);
      if (p?.kind === "ok") {
        f.platforms = p.children.map((c): EcrPlatformScan => ({ digest: c.digest, platform: c.platform, scan: scanned.get(c.digest) ?? { state: "error", reason: "no scan lookup was made" } }));
        if (p.children.length === 0) f.problems.push("the image index lists no platform manifests to scan");
      } else {
        f.problems.push(`the platform manifests of the index could not be read: ${p?.reason ?? "unknown"}`);
      }
      if (r.id.digest === null) {
        if (repoSettings?.kind === "ok") f.repositorySettings = repoSettings.settings;
        else if (repoSettings) f.problems.push(`tag mutability unknown: ${repoSettings.reason}`);
      }
      if (signed) {
        const s = signed.get(res.digest);
        if (s?.kind === "ok") f.signature = { signed: s.evidence.length > 0, evidence: s.evidence };
        else f.problems.push(`signature check failed: ${s?.reason ?? "unknown"}`);
      }
      results.set(r.key, { kind: "fact", value: f });
    }
  }

  /** DescribeImages per ≤ 100 ids; a batch with a missing id goes through BatchGetImage instead. */
  private async resolve(w: RepoWork, ids: ImageIdentifier[]): Promise<Map<string, Resolution>> {
    const out = new Map<string, Resolution>();
    await Promise.all(
      chunks(ids, BATCH).map(async (batch) => {
        try {
          const res = await this.send(w, (c, o) => c.send(new DescribeImagesCommand({ registryId: w.id.registryId, repositoryName: w.id.repository, imageIds: batch }), o));
          for (const d of res.imageDetails ?? []) {
            if (!d.imageDigest) continue;
            const r: Resolution = { kind: "found", digest: d.imageDigest, mediaType: d.imageManifestMediaType ?? null };
            out.set(`@${d.imageDigest}`, r);
            for (const t of d.imageTags ?? []) out.set(`:${t}`, r);
          }
          for (const id of batch) if (!out.has(idKey(id))) out.set(idKey(id), { kind: "missing", missing: "image", detail: notFoundDetail(w, id) });
        } catch (err) {
          if (errName(err) === "ImageNotFoundException") {
            for (const [k, v] of await this.batchGet(w, batch)) out.set(k, v);
            return;
          }
          const r = failure(w, err, "ecr:DescribeImages");
          for (const id of batch) out.set(idKey(id), r);
        }
      }),
    );
    return out;
  }

  /** BatchGetImage: per-item failures, and the manifest text (an index's children) for what it finds. */
  private async batchGet(w: RepoWork, ids: ImageIdentifier[]): Promise<Map<string, Resolution>> {
    const out = new Map<string, Resolution>();
    await Promise.all(
      chunks(ids, BATCH).map(async (batch) => {
        try {
          const res = await this.send(w, (c, o) =>
            c.send(new BatchGetImageCommand({ registryId: w.id.registryId, repositoryName: w.id.repository, imageIds: batch, acceptedMediaTypes: ACCEPTED_MEDIA_TYPES }), o),
          );
          for (const img of res.images ?? []) {
            const digest = img.imageId?.imageDigest;
            if (!digest) continue;
            const r: Resolution = { kind: "found", digest, mediaType: img.imageManifestMediaType ?? null, manifest: img.imageManifest };
            out.set(`@${digest}`, r);
            if (img.imageId?.imageTag) out.set(`:${img.imageId.imageTag}`, r);
          }
          for (const f of res.failures ?? []) {
            if (!f.imageId) continue;
            const code = f.failureCode ?? "Unknown";
            out.set(
              idKey(f.imageId),
              MISSING_IMAGE_FAILURES.has(code)
                ? { kind: "missing", missing: "image", detail: notFoundDetail(w, f.imageId) }
                : { kind: "error", reason: `ecr:BatchGetImage could not read the image: ${code}${f.failureReason ? ` (${f.failureReason})` : ""}` },
            );
          }
          for (const id of batch) if (!out.has(idKey(id))) out.set(idKey(id), { kind: "error", reason: "ecr:BatchGetImage returned neither the image nor a failure for it" });
        } catch (err) {
          const r = failure(w, err, "ecr:BatchGetImage");
          for (const id of batch) out.set(idKey(id), r);
        }
      }),
    );
    return out;
  }

  /** What to scan for each found digest: an index's platform manifests (from the cache, the fallback or BatchGetImage), or itself. */
  private async platforms(
    w: RepoWork,
    found: ReadonlyArray<Extract<Resolution, { kind: "found" }>>,
  ): Promise<Map<string, { kind: "ok"; children: IndexChild[] } | { kind: "error"; reason: string }>> {
    const out = new Map<string, { kind: "ok"; children: IndexChild[] } | { kind: "error"; reason: string }>();
    const toFetch: string[] = [];
    for (const f of found) {
      const cached = this.digestEntry(w, f.digest);
      if (!isIndexMediaType(f.mediaType ?? cached?.mediaType)) {
        out.set(f.digest, { kind: "ok", children: [{ digest: f.digest, platform: null }] });
      } else if (cached?.children) {
        out.set(f.digest, { kind: "ok", children: cached.children });
      } else if (f.manifest !== undefined) {
        this.setChildren(w, f.digest, f.mediaType, f.manifest, out);
      } else {
        toFetch.push(f.digest);
      }
    }
    if (toFetch.length) {
      const got = await this.batchGet(w, toFetch.map((d) => ({ imageDigest: d })));
      for (const d of toFetch) {
        const r = got.get(`@${d}`);
        if (r?.kind === "found" && r.manifest !== undefined) this.setChildren(w, d, r.mediaType, r.manifest, out);
        else out.set(d, { kind: "error", reason: r?.kind === "error" ? r.reason : r?.kind === "missing" ? r.detail : "no manifest returned" });
      }
    }
    return out;
  }

  private setChildren(w: RepoWork, digest: string, mediaType: string | null, manifest: string, out: Map<string, { kind: "ok"; children: IndexChild[] } | { kind: "error"; reason: string }>): void {
    const children = indexChildren(manifest);
    if (children === null) {
      out.set(digest, { kind: "error", reason: "the index manifest could not be parsed" });
      return;
    }
    out.set(digest, { kind: "ok", children });
    this.updateDigest(w, digest, { mediaType, children });
  }

  /** One DescribeImageScanFindings lookup (all pages) per digest for the whole review. */
  private scan(w: RepoWork, digest: string): Promise<EcrScan> {
    const key = itemId(digestKey(w.id, digest));
    let pending = this.scans.get(key);
    if (!pending) {
      const cached = this.digests.get(key)?.scan;
      pending = cached ? Promise.resolve(cached) : this.lookupScan(w, digest);
      this.scans.set(key, pending);
    }
    return pending;
  }

  private async lookupScan(w: RepoWork, digest: string): Promise<EcrScan> {
    let scan: EcrScan;
    try {
      const pages = await this.send(w, async (client, o) => {
        const out: DescribeImageScanFindingsResponse[] = [];
        const input = { registryId: w.id.registryId, repositoryName: w.id.repository, imageId: { imageDigest: digest }, maxResults: 1000 };
        for await (const page of paginateDescribeImageScanFindings({ client, stopOnSameToken: true }, input, o)) {
          out.push(page);
          if (out.length >= MAX_PAGES) break;
        }
        return out;
      });
      scan = scanFromPages(pages);
    } catch (err) {
      scan = errName(err) === "ScanNotFoundException" ? { state: "missing" } : { state: "error", reason: reasonOf(err, "ecr:DescribeImageScanFindings") };
    }
    this.updateDigest(w, digest, { mediaType: this.digestEntry(w, digest)?.mediaType ?? null, scan });
    return scan;
  }

  /** Tag mutability, once per repository (cached for an hour). */
  private async settings(w: RepoWork): Promise<{ kind: "ok"; settings: EcrRepositorySettings } | { kind: "error"; reason: string }> {
    const key = repositoryKey(w.id);
    const cached = this.repoSettings.get(itemId(key));
    if (cached) return { kind: "ok", settings: cached };
    try {
      const res = await this.send(w, (c, o) => c.send(new DescribeRepositoriesCommand({ registryId: w.id.registryId, repositoryNames: [w.id.repository] }), o));
      const repo = res.repositories?.find((r) => r.repositoryName === w.id.repository);
      if (!repo) return { kind: "error", reason: "ecr:DescribeRepositories did not return the repository" };
      const settings: EcrRepositorySettings = {
        tagMutability: repo.imageTagMutability ?? "MUTABLE",
        exclusionFilters: (repo.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter ?? "").filter((f) => f !== ""),
      };
      this.repoSettings.set(itemId(key), settings);
      this.remember(key, settings);
      return { kind: "ok", settings };
    } catch (err) {
      return { kind: "error", reason: reasonOf(err, "ecr:DescribeRepositories") };
    }
  }

  /** Signature evidence per subject digest: Notation/Sigstore referrers, else a cosign `.sig` tag. */
  private async signatures(w: RepoWork, digests: string[]): Promise<Map<string, { kind: "ok"; evidence: string[] } | { kind: "error"; reason: string }>> {
    const out = new Map<string, { kind: "ok"; evidence: string[] } | { kind: "error"; reason: string }>();
    const unsigned: string[] = [];
    await Promise.all(
      [...new Set(digests)].map(async (d) => {
        const cached = this.digestEntry(w, d)?.signature;
        if (cached) {
          out.set(d, { kind: "ok", evidence: cached.evidence });
          return;
        }
        try {
          const evidence = await this.referrers(w, d);
          if (evidence.length) {
            out.set(d, { kind: "ok", evidence });
            this.updateDigest(w, d, { mediaType: this.digestEntry(w, d)?.mediaType ?? null, signature: { evidence } });
          } else unsigned.push(d);
        } catch (err) {
          out.set(d, { kind: "error", reason: reasonOf(err, "ecr:ListImageReferrers") });
        }
      }),
    );
    if (unsigned.length) {
      const probe = await this.batchGet(w, unsigned.map((d) => ({ imageTag: cosignSignatureTag(d) })));
      for (const d of unsigned) {
        const r = probe.get(`:${cosignSignatureTag(d)}`);
        if (r?.kind === "found") {
          const evidence = [`cosign signature tag ${cosignSignatureTag(d)}`];
          out.set(d, { kind: "ok", evidence });
          this.updateDigest(w, d, { mediaType: this.digestEntry(w, d)?.mediaType ?? null, signature: { evidence } });
        } else if (r?.kind === "error") out.set(d, { kind: "error", reason: r.reason });
        else out.set(d, { kind: "ok", evidence: [] });
      }
    }
    return out;
  }

  private async referrers(w: RepoWork, digest: string): Promise<string[]> {
    const evidence = new Set<string>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.send(w, (c, o) =>
        c.send(
          new ListImageReferrersCommand({ registryId: w.id.registryId, repositoryName: w.id.repository, subjectId: { imageDigest: digest }, filter: { artifactStatus: "ACTIVE" }, nextToken }),
          o,
        ),
      );
      for (const r of res.referrers ?? []) {
        if (isSignatureArtifact(r.artifactType)) evidence.add(r.artifactType === "application/vnd.cncf.notary.signature" ? "Notation signature (OCI referrer)" : "Sigstore bundle (OCI referrer)");
      }
      if (!res.nextToken || res.nextToken === nextToken) break;
      nextToken = res.nextToken;
    }
    return [...evidence];
  }
}

function fact(id: EcrImageId, image: EcrImageState): EcrImageFact {
  return { registryId: id.registryId, region: id.region, repository: id.repository, tag: id.tag, image, platforms: [], repositorySettings: null, signature: null, problems: [] };
}

function notFoundDetail(w: RepoWork, id: ImageIdentifier): string {
  const what = id.imageDigest ? `digest ${id.imageDigest}` : `tag "${id.imageTag}"`;
  return `${what} does not exist in repository ${w.id.repository} of registry ${w.id.registryId} (${w.id.region})`;
}

function failure(w: RepoWork, err: unknown, action: string): Resolution {
  if (errName(err) === "RepositoryNotFoundException") {
    return { kind: "missing", missing: "repository", detail: `repository ${w.id.repository} does not exist in registry ${w.id.registryId} (${w.id.region})` };
  }
  return { kind: "error", reason: reasonOf(err, action) };
}
