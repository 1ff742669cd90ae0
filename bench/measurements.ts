/**
 * Each part of the bench turned into report rows: the measurement, its DESIGN.md budget, the verdict and, when a
 * budget is missed, the reason as the numbers show it. docs/performance.md explains every row.
 */
import type { EcrBenchRow } from "./ecr.js";
import type { EngineBench } from "./engine.js";
import { TIME_BUDGET_MS, type GithubBenchRow, type KustomizeBenchRow } from "./github.js";
import { COLD_IMPORT_BUDGET_MS, ZIP_BUDGET_BYTES, type LambdaBench } from "./lambda.js";
import { RSS_BUDGET_BYTES, type MemoryBench } from "./memory.js";
import { budgeted, info, type Measurement } from "./report.js";
import { WHOLE_PROCESS_BUDGET, type WholeProcessBench } from "./whole-process.js";

const ENGINE_BUDGET = 1.5;
const MB = 1024 * 1024;
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const s = (x: number): string => `${(x / 1000).toFixed(2)} s`;

export function engineRows(b: EngineBench): Measurement[] {
  const rulesShare = b.fileByFileMs / b.parseMs - 1;
  const renderShare = (b.totalMs - b.fileByFileMs) / b.parseMs;
  return [
    budgeted(
      {
        id: "engine.in-process.ratio",
        area: "engine",
        what: "In process: review (rules + Kustomize render) / YAML parse of the same files",
        value: b.ratio,
        unit: "×",
        budget: { op: "<=", value: ENGINE_BUDGET },
        note: `${b.files} files, ${b.documents} documents; parse ${ms(b.parseMs)}, review ${ms(b.totalMs)} (fastest of alternating rounds); without the render ${(b.fileByFileMs / b.parseMs).toFixed(2)}×`,
      },
      () =>
        `the review takes ${ms(b.totalMs)} against ${ms(b.parseMs)} of parsing (budget: everything beyond parsing ≤ 0.5× parse); ` +
        (renderShare > 0
          ? `classify, rules, fingerprints and policy add ${rulesShare.toFixed(2)}× parse, rendering ${b.roots} Kustomize roots another ${renderShare.toFixed(2)}×`
          : `with rendering off it took ${ms(b.fileByFileMs)} (fastest of fewer rounds), no less: the excess is in classify, rules, fingerprints and policy, or this run's noise hides the render's share`),
    ),
    info({
      id: "engine.in-process.throughput",
      area: "engine",
      what: "In process: throughput of the review, rendering on",
      value: b.docsPerSecond,
      unit: "documents/s",
      note: `${b.findings} findings, ${b.renderedFindings} of them on objects of ${b.roots} rendered Kustomize roots`,
    }),
  ];
}

export function wholeProcessRows(b: WholeProcessBench): Measurement[] {
  const cpu = b.scanCpuMs !== null && b.parseCpuMs !== null ? b.scanCpuMs / b.parseCpuMs : null;
  return [
    budgeted(
      {
        id: "engine.whole-process.ratio",
        area: "engine",
        what: "Whole process: `gitops-guard scan DIR` / parse-only process, same files",
        value: b.ratio,
        unit: "×",
        budget: { op: "<=", value: WHOLE_PROCESS_BUDGET },
        note: `${b.files} YAML files; medians of ${b.rounds} alternating runs: scan ${ms(b.scanMs)}, parse-only ${ms(b.parseMs)}${cpu === null ? "" : `; CPU time ratio ${cpu.toFixed(2)}×`}`,
      },
      () =>
        `a CI user waits ${ms(b.scanMs)} for scan against ${ms(b.parseMs)} for parsing alone (start-up, module loading, listing, reading, config, review, report)` +
        (cpu === null ? "" : `; in CPU time ${cpu.toFixed(2)}×, ${cpu <= WHOLE_PROCESS_BUDGET ? "within the ratio, so part of the wall-time gap is the machine's load" : "over the ratio as well"}`),
    ),
  ];
}

export function githubRows(rows: readonly GithubBenchRow[]): Measurement[] {
  const out: Measurement[] = [];
  for (const r of rows) {
    const id = `github.${r.files}`;
    const effective = r.wallMs - r.throttleMs;
    const failedReview = r.conclusion === "error" || r.conclusion === "none" || r.conclusion === "invalid-config";
    out.push(
      budgeted(
        {
          id: `${id}.requests`,
          area: "github",
          what: `PR of ${r.files} files: GitHub API requests of the review`,
          value: r.requests,
          unit: "requests",
          budget: { op: "<=", value: r.budget },
          note: `4 + 3·⌈${r.files}/100⌉; conclusion ${r.conclusion}; naive per-file baseline (same run): ${r.naiveRequests} requests`,
        },
        () => `${r.requests} requests, ${r.requests - r.budget} over 4 + 3·⌈N/100⌉`,
        // A review that did not finish proves nothing about its requests.
        failedReview ? `the review did not complete (outcome ${r.conclusion}) after ${r.requests} requests` : undefined,
      ),
    );
    const timeBudget = TIME_BUDGET_MS[r.files];
    const spacingNote = `wall ${s(r.wallMs)} − ${s(r.throttleMs)} held back by Octokit's write spacing (not counted, DESIGN.md)`;
    if (timeBudget === undefined) {
      out.push(info({ id: `${id}.wall-minus-spacing`, area: "github", what: `PR of ${r.files} files: review time without write spacing`, value: effective / 1000, unit: "s", note: spacingNote }));
    } else {
      out.push(
        budgeted(
          { id: `${id}.wall-minus-spacing`, area: "github", what: `PR of ${r.files} files: review time without write spacing`, value: effective / 1000, unit: "s", budget: { op: "<=", value: timeBudget / 1000 }, note: spacingNote },
          () => `${s(effective)} of the review's ${s(r.wallMs)} had a request on the wire or the app computing; ${r.requests} requests at +50 ms each`,
        ),
      );
    }
    out.push(info({ id: `${id}.wall`, area: "github", what: `PR of ${r.files} files: review wall time, write spacing included`, value: r.wallMs / 1000, unit: "s", note: "what the PR author waits for the check run" }));
    out.push(
      info({
        id: `${id}.naive`,
        area: "github",
        what: `PR of ${r.files} files: naive per-file reviewer (contents API, one request at a time), same run`,
        value: r.naiveMs / 1000,
        unit: "s",
        note: `${r.naiveRequests} requests${r.naiveMeasured ? "" : "; not run: its requests × the time per request of the largest measured naive run"}`,
      }),
    );
  }
  return out;
}

export function kustomizeRows(rows: readonly KustomizeBenchRow[]): Measurement[] {
  return rows.map((r) => {
    const asMeant = r.overlaysNamed === r.overlays && r.conclusion === "failure";
    return budgeted(
      {
        id: `kustomize.${r.event}.requests`,
        area: "kustomize",
        what: `PR changing a base used by ${r.overlays} overlays, ${r.event}: GitHub API requests`,
        value: r.requests,
        unit: "requests",
        budget: { op: "<=", value: r.budget },
        note: `N = 1, C = ${2 * r.overlays + 1} files the render reads; ${r.treeRequests} tree listing, ${r.graphqlQueries} GraphQL batches; ${s(r.wallMs)} (${s(r.wallMs - r.throttleMs)} without spacing); finding names ${r.overlaysNamed} overlays`,
      },
      () => {
        const lookup = r.requestList.some((q) => /^GET \/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(q));
        const edit = r.requestList.some((q) => /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/.test(q));
        const comment = lookup ? ` — among them the summary comment's lookup${edit ? " and its edit (an opened PR creates it in one request)" : ""}` : "";
        return `${r.requests} requests, ${r.requests - r.budget} over 4 + 3·⌈(N + C)/100⌉${comment}: ${r.requestList.join(", ")}`;
      },
      asMeant ? undefined : `the scenario did not run as meant (conclusion ${r.conclusion}, the base line's finding names ${r.overlaysNamed} of ${r.overlays} overlays) after ${r.requests} requests`,
    );
  });
}

export function ecrRows(rows: readonly EcrBenchRow[]): Measurement[] {
  const total = (c: object): number => Object.values(c as Record<string, number>).reduce((a, b) => a + b, 0);
  const perOp = (c: Record<string, number>): string =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ") || "no calls";
  return rows.flatMap((r) =>
    (["cold", "warm"] as const).map((when) => {
      const misses = r.misses.filter((m) => m.startsWith(`${when} `));
      const value = total(r.result[when]);
      const m: Measurement = {
        id: `ecr.${r.scenario.refs}.${r.scenario.repositories}x${r.scenario.perRepository}.${when}`,
        area: "ecr",
        what: `${r.scenario.label}: ECR calls, ${when === "cold" ? "cold cache" : "warm (same review 30 min later)"}`,
        value,
        unit: "calls",
        budget: { op: "<=", value: total(r.budget[when]) },
        met: misses.length === 0,
        note: `${perOp(r.result[when] as unknown as Record<string, number>)} (budget: ${perOp(r.budget[when] as unknown as Record<string, number>)})`,
      };
      return misses.length ? { ...m, reason: `over the per-operation budget: ${misses.join("; ")}` } : m;
    }),
  );
}

export function lambdaRows(b: LambdaBench): Measurement[] {
  return b.functions.flatMap((f) => [
    budgeted(
      { id: `lambda.${f.name}.zip`, area: "lambda", what: `Lambda \`${f.name}\`: zip size`, value: f.zipBytes / MB, unit: "MB", budget: { op: "<=", value: ZIP_BUDGET_BYTES / MB }, note: `npm run package (esbuild bundle, one ESM file); ${f.zipBytes} bytes` },
      () => `the bundle grew: ${f.zipBytes} bytes`,
    ),
    budgeted(
      {
        id: `lambda.${f.name}.cold-import`,
        area: "lambda",
        what: `Lambda \`${f.name}\`: cold import of the handler, Node ${b.node}`,
        value: f.wallMedianMs,
        unit: "ms",
        budget: { op: "<=", value: COLD_IMPORT_BUDGET_MS },
        note: `median wall of ${b.runs} fresh processes (min ${ms(f.wallMinMs)}); CPU median ${ms(f.cpuMedianMs)}; load average ${b.loadAverage.toFixed(1)} on ${b.cpus} CPUs`,
      },
      () =>
        `median ${ms(f.wallMedianMs)} (min ${ms(f.wallMinMs)}); the import used ${ms(f.cpuMedianMs)} of CPU (median)` +
        (f.cpuMedianMs <= COLD_IMPORT_BUDGET_MS ? `, within the budget: the rest is most likely waiting for a CPU (load average ${b.loadAverage.toFixed(1)} on ${b.cpus} CPUs)` : ", over the budget by itself: the bundle does too much at import"),
    ),
  ]);
}

export function memoryRows(b: MemoryBench): Measurement[] {
  return [
    budgeted(
      {
        id: "memory.3000.peak-rss",
        area: "memory",
        what: `PR of ${b.files} files: peak RSS of the process running the review`,
        value: b.maxRss / MB,
        unit: "MB",
        budget: { op: "<", value: RSS_BUDGET_BYTES / MB },
        note: `the app alone in a child process (fake GitHub in the parent); ${(b.loadedMaxRss / MB).toFixed(0)} MB once loaded; review ${s(b.wallMs)}, ${b.requests} requests, ${b.conclusion}`,
      },
      () => `the review raised the process from ${(b.loadedMaxRss / MB).toFixed(0)} MB (app loaded) to a peak of ${(b.maxRss / MB).toFixed(0)} MB`,
    ),
  ];
}

/** The GitHub reviews side by side with the naive per-file baseline of the same run (markdown). */
export function githubSideBySide(rows: readonly GithubBenchRow[]): string {
  const lines = [
    "### PR reviews against the fake GitHub (+50 ms per request), side by side with the naive per-file reviewer",
    "",
    "| Files | Requests (budget) | Wall | Write spacing | Wall − spacing (budget) | Conclusion | Naive requests | Naive time |",
    "|---:|---:|---:|---:|---:|---|---:|---:|",
  ];
  for (const r of rows) {
    const budget = TIME_BUDGET_MS[r.files];
    lines.push(
      `| ${r.files} | ${r.requests} (≤ ${r.budget}) | ${s(r.wallMs)} | ${s(r.throttleMs)} | ${s(r.wallMs - r.throttleMs)}${budget ? ` (≤ ${s(budget)})` : ""} | ${r.conclusion} | ${r.naiveRequests} | ${r.naiveMeasured ? "" : "≈ "}${s(r.naiveMs)} |`,
    );
  }
  return lines.join("\n");
}
