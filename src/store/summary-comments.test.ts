import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDecisionStore } from "./dynamo-store.js";
import { reviewDecisions } from "./review-decisions.js";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { openStore, type OpenedStore } from "./open.js";
import { summaryCommentKey, summaryCommentsFor } from "./summary-comments.js";

const T0 = new Date("2026-12-06T10:00:00Z");
const DAY = 24 * 3600_000;

let server: DynaliteServer;
let store: OpenedStore;

beforeAll(async () => {
  server = await startDynalite();
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: "summary-comments-test" });
});

afterAll(async () => {
  await store.close();
  await server.close();
});

describe("the summary comment's memory on the decision store's table", () => {
  it("keeps the last comment written per PR under REPO#o/r | PR#n#COMMENT, for 180 days after the last write", async () => {
    const comments = summaryCommentsFor(store)!;
    expect(summaryCommentKey("Acme/GitOps", 7)).toEqual({ pk: "REPO#acme/gitops", sk: "PR#7#COMMENT" });
    expect(await comments.recall("acme/gitops", 7, T0)).toBeNull();
    await comments.remember("Acme/GitOps", 7, { id: 101, sha: "a".repeat(40), digest: "d1" }, T0);
    await comments.remember("acme/gitops", 8, { id: 202, sha: "b".repeat(40), digest: "d2" }, T0);
    expect(await comments.recall("acme/gitops", 7, T0)).toEqual({ id: 101, sha: "a".repeat(40), digest: "d1" });
    // The next write replaces it (one item per PR).
    await comments.remember("acme/gitops", 7, { id: 101, sha: "c".repeat(40), digest: "d3" }, T0);
    expect(await comments.recall("acme/gitops", 7, new Date(T0.getTime() + 179 * DAY))).toEqual({ id: 101, sha: "c".repeat(40), digest: "d3" });
    expect(await comments.recall("acme/gitops", 7, new Date(T0.getTime() + 180 * DAY))).toBeNull();
    expect(await comments.recall("acme/gitops", 8, T0)).toEqual({ id: 202, sha: "b".repeat(40), digest: "d2" });
  });

  it("is not an audit record, and does not disturb the PR's review records", async () => {
    const comments = summaryCommentsFor(store)!;
    await comments.remember("acme/audit", 1, { id: 5, sha: "a".repeat(40), digest: "d" }, T0);
    await store.recordReview({ repo: "acme/audit", pr: 1, headSha: "a".repeat(40), baseSha: "b".repeat(40), conclusion: "success", counts: { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } }, findings: [], time: T0 });
    expect((await store.audit({ repo: "acme/audit", pr: 1 })).map((r) => r.type)).toEqual(["review"]);
    expect((await store.latestReview("acme/audit", 1))?.headSha).toBe("a".repeat(40));
  });

  it("is what the review pipeline's decisions recall and remember", async () => {
    const decisions = reviewDecisions(store);
    await decisions.rememberSummaryComment!("acme/pipeline", 3, { id: 9, sha: "e".repeat(40), digest: "x" });
    expect(await decisions.summaryComment!("acme/pipeline", 3)).toEqual({ id: 9, sha: "e".repeat(40), digest: "x" });
  });

  it("a damaged item is nothing remembered (the comment is then looked up)", async () => {
    const comments = summaryCommentsFor(store)!;
    if (!(store instanceof DynamoDecisionStore)) throw new Error("expected the DynamoDB store");
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: { ...summaryCommentKey("acme/damaged", 1), commentId: "101", sha: "a", digest: "d", expiresAt: T0.getTime() / 1000 + 3600 } }),
    );
    expect(await comments.recall("acme/damaged", 1, T0)).toBeNull();
  });
});
