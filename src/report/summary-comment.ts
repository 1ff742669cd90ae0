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
  const strip = (s: string) =>
    s
      .replace(SHA_MARKER, "")
      .replace(/\/runs\/\d+\b/g, "/runs/")
      .trim();
  return strip(a) === strip(b);
}
