/** ECR wire shapes (as the SDK returns them) turned into facts. Pure. */
import type { DescribeImageScanFindingsResponse, EnhancedImageScanFinding, ImageScanFinding } from "@aws-sdk/client-ecr";
import type { EcrScan, EcrVulnerability } from "../../facts/ecr-image-fact.js";

export const INDEX_MEDIA_TYPES: readonly string[] = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

const MANIFEST_MEDIA_TYPES: readonly string[] = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];

/** What BatchGetImage should accept: every manifest and index type ECR stores (else it converts or refuses). */
export const ACCEPTED_MEDIA_TYPES: string[] = [...INDEX_MEDIA_TYPES, ...MANIFEST_MEDIA_TYPES, "application/vnd.docker.distribution.manifest.v1+json"];

export function isIndexMediaType(mediaType: string | null | undefined): boolean {
  return mediaType !== null && mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType);
}

const COMPLETE = new Set(["COMPLETE", "ACTIVE"]);
const PENDING = new Set(["IN_PROGRESS", "PENDING"]);
/** Inspector finding statuses that no longer apply (closed, or suppressed by a suppression rule). */
const INACTIVE_FINDING = new Set(["CLOSED", "SUPPRESSED"]);
const KEPT_SEVERITIES = new Set(["CRITICAL", "HIGH"]);
const NO_FIX = "NotAvailable";

export interface IndexChild {
  digest: string;
  platform: string | null;
}

/**
 * The platform manifests of an image index (its JSON text). Attestation manifests (buildx
 * `vnd.docker.reference.type: attestation-manifest`, platform unknown/unknown) are skipped: they are not images.
 * Returns null when the text is not an index.
 */
export function indexChildren(manifestText: string): IndexChild[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { manifests?: unknown }).manifests)) return null;
  const out: IndexChild[] = [];
  for (const m of (parsed as { manifests: unknown[] }).manifests) {
    if (typeof m !== "object" || m === null) continue;
    const entry = m as { digest?: unknown; mediaType?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown }; annotations?: Record<string, unknown> };
    if (typeof entry.digest !== "string") continue;
    if (entry.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") continue;
    if (typeof entry.mediaType === "string" && !MANIFEST_MEDIA_TYPES.includes(entry.mediaType)) continue;
    const p = entry.platform;
    if (p?.os === "unknown" && p?.architecture === "unknown") continue;
    const platform = typeof p?.os === "string" && typeof p?.architecture === "string" ? `${p.os}/${p.architecture}${typeof p.variant === "string" ? `/${p.variant}` : ""}` : null;
    out.push({ digest: entry.digest, platform });
  }
  return out;
}

function attribute(f: ImageScanFinding, key: string): string | null {
  return f.attributes?.find((a) => a.key === key)?.value ?? null;
}

function fromBasic(f: ImageScanFinding): EcrVulnerability | null {
  if (!f.name) return null;
  const name = attribute(f, "package_name");
  return {
    id: f.name,
    severity: f.severity ?? "UNDEFINED",
    // Basic scans do not say whether a fix exists: unknown, which counts (fail closed).
    fix: "unknown",
    exploit: false,
    packages: name ? [{ name, version: attribute(f, "package_version"), fixedIn: null }] : [],
  };
}

function fixOf(f: EnhancedImageScanFinding): EcrVulnerability["fix"] {
  switch (f.fixAvailable) {
    case "YES":
      return "yes";
    case "PARTIAL":
      return "partial";
    case "NO":
      return "no";
  }
  const stated = (f.packageVulnerabilityDetails?.vulnerablePackages ?? []).map((p) => p.fixedInVersion).filter((v): v is string => v !== undefined && v !== "");
  if (stated.length === 0) return "unknown";
  const fixed = stated.filter((v) => v !== NO_FIX).length;
  return fixed === 0 ? "no" : fixed === stated.length ? "yes" : "partial";
}

function fromEnhanced(f: EnhancedImageScanFinding): EcrVulnerability | null {
  if (f.status && INACTIVE_FINDING.has(f.status)) return null;
  const details = f.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId ?? f.title?.split(" ")[0];
  if (!id) return null;
  const packages = (details?.vulnerablePackages ?? []).map((p) => ({
    name: p.name ?? "?",
    version: p.version ? `${p.version}${p.release ? `-${p.release}` : ""}` : null,
    fixedIn: p.fixedInVersion && p.fixedInVersion !== NO_FIX ? p.fixedInVersion : null,
  }));
  return {
    id,
    severity: f.severity ?? "UNDEFINED",
    fix: fixOf(f),
    exploit: f.exploitAvailable === "YES",
    packages,
  };
}

function dateOf(d: Date | undefined): string | null {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

/**
 * One scan from all pages of DescribeImageScanFindings. The status, summary counts and timestamps repeat on
 * every page (only `findings`/`enhancedFindings` page), so they are read once. Severity keys are open strings.
 */
export function scanFromPages(pages: readonly DescribeImageScanFindingsResponse[]): EcrScan {
  const first = pages[0];
  const status = first?.imageScanStatus?.status;
  if (!status) return { state: "unusable", status: "UNKNOWN", description: "the response has no scan status" };
  if (PENDING.has(status)) return { state: "pending", status };
  if (!COMPLETE.has(status)) return { state: "unusable", status, description: first?.imageScanStatus?.description ?? null };
  const vulnerabilities: EcrVulnerability[] = [];
  for (const page of pages) {
    for (const f of page.imageScanFindings?.findings ?? []) {
      const v = fromBasic(f);
      if (v && (KEPT_SEVERITIES.has(v.severity) || v.exploit)) vulnerabilities.push(v);
    }
    for (const f of page.imageScanFindings?.enhancedFindings ?? []) {
      const v = fromEnhanced(f);
      if (v && (KEPT_SEVERITIES.has(v.severity) || v.exploit)) vulnerabilities.push(v);
    }
  }
  const counts: Record<string, number> = {};
  for (const [k, n] of Object.entries(first?.imageScanFindings?.findingSeverityCounts ?? {})) if (typeof n === "number") counts[k] = n;
  return { state: "complete", status, completedAt: dateOf(first?.imageScanFindings?.imageScanCompletedAt), severityCounts: counts, vulnerabilities };
}

/** Scans worth keeping for an hour: finished results, and images ECR will never scan. Pending and errors are re-read. */
export function isCacheableScan(scan: EcrScan): boolean {
  return scan.state === "complete" || (scan.state === "unusable" && scan.status === "UNSUPPORTED_IMAGE");
}

/** Artifact types that are image signatures: Notation (AWS Signer) and Sigstore bundles (cosign v3). */
export function isSignatureArtifact(artifactType: string | undefined): boolean {
  if (!artifactType) return false;
  return artifactType === "application/vnd.cncf.notary.signature" || /^application\/vnd\.dev\.sigstore\.bundle(\.v[0-9.]+)?\+json/.test(artifactType);
}

/** The legacy cosign signature tag of a digest: `sha256-<hex>.sig`. */
export function cosignSignatureTag(digest: string): string {
  return `${digest.replace(":", "-")}.sig`;
}
