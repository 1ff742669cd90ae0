import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { startDynalite, type DynaliteServer } from "../store/dynalite-server.js";
import { openStore } from "../store/open.js";
import { runDecisions } from "./decisions.js";

const REPO = "acme/gitops";
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const counts = { new: 1, existing: 0, fixed: 0, suppressed: 0, bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 } };

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runDecisions(argv, { stdout, stderr, env, cwd });
  return { code, out: stdout.text, err: stderr.text };
}

let server: DynaliteServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startDynalite();
  env = { AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: "audit-cli" };
  const store = await openStore(env);
  await store.recordReview({
    repo: REPO,
    pr: 5,
    headSha: "h5",
    baseSha: "b5",
    conclusion: "failure",
    counts,
    time: at(2_000),
    findings: [{ ruleId: "k8s/privileged-container", severity: "high", file: "apps/a.yaml", resource: { kind: "Deployment", namespace: "web", name: "api" }, fingerprint: "fp1" }],
  });
  await store.createWaiver({ repo: REPO, pr: 5, id: "w1", rule: "k8s/privileged-container", file: "apps/a.yaml", resource: "Deployment/api", reason: '=cmd, "quoted" reason', actor: "bob", headSha: "h5", time: at(3_000), expires: at(86_400_000) });
  await store.revokeWaiver({ repo: REPO, pr: 5, id: "w1", actor: "carol", headSha: "h5", time: at(4_000) });
  await store.createOverride({ repo: REPO, pr: 6, headSha: "h6", actor: "boss", reason: "hotfix", time: at(1_000) });
  await store.recordClosed({ repo: REPO, pr: 6, merged: true, headSha: "h6", actor: "boss", time: at(5_000), lastConclusion: "failure" });
  await store.recordReview({ repo: "acme/other", pr: 1, headSha: "x", baseSha: "y", conclusion: "success", counts, findings: [], time: at(0) });
  await store.close();
});

afterAll(async () => {
  await server.close();
});

describe("gitops-guard decisions", () => {
  it("prints a repository's records as JSON, oldest first", async () => {
    const { code, out, err } = await run(["--repo", REPO], env);
    expect(err).toBe("");
    expect(code).toBe(0);
    const records = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.type, r.pr, r.time])).toEqual([
      ["override", 6, at(1_000).toISOString()],
      ["review", 5, at(2_000).toISOString()],
      ["waiver", 5, at(3_000).toISOString()],
      ["unwaive", 5, at(4_000).toISOString()],
      ["closed", 6, at(5_000).toISOString()],
    ]);
    expect(Object.keys(records[0]!).slice(0, 4)).toEqual(["time", "type", "repo", "pr"]);
    expect(records[2]).toMatchObject({ id: "w1", actor: "bob", reason: '=cmd, "quoted" reason', revokedBy: "carol", expires: at(86_400_000).toISOString() });
    expect(records[4]).toMatchObject({ merged: true, lastConclusion: "failure", overrides: [{ actor: "boss", reason: "hotfix", headSha: "h6" }] });
  });

  it("filters by PR and by date", async () => {
    const pr = JSON.parse((await run(["--repo", REPO, "--pr", "5"], env)).out) as Array<{ type: string }>;
    expect(pr.map((r) => r.type)).toEqual(["review", "waiver", "unwaive"]);
    const since = JSON.parse((await run(["--repo", REPO, "--since", at(3_000).toISOString()], env)).out) as Array<{ type: string }>;
    expect(since.map((r) => r.type)).toEqual(["waiver", "unwaive", "closed"]);
    const both = JSON.parse((await run(["--repo", REPO, "--pr=6", "--since=2026-03-01T10:00:02Z"], env)).out) as Array<{ type: string }>;
    expect(both.map((r) => r.type)).toEqual(["closed"]);
    expect(JSON.parse((await run(["--repo", REPO, "--since", "2027-01-01"], env)).out)).toEqual([]);
  });

  it("prints CSV with one header, quoting, and no formula injection", async () => {
    const { code, out } = await run(["--repo", REPO, "--format", "csv"], env);
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("time,type,repo,pr,headSha,baseSha,actor,conclusion,rule,file,resource,waiverId,reason,expires,revokedBy,revokedAt,merged,newBySeverity,findings");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(`${at(1_000).toISOString()},override,${REPO},6,h6,,boss,,,,,,hotfix,,,,,,`);
    expect(lines[2]).toBe(`${at(2_000).toISOString()},review,${REPO},5,h5,b5,,failure,,,,,,,,,,critical=0 high=1 medium=0 low=0 info=0,k8s/privileged-container apps/a.yaml Deployment/web/api fp1`);
    expect(lines[3]).toContain(`,bob,,k8s/privileged-container,apps/a.yaml,Deployment/api,w1,"'=cmd, ""quoted"" reason",${at(86_400_000).toISOString()},carol,${at(4_000).toISOString()},,,`);
    expect(lines[5]).toBe(`${at(5_000).toISOString()},closed,${REPO},6,h6,,boss,failure,,,,,override by boss: hotfix,,,,true,,`);
  });

  it("rejects bad arguments with exit 2 and a message", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /--repo owner\/name is required/],
      [["--repo", "acme"], /--repo must look like owner\/name/],
      [["--repo", REPO, "--pr", "abc"], /--pr must be a pull request number/],
      [["--repo", REPO, "--pr", "0"], /--pr must be a pull request number/],
      [["--repo", REPO, "--since", "yesterday-ish"], /--since must be a date/],
      [["--repo", REPO, "--format", "xml"], /--format must be json or csv/],
      [["--repo", REPO, "extra"], /Unexpected argument 'extra'/],
      [["--repo", REPO, "--verbose"], /Unknown option '--verbose'/],
      [["--repo", REPO, "--color", "sometimes"], /--color must be one of auto, always, never/],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await run(argv, env);
      expect([argv, code]).toEqual([argv, 2]);
      expect(err).toMatch(message);
      expect(err).toContain("Usage: gitops-guard decisions");
      expect(out).toBe("");
    }
  });

  it("takes --color, a general option, though JSON and CSV have no colour", async () => {
    const { code, out } = await run(["--repo", REPO, "--color", "never"], { ...env, TABLE_NAME: "not-there" });
    expect(code).toBe(0);
    expect(out).toBe("[]\n");
  });

  it("--help prints the usage", async () => {
    const { code, out } = await run(["--help"], env);
    expect(code).toBe(0);
    expect(out).toContain("--format json|csv");
  });

  it("a store without the table has recorded nothing: empty output, exit 0", async () => {
    const { code, out, err } = await run(["--repo", REPO], { ...env, TABLE_NAME: "not-there" });
    expect(code).toBe(0);
    expect(out).toBe("[]\n");
    expect(err).toMatch(/no table not-there/);
    expect((await run(["--repo", REPO, "--format", "csv"], { ...env, TABLE_NAME: "not-there" })).out.trimEnd().split("\n")).toHaveLength(1);
  });

  it("an unreachable store is exit 1 with the reason", async () => {
    const dead = await startDynalite();
    await dead.close();
    const { code, err } = await run(["--repo", REPO], { AWS_ENDPOINT_URL_DYNAMODB: dead.endpoint });
    expect(code).toBe(1);
    expect(err).toMatch(/cannot read the decision store: cannot reach the DynamoDB store at http:\/\/127\.0\.0\.1:\d+/);
  });

  describe("embedded store (no endpoint, no AWS credentials)", () => {
    let cwd: string;
    beforeAll(() => {
      cwd = mkdtempSync(join(tmpdir(), "gg-decisions-"));
    });
    afterAll(() => {
      rmSync(cwd, { recursive: true, force: true });
    });

    it("reads what the local server recorded under .gitops-guard/", async () => {
      expect(await run(["--repo", REPO], {}, cwd)).toMatchObject({ code: 0, out: "[]\n" });
      const store = await openStore({}, { cwd });
      await store.createOverride({ repo: REPO, pr: 1, headSha: "abc", actor: "boss", reason: "ok", time: T0 });
      await store.close();
      const { code, out } = await run(["--repo", REPO], {}, cwd);
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual([{ time: T0.toISOString(), type: "override", repo: REPO, pr: 1, headSha: "abc", actor: "boss", reason: "ok" }]);
    });
  });
});
