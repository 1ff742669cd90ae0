import { afterEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { API, expectNoPendingMocks, repo, testClient } from "./test-helpers.js";
import { fetchBlobs, GRAPHQL_TEXT_LIMIT, isTimeout, MIN_SPLIT_BATCH, packBatches, type BlobFetchOptions } from "./blobs.js";

afterEach(expectNoPendingMocks);

/** The expressions of a blob query, in alias order. */
function expressionsOf(body: unknown): string[] {
  const q = (body as { query: string }).query;
  return [...q.matchAll(/object\(expression: ("(?:[^"\\]|\\.)*")\)/g)].map((m) => JSON.parse(m[1]) as string);
}

/** Answers every alias of a blob query with the text `<expression>`. */
function answerAll(body: unknown): unknown {
  const exprs = expressionsOf(body);
  return { data: { repository: Object.fromEntries(exprs.map((e, i) => [`b${i}`, { oid: "1".repeat(40), byteSize: e.length, isBinary: false, isTruncated: false, text: e }])) } };
}

const opts: BlobFetchOptions = { blobsPerQuery: 1000, bytesPerQuery: 4_000_000, unsizedPerQuery: 200, graphqlConcurrency: 2, fallbackConcurrency: 2, maxBytes: 1_000_000 };

describe("packBatches", () => {
  const limits = { blobsPerQuery: 3, bytesPerQuery: 1000, unsizedPerQuery: 4 };

  it("closes a query at the alias limit", () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ expression: `h:${i}`, size: 1 }));
    expect(packBatches(items, limits).map((b) => b.length)).toEqual([3, 3, 1]);
  });

  it("closes a query at the byte limit, counted from the sizes; a version bigger than the limit travels alone", () => {
    const items = [400, 500, 200, 1500, 10].map((size, i) => ({ expression: `h:${i}`, size }));
    expect(packBatches(items, limits)).toEqual([["h:0", "h:1"], ["h:2"], ["h:3"], ["h:4"]]);
  });

  it("a version of unknown size counts as bytesPerQuery / unsizedPerQuery", () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ expression: `h:${i}` }));
    expect(packBatches(items, { ...limits, blobsPerQuery: 100 }).map((b) => b.length)).toEqual([4, 2]);
    expect(packBatches([{ expression: "a", size: 600 }, { expression: "b" }, { expression: "c" }], { ...limits, blobsPerQuery: 100 })).toEqual([["a", "b"], ["c"]]);
  });
});

describe("fetchBlobs with size hints", () => {
  it("3,000 small versions with sizes go in 3 queries of 1,000 (200 a query before the packing by size)", async () => {
    const queries: number[] = [];
    nock(API)
      .post("/graphql")
      .times(3)
      .reply(200, (_u, body) => (queries.push(expressionsOf(body).length), answerAll(body)));
    const requests = Array.from({ length: 3000 }, (_, i) => ({ key: `k${i}`, commitSha: i % 2 ? "b" : "h", path: `apps/${i}.yaml`, size: 1300 }));
    const out = await fetchBlobs(testClient(), repo, requests, opts);
    expect(queries).toEqual([1000, 1000, 1000]);
    expect(out.size).toBe(3000);
    expect(out.get("k7")).toEqual({ kind: "text", text: "b:apps/7.yaml" });
  });

  it("a version whose listed size is over the limit is oversized without any request; one over GraphQL's text limit is read once through REST", async () => {
    const big = "x: 1\n".repeat(120_000); // 600 kB
    nock(API)
      .post("/graphql")
      .reply(200, (_u, body) => {
        expect(expressionsOf(body)).toEqual(["h:small.yaml"]);
        return answerAll(body);
      })
      .get("/repos/acme/gitops/contents/big.yaml")
      .query({ ref: "h" })
      .reply(200, { type: "file", size: big.length, encoding: "base64", content: Buffer.from(big).toString("base64"), sha: "f".repeat(40) });
    const out = await fetchBlobs(
      testClient(),
      repo,
      [
        { key: "small", commitSha: "h", path: "small.yaml", size: 12 },
        { key: "big", commitSha: "h", path: "big.yaml", size: big.length },
        { key: "huge", commitSha: "h", path: "huge.yaml", size: 2 ** 40 },
      ],
      opts,
    );
    expect(big.length).toBeGreaterThan(GRAPHQL_TEXT_LIMIT);
    expect(out.get("small")).toEqual({ kind: "text", text: "h:small.yaml" });
    expect(out.get("big")).toEqual({ kind: "bytes", bytes: new Uint8Array(Buffer.from(big)) });
    expect(out.get("huge")).toEqual({ kind: "oversized", byteSize: 2 ** 40 });
  });

  it("a hint that is wrong does not change the answer: GraphQL's own size decides", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: { b0: { oid: "2".repeat(40), byteSize: 3_000_000, isBinary: false, isTruncated: true, text: "x" } } } });
    const out = await fetchBlobs(testClient(), repo, [{ key: "a", commitSha: "h", path: "a.yaml", size: 10 }], opts);
    expect(out.get("a")).toEqual({ kind: "oversized", byteSize: 3_000_000 });
  });
});

describe("fetchBlobs when GitHub times out on a query", () => {
  const requests = Array.from({ length: 120 }, (_, i) => ({ key: `k${i}`, commitSha: "h", path: `${i}.yaml` }));

  it("a 502 splits the batch in two; each half is asked again", async () => {
    const sizes: number[] = [];
    nock(API)
      .post("/graphql")
      .reply(502, (_u, body) => (sizes.push(expressionsOf(body).length), { message: "Server Error" }))
      .post("/graphql")
      .times(2)
      .reply(200, (_u, body) => (sizes.push(expressionsOf(body).length), answerAll(body)));
    const out = await fetchBlobs(testClient(), repo, requests, { ...opts, unsizedPerQuery: 1000 });
    expect(sizes).toEqual([120, 60, 60]);
    expect(out.size).toBe(120);
    expect(out.get("k119")).toEqual({ kind: "text", text: "h:119.yaml" });
  });

  it("GraphQL's 'may be the result of a timeout' answer splits too (never the REST fallback of every file)", async () => {
    const sizes: number[] = [];
    const timeout = { data: null, errors: [{ message: "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug." }] };
    nock(API)
      .post("/graphql")
      .reply(200, (_u, body) => (sizes.push(expressionsOf(body).length), timeout))
      .post("/graphql")
      .reply(200, (_u, body) => (sizes.push(expressionsOf(body).length), timeout))
      .post("/graphql")
      .times(4)
      .reply(200, (_u, body) => (sizes.push(expressionsOf(body).length), answerAll(body)));
    const out = await fetchBlobs(testClient(), repo, requests, { ...opts, unsizedPerQuery: 1000 });
    // 120 times out, then its first half: the second half goes as two batches of 30 without trying 60.
    expect(sizes).toEqual([120, 60, 30, 30, 30, 30]);
    expect(out.size).toBe(120);
  });

  it("once GitHub timed out on a batch, the batches after it are split before they are sent", async () => {
    const sizes: number[] = [];
    nock(API)
      .post("/graphql")
      .reply(502, (_u, body) => (sizes.push(expressionsOf(body).length), { message: "Server Error" }))
      .post("/graphql")
      .times(4)
      .reply(200, (_u, body) => (sizes.push(expressionsOf(body).length), answerAll(body)));
    const many = Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, commitSha: "h", path: `${i}.yaml` }));
    const out = await fetchBlobs(testClient(), repo, many, { ...opts, blobsPerQuery: 100, unsizedPerQuery: 1000, graphqlConcurrency: 1 });
    expect(sizes).toEqual([100, 50, 50, 50, 50]);
    expect(out.size).toBe(200);
  });

  it(`a batch of ${MIN_SPLIT_BATCH} or fewer that times out is an error (the review fails with the reason)`, async () => {
    nock(API).post("/graphql").reply(504, { message: "We couldn't respond to your request in time." });
    await expect(fetchBlobs(testClient(), repo, requests.slice(0, MIN_SPLIT_BATCH), opts)).rejects.toMatchObject({ status: 504 });
  });
});

describe("isTimeout", () => {
  it("knows GitHub's gateway errors and its GraphQL timeout message, not other failures", () => {
    expect(isTimeout(Object.assign(new Error("Server Error"), { status: 502 }))).toBe(true);
    expect(isTimeout(Object.assign(new Error("Something went wrong while executing your query. This may be the result of a timeout"), { status: 500 }))).toBe(true);
    expect(isTimeout(Object.assign(new Error("Server Error"), { status: 500 }))).toBe(false);
    expect(isTimeout(Object.assign(new Error("Bad credentials"), { status: 401 }))).toBe(false);
    expect(isTimeout({ errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] })).toBe(false);
  });
});
