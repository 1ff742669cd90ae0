/**
 * The App-versus-CLI comparison of one pull request (see app-cli-parity.long.ts): the PR opened on the fake GitHub, the
 * real server's review from a signed webhook, and every way what it published (check run, annotations, summary
 * comment, audit record) differs from `gitops-guard review --format json` on the same refs, plus the GitHub requests
 * it made against the budget 4 + 3·⌈(N + C)/100⌉.
 */
import { expect } from "@jest/globals";
import { readFileSync } from "node:fs";
import { startServer } from "../../src/app/server.js";
import type { ReviewOutcome } from "../../src/pipeline/run-review.js";
import { inline } from "../../src/report/markdown-blocks.js";
import { startDynalite } from "../../src/store/dynalite-server.js";
import { FakeGitHub } from "../fakes/github/fake-github.js";
import { appAnswer, cliReview, loadPr, shownFindings, type CliFinding, type GitPr } from "./git-pr.js";
import * as h from "./harness.js";
import { APP_ID, PUBLIC_KEY, until } from "./harness.js";

const key = (f: { status: string; ruleId: string; file: string; line: number | null }) => `${f.status} ${f.ruleId} ${f.file}:${f.line ?? "-"}`;
const sorted = (xs: Iterable<string>) => [...xs].sort();
const SEVERITIES = ["critical", "high", "medium", "low", "info"];
const atLeast = (s: string, min: string) => SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(min);

export interface ParityRow {
  layout: string;
  branch: string;
  base: string;
  conclusion: { app: string | null; cli: string };
  cliFindings: number;
  requests: number;
  budget: number;
  calls: string[];
  diffs: string[];
}

export interface ParityRig {
  gh: FakeGitHub;
  /** Opens `pr` as PR `number` of `layouts/<name>`, has the App review it and compares its answer with the CLI's. */
  compare(pr: GitPr, name: string, number: number): Promise<ParityRow>;
  close(): Promise<void>;
}

/**
 * The fake GitHub, dynalite and the real App server, ready to compare reviews. With `config` (a file), the App reads it
 * as the owner's org-wide config (the `layouts/.github` repository) and the CLI gets it with `--config`.
 */
export async function startParityRig(opts: { config?: string } = {}): Promise<ParityRig> {
  const CONFIG = opts.config;
  /** The config's failOn (`failOn: <severity>`), else high. */
  const failOn = (CONFIG ? /^failOn:\s*(\w+)/m.exec(readFileSync(CONFIG, "utf8"))?.[1] : undefined) ?? "high";
  const TABLE = "gitops-guard-parity";
  const reviewed = new Map<string, ReviewOutcome>();
  const gh = await FakeGitHub.start({ appId: APP_ID, publicKey: PUBLIC_KEY });
  const dynamo = await startDynalite();
  if (CONFIG) gh.addRepo("layouts/.github").commit("c".repeat(40), { ".github/gitops-guard.yml": readFileSync(CONFIG) }, "main");
  const app = await startServer({
    env: h.appEnv(gh.host, { endpoint: dynamo.endpoint, table: TABLE }),
    port: 0,
    host: "127.0.0.1",
    app: { facts: null, onReview: (outcome, t) => reviewed.set(`${t.owner}/${t.repo}#${t.number}@${t.headSha}`, outcome) },
  });

  /** Every way the App's answer differs from the CLI's for one pull request (empty: none). */
  async function compare(pr: GitPr, name: string, number: number): Promise<ParityRow> {
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
    // The App knows the repository from the webhook payload (an Argo CD source of another one is not its directory):
    // the CLI is told the same one.
    const cli = cliReview(pr, CONFIG, `https://github.com/${repo.fullName}`);
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
      // Every link to a file is to this repository (the webhook's `repository.html_url`), at a commit of the PR.
      for (const m of md.matchAll(/https:\/\/github\.com\/[^\s)"'<>]+?\/blob\/[0-9a-f]{7,40}\//g)) {
        if (!m[0].toLowerCase().startsWith(`https://github.com/layouts/${name}/blob/`.toLowerCase())) diffs.push(`${where}: a link to another repository: ${m[0]}`);
      }
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
    return { layout: name, branch: pr.branch, base: pr.baseRef, conclusion: { app: got.run.conclusion, cli: cli.conclusion }, cliFindings: cli.findings.length, requests: got.requests, budget, calls: got.calls, diffs };
  }

  return {
    gh,
    compare,
    close: async () => {
      await app.close();
      await gh.close();
      await dynamo.close();
    },
  };
}

