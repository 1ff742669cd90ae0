/**
 * Links from a report to the reviewed code, in GitHub's URL layout (github.com and GitHub Enterprise Server alike):
 * `<repo>/blob/<sha>/<path>#L<n>`, `<repo>/commit/<sha>`, `<repo>/runs/<check-run-id>`. A report links only when it
 * knows the repository's web address and the commit it reviewed; otherwise it shows plain `file:line`.
 */

/** What a report knows about where the reviewed code lives (all optional: the CLI may know nothing). */
export interface ReviewedCommit {
  /** The full SHA of the commit that was reviewed (a PR's head). */
  headSha?: string;
  /** The commit the review compared with (a PR's base side: GitHub's base commit, or the merge base): for findings
   * at base lines (`Finding.side`), such as a deleted Application's. */
  baseSha?: string;
  /** The repository's web address, e.g. `https://github.com/acme/gitops`. */
  repositoryUrl?: string;
  /** The check run that holds the full result. */
  checkRunUrl?: string;
}

/** The usable parts of a ReviewedCommit: every URL here is safe to put in a Markdown link. */
export interface Links {
  /** Short SHA of the reviewed commit, when known. */
  shortSha: string | null;
  /** Link to the commit, when the repository is known too. */
  commit: string | null;
  checkRun: string | null;
  /** Link to a line of a file at the reviewed commit (`side: "base"`: at the base commit); null without repository and SHA. */
  blob(path: string, line?: number, side?: "base"): string | null;
}

/** An absolute http(s) URL that cannot end a Markdown link early or carry credentials; null otherwise. */
export function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s<>()[\]"'`\\]+$/i.test(trimmed)) return null;
  try {
    const parsed = new URL(trimmed);
    return parsed.username || parsed.password || parsed.search || parsed.hash ? null : trimmed;
  } catch {
    return null;
  }
}

const SHA = /^[0-9a-f]{7,64}$/i;

/** Each path segment percent-encoded (parentheses too, so a Markdown link cannot end inside the URL). */
function encodePath(path: string): string {
  return path
    .split("/")
    .map((seg) => encodeURIComponent(seg).replace(/[()'*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

export function linksFor(commit: ReviewedCommit | undefined): Links {
  const sha = commit?.headSha && SHA.test(commit.headSha) ? commit.headSha.toLowerCase() : null;
  const repo = safeUrl(commit?.repositoryUrl);
  const baseSha = commit?.baseSha && SHA.test(commit.baseSha) ? commit.baseSha.toLowerCase() : null;
  const head = sha && repo ? `${repo}/blob/${sha}/` : null;
  const base = baseSha && repo ? `${repo}/blob/${baseSha}/` : null;
  return {
    shortSha: sha ? sha.slice(0, 7) : null,
    commit: sha && repo ? `${repo}/commit/${sha}` : null,
    checkRun: safeUrl(commit?.checkRunUrl),
    // A line of the base version without the base commit would link to the wrong file or none: no link then.
    blob: (path, line, side) => {
      const at = side === "base" ? base : head;
      return at ? `${at}${encodePath(path)}${line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : ""}` : null;
    },
  };
}

/** A check run's page: `<repo>/runs/<id>` (what GitHub's `html_url` of a check run is). */
export function checkRunUrl(repositoryUrl: string, checkRunId: number): string {
  return `${repositoryUrl.trim().replace(/\/+$/, "")}/runs/${checkRunId}`;
}
