/**
 * The verdicts of `npm run bench` (bench/report.ts, bench/measurements.ts): a budget missed, a scenario that did not
 * run as meant and a part that failed to run all end in `gaps` with a reason; nothing is hidden by a total or a
 * friendlier number. The measuring itself is the bench's (`npm run bench`), not a test's.
 */
import { describe, expect, it } from "@jest/globals";
import type { EcrBenchRow } from "../bench/ecr.js";
import type { GithubBenchRow, KustomizeBenchRow } from "../bench/github.js";
import type { LambdaBench } from "../bench/lambda.js";
import { ecrRows, githubRows, kustomizeRows, lambdaRows, memoryRows } from "../bench/measurements.js";
import { budgeted, gapsOf, markdownTable, notMeasured, type BenchReport, type Measurement } from "../bench/report.js";

const githubRow = (over: Partial<GithubBenchRow>): GithubBenchRow => ({
  files: 300,
  requests: 11,
  budget: 13,
  wallMs: 7000,
  throttleMs: 4500,
  conclusion: "failure",
  naiveRequests: 607,
  naiveMs: 33000,
  naiveMeasured: true,
  ...over,
});

const byId = (rows: Measurement[], id: string): Measurement => {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id} in ${rows.map((r) => r.id).join(", ")}`);
  return row;
};

describe("budgeted", () => {
  const m = { id: "x", area: "engine" as const, what: "x", unit: "×", budget: { op: "<=" as const, value: 1.5 } };

  it("meets a budget at its bound and misses it above, with the reason", () => {
    expect(budgeted({ ...m, value: 1.5 }, () => "never asked").met).toBe(true);
    expect(budgeted({ ...m, value: 1.51 }, () => "rules cost too much")).toMatchObject({ met: false, reason: "rules cost too much" });
  });

  it("misses an under-budget (<) at its bound", () => {
    expect(budgeted({ ...m, value: 512, budget: { op: "<", value: 512 } }, () => "at the bound").met).toBe(false);
  });

  it("misses a budget whose scenario did not run as meant, however good the number", () => {
    expect(budgeted({ ...m, value: 0.1 }, () => "unused", "the review errored")).toMatchObject({ met: false, reason: "the review errored" });
  });
});

describe("githubRows", () => {
  it("judges the time without write spacing, and shows the wall time and the naive baseline unjudged", () => {
    const rows = githubRows([githubRow({ wallMs: 8000, throttleMs: 4500 })]);
    expect(byId(rows, "github.300.wall-minus-spacing")).toMatchObject({ value: 3.5, met: false, budget: { op: "<=", value: 3 } });
    expect(byId(rows, "github.300.wall-minus-spacing").reason).toContain("11 requests");
    expect(byId(rows, "github.300.wall")).toMatchObject({ value: 8, met: null });
    expect(byId(rows, "github.300.naive")).toMatchObject({ value: 33, met: null });
    expect(byId(rows, "github.300.requests").met).toBe(true);
  });

  it("misses the request budget of a review that errored, even with few requests", () => {
    const row = byId(githubRows([githubRow({ requests: 3, conclusion: "error" })]), "github.300.requests");
    expect(row).toMatchObject({ value: 3, met: false });
    expect(row.reason).toContain("did not complete");
  });

  it("leaves the 10-file time unjudged (DESIGN.md gives it no time budget)", () => {
    expect(byId(githubRows([githubRow({ files: 10, budget: 7, requests: 7 })]), "github.10.wall-minus-spacing").met).toBeNull();
  });
});

describe("kustomizeRows", () => {
  const requestList = [
    "GET /repos/o/r/contents/.github%2Fgitops-guard.yml",
    "GET /repos/o/r/pulls/1/files",
    "GET /repos/o/r/git/trees/beef",
    "POST /repos/o/r/check-runs",
    "POST /api/graphql",
    "GET /repos/o/r/issues/1/comments",
    "PATCH /repos/o/r/check-runs/6",
    "PATCH /repos/o/r/issues/comments/5",
  ];
  const row: KustomizeBenchRow = { overlays: 20, event: "synchronize", requests: 8, budget: 7, graphqlQueries: 1, treeRequests: 1, requestList, wallMs: 4000, throttleMs: 3600, overlaysNamed: 20, conclusion: "failure" };

  it("judges a push against the same request budget as an opened PR", () => {
    const [m] = kustomizeRows([row]);
    expect(m).toMatchObject({ id: "kustomize.synchronize.requests", met: false });
    expect(m!.reason).toContain("the summary comment's lookup and its edit");
    expect(m!.reason).toContain("GET /repos/o/r/issues/1/comments");
  });

  it("misses when the render did not name every overlay", () => {
    const [m] = kustomizeRows([{ ...row, event: "opened", requests: 5, overlaysNamed: 0 }]);
    expect(m).toMatchObject({ met: false, value: 5 });
    expect(m!.reason).toContain("did not run as meant");
  });
});

describe("ecrRows", () => {
  it("misses when one operation is over its budget though the total is not", () => {
    const zero = { DescribeImages: 0, BatchGetImage: 0, DescribeImageScanFindings: 0, DescribeRepositories: 0, ListImageReferrers: 0, AssumeRole: 0 };
    const r: EcrBenchRow = {
      scenario: { label: "50 images", refs: "digest", repositories: 5, perRepository: 10 },
      result: { images: 50, findings: 50, repositories: 5, refs: "digest", cold: { ...zero, DescribeImages: 10, DescribeImageScanFindings: 45 }, warm: zero },
      ms: 100,
      budget: { cold: { ...zero, DescribeImages: 5, DescribeImageScanFindings: 50 }, warm: zero },
      misses: ["cold DescribeImages: 10 > 5"],
    };
    const rows = ecrRows([r]);
    expect(byId(rows, "ecr.digest.5x10.cold")).toMatchObject({ value: 55, budget: { value: 55 }, met: false });
    expect(byId(rows, "ecr.digest.5x10.cold").reason).toContain("DescribeImages: 10 > 5");
    expect(byId(rows, "ecr.digest.5x10.warm").met).toBe(true);
  });
});

describe("lambdaRows and memoryRows", () => {
  const lambda: LambdaBench = { node: "22.0.0", runs: 15, loadAverage: 9, cpus: 2, packageMs: 5000, functions: [{ name: "worker", zipBytes: 480_000, wallMinMs: 200, wallMedianMs: 340, cpuMinMs: 150, cpuMedianMs: 170 }] };

  it("judges the cold import on the median wall time and says when the CPU time was within the budget", () => {
    const rows = lambdaRows(lambda);
    expect(byId(rows, "lambda.worker.zip").met).toBe(true);
    const cold = byId(rows, "lambda.worker.cold-import");
    expect(cold).toMatchObject({ value: 340, met: false });
    expect(cold.reason).toContain("waiting for a CPU");
  });

  it("judges the peak RSS of the review process against < 512 MB", () => {
    const [m] = memoryRows({ files: 3000, requests: 65, loadedMaxRss: 100 * 2 ** 20, maxRss: 600 * 2 ** 20, heapUsedAfter: 0, wallMs: 30_000, conclusion: "failure" });
    expect(m).toMatchObject({ value: 600, met: false });
  });
});

describe("the report", () => {
  it("lists every missed budget (a part that failed to run included) as a gap, and shows it in the table", () => {
    const measurements = [
      ...githubRows([githubRow({ wallMs: 8000, throttleMs: 4500 })]),
      notMeasured("ecr.not-measured", "ecr", "ECR calls cold and warm", new Error("dynalite did not start\nstack"), null, "calls"),
    ];
    const gaps = gapsOf(measurements);
    expect(gaps.map((g) => g.id)).toEqual(["github.300.wall-minus-spacing", "ecr.not-measured"]);
    expect(gaps[1]).toMatchObject({ measured: "—", reason: "not measured: dynalite did not start" });
    const report: BenchReport = {
      generatedAt: "2026-01-01T00:00:00.000Z",
      machine: { node: "22", platform: "linux", arch: "x64", cpus: 2, cpuModel: "cpu", loadAverage: [1, 1, 1], totalMemoryMB: 1 },
      corpus: "c",
      measurements,
      gaps,
      details: {},
    };
    const table = markdownTable(report);
    expect(table).toContain("| github | PR of 300 files: review time without write spacing | 3.50 s | ≤ 3.00 s | **NO** |");
    expect(table).toContain("### Missed budgets (2)");
    expect(table).toContain("not measured: dynalite did not start");
  });
});
