/**
 * The ECR facts of a review as report rows (src/report/images.ts): one row per introduced image on an ECR private
 * registry. Its critical and high counts are the rules' buckets (the same allowlist and `blockExploitable` policy:
 * an allowlisted CVE is not counted, an exploitable one counts as critical), with the CVEs that have no fix counted
 * too — `fixable` says how many have one, and the rules (with `ignoreUnfixed`) weigh only those. Pure.
 */
import type { Config } from "../../core/config.js";
import type { ReviewFacts } from "../../core/facts.js";
import { ECR_FACTS, type EcrImageFact, type EcrScan } from "../../facts/ecr-image-fact.js";
import type { ImageRow, ImageScanState, ImageVulnerabilityRow } from "../../report/images.js";
import { assess, isFixable, type CountedVulnerability } from "./_ecr.js";

/** Worst first: the state a multi-platform image shows is that of its worst platform. */
const SCAN_ORDER: Record<EcrScan["state"], number> = { error: 0, unusable: 1, missing: 2, pending: 3, complete: 4 };

function scanState(scan: EcrScan): ImageScanState {
  return scan.state === "error" ? "unavailable" : scan.state;
}

function vulnerabilityRow(v: CountedVulnerability): ImageVulnerabilityRow {
  const pkg = v.packages.find((p) => p.fixedIn !== null) ?? v.packages[0];
  return { id: v.id, severity: v.severity, package: pkg?.name ?? null, version: pkg?.version ?? null, fixedIn: pkg?.fixedIn ?? null, exploit: v.exploit };
}

function nameOf(repository: string, tag: string | null): string {
  return tag ? `${repository}:${tag}` : repository;
}

function factRow(raw: string, registry: string, fact: EcrImageFact, ecr: Readonly<Config["ecr"]>, asOf: string): ImageRow {
  const base = { image: raw, registry, name: nameOf(fact.repository, fact.tag) };
  if (!fact.image.found) {
    return { ...base, digest: null, state: "not-found", status: null, reason: fact.image.detail, platforms: 0, critical: null, high: null, top: [] };
  }
  const worst = [...fact.platforms].sort((a, b) => SCAN_ORDER[a.scan.state] - SCAN_ORDER[b.scan.state])[0];
  const reasons: string[] = [];
  for (const p of fact.platforms) {
    if (p.scan.state === "error") reasons.push(p.scan.reason);
    else if (p.scan.state === "unusable" && p.scan.description) reasons.push(p.scan.description);
  }
  reasons.push(...fact.problems);
  const a = assess(fact, ecr, asOf);
  const scanned = a.scannedPlatforms > 0;
  const counted = (list: CountedVulnerability[], unfixed: number) => ({ count: list.length + unfixed, fixable: list.filter(isFixable).length });
  return {
    ...base,
    digest: fact.image.digest,
    state: worst ? scanState(worst.scan) : fact.problems.length ? "unavailable" : "missing",
    status: worst && "status" in worst.scan ? worst.scan.status : null,
    reason: reasons.length ? [...new Set(reasons)].join("; ") : null,
    platforms: fact.platforms.length,
    critical: scanned ? counted(a.critical, a.unfixedCritical) : null,
    high: scanned ? counted(a.high, a.unfixedHigh) : null,
    top: [...a.critical, ...a.high].map(vulnerabilityRow),
  };
}

/** One row per image the ECR provider answered for (introduced images on ECR private registries). */
export function ecrImageRows(facts: ReviewFacts, ecr: Readonly<Config["ecr"]>): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of facts.images.values()) {
    const result = image.from(ECR_FACTS);
    if (!result) continue;
    const raw = image.ref.raw.trim();
    if (result.kind === "unavailable") {
      rows.push({
        image: raw,
        registry: image.ref.registry,
        name: nameOf(image.ref.repository, image.ref.tag),
        digest: image.ref.digest,
        state: "unavailable",
        status: null,
        reason: result.reason,
        platforms: 0,
        critical: null,
        high: null,
        top: [],
      });
    } else rows.push(factRow(raw, image.ref.registry, result.value, ecr, facts.asOf));
  }
  return rows;
}

/** Whether the ECR provider ran in this review (the report then has an Images part, empty or not). */
export function ecrRan(facts: ReviewFacts): boolean {
  return facts.providers.some((p) => p.provider === ECR_FACTS.provider && p.enabled);
}
