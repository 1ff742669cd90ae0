/**
 * Classifies an Application source's `targetRevision` as pinned or not.
 *
 * Git sources pass with a commit SHA (7 to 40 hex digits, which Argo CD resolves as a commit, or a
 * 64-hex SHA-256 object id), an OCI digest, or a tag-like version: `1.2`, `v1.2.3`, `1.2.3-rc.1`,
 * `1.2.3+build.5`, `1.2.3.4`, or a prefixed release tag with three components (`myapp-v1.2.3`,
 * `tools/v1.2.3`, `argo-cd-5.46.7`). `release-1.2`, `release/1.2`, `v1` and every other name are treated
 * as branches or moving refs; `refs/tags/<tag-like>` passes, `refs/heads/...` does not.
 *
 * Helm chart sources (`chart:` set) use `targetRevision` as the chart version: it passes when it is an
 * exact version as Masterminds semver (used by Argo CD) reads it (`1`, `1.2`, `v1.2.3`, `1.2.3-rc.1`);
 * anything else is a constraint (`*`, `1.*`, `1.2.x`, `>=1.0`, `^1.2`, `~1.2`, `1.0 - 2.0`) or not a version.
 */
export type RevisionProblem = "missing" | "head" | "range" | "branch" | "not-a-version";

const COMMIT_SHA = /^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$/i;
const OCI_DIGEST = /^sha256:[0-9a-f]{64}$/i;
const PRE_BUILD = String.raw`(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?(?:\+[0-9A-Za-z][0-9A-Za-z.-]*)?`;
const TAG_VERSION = new RegExp(String.raw`^v?\d+(?:\.\d+){1,3}${PRE_BUILD}$`);
const PREFIXED_TAG = new RegExp(String.raw`^[A-Za-z0-9][A-Za-z0-9._/-]*[-_/@]v?\d+\.\d+\.\d+${PRE_BUILD}$`);
const HELM_EXACT = new RegExp(String.raw`^v?\d+(?:\.\d+){0,2}${PRE_BUILD}$`);
/** Made only of version characters and range operators, with at least one operator or wildcard. */
const RANGE_CHARS = /^[0-9A-Za-z.*^~<>=!|,+\s-]+$/;
const RANGE_MARK = /[*^~<>=|,]|\s-\s|(?:^|[.\s=<>^~])v?[xX](?:\.|$)|\d\s+[<>=~^!]/;
const VERSION_START = /^\s*(?:[<>=!~^]{1,2}\s*)?v?(?:\d|[xX*](?:\.|$))/;

function looksLikeRange(rev: string): boolean {
  return RANGE_CHARS.test(rev) && RANGE_MARK.test(rev) && VERSION_START.test(rev);
}

function isTagLike(rev: string): boolean {
  return TAG_VERSION.test(rev) || PREFIXED_TAG.test(rev);
}

export function revisionProblem(raw: unknown, isHelmChart: boolean): RevisionProblem | null {
  if (raw === undefined || raw === null || raw === "") return "missing";
  // Not a scalar: invalid for Argo CD, and not a revision this rule can judge.
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  const rev = String(raw).trim();
  if (rev === "") return "missing";
  if (rev.toUpperCase() === "HEAD") return "head";
  if (OCI_DIGEST.test(rev)) return null;
  if (isHelmChart) {
    if (HELM_EXACT.test(rev)) return null;
    return looksLikeRange(rev) ? "range" : "not-a-version";
  }
  if (COMMIT_SHA.test(rev)) return null;
  const tag = rev.startsWith("refs/tags/") ? rev.slice("refs/tags/".length) : rev;
  if (isTagLike(tag)) return null;
  if (looksLikeRange(rev)) return "range";
  return "branch";
}
