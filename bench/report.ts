/**
 * The one report of `npm run bench`: every DESIGN.md budget as a measurement with its budget and a verdict, written to
 * `bench/results.json` and printed as a markdown table. A budget that could not be measured (the part of the bench
 * failed) is reported as missed, with the error as its reason: a measurement that did not run never passes.
 */

export type Area = "engine" | "github" | "kustomize" | "ecr" | "lambda" | "memory";

export interface Budget {
  /** `<=` for "at most", `<` for "under". */
  op: "<=" | "<";
  value: number;
}

export interface Measurement {
  /** Stable key, e.g. `github.3000.wall-minus-spacing`. */
  id: string;
  area: Area;
  /** What is measured, in words. */
  what: string;
  value: number | null;
  unit: string;
  /** null: reported beside a budget (e.g. the wall time with spacing), not judged. */
  budget: Budget | null;
  /** null when the row carries no budget. */
  met: boolean | null;
  /** How it was measured, or what the number means (shown in the table). */
  note?: string;
  /** Why the budget was missed (only when met is false). */
  reason?: string;
}

export interface Gap {
  id: string;
  what: string;
  measured: string;
  budget: string;
  reason: string;
}

export interface BenchReport {
  generatedAt: string;
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; loadAverage: [number, number, number]; totalMemoryMB: number };
  corpus: string;
  durationMs?: number;
  measurements: Measurement[];
  gaps: Gap[];
  /** The raw results of each part, as the part returned them. */
  details: Record<string, unknown>;
}

export function judge(value: number, budget: Budget): boolean {
  return budget.op === "<=" ? value <= budget.value : value < budget.value;
}

/**
 * A measurement with a budget; `why` says why it was missed, from the numbers (called only when missed). `invalid`:
 * the scenario did not run as meant (e.g. the review errored), so the number proves nothing and the budget is missed.
 */
export function budgeted(m: Omit<Measurement, "met" | "reason" | "budget"> & { value: number; budget: Budget }, why: () => string, invalid?: string): Measurement {
  if (invalid) return { ...m, met: false, reason: invalid };
  const met = judge(m.value, m.budget);
  return met ? { ...m, met } : { ...m, met, reason: why() };
}

/** A number shown beside the budgets, not judged. */
export function info(m: Omit<Measurement, "met" | "budget">): Measurement {
  return { ...m, budget: null, met: null };
}

/** The part of the bench that should have measured `what` failed: its budget is missed, with the error as reason. */
export function notMeasured(id: string, area: Area, what: string, error: unknown, budget: Budget | null, unit: string): Measurement {
  const message = error instanceof Error ? error.message : String(error);
  return { id, area, what, value: null, unit, budget, met: false, reason: `not measured: ${message.split("\n")[0]}` };
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return "—";
  // Two decimals for ratios, seconds and small sizes (zips); whole numbers for milliseconds, counts and large sizes (RSS).
  const digits = unit === "×" || unit === "s" || (unit === "MB" && value < 10) ? 2 : 0;
  const n = value.toFixed(digits);
  return unit === "×" ? `${n}×` : unit ? `${n} ${unit}` : n;
}

export function formatBudget(b: Budget | null, unit: string): string {
  if (!b) return "";
  return `${b.op === "<=" ? "≤" : "<"} ${formatValue(b.value, unit)}`;
}

export function gapsOf(measurements: readonly Measurement[]): Gap[] {
  return measurements
    .filter((m) => m.met === false)
    .map((m) => ({ id: m.id, what: m.what, measured: formatValue(m.value, m.unit), budget: formatBudget(m.budget, m.unit) || "DESIGN.md", reason: m.reason ?? "missed" }));
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The budgets table (markdown), then the gaps, each with its reason. */
export function markdownTable(report: BenchReport): string {
  const lines = [
    `## gitops-guard bench — ${report.generatedAt}`,
    "",
    `Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}, load average ${report.machine.loadAverage.map((x) => x.toFixed(1)).join(" / ")} (1/5/15 min) at the end, corpus ${report.corpus}`,
    "",
    "| Area | Measurement | Measured | Budget | Met | How / notes |",
    "|---|---|---:|---:|:---:|---|",
  ];
  for (const m of report.measurements) {
    const verdict = m.met === null ? "" : m.met ? "yes" : "**NO**";
    lines.push(`| ${m.area} | ${cell(m.what)} | ${formatValue(m.value, m.unit)} | ${formatBudget(m.budget, m.unit)} | ${verdict} | ${cell(m.note ?? "")} |`);
  }
  lines.push("");
  if (report.gaps.length === 0) lines.push("Every budget met.");
  else {
    lines.push(`### Missed budgets (${report.gaps.length})`, "");
    for (const g of report.gaps) lines.push(`- **${g.what}** (\`${g.id}\`): ${g.measured}, budget ${g.budget} — ${g.reason}`);
  }
  return lines.join("\n");
}
