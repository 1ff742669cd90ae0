/**
 * `npm run test:long` only: how long one file takes, for the worst inputs the fuzz suites generate — the
 * near-misses of every secrets pattern at 40,000 repetitions in each place a secrets rule looks, hostile shapes at
 * their largest, pull-request-written regexes, mutated corpus documents and Kustomize renders, and slash-command
 * comments at GitHub's 65,536-character limit. It prints a table (slowest first) for the report; it asserts only
 * that every input was measured, not a wall-clock bound (the machine's speed is not the code's).
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { defaultConfig } from "../../src/core/config.js";
import { scan } from "../../src/core/review.js";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { parseCommands } from "../../src/slash/parse.js";
import { carrying, hostile, kustomizationWithPattern, mutatedSeed, mutate, mutation, nearMisses, PROJECTS, RISKY_PATTERNS, sopsWithPattern, type Content } from "./inputs.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const CONFIG = defaultConfig();

interface Row {
  what: string;
  inputs: number;
  maxMs: number;
  medianMs: number;
  worst: string;
}

function timed(fn: () => unknown): number {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function row(what: string, samples: Array<{ name: string; ms: number }>): Row {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  const worst = sorted.at(-1)!;
  return { what, inputs: samples.length, maxMs: worst.ms, medianMs: sorted[Math.floor(sorted.length / 2)]!.ms, worst: worst.name };
}

const scanOne = (content: Content) => scan([{ path: "f.yaml", content }], { config: CONFIG, rules: ALL_RULES, now: NOW });

describe("time per file on the worst inputs (measured, printed)", () => {
  it("measures every class", () => {
    const rows: Row[] = [];
    rows.push(row("secrets near-misses ×40,000 (6 places each)", nearMisses(40_000).flatMap((p) => [0, 1, 2, 3, 4, 5].map((w) => ({ name: `${p.name} @${w}`, ms: timed(() => scanOne(carrying(p.value, w))) })))));
    rows.push(row("hostile shapes", fc.sample(hostile, { numRuns: 120, seed: 7 }).map((h) => ({ name: h.name, ms: timed(() => scanOne(h.content)) }))));
    rows.push(row("SOPS encrypted_regex that backtracks", RISKY_PATTERNS.map((p) => ({ name: p, ms: timed(() => scanOne(sopsWithPattern(p))) }))));
    rows.push(row("Kustomize target and image regex that backtracks", RISKY_PATTERNS.map((p) => ({ name: p, ms: timed(() => buildKustomization(memoryTree(kustomizationWithPattern(p)), "app")) }))));
    rows.push(row("mutated corpus documents", fc.sample(mutatedSeed(6), { numRuns: 2_000, seed: 11 }).map((s) => ({ name: s.from, ms: timed(() => scanOne(s.content)) }))));
    const renders = fc.sample(fc.tuple(fc.constantFrom(...PROJECTS), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat()), { numRuns: 500, seed: 13 }).map(([project, pick, ms, rootPick]) => {
      const files: Record<string, Content> = { ...project.files };
      const ks = Object.keys(files).filter((p) => /kustomization\.ya?ml$/.test(p));
      const path = ks[pick % ks.length]!;
      files[path] = mutate(project.files[path]!, ms);
      const root = project.roots[rootPick % project.roots.length]!;
      return { name: `${project.name}/${root}`, ms: timed(() => buildKustomization(memoryTree(files), root)) };
    });
    rows.push(row("Kustomize render of mutated corpus roots", renders));
    const comments = ["a", "😀", '"', "@", "-", "= "].map((c) => ({ name: `/guard waive … ${JSON.stringify(c)}×`, text: `/guard waive k8s/run-as-root --reason ${c.repeat(Math.floor(65_000 / c.length))}` }));
    rows.push(row("slash-command comment of 65,536 characters", comments.map((c) => ({ name: c.name, ms: timed(() => parseCommands(c.text)) }))));

    rows.sort((a, b) => b.maxMs - a.maxMs);
    const table = [
      "| input class | inputs | max ms/file | median ms/file | slowest input |",
      "|---|--:|--:|--:|---|",
      ...rows.map((r) => `| ${r.what} | ${r.inputs} | ${r.maxMs.toFixed(1)} | ${r.medianMs.toFixed(2)} | ${r.worst.replace(/\|/g, "\\|").slice(0, 80)} |`),
    ].join("\n");
    console.log(`time per file (Node ${process.version}):\n${table}`);
    expect(rows.every((r) => r.inputs > 0)).toBe(true);
  });
});
