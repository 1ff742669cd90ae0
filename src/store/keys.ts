/**
 * Item keys. One table, string keys `pk`/`sk`:
 *
 * | item       | pk                | sk                             |
 * |------------|-------------------|--------------------------------|
 * | review     | `REPO#o/r`        | `PR#n#REVIEW#<iso>#<sha>`      |
 * | waiver     | `REPO#o/r`        | `WAIVER#<id>`                  |
 * | unwaive    | `REPO#o/r`        | `PR#n#UNWAIVE#<id>`            |
 * | override   | `REPO#o/r`        | `PR#n#OVERRIDE#<sha>`          |
 * | closed     | `REPO#o/r`        | `PR#n#CLOSED#<iso>`            |
 * | comment    | `REPO#o/r`        | `PR#n#COMMENT` (summary comment's id; summary-comments.ts) |
 * | delivery   | `DELIVERY#<id>`   | `DELIVERY`  (expiresAt = +1 day) |
 *
 * Audit items also carry `auditRepo` (= pk), `auditPr` (`REPO#o/r#PR#n`) and `auditTime`
 * (`<iso>#<sk>`), the keys of two global secondary indexes, so the audit export of a repo or of
 * one PR is a Query ordered by time.
 *
 * Repository names are case-insensitive on GitHub: keys use the lower-cased `owner/name`.
 */

export const INDEX_BY_REPO = "audit-by-repo";
export const INDEX_BY_PR = "audit-by-pr";

const REPO_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function isRepoName(repo: string): boolean {
  return REPO_RE.test(repo);
}

export function repoPk(repo: string): string {
  return `REPO#${repo.toLowerCase()}`;
}

export function prPrefix(pr: number): string {
  return `PR#${pr}#`;
}

export function prAuditKey(repo: string, pr: number): string {
  return `${repoPk(repo)}#PR#${pr}`;
}

export function reviewSk(pr: number, iso: string, sha: string): string {
  return `${prPrefix(pr)}REVIEW#${iso}#${sha}`;
}

export function waiverSk(id: string): string {
  return `WAIVER#${id}`;
}

export function unwaiveSk(pr: number, id: string): string {
  return `${prPrefix(pr)}UNWAIVE#${id}`;
}

export function overrideSk(pr: number, sha: string): string {
  return `${prPrefix(pr)}OVERRIDE#${sha}`;
}

export function closedSk(pr: number, iso: string): string {
  return `${prPrefix(pr)}CLOSED#${iso}`;
}

export function deliveryKey(id: string): { pk: string; sk: string } {
  return { pk: `DELIVERY#${id}`, sk: "DELIVERY" };
}

/** The GSI attributes of an audit item. */
export function auditKeys(repo: string, pr: number, sk: string, iso: string): { auditRepo: string; auditPr: string; auditTime: string } {
  return { auditRepo: repoPk(repo), auditPr: prAuditKey(repo, pr), auditTime: `${iso}#${sk}` };
}

export function epochSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}
