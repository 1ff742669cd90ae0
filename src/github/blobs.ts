import { chunk, mapLimit } from "./concurrency.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";
import type { FileVersion, FileVersionRequest } from "../pipeline/types.js";

/** One file version to read (the pipeline's port type). */
export type BlobRequest = FileVersionRequest;

/** What was read: text, bytes, `oversized` (over the parse limit, not downloaded) or `missing`. */
export type BlobContent = FileVersion;

export interface BlobFetchOptions {
  blobsPerQuery: number;
  graphqlConcurrency: number;
  fallbackConcurrency: number;
  /** Blobs larger than this are reported as `oversized` without downloading them. */
  maxBytes: number;
}

interface GraphqlBlob {
  oid?: string;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  text?: string | null;
}

type RepositoryData = Record<string, GraphqlBlob | null | undefined>;

/** A GraphQL string literal (GraphQL string escapes are a subset of JSON's). */
function gqlString(s: string): string {
  return JSON.stringify(s);
}

export function blobQuery(repo: RepoRef, expressions: readonly string[]): string {
  const fields = expressions
    .map((e, i) => `    b${i}: object(expression: ${gqlString(e)}) { ... on Blob { oid byteSize isBinary isTruncated text } }`)
    .join("\n");
  return `query {\n  repository(owner: ${gqlString(repo.owner)}, name: ${gqlString(repo.repo)}) {\n${fields}\n  }\n}`;
}

/**
 * Reads file versions in batches through GraphQL `object(expression: "<sha>:<path>")` aliases, a
 * bounded number of queries at a time. Blobs GraphQL truncates (over 512 KB) or marks binary are read
 * again through REST `git/blobs`, unless they are over `maxBytes` anyway. A head commit of a fork's PR
 * is readable through the base repository, so every request goes to `repo`. A server without the
 * GraphQL endpoint, or one that cannot answer the query, gets every version through the REST contents
 * API instead (correct, but one request per file version).
 */
export async function fetchBlobs(
  octokit: GitHubClient,
  repo: RepoRef,
  requests: readonly BlobRequest[],
  opts: BlobFetchOptions,
): Promise<Map<string, BlobContent>> {
  const byExpression = new Map<string, { commitSha: string; path: string; keys: string[] }>();
  for (const r of requests) {
    const expression = `${r.commitSha}:${r.path}`;
    const entry = byExpression.get(expression);
    if (entry) entry.keys.push(r.key);
    else byExpression.set(expression, { commitSha: r.commitSha, path: r.path, keys: [r.key] });
  }
  const out = new Map<string, BlobContent>();
  const set = (expression: string, content: BlobContent) => {
    for (const key of byExpression.get(expression)?.keys ?? []) out.set(key, content);
  };
  const fallbacks: Array<{ expression: string; oid: string | null }> = [];
  let graphqlAvailable = true;

  await mapLimit(chunk([...byExpression.keys()], Math.max(1, opts.blobsPerQuery)), opts.graphqlConcurrency, async (batch) => {
    const data = graphqlAvailable ? await queryBlobs(octokit, repo, batch) : null;
    if (!data) {
      graphqlAvailable = false;
      fallbacks.push(...batch.map((expression) => ({ expression, oid: null })));
      return;
    }
    batch.forEach((expression, i) => {
      const blob = data[`b${i}`];
      const hasText = typeof blob?.text === "string";
      const oid = typeof blob?.oid === "string" ? blob.oid : null;
      if (!blob || (!hasText && oid === null)) return set(expression, { kind: "missing" });
      const byteSize = typeof blob.byteSize === "number" ? blob.byteSize : hasText ? Buffer.byteLength(blob.text!, "utf8") : 0;
      if (byteSize > opts.maxBytes) return set(expression, { kind: "oversized", byteSize });
      if (blob.isTruncated || blob.isBinary || !hasText) return void fallbacks.push({ expression, oid });
      set(expression, { kind: "text", text: blob.text! });
    });
  });

  await mapLimit(fallbacks, opts.fallbackConcurrency, async ({ expression, oid }) => {
    const { commitSha, path } = byExpression.get(expression)!;
    set(expression, oid ? await readGitBlob(octokit, repo, oid) : await readContents(octokit, repo, commitSha, path, opts.maxBytes));
  });
  return out;
}

async function readGitBlob(octokit: GitHubClient, repo: RepoRef, sha: string): Promise<BlobContent> {
  const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.repo, file_sha: sha });
  const bytes = data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
  return { kind: "bytes", bytes: new Uint8Array(bytes) };
}

/** One file version through the REST contents API (files over 1 MB come without content: read their blob). */
async function readContents(octokit: GitHubClient, repo: RepoRef, ref: string, path: string, maxBytes: number): Promise<BlobContent> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.repo, path, ref }));
  } catch (error) {
    if (httpStatus(error) === 404) return { kind: "missing" };
    throw error;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { kind: "missing" };
  const file = data as { type?: unknown; size?: unknown; content?: unknown; encoding?: unknown; sha?: unknown };
  if (file.type !== undefined && file.type !== "file") return { kind: "missing" };
  const size = typeof file.size === "number" ? file.size : 0;
  if (size > maxBytes) return { kind: "oversized", byteSize: size };
  if (typeof file.content === "string" && (file.encoding === "base64" || file.encoding === undefined) && (file.content.length > 0 || size === 0)) {
    return { kind: "bytes", bytes: new Uint8Array(Buffer.from(file.content, "base64")) };
  }
  if (typeof file.sha === "string") return readGitBlob(octokit, repo, file.sha);
  return { kind: "missing" };
}

/** Statuses that mean "this server cannot answer this GraphQL query at all", not "the query failed". */
const NO_GRAPHQL = new Set([400, 404, 405, 422, 501]);

/** The `repository` object of a blob query, or null when the server has no GraphQL endpoint. */
async function queryBlobs(octokit: GitHubClient, repo: RepoRef, expressions: readonly string[]): Promise<RepositoryData | null> {
  try {
    const res = await octokit.graphql<{ repository: RepositoryData | null }>(blobQuery(repo, expressions));
    if (!res.repository) throw new Error(`GraphQL: repository ${repo.owner}/${repo.repo} not found`);
    return res.repository;
  } catch (error) {
    // GraphQL answers partial data with `errors` (e.g. one unreadable object): use what came back.
    const partial = partialRepository(error);
    if (partial) return partial;
    const status = httpStatus(error);
    if (status !== undefined && NO_GRAPHQL.has(status)) return null;
    // A GraphQL answer with errors and no data at all (e.g. a server whose schema lacks a field we ask
    // for): REST still works. Rate limiting is not worked around.
    if (status === undefined && isGraphqlErrorWithoutData(error)) return null;
    throw error;
  }
}

function isGraphqlErrorWithoutData(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("errors" in error)) return false;
  const data = (error as { data?: unknown }).data;
  if (data !== null && data !== undefined) return false;
  const errors = (error as { errors: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return false;
  return !errors.some((e: unknown) => typeof e === "object" && e !== null && (e as { type?: unknown }).type === "RATE_LIMITED");
}

function partialRepository(error: unknown): RepositoryData | null {
  if (typeof error !== "object" || error === null || !("data" in error)) return null;
  const data = (error as { data: unknown }).data;
  if (typeof data !== "object" || data === null || !("repository" in data)) return null;
  const repository = (data as { repository: unknown }).repository;
  return typeof repository === "object" && repository !== null ? (repository as RepositoryData) : null;
}
