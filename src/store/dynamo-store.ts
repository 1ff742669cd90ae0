import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { checkDeliveryId, DELIVERY_TTL_SECONDS, isConditionFailure, putClaim } from "./claims.js";
import { randomWaiverId, WAIVER_ID_RE } from "./ids.js";
import {
  auditKeys,
  closedSk,
  deliveryKey,
  epochSeconds,
  INDEX_BY_PR,
  INDEX_BY_REPO,
  isRepoName,
  overrideSk,
  prAuditKey,
  prPrefix,
  repoPk,
  reviewSk,
  unwaiveSk,
  waiverSk,
} from "./keys.js";
import {
  StoreError,
  type AuditQuery,
  type AuditRecord,
  type ClosedRecord,
  type CreateResult,
  type DecisionStore,
  type NewClosed,
  type NewOverride,
  type NewReview,
  type NewWaiver,
  type OverrideRecord,
  type RecordedFinding,
  type ReviewRecord,
  type RevokeResult,
  type UnwaiveRecord,
  type WaiverRecord,
} from "./types.js";

type Item = Record<string, unknown>;

/** DynamoDB items are capped at 400 KB; a review keeps its findings list well under that. */
const MAX_FINDINGS_BYTES = 300_000;
const KEY_ATTRIBUTES = new Set(["pk", "sk", "auditRepo", "auditPr", "auditTime", "expiresAt"]);
const AUDIT_TYPES = new Set(["review", "waiver", "unwaive", "override", "closed"]);

function isMissingIndex(err: unknown): boolean {
  return err instanceof Error && err.name === "ValidationException" && /index/i.test(err.message);
}

/** A stored item without its key attributes, as the record it holds. */
function toRecord(item: Item | undefined): AuditRecord | null {
  if (!item || typeof item.type !== "string" || !AUDIT_TYPES.has(item.type)) return null;
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(k)) out[k] = v;
  return out as unknown as AuditRecord;
}

function asType<T extends AuditRecord>(item: Item | undefined, type: T["type"]): T | null {
  const r = toRecord(item);
  return r && r.type === type ? (r as T) : null;
}

function checkRepo(repo: string): void {
  if (!isRepoName(repo)) throw new StoreError(`invalid repository name "${repo}" (expected owner/name)`);
}

function checkPr(pr: number): void {
  if (!Number.isSafeInteger(pr) || pr <= 0) throw new StoreError(`invalid pull request number ${pr}`);
}

/** Keeps the findings list of a review within the item size limit; says how many were left out. */
function capFindings(findings: RecordedFinding[]): { findings: RecordedFinding[]; omitted: number } {
  let bytes = 0;
  const kept: RecordedFinding[] = [];
  for (const f of findings) {
    bytes += JSON.stringify(f).length + 16;
    if (bytes > MAX_FINDINGS_BYTES) break;
    kept.push(f);
  }
  return { findings: kept, omitted: findings.length - kept.length };
}

export interface DynamoStoreOptions {
  tableName: string;
  /** Called by close() after the client is destroyed (e.g. to stop an embedded server). */
  onClose?: () => Promise<void>;
}

/** The decision store on one DynamoDB table (see keys.ts for the item layout). */
export class DynamoDecisionStore implements DecisionStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private closed = false;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly opts: DynamoStoreOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = opts.tableName;
  }

  get tableName(): string {
    return this.table;
  }

  /** The document client on this table, for other item kinds that share it (e.g. the ECR scan cache). */
  get documentClient(): DynamoDBDocumentClient {
    return this.doc;
  }

  private async putNew(item: Item): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(pk)" }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private async get(pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }));
    return out.Item;
  }

  private async queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: start }));
      items.push(...((out.Items ?? []) as Item[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async recordDelivery(deliveryId: string, now: Date = new Date()): Promise<boolean> {
    checkDeliveryId(deliveryId);
    const nowSec = epochSeconds(now);
    return putClaim(this.doc, this.table, { ...deliveryKey(deliveryId), time: now.toISOString(), expiresAt: nowSec + DELIVERY_TTL_SECONDS }, nowSec);
  }

  async forgetDelivery(deliveryId: string): Promise<void> {
    checkDeliveryId(deliveryId);
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: deliveryKey(deliveryId) }));
  }

  async recordReview(input: NewReview): Promise<ReviewRecord> {
    checkRepo(input.repo);
    checkPr(input.pr);
    const iso = (input.time ?? new Date()).toISOString();
    const sk = reviewSk(input.pr, iso, input.headSha);
    const { findings, omitted } = capFindings(input.findings);
    const record: ReviewRecord = {
      type: "review",
      repo: input.repo,
      pr: input.pr,
      headSha: input.headSha,
      baseSha: input.baseSha,
      conclusion: input.conclusion,
      counts: input.counts,
      findings,
      ...(omitted ? { findingsOmitted: omitted } : {}),
      time: iso,
      deliveryId: input.deliveryId,
      checkRunId: input.checkRunId,
      ...(input.error !== undefined ? { error: input.error } : {}),
    };
    if (await this.putNew({ pk: repoPk(input.repo), sk, ...auditKeys(input.repo, input.pr, sk, iso), ...record })) return stripUndefined(record);
    return asType<ReviewRecord>(await this.get(repoPk(input.repo), sk), "review") ?? record;
  }

  async latestReview(repo: string, pr: number): Promise<ReviewRecord | null> {
    checkRepo(repo);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": repoPk(repo), ":prefix": `${prPrefix(pr)}REVIEW#` },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return asType<ReviewRecord>(out.Items?.[0] as Item | undefined, "review");
  }

  async createWaiver(input: NewWaiver): Promise<CreateResult<WaiverRecord>> {
    checkRepo(input.repo);
    checkPr(input.pr);
    if (input.id !== undefined && !WAIVER_ID_RE.test(input.id)) throw new StoreError(`invalid waiver id "${input.id}"`);
    if (!input.reason.trim()) throw new StoreError("a waiver needs a reason");
    const time = input.time ?? new Date();
    if (input.expires.getTime() <= time.getTime()) throw new StoreError("a waiver must expire in the future");
    const iso = time.toISOString();
    for (let attempt = 0; ; attempt++) {
      const id = input.id ?? randomWaiverId();
      const sk = waiverSk(id);
      const record: WaiverRecord = {
        type: "waiver",
        id,
        repo: input.repo,
        pr: input.pr,
        rule: input.rule,
        file: input.file,
        resource: input.resource,
        reason: input.reason,
        actor: input.actor,
        time: iso,
        expires: input.expires.toISOString(),
        headSha: input.headSha,
        source: input.source,
      };
      if (await this.putNew({ pk: repoPk(input.repo), sk, ...auditKeys(input.repo, input.pr, sk, iso), ...record })) {
        return { created: true, record: stripUndefined(record) };
      }
      if (input.id !== undefined) {
        const existing = await this.getWaiver(input.repo, id);
        if (existing) return { created: false, existing };
        throw new StoreError(`waiver id ${id} is taken by another kind of record`);
      }
      if (attempt >= 4) throw new StoreError("could not allocate a waiver id");
    }
  }

  async getWaiver(repo: string, id: string): Promise<WaiverRecord | null> {
    checkRepo(repo);
    if (!WAIVER_ID_RE.test(id)) return null;
    return asType<WaiverRecord>(await this.get(repoPk(repo), waiverSk(id)), "waiver");
  }

  async revokeWaiver(input: { repo: string; pr: number; id: string; actor: string; headSha: string; time?: Date }): Promise<RevokeResult> {
    const time = input.time ?? new Date();
    const waiver = await this.getWaiver(input.repo, input.id);
    if (!waiver) return { revoked: false, reason: "not-found" };
    if (waiver.pr !== input.pr) return { revoked: false, reason: "other-pr", waiver };
    if (waiver.revokedAt) return { revoked: false, reason: "already-revoked", waiver };
    if (new Date(waiver.expires).getTime() <= time.getTime()) return { revoked: false, reason: "expired", waiver };
    const iso = time.toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: repoPk(input.repo), sk: waiverSk(input.id) },
          UpdateExpression: "SET revokedBy = :by, revokedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(revokedAt)",
          ExpressionAttributeValues: { ":by": input.actor, ":at": iso },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const now = await this.getWaiver(input.repo, input.id);
      return now ? { revoked: false, reason: "already-revoked", waiver: now } : { revoked: false, reason: "not-found" };
    }
    // The unwaive is also an event of its own in the audit trail; the waiver keeps revokedBy/revokedAt either way.
    const sk = unwaiveSk(input.pr, input.id);
    const event: UnwaiveRecord = {
      type: "unwaive",
      repo: input.repo,
      pr: input.pr,
      waiverId: input.id,
      rule: waiver.rule,
      actor: input.actor,
      time: iso,
      headSha: input.headSha,
    };
    await this.putNew({ pk: repoPk(input.repo), sk, ...auditKeys(input.repo, input.pr, sk, iso), ...event });
    return { revoked: true, waiver: { ...waiver, revokedBy: input.actor, revokedAt: iso } };
  }

  async waiversOf(repo: string, pr: number): Promise<WaiverRecord[]> {
    checkRepo(repo);
    // Strongly consistent read of the base table: a waiver given a moment ago must count in the re-evaluation.
    const items = await this.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      FilterExpression: "#pr = :pr",
      ExpressionAttributeNames: { "#pr": "pr" },
      ExpressionAttributeValues: { ":pk": repoPk(repo), ":prefix": "WAIVER#", ":pr": pr },
      ConsistentRead: true,
    });
    return items
      .map((i) => asType<WaiverRecord>(i, "waiver"))
      .filter((w): w is WaiverRecord => w !== null)
      .sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  }

  async activeWaivers(repo: string, pr: number, now: Date): Promise<WaiverRecord[]> {
    return (await this.waiversOf(repo, pr)).filter((w) => !w.revokedAt && new Date(w.expires).getTime() > now.getTime());
  }

  async createOverride(input: NewOverride): Promise<CreateResult<OverrideRecord>> {
    checkRepo(input.repo);
    checkPr(input.pr);
    if (!input.reason.trim()) throw new StoreError("an override needs a reason");
    const iso = (input.time ?? new Date()).toISOString();
    const sk = overrideSk(input.pr, input.headSha);
    const record: OverrideRecord = {
      type: "override",
      repo: input.repo,
      pr: input.pr,
      headSha: input.headSha,
      actor: input.actor,
      reason: input.reason,
      time: iso,
      source: input.source,
    };
    if (await this.putNew({ pk: repoPk(input.repo), sk, ...auditKeys(input.repo, input.pr, sk, iso), ...record })) {
      return { created: true, record: stripUndefined(record) };
    }
    const existing = await this.overrideFor(input.repo, input.pr, input.headSha);
    if (!existing) throw new StoreError(`override for ${input.headSha} could not be read back`);
    return { created: false, existing };
  }

  async overrideFor(repo: string, pr: number, headSha: string): Promise<OverrideRecord | null> {
    checkRepo(repo);
    return asType<OverrideRecord>(await this.get(repoPk(repo), overrideSk(pr, headSha)), "override");
  }

  async recordClosed(input: NewClosed): Promise<ClosedRecord> {
    checkRepo(input.repo);
    checkPr(input.pr);
    const time = input.time ?? new Date();
    const iso = time.toISOString();
    const lastConclusion = input.lastConclusion !== undefined ? input.lastConclusion : ((await this.latestReview(input.repo, input.pr))?.conclusion ?? null);
    const override = await this.overrideFor(input.repo, input.pr, input.headSha);
    const waivers = await this.activeWaivers(input.repo, input.pr, time);
    const sk = closedSk(input.pr, iso);
    const record: ClosedRecord = {
      type: "closed",
      repo: input.repo,
      pr: input.pr,
      merged: input.merged,
      headSha: input.headSha,
      lastConclusion,
      overrides: override ? [{ actor: override.actor, reason: override.reason, headSha: override.headSha, time: override.time }] : [],
      waivers: waivers.map((w) => w.id),
      actor: input.actor,
      time: iso,
    };
    if (await this.putNew({ pk: repoPk(input.repo), sk, ...auditKeys(input.repo, input.pr, sk, iso), ...record })) return stripUndefined(record);
    return asType<ClosedRecord>(await this.get(repoPk(input.repo), sk), "closed") ?? record;
  }

  async audit(query: AuditQuery): Promise<AuditRecord[]> {
    checkRepo(query.repo);
    if (query.pr !== undefined) checkPr(query.pr);
    const since = query.since?.toISOString();
    const values: Record<string, unknown> = {};
    let keyCondition: string;
    if (query.pr !== undefined) {
      keyCondition = "auditPr = :key";
      values[":key"] = prAuditKey(query.repo, query.pr);
    } else {
      keyCondition = "auditRepo = :key";
      values[":key"] = repoPk(query.repo);
    }
    if (since) {
      keyCondition += " AND auditTime >= :since";
      values[":since"] = since;
    }
    let items: Item[];
    try {
      items = await this.queryAll({
        IndexName: query.pr !== undefined ? INDEX_BY_PR : INDEX_BY_REPO,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeValues: values,
        ScanIndexForward: true,
      });
    } catch (err) {
      if (!isMissingIndex(err)) throw err;
      items = await this.auditWithoutIndex(query, since);
    }
    return items
      .filter((i) => typeof i.auditTime === "string")
      .sort((a, b) => String(a.auditTime).localeCompare(String(b.auditTime)))
      .map((i) => toRecord(i))
      .filter((r): r is AuditRecord => r !== null);
  }

  /** For a table created without the audit indexes: one Query over the repository's partition. */
  private async auditWithoutIndex(query: AuditQuery, since: string | undefined): Promise<Item[]> {
    const filters: string[] = ["attribute_exists(auditTime)"];
    const values: Record<string, unknown> = { ":pk": repoPk(query.repo) };
    if (since) {
      filters.push("auditTime >= :since");
      values[":since"] = since;
    }
    if (query.pr !== undefined) {
      filters.push("auditPr = :pr");
      values[":pr"] = prAuditKey(query.repo, query.pr);
    }
    return this.queryAll({
      KeyConditionExpression: "pk = :pk",
      FilterExpression: filters.join(" AND "),
      ExpressionAttributeValues: values,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    await this.opts.onClose?.();
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
