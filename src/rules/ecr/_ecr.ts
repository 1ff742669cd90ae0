/** What the ecr/* rules share: the images of a document with their ECR facts, and the vulnerability policy. */
import { defaultConfig, type Config } from "../../core/config.js";
import type { DocContext } from "../../core/rule.js";
import type { ProviderResult } from "../../core/facts.js";
import { imageSources, type ImageSource } from "../../parse/image-sources.js";
import { ECR_FACTS, type EcrImageFact, type EcrRepositorySettings, type EcrVulnerability } from "../../facts/ecr-image-fact.js";

export interface EcrUse {
  source: ImageSource;
  result: ProviderResult<EcrImageFact>;
}

const NO_USES: readonly EcrUse[] = [];
const NO_FOUND: ReadonlyArray<{ source: ImageSource; fact: EcrImageFact; digest: string }> = [];

/**
 * The images of the document the ECR provider answered for. Empty when no facts were gathered, the provider
 * did not run (the caller notes that once), or the image is not on ECR or not introduced by the change.
 */
export function ecrUses(ctx: Pick<DocContext, "doc" | "facts">): readonly EcrUse[] {
  const facts = ctx.facts;
  // Asked by every ecr/* rule about every document: without facts, the same empty list for all.
  if (!facts || facts.images.size === 0) return NO_USES;
  const out: EcrUse[] = [];
  for (const source of imageSources(ctx.doc)) {
    const result = facts.images.get(source.key)?.from(ECR_FACTS);
    if (result) out.push({ source, result });
  }
  return out;
}

/** The image reports found in ECR, for rules about an existing image. */
export function foundImages(ctx: Pick<DocContext, "doc" | "facts">): ReadonlyArray<{ source: ImageSource; fact: EcrImageFact; digest: string }> {
  const uses = ecrUses(ctx);
  if (uses.length === 0) return NO_FOUND;
  return uses.flatMap(({ source, result }) =>
    result.kind === "fact" && result.value.image.found ? [{ source, fact: result.value, digest: result.value.image.digest }] : [],
  );
}

const DEFAULT_ECR = defaultConfig().ecr;

export function ecrSettings(ctx: Pick<DocContext, "settings">): Readonly<Config["ecr"]> {
  return ctx.settings.ecr ?? DEFAULT_ECR;
}

/** `Container "app" in Deployment "web" uses image "…"`. */
export function subject(source: ImageSource): string {
  return `${source.where} uses image "${source.ref.raw.trim()}"`;
}

/** `sha256:5f1e0c3b7a9d` — enough to recognise a digest in a message. */
export function shortDigest(digest: string): string {
  return digest.slice(0, digest.indexOf(":") + 13);
}

export function platformLabel(p: { digest: string; platform: string | null }): string {
  return p.platform ? `${p.platform} ${shortDigest(p.digest)}` : shortDigest(p.digest);
}

/** One vulnerability over every platform of the image (a CVE on amd64 and arm64 counts once). */
export interface CountedVulnerability extends EcrVulnerability {
  /** Set when an expired allowlist entry named it (it counts again). */
  allowlistExpired: string | null;
}

export interface Assessment {
  critical: CountedVulnerability[];
  high: CountedVulnerability[];
  /** Findings in the critical (resp. high) bucket not counted because no fix exists (`ignoreUnfixed`). */
  unfixedCritical: number;
  unfixedHigh: number;
  /** CVE ids skipped by an active allowlist entry. */
  allowlisted: string[];
  /** Platforms with a complete scan. */
  scannedPlatforms: number;
}

const FIX_RANK: Record<EcrVulnerability["fix"], number> = { yes: 3, partial: 2, unknown: 1, no: 0 };
const SEVERITY_RANK: Record<string, number> = { CRITICAL: 2, HIGH: 1 };

function merge(a: EcrVulnerability, b: EcrVulnerability): EcrVulnerability {
  return {
    id: a.id,
    severity: (SEVERITY_RANK[b.severity] ?? 0) > (SEVERITY_RANK[a.severity] ?? 0) ? b.severity : a.severity,
    fix: FIX_RANK[b.fix] > FIX_RANK[a.fix] ? b.fix : a.fix,
    exploit: a.exploit || b.exploit,
    packages: [...a.packages, ...b.packages.filter((p) => !a.packages.some((q) => q.name === p.name && q.version === p.version))],
  };
}

const memo = new WeakMap<EcrImageFact, Map<string, Assessment>>();

/**
 * Applies the `ecr:` policy to an image's scans: allowlist (active entries only), `ignoreUnfixed` (a finding
 * whose fix is known not to exist does not count; an unknown fix counts), `blockExploitable` (a finding with a
 * known exploit counts as critical whatever its severity).
 */
export function assess(fact: EcrImageFact, ecr: Readonly<Config["ecr"]>, asOf: string): Assessment {
  const memoKey = `${asOf}|${JSON.stringify([ecr.ignoreUnfixed, ecr.blockExploitable, ecr.allowlist])}`;
  let byPolicy = memo.get(fact);
  const hit = byPolicy?.get(memoKey);
  if (hit) return hit;

  const now = Date.parse(asOf);
  const active = new Map<string, string>();
  const expired = new Map<string, string>();
  for (const a of ecr.allowlist) {
    const id = a.cve.toUpperCase();
    if (Date.parse(a.expires) > now) active.set(id, a.reason);
    else expired.set(id, a.expires.slice(0, 10));
  }

  const byId = new Map<string, EcrVulnerability>();
  let scannedPlatforms = 0;
  for (const p of fact.platforms) {
    if (p.scan.state !== "complete") continue;
    scannedPlatforms++;
    for (const v of p.scan.vulnerabilities) {
      const prev = byId.get(v.id);
      byId.set(v.id, prev ? merge(prev, v) : v);
    }
  }

  const out: Assessment = { critical: [], high: [], unfixedCritical: 0, unfixedHigh: 0, allowlisted: [], scannedPlatforms };
  for (const v of byId.values()) {
    const id = v.id.toUpperCase();
    if (active.has(id)) {
      out.allowlisted.push(v.id);
      continue;
    }
    const bucket = v.severity === "CRITICAL" || (ecr.blockExploitable && v.exploit) ? "critical" : v.severity === "HIGH" ? "high" : null;
    if (bucket === null) continue;
    if (ecr.ignoreUnfixed && v.fix === "no") {
      if (bucket === "critical") out.unfixedCritical++;
      else out.unfixedHigh++;
      continue;
    }
    out[bucket].push({ ...v, allowlistExpired: expired.get(id) ?? null });
  }
  const order = (a: CountedVulnerability, b: CountedVulnerability) =>
    Number(b.exploit) - Number(a.exploit) || FIX_RANK[b.fix] - FIX_RANK[a.fix] || a.id.localeCompare(b.id);
  out.critical.sort(order);
  out.high.sort(order);

  if (!byPolicy) {
    byPolicy = new Map();
    memo.set(fact, byPolicy);
  }
  byPolicy.set(memoKey, out);
  return out;
}

export function isFixable(v: EcrVulnerability): boolean {
  return v.fix === "yes" || v.fix === "partial";
}

/** `CVE-2021-44228 (org.apache.logging.log4j:log4j-core 2.14.1, fixed in 2.17.1; exploit available)`. */
export function describeVulnerability(v: CountedVulnerability): string {
  const pkg = v.packages.find((p) => p.fixedIn !== null) ?? v.packages[0];
  const parts: string[] = [];
  if (pkg) parts.push(`${pkg.name}${pkg.version ? ` ${pkg.version}` : ""}${pkg.fixedIn ? `, fixed in ${pkg.fixedIn}` : v.fix === "no" ? ", no fix yet" : ""}`);
  if (v.exploit) parts.push("exploit available");
  if (v.allowlistExpired) parts.push(`allowlist entry expired ${v.allowlistExpired}`);
  return parts.length ? `${v.id} (${parts.join("; ")})` : v.id;
}

/** The top `n` vulnerabilities, then how many more. */
export function topVulnerabilities(list: readonly CountedVulnerability[], n = 3): string {
  const shown = list.slice(0, n).map(describeVulnerability).join(", ");
  return list.length > n ? `${shown} and ${list.length - n} more` : shown;
}

/** `2 critical (1 fixable), 7 high (5 fixable)` — the counts the policy counted. */
export function countsLine(a: Assessment): string {
  const part = (list: CountedVulnerability[], label: string) => `${list.length} ${label} (${list.filter(isFixable).length} fixable)`;
  return `${part(a.critical, "critical")}, ${part(a.high, "high")}`;
}

function wildcard(filter: string): RegExp {
  return new RegExp(`^${filter.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Whether ECR lets `tag` be pushed again to other content under the repository's tag mutability settings. */
export function tagIsMutable(settings: EcrRepositorySettings, tag: string): boolean {
  const excluded = settings.exclusionFilters.some((f) => wildcard(f).test(tag));
  switch (settings.tagMutability) {
    case "MUTABLE":
      return true;
    case "MUTABLE_WITH_EXCLUSION":
      return !excluded;
    case "IMMUTABLE_WITH_EXCLUSION":
      return excluded;
    default:
      return false;
  }
}

/** ecr/critical-vulnerabilities and ecr/high-vulnerabilities: report images whose counted findings reach the threshold. */
export function reportVulnerabilities(ctx: DocContext, bucket: "critical" | "high"): void {
  const ecr = ecrSettings(ctx);
  const threshold = ecr.thresholds[bucket];
  for (const { source, fact, digest } of foundImages(ctx)) {
    const a = assess(fact, ecr, ctx.facts!.asOf);
    if (a[bucket].length < threshold) continue;
    const unfixed = bucket === "critical" ? a.unfixedCritical : a.unfixedHigh;
    const more = unfixed ? `; ${unfixed} more without a fix not counted` : "";
    ctx.report({
      path: source.path,
      message: `${subject(source)} (${shortDigest(digest)}) with ${countsLine(a)} vulnerabilities; ${bucket} threshold ${threshold}${more}: ${topVulnerabilities(a[bucket])}.`,
    });
  }
}
