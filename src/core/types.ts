import type { Grant } from "./grant.js";

/** Core vocabulary shared by parser, rules, engine and reporters. Pure data, no I/O. */

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower rank = more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `s` is at least as severe as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}

export interface Resource {
  apiVersion: string | null;
  kind: string | null;
  namespace: string | null;
  name: string | null;
}

/** 1-based line and column; end is exclusive (the column just after the node). */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A part of a container image reference (`registry/repository` name, tag, digest). A Kustomize `images:` override
 * can write each part on another line (`newName`, `newTag`, `digest`), so a finding about one part says which.
 */
export type ImagePart = "name" | "tag" | "digest";

export type FindingStatus = "new" | "existing" | "fixed";

export interface Suppression {
  by: "annotation" | "config" | "waiver" | "override";
  reason: string;
  expires: string | null;
  actor: string | null;
}

/** What a rule reports, before the engine adds status, fingerprint and suppression. */
export interface RawFinding extends SourceRange {
  ruleId: string;
  severity: Severity;
  file: string;
  resource: Resource;
  /** JSON path inside the document, e.g. `spec.sourceRepos[0]`. */
  path: string;
  message: string;
  fix: string;
  /** Index of the YAML document inside the file (0-based); not part of the public JSON. */
  docIndex: number;
  /**
   * For a finding on an object a Kustomize render renamed or moved (prefix/suffix, namespace): its identity as the
   * defining document wrote it. Waivers by resource match either name. Not part of the public JSON.
   */
  writtenAs?: Resource;
  /** The path the fingerprint uses when it is not `path` (see `Report.identity`). Not part of the public JSON. */
  identity?: string;
  /** Set from `Report.deferredTo`: matched between the sides, then dropped from every result. Not part of the public JSON. */
  deferred?: true;
  /** Set from `Report.grant`. Not part of the public JSON. */
  grant?: Grant;
  /** Set from `Report.valueDigests`. In memory only: the review drops it from the findings it returns. */
  valueDigests?: readonly string[];
}

export interface Finding extends RawFinding {
  status: FindingStatus;
  fingerprint: string;
  suppressed: Suppression | null;
  /** For a finding on objects a Kustomize render produced: the roots (overlay directories) that render it. */
  renderedFrom?: string[];
  /**
   * `base`: the finding's file and line are in the base version (a rule that compares the sides reports on what the
   * pull request removes, e.g. a deleted Application): links point at the base commit. Absent: the head version.
   */
  side?: "base";
}

export type Conclusion = "success" | "failure" | "neutral";
