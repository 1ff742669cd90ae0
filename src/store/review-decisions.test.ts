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
