import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Waiver } from "../../src/core/suppress.js";
import type { ReviewDecisions, ReviewRecordInput } from "../../src/pipeline/types.js";
import { API, HEAD_SHA, PRIVILEGED_POD, makeProbot, nockCheckRun, nockComments, nockConfig, nockFiles, nockGraphql, nockToken, prPayload, requireAllMocksUsed, send } from "./helpers.js";

requireAllMocksUsed();

class MemoryDecisions implements ReviewDecisions {
  records: ReviewRecordInput[] = [];
  deliveries = new Set<string>();
  waivers: Waiver[] = [];
  override: { actor: string; reason: string } | null = null;
  asked: Array<[string, number, string]> = [];

  async waiversFor(repo: string, pr: number): Promise<Waiver[]> {
    this.asked.push([repo, pr, "waivers"]);
    return this.waivers;
  }
  async overrideFor(repo: string, pr: number, sha: string) {
    this.asked.push([repo, pr, sha]);
    return this.override;
  }
  async recordReview(record: ReviewRecordInput): Promise<void> {
    this.records.push(record);
  }
  async claimDelivery(id: string): Promise<boolean> {
    if (this.deliveries.has(id)) return false;
    this.deliveries.add(id);
    return true;
  }
}

function nockReview(scope: nock.Scope, comment: boolean) {
  const check = nockCheckRun(scope);
  nockConfig(scope, "{}\n");
  nockFiles(scope, [{ filename: "apps/debug.yaml", status: "added" }]);
  nockGraphql(scope, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
  nockComments(scope, [], { create: comment });
  return check;
}

describe("decision store seam", () => {
  it("asks for waivers and the override of this head SHA, and records the review", async () => {
    const store = new MemoryDecisions();
    const { probot } = await makeProbot({ store });
    nockToken();
    const check = nockReview(nock(API), true);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(store.asked).toContainEqual(["Codertocat/Hello-World", 2, HEAD_SHA]);
    expect(store.records).toHaveLength(1);
    expect(store.records[0]).toMatchObject({ repo: "Codertocat/Hello-World", pr: 2, headSha: HEAD_SHA, checkRunId: 42, result: { conclusion: "failure" } });
    expect(check.updates[0]).toMatchObject({ conclusion: "failure" });
  });

  it("an override for the head SHA makes the check pass", async () => {
    const store = new MemoryDecisions();
    store.override = { actor: "lead", reason: "hotfix, approved in INC-42" };
    const { probot } = await makeProbot({ store });
    nockToken();
    const check = nockReview(nock(API), false);
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "success" });
    expect(check.updates[0].output.title).toMatch(/override/i);
  });

  it("a redelivered webhook does nothing the second time", async () => {
    const store = new MemoryDecisions();
    const { probot, outcomes } = await makeProbot({ store });
    nockToken();
    nockReview(nock(API), true);
    const payload = prPayload("synchronize");
    await probot.receive({ id: "same-delivery", name: "pull_request", payload } as Parameters<typeof probot.receive>[0]);
    await probot.receive({ id: "same-delivery", name: "pull_request", payload } as Parameters<typeof probot.receive>[0]);
    expect(outcomes).toHaveLength(1);
    expect(store.records).toHaveLength(1);
  });

  it("a store that fails to record ends the check run as failure (never a silent green)", async () => {
    const store = new MemoryDecisions();
    store.recordReview = async () => {
      throw new Error("store unavailable");
    };
    const { probot } = await makeProbot({ store });
    nockToken();
    const gh = nock(API);
    const check = nockCheckRun(gh);
    nockConfig(gh, "{}\n");
    nockFiles(gh, [{ filename: "apps/debug.yaml", status: "added" }]);
    nockGraphql(gh, { [HEAD_SHA]: { "apps/debug.yaml": PRIVILEGED_POD } });
    await send(probot, "pull_request", prPayload("synchronize"));
    expect(check.updates[0]).toMatchObject({ conclusion: "failure", output: { title: "gitops-guard could not finish the review" } });
    expect(check.updates[0].output.summary).toContain("store unavailable");
  });
});
