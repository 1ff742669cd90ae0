/**
 * What the ECR provider finds about an image, as rules read it. Plain data (it is cached as JSON), no SDK types,
 * so rules can import it without pulling in the AWS SDK.
 */
import { factSlot } from "../core/facts.js";

/** A vulnerability as the rules weigh it. Only CRITICAL/HIGH findings and findings with a known exploit are kept. */
export interface EcrVulnerability {
  /** CVE (or other advisory) id. */
  id: string;
  /** Severity as ECR reports it (an open string: CRITICAL, HIGH, …, UNTRIAGED). */
  severity: string;
  /** Whether upgrading fixes it: from `fixAvailable`, else from the packages' `fixedInVersion`; `unknown` for basic scans. */
  fix: "yes" | "partial" | "no" | "unknown";
  exploit: boolean;
  packages: Array<{ name: string; version: string | null; fixedIn: string | null }>;
}

export type EcrScan =
  /** COMPLETE (basic / scan on push) or ACTIVE (enhanced, continuous). */
  | { state: "complete"; status: string; completedAt: string | null; severityCounts: Record<string, number>; vulnerabilities: EcrVulnerability[] }
  /** IN_PROGRESS or PENDING: a recheck picks up the result. */
  | { state: "pending"; status: string }
  /** ScanNotFoundException: the image was never scanned. */
  | { state: "missing" }
  /** FAILED, UNSUPPORTED_IMAGE, SCAN_ELIGIBILITY_EXPIRED, FINDINGS_UNAVAILABLE, LIMIT_EXCEEDED, IMAGE_ARCHIVED, or an unknown status. */
  | { state: "unusable"; status: string; description: string | null }
  /** The scan could not be read (access denied, throttled, unreachable…). */
  | { state: "error"; reason: string };

/** The scan of one platform manifest (or of the image itself when it is not an index). */
export interface EcrPlatformScan {
  digest: string;
  /** `linux/arm64` for the children of an index, else null. */
  platform: string | null;
  scan: EcrScan;
}

export interface EcrRepositorySettings {
  /** MUTABLE | IMMUTABLE | MUTABLE_WITH_EXCLUSION | IMMUTABLE_WITH_EXCLUSION (open string). */
  tagMutability: string;
  /** Wildcard filters of the `_WITH_EXCLUSION` modes: tags that behave the other way. */
  exclusionFilters: string[];
}

export type EcrImageState =
  | { found: true; digest: string; mediaType: string | null; index: boolean }
  | { found: false; missing: "repository" | "image"; detail: string };

export interface EcrImageFact {
  registryId: string;
  region: string;
  repository: string;
  /** Tag as referenced, when the reference has one. */
  tag: string | null;
  image: EcrImageState;
  /** One entry per scannable manifest (platform children of an index; attestation manifests skipped). */
  platforms: EcrPlatformScan[];
  /** Looked up for references by tag only (digest references cannot move). */
  repositorySettings: EcrRepositorySettings | null;
  /** Checked only when `ecr.requireSignature` is on. */
  signature: { signed: boolean; evidence: string[] } | null;
  /** Checks that could not be made, each with its reason (become `ecr/scan-unavailable`). */
  problems: string[];
}

/** The ECR provider's slot in the review facts. */
export const ECR_FACTS = factSlot<EcrImageFact>("ecr");
