import { parseArgs } from "node:util";
import { colorModeProblem } from "./color.js";
import { isRepoName } from "../store/keys.js";
import { openStore } from "../store/open.js";
import { StoreError, type AuditRecord } from "../store/types.js";

/**
 * `gitops-guard decisions --repo owner/name [--pr N] [--since DATE] [--format json|csv]`: the audit
 * export. Reads the store the environment points at (same variables as the app), oldest record first.
 */

export interface DecisionsIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Where the embedded store lives (`<cwd>/.gitops-guard`); default process.cwd(). */
  cwd?: string;
}

const USAGE = `Usage: gitops-guard decisions --repo owner/name [--pr N] [--since DATE] [--format json|csv]

Prints the recorded reviews, waivers, unwaives, overrides and closed-PR states of a repository,
oldest first. Reads the decision store the environment points at: AWS_ENDPOINT_URL_DYNAMODB, else
the real table TABLE_NAME when AWS credentials are set, else the embedded store in ./.gitops-guard/.

Options:
  --repo owner/name     repository (required)
  --pr N                only this pull request
  --since DATE          only records at or after DATE (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)
  --format json|csv     output format (default json: an array of records)
`;

class ArgError extends Error {}

interface Query {
  repo: string;
  pr?: number;
  since?: Date;
  format: "json" | "csv";
}

function parse(argv: string[]): Query | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      // `--color` is a general option: accepted (and checked) here too, though JSON and CSV have no colour.
      options: { repo: { type: "string" }, pr: { type: "string" }, since: { type: "string" }, format: { type: "string" }, color: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    throw new ArgError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return "help";
  const colorProblem = colorModeProblem(values.color);
  if (colorProblem !== null) throw new ArgError(colorProblem);
  if (!values.repo) throw new ArgError("--repo owner/name is required");
  if (!isRepoName(values.repo)) throw new ArgError(`--repo must look like owner/name (got "${values.repo}")`);
  const query: Query = { repo: values.repo, format: "json" };
  if (values.pr !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(values.pr)) throw new ArgError(`--pr must be a pull request number (got "${values.pr}")`);
    query.pr = Number(values.pr);
  }
  if (values.since !== undefined) {
    const d = new Date(values.since);
    if (!values.since.trim() || Number.isNaN(d.getTime())) throw new ArgError(`--since must be a date like 2026-01-31 (got "${values.since}")`);
    query.since = d;
  }
  if (values.format !== undefined) {
    if (values.format !== "json" && values.format !== "csv") throw new ArgError(`--format must be json or csv (got "${values.format}")`);
    query.format = values.format;
  }
  return query;
}

/** A record with its time and type first (easier to read), everything else as stored. */
function ordered(r: AuditRecord): Record<string, unknown> {
  const { time, type, repo, pr, ...rest } = r;
  return { time, type, repo, pr, ...rest };
}

export const CSV_COLUMNS = [
  "time",
  "type",
  "repo",
  "pr",
  "headSha",
  "baseSha",
  "actor",
  "conclusion",
  "rule",
  "file",
  "resource",
  "waiverId",
  "reason",
  "expires",
  "revokedBy",
  "revokedAt",
  "merged",
  "newBySeverity",
  "findings",
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | undefined>>;

function row(r: AuditRecord): Row {
  const common = { time: r.time, type: r.type, repo: r.repo, pr: r.pr, headSha: r.headSha };
  switch (r.type) {
    case "review":
      return {
        ...common,
        baseSha: r.baseSha,
        conclusion: r.conclusion,
        ...(r.error !== undefined ? { reason: r.error } : {}),
        newBySeverity: Object.entries(r.counts.bySeverity)
          .map(([s, n]) => `${s}=${n}`)
          .join(" "),
        findings:
          r.findings.map((f) => `${f.ruleId} ${f.file} ${f.resource.kind ?? ""}/${f.resource.namespace ?? ""}/${f.resource.name ?? ""} ${f.fingerprint}${f.suppressedBy ? ` (${f.suppressedBy})` : ""}`).join("; ") +
          (r.findingsOmitted ? `; … ${r.findingsOmitted} more` : ""),
      };
    case "waiver":
      return { ...common, actor: r.actor, rule: r.rule, file: r.file, resource: r.resource, waiverId: r.id, reason: r.reason, expires: r.expires, revokedBy: r.revokedBy, revokedAt: r.revokedAt };
    case "unwaive":
      return { ...common, actor: r.actor, rule: r.rule, waiverId: r.waiverId };
    case "override":
      return { ...common, actor: r.actor, reason: r.reason };
    case "closed":
      return {
        ...common,
        actor: r.actor,
        merged: r.merged,
        conclusion: r.lastConclusion ?? undefined,
        waiverId: r.waivers.join(" "),
        reason: r.overrides.map((o) => `override by ${o.actor}: ${o.reason}`).join(" | "),
      };
  }
}

/** RFC 4180 quoting, and a leading `'` on cells a spreadsheet would run as a formula (reasons are user text). */
export function csvCell(v: string | number | boolean | undefined): string {
  if (v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(records: readonly AuditRecord[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of records) {
    const cells = row(r);
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(","));
  }
  return `${lines.join("\n")}\n`;
}

export function renderJson(records: readonly AuditRecord[]): string {
  return `${JSON.stringify(records.map(ordered), null, 2)}\n`;
}

/** Exit codes: 0 printed (possibly nothing), 1 the store could not be read, 2 bad arguments. */
export async function runDecisions(argv: string[], io: DecisionsIO): Promise<number> {
  let query: Query | "help";
  try {
    query = parse(argv);
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    io.stderr.write(`gitops-guard decisions: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (query === "help") {
    io.stdout.write(USAGE);
    return 0;
  }
  const render = query.format === "csv" ? renderCsv : renderJson;
  let records: AuditRecord[];
  try {
    const store = await openStore(io.env, { readOnly: true, cwd: io.cwd });
    try {
      records = await store.audit({ repo: query.repo, pr: query.pr, since: query.since });
    } finally {
      await store.close();
    }
  } catch (err) {
    if (err instanceof StoreError && err.code === "empty") {
      io.stderr.write(`gitops-guard decisions: ${err.message}\n`);
      io.stdout.write(render([]));
      return 0;
    }
    const message = err instanceof Error ? err.message || err.name : String(err);
    io.stderr.write(`gitops-guard decisions: cannot read the decision store: ${message}\n`);
    return 1;
  }
  io.stdout.write(render(records));
  return 0;
}
