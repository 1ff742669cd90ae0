/**
 * The CLI JSON contract (DESIGN.md "CLI JSON"), with `notes`, a finding's optional `renderedFrom` (Kustomize), the
 * optional `summary.notReviewed` (changed files not read at all) and the optional top-level `images` (present when the
 * ECR checks ran) as the additions. Key order is part of the contract.
 */
import type { ReviewResult } from "../core/review.js";
import { imagesJson, type ImageRow, type JsonImage } from "./images.js";
import { SEVERITIES, type Conclusion, type FindingStatus, type Severity, type Suppression } from "../core/types.js";

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  status: FindingStatus;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  resource: { apiVersion: string | null; kind: string | null; namespace: string | null; name: string | null };
  path: string;
  message: string;
  fix: string;
  fingerprint: string;
  suppressed: { by: Suppression["by"]; reason: string; expires: string | null; actor: string | null } | null;
  /** Only on findings of Kustomize-rendered objects: the roots (overlay directories) that render the line. */
  renderedFrom?: string[];
  /**
   * Only on a finding whose file and line are those of the base version (a deleted Application's; every `fixed`
   * finding's is too, without this field): `"base"`.
   */
  side?: "base";
}

export interface JsonReport {
  version: 1;
  conclusion: Conclusion;
  summary: {
    new: number;
    existing: number;
    fixed: number;
    suppressed: number;
    bySeverity: Record<Severity, number>;
    /** Only when some are: how many changed files the review could not read at all (a Helm chart template; see the notes). */
    notReviewed?: number;
  };
  findings: JsonFinding[];
  notes: string[];
  /** Only when the ECR checks ran: every image the change introduces on Amazon ECR (worst first), possibly none. */
  images?: JsonImage[];
}

export function toJsonReport(result: ReviewResult, opts: { images?: readonly ImageRow[] } = {}): JsonReport {
  const s = result.summary;
  return {
    version: 1,
    conclusion: result.conclusion,
    summary: {
      new: s.new,
      existing: s.existing,
      fixed: s.fixed,
      suppressed: s.suppressed,
      bySeverity: Object.fromEntries(SEVERITIES.map((sev) => [sev, s.bySeverity[sev] ?? 0])) as Record<Severity, number>,
      ...(result.notReviewed?.length ? { notReviewed: result.notReviewed.length } : {}),
    },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      status: f.status,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      resource: { apiVersion: f.resource.apiVersion, kind: f.resource.kind, namespace: f.resource.namespace, name: f.resource.name },
      path: f.path,
      message: f.message,
      fix: f.fix,
      fingerprint: f.fingerprint,
      suppressed: f.suppressed
        ? { by: f.suppressed.by, reason: f.suppressed.reason, expires: f.suppressed.expires, actor: f.suppressed.actor }
        : null,
      ...(f.renderedFrom ? { renderedFrom: [...f.renderedFrom] } : {}),
      ...(f.side === "base" && f.status !== "fixed" ? { side: "base" as const } : {}),
    })),
    notes: [...result.notes],
    ...(opts.images ? { images: imagesJson(opts.images) } : {}),
  };
}
