/**
 * The id, head SHA and content digest of the summary comment last written on a PR, on the decision store's table:
 * `REPO#o/r | PR#n#COMMENT`, with `expiresAt` 180 days after the last write (the table's TTL attribute; expired items
 * are filtered on read, as dynalite has no TTL sweep). Not an audit item: it says where the comment is, not what was
 * decided. It spares a review the lookup of the comment among the PR's comments (one GitHub request per push).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { RememberedComment } from "../pipeline/types.js";
import { DynamoDecisionStore } from "./dynamo-store.js";
import { epochSeconds, prPrefix, repoPk } from "./keys.js";
import type { DecisionStore } from "./types.js";

const TTL_SECONDS = 180 * 24 * 3600;

export function summaryCommentKey(repo: string, pr: number): { pk: string; sk: string } {
  return { pk: repoPk(repo), sk: `${prPrefix(pr)}COMMENT` };
}

export class DynamoSummaryComments {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recall(repo: string, pr: number, now: Date = new Date()): Promise<RememberedComment | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: summaryCommentKey(repo, pr), ConsistentRead: true }));
    const item = out.Item;
    if (!item || typeof item.expiresAt !== "number" || item.expiresAt <= epochSeconds(now)) return null;
    const { commentId, sha, digest } = item;
    if (typeof commentId !== "number" || !Number.isSafeInteger(commentId) || typeof sha !== "string" || typeof digest !== "string") return null;
    return { id: commentId, sha, digest };
  }

  async remember(repo: string, pr: number, comment: RememberedComment, now: Date = new Date()): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...summaryCommentKey(repo, pr), commentId: comment.id, sha: comment.sha, digest: comment.digest, time: now.toISOString(), expiresAt: epochSeconds(now) + TTL_SECONDS },
      }),
    );
  }
}

/** The summary-comment memory of a decision store on DynamoDB (null for other stores: comments are then looked up). */
export function summaryCommentsFor(store: DecisionStore): DynamoSummaryComments | null {
  return store instanceof DynamoDecisionStore ? new DynamoSummaryComments(store.documentClient, store.tableName) : null;
}
