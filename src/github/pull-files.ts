import type { ChangedFile } from "../pipeline/types.js";
import { mapLimit } from "./concurrency.js";
import type { GitHubClient, RepoRef } from "./client.js";

/** GitHub lists at most this many files of a pull request (100 a page). */
export const MAX_LISTED_FILES = 3000;
const PER_PAGE = 100;

export type GitHubFileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface PullFile {
  path: string;
  status: GitHubFileStatus;
  /** Set for renamed (and copied) files. */
  previousPath?: string;
}

export interface PullFileListing {
  files: PullFile[];
  /** Human-readable notes for the report (e.g. files beyond GitHub's 3,000-file listing limit). */
  notes: string[];
}

/**
 * Lists the files of a pull request. The number of pages is known from `changed_files`, so they are
 * fetched concurrently (bounded), instead of following `Link` headers one by one.
 */
export async function listPullFiles(
  octokit: GitHubClient,
  pr: RepoRef & { number: number; changedFiles: number },
  concurrency: number,
): Promise<PullFileListing> {
  // Without a usable `changed_files`, read page 1 and keep going while pages are full.
  const known = Number.isFinite(pr.changedFiles) ? Math.max(pr.changedFiles, 0) : 0;
  const expected = Math.min(known, MAX_LISTED_FILES);
  const pageCount = Math.max(1, Math.ceil(expected / PER_PAGE));
  const pageNumbers = Array.from({ length: pageCount }, (_, i) => i + 1);
  const fetchPage = async (page: number): Promise<PullFile[]> => {
    const res = await octokit.rest.pulls.listFiles({ owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: PER_PAGE, page });
    return res.data.map((f) => ({
      path: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
    }));
  };
  const pages = await mapLimit(pageNumbers, concurrency, fetchPage);
  // Without a count, keep reading while the last page is full.
  let page = pageCount;
  while (!Number.isFinite(pr.changedFiles) && pages[pages.length - 1].length === PER_PAGE && page * PER_PAGE < MAX_LISTED_FILES) {
    page++;
    pages.push(await fetchPage(page));
  }
  const files = dedupe(pages.flat());
  const notes: string[] = [];
  const total = Math.max(known, files.length);
  if (total > files.length && files.length >= MAX_LISTED_FILES) {
    notes.push(
      `This pull request changes ${total.toLocaleString("en-US")} files, but GitHub lists only the first ${MAX_LISTED_FILES.toLocaleString("en-US")}: ` +
        `${(total - files.length).toLocaleString("en-US")} files were not reviewed. Split the change, or review it locally with \`gitops-guard review\`.`,
    );
  }
  return { files, notes };
}

/** Concurrent pages can overlap when the PR changes between requests; keep the first entry per path. */
function dedupe(files: PullFile[]): PullFile[] {
  const seen = new Set<string>();
  return files.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
}

/** GitHub's file status in the pipeline's terms: a copy is an added file; a rename GitHub cannot name is a modification. */
export function toChangedFile(f: PullFile): ChangedFile {
  switch (f.status) {
    case "added":
    case "copied":
      return { path: f.path, status: "added" };
    case "removed":
      return { path: f.path, status: "removed" };
    case "renamed":
      return f.previousPath ? { path: f.path, status: "renamed", previousPath: f.previousPath } : { path: f.path, status: "modified" };
    default:
      return { path: f.path, status: "modified" };
  }
}
