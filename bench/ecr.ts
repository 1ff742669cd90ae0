/**
 * The ECR part of `npm run bench`: the calls a review makes for the images a pull request introduces, against the
 * loopback ECR-compatible server (test/fakes/ecr), each scenario reviewed cold and again 30 minutes later with the
 * persistent scan cache on dynalite (the App's setup). Compared with DESIGN.md's budgets:
 * - one DescribeImages per repository per ≤ 100 images;
 * - one scan lookup (DescribeImageScanFindings) per unique digest;
 * - zero ECR calls for digests cached within the hour (references by tag still resolve the tag: tags move).
 */
import { performance } from "node:perf_hooks";
import type { CallCounts } from "../test/fakes/ecr/fake-ecr.js";
import { runEcrScenario, type EcrScenarioResult } from "../test/fakes/ecr/scenario.js";

interface Scenario {
  label: string;
  refs: "digest" | "tag";
  repositories: number;
  perRepository: number;
}

const SCENARIOS: readonly Scenario[] = [
  { label: "50 images in 5 repositories, by digest", refs: "digest", repositories: 5, perRepository: 10 },
  { label: "50 images in 5 repositories, by tag", refs: "tag", repositories: 5, perRepository: 10 },
  { label: "250 images in 1 repository, by digest", refs: "digest", repositories: 1, perRepository: 250 },
];

export interface EcrBenchRow {
  scenario: Scenario;
  result: EcrScenarioResult;
  ms: number;
  budget: { cold: CallCounts; warm: CallCounts };
  misses: string[];
}

const ZERO: CallCounts = { DescribeImages: 0, BatchGetImage: 0, DescribeImageScanFindings: 0, DescribeRepositories: 0, ListImageReferrers: 0, AssumeRole: 0 };

/** The most calls DESIGN.md allows for a scenario (every image exists and is scanned; no roles, no signatures). */
export function ecrBudget(s: Scenario): { cold: CallCounts; warm: CallCounts } {
  const describe = s.repositories * Math.ceil(s.perRepository / 100);
  const digests = s.repositories * s.perRepository;
  // Tag mutability: one DescribeRepositories per repository, only for references by tag (cached for the hour).
  const cold: CallCounts = { ...ZERO, DescribeImages: describe, DescribeImageScanFindings: digests, DescribeRepositories: s.refs === "tag" ? s.repositories : 0 };
  const warm: CallCounts = { ...ZERO, DescribeImages: s.refs === "tag" ? describe : 0 };
  return { cold, warm };
}

function missed(actual: CallCounts, budget: CallCounts, when: string): string[] {
  return (Object.keys(budget) as Array<keyof CallCounts>).filter((op) => actual[op] > budget[op]).map((op) => `${when} ${op}: ${actual[op]} > ${budget[op]}`);
}

export async function runEcrBench(): Promise<EcrBenchRow[]> {
  const rows: EcrBenchRow[] = [];
  for (const scenario of SCENARIOS) {
    const t0 = performance.now();
    const result = await runEcrScenario({ refs: scenario.refs, repositories: scenario.repositories, perRepository: scenario.perRepository });
    const ms = performance.now() - t0;
    const budget = ecrBudget(scenario);
    rows.push({ scenario, result, ms, budget, misses: [...missed(result.cold, budget.cold, "cold"), ...missed(result.warm, budget.warm, "warm")] });
  }
  return rows;
}
