/**
 * The GitHub App gives the CLI's answer (`npm run test:long`, with GITOPS_GUARD_LAYOUTS=<dir of git repositories>):
 * for every `pr-*` branch of every repository under the directory (against the newest `main*` branch it contains),
 * the branch is opened as a pull request on the fake GitHub (its two commits, the file list as GitHub reports it),
 * the real server reviews it from a signed `pull_request` webhook, and what the App publishes — the check run's
 * conclusion, annotations, summary and text, and the summary comment — is compared with
 * `gitops-guard review --base <base> --head <branch> --format json`: the same findings (rule, file, line), statuses
 * and conclusion, the same messages (with the overlays they were rendered from), within the GitHub request budget.
 * Differences the design allows are not differences: annotations mark new findings only (at most 50), fixed
 * findings are shown without a line. Also compared: each new finding's severity, columns and fingerprint on its
 * annotation, and the audit record (conclusion, counts, new findings' fingerprints). GITOPS_GUARD_PARITY_OUT=<file>
 * writes every review (requests made, differences) as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/app/server.js";
import type { ReviewOutcome } from "../../src/pipeline/run-review.js";
import { inline } from "../../src/report/markdown-blocks.js";
import { startDynalite, type DynaliteServer } from "../../src/store/dynalite-server.js";
import { FakeGitHub } from "../fakes/github/fake-github.js";
import { appAnswer, cliReview, gitPrs, loadPr, shownFindings, type CliFinding, type GitPr } from "./git-pr.js";
import * as h from "./harness.js";
import { APP_ID, PUBLIC_KEY, until } from "./harness.js";

const ROOT = process.env.GITOPS_GUARD_LAYOUTS;
/** A config file: the App reads it as the owner's org-wide config (its `.github` repository), the CLI with --config. */
const CONFIG = process.env.GITOPS_GUARD_PARITY_CONFIG;
const layouts = ROOT ? readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory() && statSync(join(ROOT, d, ".git"), { throwIfNoEntry: false })) : [];

let gh: FakeGitHub;
let app: RunningServer;
let dynamo: DynaliteServer;
const report: Array<Record<string, unknown>> = [];
const TABLE = "gitops-guard-parity";
const reviewed = new Map<string, ReviewOutcome>();

const key = (f: { status: string; ruleId: string; file: string; line: number | null }) => `${f.status} ${f.ruleId} ${f.file}:${f.line ?? "-"}`;
const sorted = (xs: Iterable<string>) => [...xs].sort();
const SEVERITIES = ["critical", "high", "medium", "low", "info"];
const atLeast = (s: string, min: string) => SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(min);
/** The failOn of the config the sweep runs with (`failOn: <severity>` in GITOPS_GUARD_PARITY_CONFIG), else high. */
const failOn = (CONFIG ? /^failOn:\s*(\w+)/m.exec(readFileSync(CONFIG, "utf8"))?.[1] : undefined) ?? "high";

/** Every way the App's answer differs from the CLI's for one pull request (empty: none). */
async function compare(pr: GitPr, name: string, number: number): Promise<{ diffs: string[]; requests: number; budget: number }> {
  const repo = gh.repos.get(`layouts/${name}`.toLowerCase()) ?? gh.addRepo(`layouts/${name}`);
  const listed = loadPr(repo, pr, number);
  const since = gh.requests.length;
  const payload = h.pullRequestPayload(repo, "opened", pr.headSha);
  payload.number = payload.pull_request.number = number;
  payload.pull_request.base = { ...payload.pull_request.base, sha: pr.baseSha, ref: pr.baseRef };
  (payload.pull_request.head as { ref?: string }).ref = pr.branch;
  payload.pull_request.changed_files = listed.length;
  const res = await h.deliver(app.url, "pull_request", payload);
  expect([200, 202]).toContain(res.status);
  // The review is over (check run completed, comment written) when the App reports it.
  const outcome = await until("the end of the review", () => reviewed.get(`${repo.fullName}#${number}@${pr.headSha}`), 60_000);
  const cli = cliReview(pr, CONFIG);
  const got = appAnswer(gh, repo, number, pr.headSha, since);
  const diffs: string[] = [];
  if (outcome.kind !== "reviewed") diffs.push(`review: ${outcome.kind}${outcome.kind === "error" ? ` (${outcome.reason})` : ""}`);
  if (got.run.conclusion !== cli.conclusion) diffs.push(`conclusion: app ${got.run.conclusion}, cli ${cli.conclusion}`);
  if (repo.checkRuns().some((c) => c.head_sha === pr.headSha && c.status !== "completed")) diffs.push("a check run left in progress");

  const open = cli.findings.filter((f) => !f.suppressed);
  // Reports show one line per finding; the CLI's list may hold two findings at one place (different severities).
  const want = (fs: CliFinding[]) => sorted(fs.map((f) => key({ ...f, line: f.status === "fixed" ? null : f.line })));
  const surfaces: Array<[string, string]> = [["check run", `${got.run.output.summary ?? ""}\n${got.run.output.text ?? ""}`]];
  if (got.comment) surfaces.push(["comment", got.comment.body]);
  const shouldComment = open.some((f) => f.status === "new");
  if (shouldComment && !got.comment) diffs.push("no summary comment although there are new findings");
  for (const [where, md] of surfaces) {
    const shown = shownFindings(md);
    const a = want(open);
    const b = sorted(shown.map(key));
    const missing = a.filter((x) => !b.includes(x));
    const extra = b.filter((x) => !a.includes(x));
    if (missing.length) diffs.push(`${where}: missing ${missing.join(" | ")}`);
    if (extra.length) diffs.push(`${where}: extra ${extra.join(" | ")}`);
    // The message (with its "[Kustomize: rendered from …]") of each finding, as the CLI words it.
    for (const f of open) {
      const line = shown.find((s) => key(s) === key({ ...f, line: f.status === "fixed" ? null : f.line }) && s.text.includes(inline(f.message)));
      if (!line && b.includes(key({ ...f, line: f.status === "fixed" ? null : f.line }))) diffs.push(`${where}: message of ${key(f)} differs from the CLI's: ${f.message}`);
    }
  }
  // Annotations mark every new finding: a suppressed one as a notice.
  const fresh = cli.findings.filter((f) => f.status === "new");
  const level = (f: CliFinding) => (f.suppressed ? "notice" : atLeast(f.severity, failOn) ? "failure" : "warning");
  const anns = got.run.output.annotations as Array<{ path: string; start_line: number; end_line: number; start_column?: number; end_column?: number; annotation_level: string; message: string; title: string; raw_details?: string }>;
  const annKeys = sorted(anns.map((a) => `new ${String(a.title).replace(/ \(\w+\)$/, "")} ${a.path}:${a.start_line} ${a.annotation_level}`));
  const wantAnn = sorted(fresh.map((f) => `${key(f)} ${level(f)}`));
  if (fresh.length <= 50 && JSON.stringify(annKeys) !== JSON.stringify(wantAnn)) diffs.push(`annotations: app [${annKeys.join(" | ")}], cli [${wantAnn.join(" | ")}]`);
  for (const f of fresh) {
    const a = anns.find((x) => x.path === f.file && x.start_line === f.line && x.title === `${f.ruleId} (${f.severity})` && x.message.endsWith(f.message));
    if (!a) {
      if (fresh.length <= 50) diffs.push(`no annotation with the CLI's severity and message for ${key(f)} (${f.severity}): ${f.message}`);
      continue;
    }
    // Place (GitHub's end column is inclusive) and fingerprint (what waivers and the audit record key on).
    const want = { end_line: f.endLine, ...(f.line === f.endLine ? { start_column: f.column, end_column: Math.max(f.column, f.endColumn - 1) } : {}) };
    const have = { end_line: a.end_line, ...(a.start_column !== undefined ? { start_column: a.start_column, end_column: a.end_column } : {}) };
    if (JSON.stringify(want) !== JSON.stringify(have)) diffs.push(`annotation place of ${key(f)}: app ${JSON.stringify(have)}, cli ${JSON.stringify(want)}`);
    if (!String(a.raw_details).includes(`Fingerprint: ${f.fingerprint}`)) diffs.push(`annotation fingerprint of ${key(f)}: app ${String(a.raw_details).split("\n").at(-1)}, cli ${f.fingerprint}`);
  }
  // The audit record: the review's conclusion and counts, and each new finding's fingerprint.
  const records = await h.decisions({ env: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: TABLE } }, repo.fullName, "--pr", String(number));
  const record = records.filter((r) => r.type === "review" && r.headSha === pr.headSha).at(-1) as { conclusion?: string; counts?: Record<string, unknown>; findings?: Array<{ fingerprint: string }> } | undefined;
  if (!record) diffs.push("no review record");
  else {
    if (record.conclusion !== cli.conclusion) diffs.push(`record conclusion: app ${String(record.conclusion)}, cli ${cli.conclusion}`);
    const recorded = sorted((record.findings ?? []).map((f) => f.fingerprint));
    const expected = sorted(cli.findings.filter((f) => f.status === "new").map((f) => f.fingerprint));
    if (JSON.stringify(recorded) !== JSON.stringify(expected)) diffs.push(`recorded fingerprints: app [${recorded.join(",")}], cli [${expected.join(",")}]`);
    const counts = { new: 0, existing: 0, fixed: 0, suppressed: 0, ...(cli as { summary?: Record<string, number> }).summary };
    for (const k of ["new", "existing", "fixed", "suppressed"] as const) if (record.counts?.[k] !== counts[k]) diffs.push(`recorded ${k}: app ${String(record.counts?.[k])}, cli ${counts[k]}`);
  }
  const changed = new Set(listed.flatMap((l) => [l.filename, ...(l.previous_filename ? [l.previous_filename] : [])]));
  const closure = Math.max(0, got.filesRead - changed.size);
  const budget = 4 + 3 * Math.ceil((listed.length + closure) / 100);
  if (got.requests > budget) diffs.push(`requests: ${got.requests} > budget ${budget} (N ${listed.length}, C ${closure}): ${got.calls.join(", ")}`);
  report.push({ layout: name, branch: pr.branch, base: pr.baseRef, conclusion: { app: got.run.conclusion, cli: cli.conclusion }, cliFindings: cli.findings.length, requests: got.requests, budget, calls: got.calls, diffs });
  return { diffs, requests: got.requests, budget };
}

beforeAll(async () => {
  if (!ROOT) return;
  gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  dynamo = await startDynalite();
  if (CONFIG) gh.addRepo("layouts/.github").commit("c".repeat(40), { ".github/gitops-guard.yml": readFileSync(CONFIG) }, "main");
  app = await startServer({ env: h.appEnv(gh.host, { endpoint: dynamo.endpoint, table: TABLE }), port: 0, host: "127.0.0.1", app: { facts: null, onReview: (outcome, t) => reviewed.set(`${t.owner}/${t.repo}#${t.number}@${t.headSha}`, outcome) } });
}, 60_000);

afterAll(async () => {
  if (!ROOT) return;
  if (process.env.GITOPS_GUARD_PARITY_OUT) writeFileSync(process.env.GITOPS_GUARD_PARITY_OUT, JSON.stringify(report, null, 2));
  await app?.close();
  await gh?.close();
  await dynamo?.close();
});

(ROOT ? describe : describe.skip)("the App answers as the CLI does on real overlay layouts", () => {
  let number = 0;
  for (const name of layouts) {
    describe(name, () => {
      for (const pr of gitPrs(join(ROOT!, name))) {
        it(`${pr.baseRef}...${pr.branch}`, async () => {
          const { diffs } = await compare(pr, name, ++number);
          expect(diffs).toEqual([]);
        }, 120_000);
      }
    });
  }
});
