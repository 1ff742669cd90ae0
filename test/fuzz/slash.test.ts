/**
 * Slash-command fuzzing (fast-check): random comment bodies — real commands and near-misses, prefixes in other
 * cases and scripts, quotes of every kind, code fences, quoted and indented lines, HTML comments, unicode, very long
 * lines — through the command handler with the real decision store (dynalite) and fake GitHub ports.
 * - it never throws, and its one reply stays within GitHub's comment limit, carries our marker and mentions no one
 *   but the commenter;
 * - a user without the needed permission changes nothing in the store (and a stranger triggers no review);
 * - a bot changes nothing, gets no answer and costs no permission lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { defaultConfig } from "../../src/core/config.js";
import type { Permission } from "../../src/core/permission.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { handleComment, REPLY_MARKER, type CommandContext, type CommandDeps } from "../../src/slash/handlers.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { openStore, type OpenedStore } from "../../src/store/open.js";
import { fuzzSeed, scaled } from "../long.js";

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: fuzzSeed() });

const REPO = "acme/gitops";
const PR = 7;
const HEAD = "0123456789abcdef0123456789abcdef01234567";
const NOW = new Date("2026-06-01T00:00:00Z");
const SETTINGS = defaultConfig().commands;
/** GitHub refuses longer comment bodies. */
const MAX_COMMENT = 65_536;

let dynamo: DynaliteServer;
let store: OpenedStore;
let existingWaiver: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: "slash-fuzz" });
  const w = await store.createWaiver({ repo: REPO, pr: PR, rule: "k8s/privileged-container", reason: "node agent", actor: "admin", headSha: HEAD, expires: new Date("2027-01-01T00:00:00Z"), time: NOW });
  existingWaiver = w.created ? w.record.id : w.existing.id;
});

afterAll(async () => {
  await store?.close();
  await dynamo?.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Comment bodies.

const PREFIXES = ["/guard", "/GUARD", "/Guard", " /guard", "\t/guard", "/guard\u200b", "\u200b/guard", "／guard", "/guard:", "/guards", "//guard", "\\/guard", "/gu ard"];
const WORDS = ["waive", "unwaive", "override", "recheck", "help", "status", "waivers", "explain", "WAIVE", "approve", "merge", "", "waive\u00a0", "waivé"];
const quote = fc.constantFrom('"', "'", "“", "”", "‘", "’", "`", "«", "»", "\\\"");
const arg: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ALL_RULES.slice(0, 12).map((r) => r.meta.id), "k8s/nope", "*", "../etc/passwd", "apps/x.yaml#Deployment/web", "a.yaml#Kind/ns/name", "#", "--reason", "--for", "30d", "90d", "91d", "0d", "-1d", "1e3d", "--reason=x", "@everyone", "@acme/admins", "<script>", "<!--", "-->", "```", "$(rm -rf /)", "${{ secrets.X }}"),
  fc.constant("__EXISTING_WAIVER__"),
  fc.tuple(quote, fc.string({ unit: "grapheme", maxLength: 40 }), quote).map(([a, s, b]) => `${a}${s}${b}`),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
);
const commandLine = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...WORDS), fc.array(arg, { maxLength: 6 }))
  .map(([prefix, word, args]) => [prefix, word, ...args].filter((x) => x !== "").join(" "));
const noiseLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.constantFrom("```", "~~~", "```yaml", "> ", "<!--", "-->", "    /guard override --reason \"x\"", "> /guard waive k8s/run-as-root --reason \"x\"", "<!-- /guard override --reason x -->", "`/guard recheck`", "LGTM", ""),
  commandLine.map((c) => `> ${c}`),
  commandLine.map((c) => `    ${c}`),
);
const hugeLine = fc.tuple(fc.constantFrom("/guard waive k8s/run-as-root --reason ", "/guard explain ", "x"), fc.integer({ min: 10_000, max: 200_000 }), fc.constantFrom("a", "\"", "@", "😀")).map(([head, n, c]) => head + c.repeat(n));

const body: fc.Arbitrary<string> = fc
  .array(fc.oneof({ arbitrary: commandLine, weight: 4 }, { arbitrary: noiseLine, weight: 3 }, { arbitrary: hugeLine, weight: 1 }), { minLength: 1, maxLength: 14 })
  .map((lines) => lines.join(fc.sample(fc.constantFrom("\n", "\r\n"), 1)[0]!).replaceAll("__EXISTING_WAIVER__", existingWaiver));

// ---------------------------------------------------------------------------------------------------------------

interface Calls {
  replies: string[];
  permissionLookups: number;
  reviews: number;
}

function deps(permission: Permission, calls: Calls): CommandDeps {
  return {
    store,
    now: () => NOW,
    permissionOf: async () => (calls.permissionLookups++, permission),
    isTeamMember: async () => false,
    reply: async (b) => void calls.replies.push(b),
    react: async () => undefined,
    rerunReview: async () => (calls.reviews++, { headSha: HEAD, conclusion: "failure" as const, summary: { new: 1, suppressed: 0 } }),
  };
}

/** Everything the store holds about the PR. */
async function state(): Promise<string> {
  const [audit, waivers, override] = await Promise.all([store.audit({ repo: REPO }), store.waiversOf(REPO, PR), store.overrideFor(REPO, PR, HEAD)]);
  return JSON.stringify({ audit, waivers, override });
}

const ctx = (login: string, type: string, commentId: number): CommandContext => ({ repo: REPO, pr: PR, headSha: HEAD, prAuthor: "alice", actor: { login, type }, commentId, settings: SETTINGS });

/** Who a reply may mention: the commenter, and the people on the record (a waiver's or override's author). */
async function mentionable(login: string): Promise<Set<string>> {
  const actors = (await store.audit({ repo: REPO })).map((r) => ("actor" in r ? r.actor : undefined)).filter((a): a is string => typeof a === "string");
  return new Set([login, ...actors]);
}

async function expectSaneReply(reply: string, login: string): Promise<void> {
  expect(reply.length).toBeLessThanOrEqual(MAX_COMMENT);
  expect(reply.startsWith(`${REPLY_MARKER}\n`)).toBe(true);
  // The marker is the only HTML comment: user text cannot open one (and hide the rest of the reply).
  expect(reply.split("<!--")).toHaveLength(2);
  // What the commenter wrote cannot mention anyone (@everyone, @org/team, @someone).
  const allowed = await mentionable(login);
  for (const m of reply.matchAll(/@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9-]+)?)/g)) expect(allowed).toContain(m[1]);
}

const RUNS = scaled(80, 1_500);
let comment = 1;

describe("slash-commands on random comments", () => {
  it("users without permission: never a throw, a sane reply, nothing changes in the store; strangers start no review", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom<Permission>("none", "read", "triage"), async (text, permission) => {
        const before = await state();
        const calls: Calls = { replies: [], permissionLookups: 0, reviews: 0 };
        const out = await handleComment(text, ctx("mallory", "User", comment++), deps(permission, calls));
        expect(out.results.every((r) => !r.changed)).toBe(true);
        expect(await state()).toBe(before);
        if (permission === "none") expect(calls.reviews).toBe(0);
        expect(calls.replies.length).toBeLessThanOrEqual(1);
        for (const r of calls.replies) await expectSaneReply(r, "mallory");
      }),
      { numRuns: RUNS },
    );
  });

  it("bots, even admins: no answer, no lookup, no review, nothing changes", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(["renovate[bot]", "Bot"], ["gitops-guard[bot]", "Bot"], ["dependabot[bot]", "User"], ["ci-robot", "Bot"]), async (text, [login, type]) => {
        const before = await state();
        const calls: Calls = { replies: [], permissionLookups: 0, reviews: 0 };
        const out = await handleComment(text, ctx(login, type, comment++), deps("admin", calls));
        expect(out.handled).toBe(false);
        expect(calls).toEqual({ replies: [], permissionLookups: 0, reviews: 0 });
        expect(await state()).toBe(before);
      }),
      { numRuns: scaled(30, 500) },
    );
  });

  it("writers: never a throw, and a sane reply whatever they write", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const calls: Calls = { replies: [], permissionLookups: 0, reviews: 0 };
        await handleComment(text, ctx("bob", "User", comment++), deps("write", calls));
        expect(calls.replies.length).toBeLessThanOrEqual(1);
        for (const r of calls.replies) await expectSaneReply(r, "bob");
      }),
      { numRuns: scaled(40, 800) },
    );
  });
});
