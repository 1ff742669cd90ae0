import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../core/config.js";
import { review } from "../core/review.js";
import { ALL_RULES } from "../rules/index.js";
import type { NewReview, OverrideRecord, ReviewRecord, WaiverRecord } from "../store/types.js";
import { decisionsFromStore, type StoreForReviews } from "./store-decisions.js";

describe("decisionsFromStore", () => {
  it("maps waivers, overrides, review records and delivery claims onto the store", async () => {
    const recorded: NewReview[] = [];
    const seen = new Set<string>();
    const waiver: WaiverRecord = {
      type: "waiver",
      id: "w1",
      repo: "acme/gitops",
      pr: 3,
      rule: "k8s/privileged-container",
      file: "pod.yaml",
      reason: "node agent",
      actor: "alice",
      time: "2026-01-01T00:00:00.000Z",
      expires: "2026-02-01T00:00:00.000Z",
      headSha: "h",
    };
    const store: StoreForReviews = {
      activeWaivers: async () => [waiver],
      overrideFor: async (repo, pr, headSha): Promise<OverrideRecord | null> =>
        headSha === "h" ? { type: "override", repo, pr, headSha, actor: "bob", reason: "hotfix", time: "2026-01-02T00:00:00.000Z" } : null,
      recordReview: async (r) => (recorded.push(r), { ...r, type: "review", time: "t" }) as unknown as ReviewRecord,
      recordDelivery: async (id) => (seen.has(id) ? false : (seen.add(id), true)),
    };
    const d = decisionsFromStore(store);
    expect(await d.waiversFor("acme/gitops", 3, new Date("2026-01-10"))).toEqual([
      { by: "waiver", rule: "k8s/privileged-container", path: "pod.yaml", reason: "node agent", expires: waiver.expires, actor: "alice", id: "w1" },
    ]);
    expect(await d.overrideFor("acme/gitops", 3, "h")).toEqual({ actor: "bob", reason: "hotfix" });
    expect(await d.overrideFor("acme/gitops", 3, "other")).toBeNull();
    const result = review({ changes: [], config: defaultConfig(), rules: ALL_RULES, now: new Date() });
    await d.recordReview({ repo: "acme/gitops", pr: 3, headSha: "h", baseSha: "b", result, checkRunId: 1, time: new Date(0), deliveryId: "d1" });
    expect(recorded[0]).toMatchObject({ repo: "acme/gitops", pr: 3, headSha: "h", baseSha: "b", conclusion: "success", deliveryId: "d1" });
    expect(await d.claimDelivery!("d1")).toBe(true);
    expect(await d.claimDelivery!("d1")).toBe(false);
  });
});
