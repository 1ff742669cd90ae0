import { createHash } from "node:crypto";

/**
 * The envelope of the one summary comment: hidden markers around the rendered report (`pr-comment.ts`). The first
 * marker is how a platform adapter finds the comment again; the second says which head SHA it was computed for.
 */

/** Hidden marker that identifies the one gitops-guard summary comment of a pull request. */
export const COMMENT_MARKER = "<!-- gitops-guard:summary -->";
const SHA_MARKER = /<!-- gitops-guard:sha=([0-9a-f]{7,64}) -->/;

/** The comment body: both markers, then the rendered report. */
export function commentBody(markdown: string, headSha: string): string {
  return `${COMMENT_MARKER}\n<!-- gitops-guard:sha=${headSha} -->\n${markdown}`;
}

export function markerSha(body: string): string | null {
  return SHA_MARKER.exec(body)?.[1] ?? null;
}

/**
 * Whether two bodies say the same thing, ignoring the SHA marker and which check run they link to: a re-run of the
 * same commit with the same result does not rewrite the comment. The reviewed commit the body names does count: after
 * a push the comment says which commit it is about, even when the findings did not change.
 */
export function sameContent(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

/**
 * A digest of what `sameContent` compares: equal digests, same content. Kept with the comment's id in the decision
 * store, so that a later review can tell an unchanged comment without reading it back.
 */
export function contentDigest(body: string): string {
  return createHash("sha256").update(comparable(body)).digest("hex");
}

function comparable(body: string): string {
  return body
    .replace(SHA_MARKER, "")
    .replace(/\/runs\/\d+\b/g, "/runs/")
    .trim();
}
