import { mapLimit } from "./concurrency.js";
import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";
import type { FileVersion, FileVersionRequest } from "../pipeline/types.js";

/** One file version to read (the pipeline's port type). */
export type BlobRequest = FileVersionRequest;

/** What was read: text, bytes, `oversized` (over the parse limit, not downloaded) or `missing`. */
export type BlobContent = FileVersion;

export interface BlobFetchOptions {
  /** Aliases (file versions) in one GraphQL query at most. */
  blobsPerQuery: number;
  /** Text bytes one query may answer, counted from the requests' size hints (tree listings). */
  bytesPerQuery: number;
  /** Versions of unknown size in one query at most (each may answer up to 512 KB of text). */
  unsizedPerQuery: number;
  graphqlConcurrency: number;
  fallbackConcurrency: number;
  /** Blobs larger than this are reported as `oversized` without downloading them. */
  maxBytes: number;
}

/** GraphQL's `Blob.text` stops here (`isTruncated: true`); a larger version is read once through REST instead. */
export const GRAPHQL_TEXT_LIMIT = 512_000;

/** A batch this small is not split further when GitHub times out on it: the error stands. */
export const MIN_SPLIT_BATCH = 25;

/** Retries (Octokit's retry plugin) of a batch that would be split if GitHub timed out on it. */
const SPLITTABLE_RETRIES = 1;

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

/** One version to read through GraphQL, with its size when a tree listing said it. */
export interface BatchItem {
  expression: string;
  size?: number;
}

/**
 * Packs versions into GraphQL queries, in order: at most `blobsPerQuery` aliases and `bytesPerQuery` bytes of
 * text a query, a version of unknown size counting as `bytesPerQuery / unsizedPerQuery` (so a query holds at most
 * `unsizedPerQuery` of them). Fewer, fuller queries are what saves time: Octokit's throttling starts GraphQL queries
 * (as writes) at least 1 s apart, so the spacing, not GitHub, dominates a big PR's wall time. The byte bound keeps a
 * query's answer (and the time GitHub takes to build it, which must stay under its 10 s timeout) bounded.
 */
export function packBatches(items: readonly BatchItem[], opts: Pick<BlobFetchOptions, "blobsPerQuery" | "bytesPerQuery" | "unsizedPerQuery">): string[][] {
  const maxCount = Math.max(1, opts.blobsPerQuery);
  const maxBytes = Math.max(1, opts.bytesPerQuery);
  const unsized = maxBytes / Math.max(1, opts.unsizedPerQuery);
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const item of items) {
    const cost = item.size ?? unsized;
    if (current.length > 0 && (current.length >= maxCount || bytes + cost > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item.expression);
    bytes += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Reads file versions in batches through GraphQL `object(expression: "<sha>:<path>")` aliases, a bounded number
 * of queries at a time, packed by the size hints tree listings give (`packBatches`). A version whose hint is over
 * `maxBytes` is `oversized` without any request; one over GraphQL's 512 KB text limit is read once through REST
 * (a GraphQL alias would answer 512 KB of text only to be read again). Blobs GraphQL truncates or marks binary
 * anyway are read again through REST `git/blobs`, unless they are over `maxBytes`. When GitHub times out on a
 * query (its 10 s limit), the batch is split in two and each half asked again, down to `MIN_SPLIT_BATCH`, and later
 * batches are split to that size before they are sent. A head
 * commit of a fork's PR is readable through the base repository, so every request goes to `repo`. A server without
 * the GraphQL endpoint, or one that cannot answer the query, gets every version through the REST contents API
 * instead (correct, but one request per file version).
 */
export async function fetchBlobs(
  octokit: GitHubClient,
  repo: RepoRef,
  requests: readonly BlobRequest[],
  opts: BlobFetchOptions,
): Promise<Map<string, BlobContent>> {
  const byExpression = new Map<string, { commitSha: string; path: string; keys: string[]; size?: number }>();
  for (const r of requests) {
    const expression = `${r.commitSha}:${r.path}`;
    const entry = byExpression.get(expression);
    if (entry) {
      entry.keys.push(r.key);
      if (r.size !== undefined) entry.size = Math.max(entry.size ?? 0, r.size);
    } else byExpression.set(expression, { commitSha: r.commitSha, path: r.path, keys: [r.key], ...(r.size !== undefined ? { size: r.size } : {}) });
  }
  const out = new Map<string, BlobContent>();
  const set = (expression: string, content: BlobContent) => {
    for (const key of byExpression.get(expression)?.keys ?? []) out.set(key, content);
  };
  const fallbacks: Array<{ expression: string; oid: string | null }> = [];
  const viaGraphql: BatchItem[] = [];
  for (const [expression, { size }] of byExpression) {
    if (size !== undefined && size > opts.maxBytes) set(expression, { kind: "oversized", byteSize: size });
    else if (size !== undefined && size > GRAPHQL_TEXT_LIMIT) fallbacks.push({ expression, oid: null });
    else viaGraphql.push({ expression, ...(size !== undefined ? { size } : {}) });
  }
  let graphqlAvailable = true;

  /** The most blobs a query may hold after GitHub timed out on a bigger one: later batches are split before sending. */
  let cap = Number.POSITIVE_INFINITY;
  const readBatch = async (batch: readonly string[]): Promise<void> => {
    if (batch.length > cap) {
      // One after the other: the split stays within this worker's share of the concurrency.
      const size = cap; // (a piece that times out lowers `cap` again; it then splits itself)
      for (let i = 0; i < batch.length; i += size) await readBatch(batch.slice(i, i + size));
      return;
    }
    let data: RepositoryData | null;
    try {
      data = graphqlAvailable ? await queryBlobs(octokit, repo, batch, batch.length > MIN_SPLIT_BATCH) : null;
    } catch (error) {
      if (batch.length <= MIN_SPLIT_BATCH || !isTimeout(error)) throw error;
      cap = Math.min(cap, Math.ceil(batch.length / 2));
      return readBatch(batch);
    }
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
  };
  await mapLimit(packBatches(viaGraphql, opts), opts.graphqlConcurrency, readBatch);

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
async function queryBlobs(octokit: GitHubClient, repo: RepoRef, expressions: readonly string[], splittable: boolean): Promise<RepositoryData | null> {
  try {
    // A batch that can be split is retried once, not three times (Octokit's retry plugin would send a query GitHub
    // timed out on three more times, 10 s each, before the split that is its real remedy); one retry still rides out
    // a passing server error.
    const res = await octokit.graphql<{ repository: RepositoryData | null }>(blobQuery(repo, expressions), splittable ? { request: { retries: SPLITTABLE_RETRIES } } : {});
    if (!res.repository) throw new Error(`GraphQL: repository ${repo.owner}/${repo.repo} not found`);
    return res.repository;
  } catch (error) {
    if (isTimeout(error)) throw error;
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

/**
 * GitHub gave up on the query (its 10 s limit): a gateway error (502/504), or GraphQL's "Something went wrong while
 * executing your query. This may be the result of a timeout" (Octokit's retry plugin turns that answer into a 500).
 */
export function isTimeout(error: unknown): boolean {
  const status = httpStatus(error);
  if (status === 502 || status === 504) return true;
  const messages: string[] = [];
  if (error instanceof Error) messages.push(error.message);
  const errors = typeof error === "object" && error !== null && "errors" in error ? (error as { errors: unknown }).errors : undefined;
  if (Array.isArray(errors)) for (const e of errors) if (typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string") messages.push((e as { message: string }).message);
  return messages.some((m) => /timed? ?out|something went wrong while executing your query/i.test(m));
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
