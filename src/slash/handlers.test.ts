import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { defaultConfig } from "../core/config.js";
import { review } from "../core/review.js";
import { ALL_RULES, findRule } from "../rules/index.js";
import { reviewRecordFrom, toCoreWaiver } from "../store/convert.js";
import { startDynalite, type DynaliteServer } from "../store/dynalite-server.js";
import { openStore, type OpenedStore } from "../store/open.js";
import type { Permission } from "./authorize.js";
import { HOSTILE, liveParts, visibleText } from "../report/test-helpers.js";
import type { WaiverRecord } from "../store/types.js";
import { handleComment, REPLY_MARKER, type CommandContext, type CommandDeps, type Reaction, type ReviewOutcome } from "./handlers.js";
import { MAX_REPLY_BYTES } from "./reply.js";

const FIXTURE = readFileSync(new URL("../rules/k8s/fixtures/privileged-container/invalid-deployment.yaml", import.meta.url), "utf8");
const FILE = "apps/agent/deployment.yaml";
const REPO = "acme/gitops";
const HEAD = "0123456789abcdef0123456789abcdef01234567";
const NOW = new Date("2026-03-01T10:00:00.000Z");
/** The re-evaluation runs this one rule, so the fixture's two privileged containers are the only findings. */
const PRIVILEGED = findRule("k8s/privileged-container")!;
const OTHER_RULE = ALL_RULES.find((r) => r.meta.id !== PRIVILEGED.meta.id)!.meta.id;

let server: DynaliteServer;
let store: OpenedStore;
let tables = 0;
let reviewClock = 0;

beforeAll(async () => {
  server = await startDynalite();
});
afterAll(async () => {
  await server.close();
});

interface Fake {
  deps: CommandDeps;
  replies: string[];
  reactions: Reaction[];
  reruns: ReviewOutcome[];
  permissionCalls: string[];
  teamCalls: string[];
}

/**
 * Fake GitHub side; the store is real (dynalite). rerunReview runs the real engine on a privileged
 * Deployment with the store's current waivers and override, as the app does.
 */
function fake(opts: { permissions?: Record<string, Permission>; teams?: Record<string, string[]>; rerunFails?: boolean; permissionFails?: boolean } = {}): Fake {
  const f: Fake = { replies: [], reactions: [], reruns: [], permissionCalls: [], teamCalls: [], deps: undefined as unknown as CommandDeps };
  f.deps = {
    store,
    now: () => NOW,
    async permissionOf(login) {
      f.permissionCalls.push(login);
      if (opts.permissionFails) throw new Error("GitHub API 502");
      return opts.permissions?.[login] ?? "none";
    },
    async isTeamMember(login, teams) {
      f.teamCalls.push(login);
      return teams.some((t) => opts.teams?.[t]?.includes(login));
    },
    async reply(body) {
      f.replies.push(body);
    },
    async react(content) {
      f.reactions.push(content);
    },
    async rerunReview() {
      if (opts.rerunFails) throw new Error("check run update failed");
      const waivers = (await store.activeWaivers(REPO, 7, NOW)).map(toCoreWaiver);
      const override = await store.overrideFor(REPO, 7, HEAD);
      const result = review({ changes: [{ path: FILE, status: "added", head: FIXTURE }], config: defaultConfig(), rules: [PRIVILEGED], now: NOW, waivers, override });
      await store.recordReview(reviewRecordFrom(result, { repo: REPO, pr: 7, headSha: HEAD, baseSha: "base", time: new Date(NOW.getTime() + ++reviewClock) }));
      const outcome = { headSha: HEAD, conclusion: result.conclusion, summary: { new: result.summary.new, suppressed: result.summary.suppressed } };
      f.reruns.push(outcome);
      return outcome;
    },
  };
  return f;
}

function ctx(login: string, over: Partial<CommandContext> = {}): CommandContext {
  return { repo: REPO, pr: 7, headSha: HEAD, prAuthor: "alice", actor: { login, type: "User" }, commentId: 1000 + Math.floor(Math.random() * 1e6), settings: defaultConfig().commands, ...over };
}

beforeEach(async () => {
  store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: `handlers-${++tables}` });
  // The PR as first reviewed: two privileged containers, failing.
  await fake().deps.rerunReview();
});

afterEach(async () => {
  await store.close();
});

describe("waive", () => {
  it("a writer's waiver is recorded, the head SHA re-evaluated, and the reply says what was done", async () => {
    const f = fake({ permissions: { bob: "write" } });
    const out = await handleComment(`/guard waive k8s/privileged-container ${FILE}#Deployment/node-agent --reason "node agent needs host access" --for 14d`, ctx("bob"), f.deps);
    const [w] = await store.activeWaivers(REPO, 7, NOW);
    expect(w).toMatchObject({ rule: "k8s/privileged-container", file: FILE, resource: "Deployment/node-agent", actor: "bob", headSha: HEAD, expires: "2026-03-15T10:00:00.000Z" });
    expect(f.reruns).toEqual([{ headSha: HEAD, conclusion: "success", summary: { new: 0, suppressed: 2 } }]);
    expect(out.results.map((r) => r.status)).toEqual(["done"]);
    expect(f.replies).toHaveLength(1);
    const reply = f.replies[0]!;
    expect(reply.startsWith(`${REPLY_MARKER}\n@bob\n`)).toBe(true);
    expect(reply).toContain(`✅ Waiver \`${w!.id}\`: \`k8s/privileged-container\` on \`${FILE}\` (\`Deployment/node-agent\`) is accepted until 2026-03-15 10:00 UTC (14 days), by \`@bob\`: “node agent needs host access”.`);
    expect(reply).toContain(`\`/guard unwaive ${w!.id}\``);
    expect(reply).toContain("Re-evaluated `0123456`: ✅ success — 0 new findings, 2 suppressed.");
    expect(reply).not.toContain("Note:");
    expect(f.reactions).toEqual([]);
  });

  it("a reader's waiver changes nothing and the reply says exactly why", async () => {
    const f = fake({ permissions: { carol: "read" } });
    const out = await handleComment('/guard waive k8s/privileged-container --reason "x"', ctx("carol"), f.deps);
    expect(await store.waiversOf(REPO, 7)).toEqual([]);
    expect(f.reruns).toEqual([]);
    expect(out.results[0]!.status).toBe("denied");
    expect(f.replies[0]).toContain("⛔ `/guard waive` was not run: `waive` needs write permission on the repository (you have read permission). Nothing changed.");
  });

  it("an unknown rule is not waived", async () => {
    const f = fake({ permissions: { bob: "admin" } });
    await handleComment('/guard waive k8s/privileged --reason "x"', ctx("bob"), f.deps);
    expect(await store.waiversOf(REPO, 7)).toEqual([]);
    expect(f.replies[0]).toMatch(/⚠️ Nothing waived: there is no rule `k8s\/privileged`; did you mean [^\n]*`k8s\/privileged-container`[^\n]*\?\n/);
    expect(f.replies[0]).toContain("**gitops-guard commands**");
  });

  it("notes when no finding of the last review matches the waiver", async () => {
    const f = fake({ permissions: { bob: "write" } });
    await handleComment('/guard waive k8s/privileged-container other.yaml --reason "x"', ctx("bob"), f.deps);
    expect(f.replies[0]).toContain("Note: no new finding of the last review matches it yet");
  });

  it("processing the same comment twice records one waiver", async () => {
    const f = fake({ permissions: { bob: "write" } });
    const c = ctx("bob", { commentId: 42 });
    const body = '/guard waive k8s/privileged-container --reason "x"';
    await handleComment(body, c, f.deps);
    await handleComment(body, c, f.deps);
    expect(await store.waiversOf(REPO, 7)).toHaveLength(1);
    expect(f.replies[1]).toContain("(already recorded)");
  });
});

describe("unwaive", () => {
  it("withdraws a waiver, keeps the record, and the check fails again", async () => {
    const f = fake({ permissions: { bob: "write" } });
    await handleComment('/guard waive k8s/privileged-container --reason "x"', ctx("bob"), f.deps);
    const [w] = await store.waiversOf(REPO, 7);
    await handleComment(`/guard unwaive ${w!.id}`, ctx("bob"), f.deps);
    expect(f.reruns.map((r) => r.conclusion)).toEqual(["success", "failure"]);
    expect(f.replies[1]).toContain(`✅ Waiver \`${w!.id}\` (\`k8s/privileged-container\` on every file of this PR) is withdrawn by \`@bob\`; it stays on the record.`);
    expect(await store.getWaiver(REPO, w!.id)).toMatchObject({ revokedBy: "bob" });

    await handleComment(`/guard unwaive ${w!.id}`, ctx("bob"), f.deps);
    expect(f.replies[2]).toContain(`ℹ️ Waiver \`${w!.id}\` was already withdrawn by \`@bob\``);
    await handleComment("/guard unwaive nosuchid", ctx("bob"), f.deps);
    expect(f.replies[3]).toContain("⚠️ There is no waiver `nosuchid` in acme/gitops");
    expect(f.reruns).toHaveLength(2);
  });

  it("a waiver of another PR is withdrawn there", async () => {
    const other = await store.createWaiver({ repo: REPO, pr: 8, rule: "k8s/privileged-container", reason: "r", actor: "x", headSha: "h", time: NOW, expires: new Date(NOW.getTime() + 86_400_000) });
    if (!other.created) throw new Error("not created");
    const f = fake({ permissions: { bob: "write" } });
    await handleComment(`/guard unwaive ${other.record.id}`, ctx("bob"), f.deps);
    expect(f.replies[0]).toContain(`⚠️ Waiver \`${other.record.id}\` belongs to #8; withdraw it there. Nothing changed.`);
    expect((await store.getWaiver(REPO, other.record.id))?.revokedAt).toBeUndefined();
  });
});

describe("override", () => {
  it("an admin's override makes this head SHA pass", async () => {
    const f = fake({ permissions: { boss: "admin" } });
    await handleComment('/guard override --reason "hotfix for INC-7, reviewed by @acme/sre"', ctx("boss"), f.deps);
    expect(await store.overrideFor(REPO, 7, HEAD)).toMatchObject({ actor: "boss", reason: "hotfix for INC-7, reviewed by @acme/sre" });
    expect(f.reruns.at(-1)?.conclusion).toBe("success");
    expect(f.replies[0]).toContain("✅ Override: commit `0123456` passes, by `@boss`: “hotfix for INC-7, reviewed by @\u200bacme/sre”.");
    expect(f.replies[0]).toContain("a new push needs a new decision");
    expect(f.teamCalls).toEqual([]);
  });

  it("a member of an override team may override; a second override of the same SHA changes nothing", async () => {
    const settings = { ...defaultConfig().commands, overrideTeams: ["acme/release"] };
    const f = fake({ permissions: { rm: "write", boss: "admin" }, teams: { "acme/release": ["rm"] } });
    await handleComment('/guard override --reason "release window"', ctx("rm", { settings }), f.deps);
    expect(f.teamCalls).toEqual(["rm"]);
    await handleComment('/guard override --reason "again"', ctx("boss", { settings }), f.deps);
    expect(await store.overrideFor(REPO, 7, HEAD)).toMatchObject({ actor: "rm", reason: "release window" });
    expect(f.replies[1]).toContain("ℹ️ Commit `0123456` was already overridden by `@rm` on 2026-03-01 10:00 UTC: “release window”. Nothing changed.");
    expect(f.reruns).toHaveLength(1);
  });

  it("the PR's author cannot override their own PR, even as admin", async () => {
    const f = fake({ permissions: { alice: "admin" } });
    await handleComment('/guard override --reason "trust me"', ctx("alice"), f.deps);
    expect(await store.overrideFor(REPO, 7, HEAD)).toBeNull();
    expect(f.replies[0]).toContain("⛔ `/guard override` was not run: the PR's author cannot override their own PR (`commands.allowSelfOverride` is off). Nothing changed.");
  });

  it("a failing permission lookup changes nothing", async () => {
    const f = fake({ permissionFails: true });
    await handleComment('/guard override --reason "x"', ctx("boss"), f.deps);
    expect(await store.overrideFor(REPO, 7, HEAD)).toBeNull();
    expect(f.replies[0]).toContain("could not check your permission on acme/gitops (GitHub API 502); try again later");
  });
});

describe("recheck, status, waivers, explain, help", () => {
  it("recheck is answered with a reaction and a re-evaluation, no reply", async () => {
    const f = fake({ permissions: { carol: "read" } });
    const out = await handleComment("/guard recheck", ctx("carol"), f.deps);
    expect(f.reactions).toEqual(["+1"]);
    expect(f.reruns).toHaveLength(1);
    expect(f.replies).toEqual([]);
    expect(out.reaction).toBe("+1");
  });

  it("when the reaction cannot be posted, the recheck still runs and is answered with a reply", async () => {
    const f = fake({ permissions: { carol: "read" } });
    f.deps.react = async () => {
      throw new Error("reactions API down");
    };
    const out = await handleComment("/guard recheck", ctx("carol"), f.deps);
    expect(out.reaction).toBeNull();
    expect(f.reruns).toHaveLength(1);
    expect(f.replies[0]).toContain("Re-evaluated `0123456`: ❌ failure — 2 new findings, 0 suppressed.");
  });

  it("a stranger's recheck is refused with a reply", async () => {
    const f = fake();
    await handleComment("/guard recheck", ctx("mallory"), f.deps);
    expect(f.reruns).toEqual([]);
    expect(f.replies[0]).toContain("`recheck` needs read access to the repository or being the PR's author");
  });

  it("a failed re-evaluation is reported with the recheck hint", async () => {
    const f = fake({ permissions: { bob: "write" }, rerunFails: true });
    await handleComment('/guard waive k8s/privileged-container --reason "x"', ctx("bob"), f.deps);
    expect(f.replies[0]).toContain("⚠️ The re-evaluation failed (check run update failed). Decisions above are recorded; run `/guard recheck` to try again.");
  });

  it("status shows the verdict, the override and the waivers in force with their expiry", async () => {
    const f = fake({ permissions: { bob: "write" } });
    await handleComment('/guard waive k8s/privileged-container --reason "vendor" --for 10d', ctx("bob"), f.deps);
    await handleComment("/guard status", ctx("anyone"), f.deps);
    const reply = f.replies[1]!;
    expect(reply).toContain("**Status of this PR at `0123456`**");
    expect(reply).toContain("- Verdict: ✅ success — 0 new findings, 2 suppressed");
    expect(reply).toContain("- Override: none for this commit.");
    expect(reply).toMatch(/- Waivers in force \(1\):\n {2}- `[a-z2-9]{8}` `k8s\/privileged-container` on every file of this PR by `@bob`, until 2026-03-11 10:00 UTC \(in 10 days\): “vendor”/);
  });

  it("status says the last review failed, with its reason, when that attempt is the latest record (held-out round 17)", async () => {
    const f = fake();
    const counts = { new: 0, existing: 0, fixed: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };
    await store.recordReview({ repo: REPO, pr: 7, headSha: HEAD, baseSha: "base", conclusion: "failure", counts, findings: [], time: new Date(NOW.getTime() + 3_600_000), error: "GitHub API answered 500: Server Error" });
    await handleComment("/guard status", ctx("anyone"), f.deps);
    expect(f.replies[0]).toContain("- Verdict: ❌ failure — the review failed: GitHub API answered 500: Server Error; reviewed");
  });

  it("status says when the head commit has not been reviewed yet", async () => {
    const f = fake();
    await handleComment("/guard status", ctx("anyone", { headSha: "feedfacefeedfacefeedfacefeedfacefeedface" }), f.deps);
    expect(f.replies[0]).toContain("- Verdict: this commit has not been reviewed yet; the last review (of `0123456`");
  });

  it("waivers lists every waiver with its state", async () => {
    const f = fake({ permissions: { bob: "write" } });
    await handleComment(`/guard waive k8s/privileged-container --reason "a"\n/guard waive ${OTHER_RULE} --reason "b"`, ctx("bob"), f.deps);
    const all = await store.waiversOf(REPO, 7);
    await store.revokeWaiver({ repo: REPO, pr: 7, id: all[0]!.id, actor: "bob", headSha: HEAD, time: NOW });
    await handleComment("/guard waivers", ctx("x"), f.deps);
    const reply = f.replies.at(-1)!;
    expect(reply).toContain("**Waivers on this PR** (2, 1 in force):");
    expect(reply).toContain("withdrawn by `@bob` on 2026-03-01 10:00 UTC");
    expect(reply).toContain("until 2026-03-31 10:00 UTC (in 30 days)");
  });

  it("explain gives the rule's rationale, fix and example", async () => {
    const f = fake();
    await handleComment("/guard explain k8s/privileged-container", ctx("anyone"), f.deps);
    const rule = ALL_RULES.find((r) => r.meta.id === "k8s/privileged-container")!;
    expect(f.replies[0]).toContain(rule.meta.rationale);
    expect(f.replies[0]).toContain(rule.meta.fix);
    if (rule.meta.example) expect(f.replies[0]).toContain(rule.meta.example.bad.trimEnd());
  });

  it("errors quote the user's words without Markdown, HTML or mentions", async () => {
    const f = fake({ permissions: { bob: "write" } });
    await handleComment("/guard waive @acme/admins\n/guard override", ctx("bob"), f.deps);
    expect(f.replies[0]).toContain('⚠️ Line 1: could not run `/guard waive`: `@\u200bacme/admins` is not a rule id (like `k8s/privileged-container`).');
    expect(f.replies[0]).toContain('⚠️ Line 2: could not run `/guard override`: needs --reason "&lt;why this risk is accepted&gt;".');
  });

  it("a store failure is reported and changes nothing", async () => {
    const f = fake({ permissions: { bob: "write" } });
    f.deps.store = Object.assign(Object.create(store) as typeof store, {
      createWaiver: async () => {
        throw new Error("ProvisionedThroughputExceededException");
      },
    });
    const out = await handleComment('/guard waive k8s/privileged-container --reason "x"', ctx("bob"), f.deps);
    expect(out.results[0]!.status).toBe("failed");
    expect(f.reruns).toEqual([]);
    expect(f.replies[0]).toContain("⚠️ Line 1: `/guard waive` failed (ProvisionedThroughputExceededException); nothing was recorded by it. Try again.");
    expect(f.replies[0]).not.toContain("**gitops-guard commands**");
  });

  it("an unknown command gets the help text, not silence", async () => {
    const f = fake();
    const out = await handleComment("/guard approve", ctx("anyone"), f.deps);
    expect(out.results[0]!.status).toBe("invalid");
    expect(f.replies[0]).toContain('⚠️ Line 1: unknown command `approve`.');
    expect(f.replies[0]).toContain("`/guard waive <rule> [<file>[#<Kind>/<name>]] --reason \"<text>\" [--for <N>d]`");
  });

  it("several commands get one reply and one re-evaluation", async () => {
    const f = fake({ permissions: { bob: "write" } });
    const out = await handleComment(
      ['Two things:', '/guard waive k8s/privileged-container --reason "a"', "/guard recheck", "/guard waive nope", "/guard help"].join("\n"),
      ctx("bob"),
      f.deps,
    );
    expect(out.results.map((r) => [r.line, r.command, r.status])).toEqual([
      [2, "waive", "done"],
      [3, "recheck", "done"],
      [4, "waive", "invalid"],
      [5, "help", "done"],
    ]);
    expect(f.reruns).toHaveLength(1);
    expect(f.reactions).toEqual(["+1"]);
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0]!.match(/\*\*gitops-guard commands\*\*/g)).toHaveLength(1);
    expect(f.replies[0]).toContain('⚠️ Line 4: could not run `/guard waive`: `nope` is not a rule id (like `k8s/privileged-container`).');
    // Answers in order, then the re-evaluation, then the help text.
    const reply = f.replies[0]!;
    expect(reply.indexOf("✅ Waiver")).toBeLessThan(reply.indexOf("⚠️ Line 4"));
    expect(reply.indexOf("⚠️ Line 4")).toBeLessThan(reply.indexOf("Re-evaluated"));
    expect(reply.indexOf("Re-evaluated")).toBeLessThan(reply.indexOf("**gitops-guard commands**"));
  });

  it("uses the configured prefix", async () => {
    const f = fake();
    const settings = { ...defaultConfig().commands, prefix: "/gg" };
    expect((await handleComment("/guard status", ctx("x", { settings }), f.deps)).handled).toBe(false);
    await handleComment("/gg help", ctx("x", { settings }), f.deps);
    expect(f.replies[0]).toContain("`/gg recheck`");
  });
});

describe("comments that get no answer", () => {
  it("a bot's comment does nothing, even one full of commands", async () => {
    const f = fake({ permissions: { "gitops-guard[bot]": "admin" } });
    const out = await handleComment('/guard override --reason "x"\n/guard help', ctx("gitops-guard[bot]", { actor: { login: "gitops-guard[bot]", type: "Bot" } }), f.deps);
    expect(out.handled).toBe(false);
    expect(f.replies).toEqual([]);
    expect(f.permissionCalls).toEqual([]);
    expect(await store.overrideFor(REPO, 7, HEAD)).toBeNull();
  });

  it("a comment without commands (our own help reply included) does nothing", async () => {
    const f = fake();
    await handleComment("LGTM, thanks", ctx("x"), f.deps);
    const helpReply = fake();
    await handleComment("/guard help", ctx("x"), helpReply.deps);
    expect((await handleComment(helpReply.replies[0]!, ctx("x"), f.deps)).handled).toBe(false);
    expect(f.replies).toEqual([]);
  });
});

/** The reply below its marker and the line that addresses the commenter (the one mention a reply makes on purpose). */
function replyBody(reply: string, login: string): string {
  const [marker, addressee, ...rest] = reply.split("\n");
  expect(marker).toBe(REPLY_MARKER);
  expect(addressee).toBe(`@${login}`);
  return rest.join("\n");
}

/** One line of hostile text as a command can carry it (a quoted reason cannot hold a line break or a bare `"`). */
const ONE_LINE = HOSTILE.filter((t) => !t.includes("\n") && !t.includes('"'));

describe("replies show user text inert", () => {
  it("waive, waivers and status: a hostile reason is shown as the same text, with no link, image, HTML or mention", async () => {
    for (const reason of ONE_LINE) {
      const f = fake({ permissions: { bob: "write" } });
      await handleComment(`/guard waive k8s/privileged-container --reason "${reason}"\n/guard waivers\n/guard status`, ctx("bob"), f.deps);
      const body = replyBody(f.replies[0]!, "bob");
      expect(liveParts(body)).toEqual([]);
      // Three times: the waiver given, the list of waivers and the waivers in force.
      expect(visibleText(body).split(reason).length - 1).toBe(3);
      await store.close();
      store = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: `handlers-${++tables}` });
    }
  });

  it("override and its status: a hostile reason is inert; people are named without being notified", async () => {
    const reason = ONE_LINE.join(" ");
    const f = fake({ permissions: { boss: "admin" } });
    await handleComment(`/guard override --reason "${reason.slice(0, 490)}"\n/guard status`, ctx("boss"), f.deps);
    await handleComment(`/guard override --reason "again"`, ctx("boss"), f.deps);
    for (const reply of f.replies) {
      const body = replyBody(reply, "boss");
      expect(liveParts(body)).toEqual([]);
      expect(body).toContain("by `@boss`");
    }
    expect(visibleText(replyBody(f.replies[0]!, "boss"))).toContain(reason.slice(0, 490).trim());
  });

  it("a hostile file, rule id, option, value or command word is quoted as code, also to users without permission", async () => {
    const evil = "[click](https://evil.example/login)";
    const lines = [
      `/guard waive ${evil} --reason x`,
      `/guard waive k8s/privileged-container apps/${evil}.yaml --reason "![pixel](https://evil.example/t.png)"`,
      `/guard waive k8s/privileged-container apps/x.yaml#${evil} --reason x`,
      `/guard waive k8s/privileged-container --${evil}=1 --reason x`,
      `/guard waive k8s/privileged-container --reason x --for ${evil}`,
      `/guard unwaive <img/src=https://evil.example/t.png>`,
      `/guard override ${evil} --reason x`,
      `/guard status @octocat`,
      `/guard explain www.evil.example/x`,
      `/guard ${evil}`,
    ];
    const people: Array<{ login: string; permissions: Record<string, Permission> }> = [{ login: "mallory", permissions: {} }, { login: "bob", permissions: { bob: "admin" } }];
    for (const who of people) {
      const f = fake({ permissions: who.permissions });
      await handleComment(lines.join("\n"), ctx(who.login), f.deps);
      const body = replyBody(f.replies[0]!, who.login);
      expect(liveParts(body)).toEqual([]);
      expect(body).toContain("`[click](https://evil.example/login)` is not a rule id");
      expect(body).toContain("unknown option `--[click](https://evi…`");
      expect(body).not.toMatch(/(^|[^`])@octocat/);
    }
    // The admin's waive on a hostile-looking (but valid) path is recorded and the path shown as code.
    expect((await store.waiversOf(REPO, 7)).map((w) => w.file)).toEqual([`apps/${evil}.yaml`]);
  });

  it("the commenter is addressed by login only when it is a well-formed login", async () => {
    const f = fake();
    await handleComment("/guard help", ctx("octo-cat"), f.deps);
    expect(f.replies[0]!.split("\n")[1]).toBe("@octo-cat");
  });
});

/** `n` waivers with long reasons full of characters that escaping makes longer. */
function waivers(n: number, over: (i: number) => Partial<WaiverRecord> = () => ({})): WaiverRecord[] {
  const reason = "needs host access @sre <b> & *why* | ".repeat(14).slice(0, 500);
  return Array.from({ length: n }, (_, i) => ({
    type: "waiver" as const,
    id: `w${String(i).padStart(7, "0")}`,
    repo: REPO,
    pr: 7,
    rule: "k8s/privileged-container",
    file: `apps/team-${i}/daemonset.yaml`,
    resource: `DaemonSet/agent-${i}`,
    reason,
    actor: "bob",
    time: NOW.toISOString(),
    expires: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
    headSha: HEAD,
    ...over(i),
  }));
}

describe("replies are bounded in size", () => {
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");

  it("130 waivers with long reasons, given in the store: waivers and status fit in one comment and say where the rest is", async () => {
    const f = fake({ permissions: { bob: "write" } });
    const reason = "needs host access @sre <b> & *why* | ".repeat(14).slice(0, 490);
    await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        store.createWaiver({ repo: REPO, pr: 7, rule: "k8s/privileged-container", file: `apps/team-${i}/daemonset.yaml`, reason, actor: "bob", headSha: HEAD, time: NOW, expires: new Date(NOW.getTime() + 86_400_000 * 30) }),
      ),
    );
    await handleComment("/guard waivers", ctx("x"), f.deps);
    await handleComment("/guard status", ctx("x"), f.deps);
    for (const reply of f.replies) {
      expect(bytes(reply)).toBeLessThanOrEqual(MAX_REPLY_BYTES);
      expect(reply.length).toBeLessThan(65_536);
      const shown = reply.split("\n").filter((l) => /^ {0,2}- `w?[a-z0-9]{8}` `k8s\/privileged-container`/.test(l)).length;
      expect(shown).toBeGreaterThan(20);
      expect(shown).toBeLessThan(130);
      expect(reply).toContain(`… and ${130 - shown} more not shown (a reply holds at most 65,536 characters): \`gitops-guard decisions --repo acme/gitops --pr 7\``);
      expect(liveParts(replyBody(reply, "x"))).toEqual([]);
    }
    expect(f.replies[0]).toContain("**Waivers on this PR** (130, 130 in force):");
    expect(f.replies[1]).toContain("- Waivers in force (130):");
    expect(f.replies[1]).toContain("the check run shows each waived finding");
  });

  it("1,000 waivers, ten list commands in one comment: one bounded reply, those in force first", async () => {
    const all = waivers(1_000, (i) => (i < 900 ? { revokedAt: NOW.toISOString(), revokedBy: "carol" } : {}));
    const f = fake();
    f.deps.store = Object.assign(Object.create(store) as typeof store, {
      waiversOf: async () => all,
      activeWaivers: async () => all.filter((w) => !w.revokedAt),
    });
    await handleComment(Array.from({ length: 5 }, () => "/guard waivers\n/guard status").join("\n"), ctx("x"), f.deps);
    const reply = f.replies[0]!;
    expect(bytes(reply)).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(reply.match(/\*\*Waivers on this PR\*\* \(1000, 100 in force\):/g)).toHaveLength(5);
    expect(reply.match(/\*\*Status of this PR/g)).toHaveLength(5);
    expect(reply.match(/… and \d+ more not shown/g)).toHaveLength(10);
    // Each list starts with waivers in force (the 100 not withdrawn come first).
    const firstList = reply.slice(reply.indexOf("**Waivers on this PR**"));
    expect(firstList.split("\n").find((l) => l.startsWith("- `w"))).toContain("`w0000900`");
    expect(liveParts(replyBody(reply, "x"))).toEqual([]);
  });
});
