import { afterEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { API, expectNoPendingMocks, repo, testClient } from "./test-helpers.js";
import { fetchBlobs } from "./blobs.js";
import { completeCheckRun, type Annotation } from "./check-run.js";
import { commentBody } from "../report/summary-comment.js";
import { listPullFiles, toChangedFile } from "./pull-files.js";
import { createComment, findStickyComment, readComment, updateComment } from "./sticky-comment.js";

interface Sent {
  status?: string;
  conclusion?: string;
  output: { title: string; summary: string; annotations: Annotation[] };
}

afterEach(expectNoPendingMocks);

describe("completeCheckRun", () => {
  it("offers the Re-run review button; a server that refuses buttons (422) still gets the run completed without them", async () => {
    const bodies: Array<Record<string, unknown>> = [];
    nock(API)
      .patch("/repos/acme/gitops/check-runs/8")
      .reply(422, (_u, body) => (bodies.push(body as Record<string, unknown>), { message: "Invalid request: actions is not a permitted key" }))
      .patch("/repos/acme/gitops/check-runs/8")
      .reply(200, (_u, body) => (bodies.push(body as Record<string, unknown>), {}));
    await completeCheckRun(testClient(), repo, 8, { conclusion: "success", output: { title: "t", summary: "s" } }, new Date(0));
    expect(bodies[0]).toMatchObject({ status: "completed", conclusion: "success", actions: [{ label: "Re-run review", description: "Review this commit again", identifier: "recheck" }] });
    expect(bodies[1]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(bodies[1]).not.toHaveProperty("actions");
  });

  it("sends at most 50 annotations a request: the first completes the run, the rest are appended", async () => {
    const bodies: Sent[] = [];
    nock(API)
      .patch("/repos/acme/gitops/check-runs/7")
      .times(3)
      .reply(200, (_u, body) => (bodies.push(body as Sent), {}));
    const annotations: Annotation[] = Array.from({ length: 120 }, (_, i) => ({ path: "a.yaml", start_line: i + 1, end_line: i + 1, annotation_level: "failure", message: `m${i}` }));
    await completeCheckRun(testClient(), repo, 7, { conclusion: "failure", output: { title: "t", summary: "s", annotations } }, new Date(0));
    expect(bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
    expect(bodies[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "t", summary: "s" } });
    expect(bodies[1].conclusion).toBeUndefined();
    expect(bodies[2].output.annotations[19].message).toBe("m119");
  });

  it("drops columns GitHub would reject on multi-line annotations", async () => {
    let sent: Sent | null = null;
    nock(API)
      .patch("/repos/acme/gitops/check-runs/7")
      .reply(200, (_u, body) => ((sent = body as Sent), {}));
    const a: Annotation = { path: "a.yaml", start_line: 3, end_line: 5, start_column: 2, end_column: 9, annotation_level: "warning", message: "m" };
    await completeCheckRun(testClient(), repo, 7, { conclusion: "success", output: { title: "t", summary: "s", annotations: [a] } }, new Date(0));
    expect(sent!.output.annotations[0]).toEqual({ path: "a.yaml", start_line: 3, end_line: 5, annotation_level: "warning", message: "m" });
  });
});

describe("sticky comment", () => {
  it("reads further comment pages until it finds the bot's marker", async () => {
    const page2 = `${API}/repos/acme/gitops/issues/3/comments?per_page=100&page=2`;
    nock(API)
      .get("/repos/acme/gitops/issues/3/comments")
      .query({ per_page: "100" })
      .reply(200, Array.from({ length: 100 }, (_, i) => ({ id: i, body: "chatter", user: { login: "dev", type: "User" } })), { link: `<${page2}>; rel="next"` })
      .get("/repos/acme/gitops/issues/3/comments")
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ id: 500, body: commentBody("x", "c".repeat(40)), user: { login: "gitops-guard[bot]", type: "Bot" } }]);
    await expect(findStickyComment(testClient(), repo, 3)).resolves.toEqual({ id: 500, body: commentBody("x", "c".repeat(40)), sha: "c".repeat(40) });
  });
});

describe("toChangedFile", () => {
  it("speaks the pipeline's statuses: a copy is added, a rename without its old name is a modification", () => {
    expect(toChangedFile({ path: "new.yaml", status: "renamed", previousPath: "old.yaml" })).toEqual({ path: "new.yaml", status: "renamed", previousPath: "old.yaml" });
    expect(toChangedFile({ path: "copy.yaml", status: "copied", previousPath: "orig.yaml" })).toEqual({ path: "copy.yaml", status: "added" });
    expect(toChangedFile({ path: "r.yaml", status: "renamed" })).toEqual({ path: "r.yaml", status: "modified" });
    expect(toChangedFile({ path: "c.yaml", status: "changed" })).toEqual({ path: "c.yaml", status: "modified" });
    expect(toChangedFile({ path: "gone.yaml", status: "removed" })).toEqual({ path: "gone.yaml", status: "removed" });
  });
});

describe("listPullFiles", () => {
  it("without changed_files, reads pages until one is not full", async () => {
    const scope = nock(API);
    for (const [page, n] of [[1, 100], [2, 100], [3, 7]] as const) {
      scope
        .get("/repos/acme/gitops/pulls/9/files")
        .query({ per_page: "100", page: String(page) })
        .reply(200, Array.from({ length: n }, (_, i) => ({ filename: `p${page}/f${i}.yaml`, status: "modified" })));
    }
    const listing = await listPullFiles(testClient(), { ...repo, number: 9, changedFiles: Number.NaN }, 8);
    expect(listing.files).toHaveLength(207);
    expect(listing.notes).toEqual([]);
  });

  it("maps renames to their previous path", async () => {
    nock(API)
      .get("/repos/acme/gitops/pulls/9/files")
      .query(true)
      .reply(200, [{ filename: "new.yaml", status: "renamed", previous_filename: "old.yaml" }]);
    const listing = await listPullFiles(testClient(), { ...repo, number: 9, changedFiles: 1 }, 8);
    expect(listing.files).toEqual([{ path: "new.yaml", status: "renamed", previousPath: "old.yaml" }]);
  });
});

describe("fetchBlobs", () => {
  it("batches expressions into queries of blobsPerQuery and dedupes the same version", async () => {
    const queries: string[] = [];
    nock(API)
      .post("/graphql")
      .times(2)
      .reply(200, (_u, body) => {
        const q = (body as { query: string }).query;
        queries.push(q);
        const n = (q.match(/object\(/g) ?? []).length;
        return { data: { repository: Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, { oid: "0".repeat(40), byteSize: 2, isBinary: false, isTruncated: false, text: "a: 1" }])) } };
      });
    const requests = [
      { key: "h1", commitSha: "h", path: "a.yaml" },
      { key: "h2", commitSha: "h", path: "b.yaml" },
      { key: "h3", commitSha: "h", path: "c.yaml" },
      { key: "again", commitSha: "h", path: "a.yaml" },
    ];
    const out = await fetchBlobs(testClient(), repo, requests, { blobsPerQuery: 2, bytesPerQuery: 4_000_000, unsizedPerQuery: 200, graphqlConcurrency: 2, fallbackConcurrency: 2, maxBytes: 1000 });
    expect(queries).toHaveLength(2);
    expect([...out.keys()].sort()).toEqual(["again", "h1", "h2", "h3"]);
    expect(out.get("again")).toEqual({ kind: "text", text: "a: 1" });
  });

  it("uses partial data when GraphQL answers with errors; missing objects are `missing`", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: { b0: { oid: "1".repeat(40), byteSize: 4, isBinary: false, isTruncated: false, text: "x: 1" }, b1: null } }, errors: [{ message: "something about b1" }] });
    const out = await fetchBlobs(
      testClient(),
      repo,
      [
        { key: "a", commitSha: "h", path: "a.yaml" },
        { key: "b", commitSha: "h", path: "gone.yaml" },
      ],
      { blobsPerQuery: 100, bytesPerQuery: 4_000_000, unsizedPerQuery: 100, graphqlConcurrency: 1, fallbackConcurrency: 1, maxBytes: 1000 },
    );
    expect(out.get("a")).toEqual({ kind: "text", text: "x: 1" });
    expect(out.get("b")).toEqual({ kind: "missing" });
  });

  it("a repository GraphQL cannot see is an error", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a Repository" }] });
    await expect(fetchBlobs(testClient(), repo, [{ key: "a", commitSha: "h", path: "a.yaml" }], { blobsPerQuery: 100, bytesPerQuery: 4_000_000, unsizedPerQuery: 100, graphqlConcurrency: 1, fallbackConcurrency: 1, maxBytes: 1000 })).rejects.toThrow(/Could not resolve/);
  });
});

describe("fetchBlobs on servers without (full) GraphQL", () => {
  const opts = { blobsPerQuery: 100, bytesPerQuery: 4_000_000, unsizedPerQuery: 100, graphqlConcurrency: 1, fallbackConcurrency: 2, maxBytes: 1_000_000 };
  const file = (text: string) => ({ type: "file", size: Buffer.byteLength(text), encoding: "base64", content: Buffer.from(text).toString("base64"), sha: "f".repeat(40) });

  it("no GraphQL endpoint: every version through the REST contents API, by ref", async () => {
    nock(API)
      .post("/graphql")
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/gitops/contents/a.yaml")
      .query({ ref: "h" })
      .reply(200, file("a: 1\n"))
      .get("/repos/acme/gitops/contents/gone.yaml")
      .query({ ref: "b" })
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/gitops/contents/big.yaml")
      .query({ ref: "h" })
      .reply(200, { type: "file", size: 5_000_000, encoding: "none", content: "", sha: "e".repeat(40) });
    const out = await fetchBlobs(
      testClient(),
      repo,
      [
        { key: "a", commitSha: "h", path: "a.yaml" },
        { key: "gone", commitSha: "b", path: "gone.yaml" },
        { key: "big", commitSha: "h", path: "big.yaml" },
      ],
      opts,
    );
    expect(out.get("a")).toEqual({ kind: "bytes", bytes: new Uint8Array(Buffer.from("a: 1\n")) });
    expect(out.get("gone")).toEqual({ kind: "missing" });
    expect(out.get("big")).toEqual({ kind: "oversized", byteSize: 5_000_000 });
  });

  it("a GraphQL answer with errors and no data falls back to REST", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { errors: [{ message: "Cannot query field 'oid' on type 'Blob'" }] })
      .get("/repos/acme/gitops/contents/a.yaml")
      .query({ ref: "h" })
      .reply(200, file("a: 1\n"));
    const out = await fetchBlobs(testClient(), repo, [{ key: "a", commitSha: "h", path: "a.yaml" }], opts);
    expect(out.get("a")?.kind).toBe("bytes");
  });

  it("blobs without oid/byteSize still count when their text is there; truncated ones are re-read by path", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: { b0: { text: "a: 1\n" }, b1: { text: "x", isTruncated: true } } } })
      .get("/repos/acme/gitops/contents/t.yaml")
      .query({ ref: "h" })
      .reply(200, file("full: text\n"));
    const out = await fetchBlobs(
      testClient(),
      repo,
      [
        { key: "a", commitSha: "h", path: "a.yaml" },
        { key: "t", commitSha: "h", path: "t.yaml" },
      ],
      opts,
    );
    expect(out.get("a")).toEqual({ kind: "text", text: "a: 1\n" });
    expect(out.get("t")).toEqual({ kind: "bytes", bytes: new Uint8Array(Buffer.from("full: text\n")) });
  });

  it("GraphQL rate limiting is an error, not a reason to send hundreds of REST requests", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] });
    await expect(fetchBlobs(testClient(), repo, [{ key: "a", commitSha: "h", path: "a.yaml" }], opts)).rejects.toThrow(/rate limit/);
  });
});

describe("sticky comment writes", () => {
  it("creating says the new comment's id; editing one that is gone (404) says false, other errors are thrown", async () => {
    nock(API).post("/repos/acme/gitops/issues/3/comments").reply(201, { id: 777, body: "x" });
    await expect(createComment(testClient(), repo, 3, "x")).resolves.toBe(777);
    nock(API).patch("/repos/acme/gitops/issues/comments/777").reply(200, { id: 777, body: "y" });
    await expect(updateComment(testClient(), repo, 777, "y")).resolves.toBe(true);
    nock(API).patch("/repos/acme/gitops/issues/comments/777").reply(404, { message: "Not Found" });
    await expect(updateComment(testClient(), repo, 777, "y")).resolves.toBe(false);
    nock(API).patch("/repos/acme/gitops/issues/comments/777").reply(403, { message: "Resource not accessible by integration" });
    await expect(updateComment(testClient(), repo, 777, "y")).rejects.toMatchObject({ status: 403 });
  });

  it("reading one by id gives its body and marker SHA; a comment that is gone (404) is null", async () => {
    const body = commentBody("x", "c".repeat(40));
    nock(API).get("/repos/acme/gitops/issues/comments/777").reply(200, { id: 777, body });
    await expect(readComment(testClient(), repo, 777)).resolves.toEqual({ id: 777, body, sha: "c".repeat(40) });
    nock(API).get("/repos/acme/gitops/issues/comments/778").reply(404, { message: "Not Found" });
    await expect(readComment(testClient(), repo, 778)).resolves.toBeNull();
  });
});

describe("sticky comment authors", () => {
  it("trusts a marked comment without author information, never one by a person", async () => {
    nock(API)
      .get("/repos/acme/gitops/issues/3/comments")
      .query({ per_page: "100" })
      .reply(200, [
        { id: 1, body: commentBody("quoted", "a".repeat(40)), user: { login: "dev", type: "User" } },
        { id: 2, body: commentBody("ours", "b".repeat(40)) },
      ]);
    await expect(findStickyComment(testClient(), repo, 3)).resolves.toMatchObject({ id: 2, sha: "b".repeat(40) });
  });
});
