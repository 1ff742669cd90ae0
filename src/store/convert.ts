import type { ReviewResult } from "../core/review.js";
import type { Waiver } from "../core/suppress.js";
import type { Finding } from "../core/types.js";
import type { NewReview, RecordedFinding, WaiverRecord } from "./types.js";

/** A stored waiver in the shape the engine applies (exact file, `Kind/name` resource). */
export function toCoreWaiver(w: WaiverRecord): Waiver {
  return {
    by: "waiver",
    rule: w.rule,
    ...(w.file !== undefined ? { path: w.file } : {}),
    ...(w.resource !== undefined ? { resource: w.resource } : {}),
    reason: w.reason,
    expires: w.expires,
    actor: w.actor,
    id: w.id,
  };
}

/** What is kept of a finding: identity only — never its message, fix text or any value from the manifest. */
export function recordedFinding(f: Finding): RecordedFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    resource: { kind: f.resource.kind, namespace: f.resource.namespace, name: f.resource.name },
    fingerprint: f.fingerprint,
    ...(f.suppressed ? { suppressedBy: f.suppressed.by } : {}),
  };
}

/** The review record of a result: counts by severity and every new finding (suppressed ones marked). */
export function reviewRecordFrom(
  result: Pick<ReviewResult, "conclusion" | "summary" | "findings">,
  where: { repo: string; pr: number; headSha: string; baseSha: string; time?: Date; deliveryId?: string },
): NewReview {
  return {
    ...where,
    conclusion: result.conclusion,
    counts: {
      new: result.summary.new,
      existing: result.summary.existing,
      fixed: result.summary.fixed,
      suppressed: result.summary.suppressed,
      bySeverity: { ...result.summary.bySeverity },
    },
    findings: result.findings.filter((f) => f.status === "new").map(recordedFinding),
  };
}
