import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { defaultConfig } from "../core/config.js";
import { review } from "../core/review.js";
import { findRule } from "../rules/index.js";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { openStore, type OpenedStore } from "./open.js";
import { reviewDecisions } from "./review-decisions.js";

const FIXTURE = readFileSync(new URL("../rules/k8s/fixtures/privileged-container/invalid-deployment.yaml", import.meta.url), "utf8");
const RULE = findRule("k8s/privileged-container")!;
const NOW = new Date("2026-03-01T10:00:00.000Z");

let server: DynaliteServer;
let store: OpenedStore;
beforeAll(async () => {
  server = await startDynalite();
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint });
});
afterAll(async () => {
  await store.close();
  await server.close();
});

it("feeds stored waivers and overrides to the engine and records the review", async () => {
  const decisions = reviewDecisions(store);
  let clock = 0;
  const run = async (sha: string) => {
    const result = review({
      changes: [{ path: "apps/agent.yaml", status: "added", head: FIXTURE }],
      config: defaultConfig(),
      rules: [RULE],
      now: NOW,
      waivers: await decisions.waiversFor("acme/gitops", 3, NOW),
      override: await decisions.overrideFor("acme/gitops", 3, sha),
    });
    await decisions.recordReview({ repo: "acme/gitops", pr: 3, headSha: sha, baseSha: "b", result, time: new Date(NOW.getTime() + ++clock), checkRunId: 77 });
    return result.conclusion;
  };
  expect(await run("s1")).toBe("failure");
  await store.createWaiver({ repo: "acme/gitops", pr: 3, rule: RULE.meta.id, file: "apps/agent.yaml", resource: "Deployment/node-agent", reason: "r", actor: "bob", headSha: "s1", time: NOW, expires: new Date(NOW.getTime() + 86_400_000) });
  expect(await run("s1")).toBe("success");
  expect((await store.latestReview("acme/gitops", 3))?.findings.map((f) => f.suppressedBy)).toEqual(["waiver", "waiver"]);

  await store.revokeWaiver({ repo: "acme/gitops", pr: 3, id: (await store.waiversOf("acme/gitops", 3))[0]!.id, actor: "bob", headSha: "s1", time: NOW });
  expect(await run("s1")).toBe("failure");
  await store.createOverride({ repo: "acme/gitops", pr: 3, headSha: "s1", actor: "boss", reason: "ok", time: NOW });
  expect(await run("s1")).toBe("success");
  // A new push needs a new decision.
  expect(await run("s2")).toBe("failure");
  expect(await store.latestReview("acme/gitops", 3)).toMatchObject({ checkRunId: 77 });

  expect(await decisions.claimDelivery("abc")).toBe(true);
  expect(await decisions.claimDelivery("abc")).toBe(false);
});

it("records a review that failed (GitHub answered 500) as a review item with its conclusion and reason, no counts and no findings (held-out round 17)", async () => {
  const decisions = reviewDecisions(store);
  const time = new Date(NOW.getTime() + 60_000);
  await decisions.recordFailedReview({ repo: "acme/failed", pr: 9, headSha: "h9", baseSha: "b9", conclusion: "failure", reason: "GitHub API answered 500: Server Error", checkRunId: 901, time, deliveryId: "d-9" });
  const latest = await store.latestReview("acme/failed", 9);
  expect(latest).toEqual({
    type: "review",
    repo: "acme/failed",
    pr: 9,
    headSha: "h9",
    baseSha: "b9",
    conclusion: "failure",
    counts: { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
    findings: [],
    time: time.toISOString(),
    deliveryId: "d-9",
    checkRunId: 901,
    error: "GitHub API answered 500: Server Error",
  });
  // In the audit, as any review of the PR.
  expect((await store.audit({ repo: "acme/failed", pr: 9 })).map((r) => [r.type, r.type === "review" ? r.error : null])).toEqual([["review", "GitHub API answered 500: Server Error"]]);
});
