/**
 * Labelled cases from other linters' test suites (kube-linter, Polaris, Checkov, Kubescape), Argo CD's docs
 * and secret-scanner fixtures, relabelled for OUR rule ids and semantics (RULES.md). See README.md.
 *
 * Each case is scanned with ALL_RULES and the default config (plus its own `# config:` if any):
 * - recall: every `# expect: rule@line[|line...]` is matched by a finding of that rule on one of those lines;
 * - precision: a rule the case labels (in `expect` or `expect-none`) reports nothing else, except further
 *   findings on an expected line (including every line of an alternative group `@12|13`) and on `# tolerate:`
 *   lines, which are tolerated (same-line repeats are counted as duplicates in the table).
 * Rules a case does not label are ignored for that case. Cases listed in known-gaps.json are skipped (with the
 * reason in the test name) but still counted in the per-rule table printed at the end.
 */
import { afterAll, describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../../src/core/config.js";
import { scan } from "../../src/core/review.js";
import type { Finding } from "../../src/core/types.js";
import { ALL_RULES, RULE_IDS } from "../../src/rules/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const CASES_DIR = join(HERE, "cases");
const NOW = new Date("2026-11-22T00:00:00Z");

interface Expectation {
  rule: string;
  lines: number[];
}

interface LabelledCase {
  /** `<source>/<case>.yaml`, relative to cases/. */
  id: string;
  text: string;
  file: string;
  config: unknown;
  expects: Expectation[];
  expectNone: string[];
  /** Findings of a labelled rule on these lines are neither required nor false alarms (ambiguous under RULES.md). */
  tolerate: Expectation[];
}

interface Outcome {
  matched: Array<Expectation & { line: number }>;
  missed: Array<Expectation & { got: string }>;
  falseAlarms: Finding[];
  /** Further findings of a matched rule on the same line (tolerated, but counted). */
  duplicates: Finding[];
  error?: string;
}

export function parseCase(id: string, text: string): LabelledCase {
  const expects: Expectation[] = [];
  const expectNone: string[] = [];
  const tolerate: Expectation[] = [];
  let config: unknown = {};
  let file = `labelled/${id}`;
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) {
      if (line.trim() === "") continue;
      break; // the leading comment block ends at the first YAML line
    }
    const m = line.match(/^#\s*(expect|expect-none|tolerate|config|file):\s*(.*?)\s*$/);
    if (!m) continue;
    const [, key, value] = m;
    if (key === "expect" || key === "tolerate") {
      const e = value!.match(/^([a-z0-9]+\/[a-z0-9-]+)@(\d+(?:\|\d+)*)$/);
      if (!e) throw new Error(`${id}: malformed "# ${key}: ${value}"`);
      (key === "expect" ? expects : tolerate).push({ rule: e[1]!, lines: e[2]!.split("|").map(Number) });
    } else if (key === "expect-none") {
      expectNone.push(...value!.split(",").map((s) => s.trim()).filter(Boolean));
    } else if (key === "config") {
      config = JSON.parse(value!) as unknown;
    } else {
      file = value!;
    }
  }
  for (const rule of [...expects.map((e) => e.rule), ...expectNone, ...tolerate.map((e) => e.rule)]) {
    if (!RULE_IDS.has(rule)) throw new Error(`${id}: unknown rule id ${rule}`);
  }
  if (expects.length === 0 && expectNone.length === 0) throw new Error(`${id}: no expectation`);
  return { id, text, file, config, expects, expectNone, tolerate };
}

function loadCases(): LabelledCase[] {
  const out: LabelledCase[] = [];
  for (const source of readdirSync(CASES_DIR).sort()) {
    for (const name of readdirSync(join(CASES_DIR, source)).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const id = `${source}/${name}`;
      out.push(parseCase(id, readFileSync(join(CASES_DIR, source, name), "utf8")));
    }
  }
  return out;
}

export function evaluateCase(c: LabelledCase): Outcome {
  const config = parseConfig(c.config, RULE_IDS);
  let result: ReturnType<typeof scan>;
  try {
    result = scan([{ path: c.file, content: c.text }], { config, rules: ALL_RULES, now: NOW });
  } catch (err) {
    // A rule that throws fails this case only, not the whole suite.
    const got = `scan threw: ${err instanceof Error ? err.message : String(err)}`;
    return { matched: [], missed: c.expects.map((e) => ({ ...e, got })), falseAlarms: [], duplicates: [], error: got };
  }
  const labelled = new Set([...c.expects.map((e) => e.rule), ...c.expectNone]);
  const findings = result.findings.filter((f) => labelled.has(f.ruleId));
  const used = new Set<Finding>();
  const matched: Outcome["matched"] = [];
  const missed: Outcome["missed"] = [];
  for (const e of c.expects) {
    const hit = findings.find((f) => !used.has(f) && f.ruleId === e.rule && e.lines.includes(f.line));
    if (hit) {
      used.add(hit);
      matched.push({ ...e, line: hit.line });
    } else {
      const same = findings.filter((f) => f.ruleId === e.rule).map((f) => `${f.line}:${f.column} ${f.path}`);
      missed.push({ ...e, got: same.length ? same.join(", ") : "nothing" });
    }
  }
  // Extra findings of an expected rule on an expected line (the same node reported twice, or another line of an
  // alternative group) are not false alarms; same-line repeats are counted as duplicates for the table.
  const onExpectedLine = (f: Finding): boolean => c.expects.some((e) => e.rule === f.ruleId && e.lines.includes(f.line));
  const tolerated = (f: Finding): boolean => onExpectedLine(f) || c.tolerate.some((e) => e.rule === f.ruleId && e.lines.includes(f.line));
  const rest = findings.filter((f) => !used.has(f));
  const duplicates = rest.filter((f) => [...used].some((u) => u.ruleId === f.ruleId && u.line === f.line));
  const falseAlarms = rest.filter((f) => !tolerated(f));
  return { matched, missed, falseAlarms, duplicates };
}

function describeOutcome(o: Outcome): string {
  const parts = [
    ...(o.error ? [o.error] : []),
    ...o.missed.map((m) => `missed ${m.rule}@${m.lines.join("|")} (${m.rule} reported: ${m.got})`),
    ...o.falseAlarms.map((f) => `false alarm ${f.ruleId}@${f.line}:${f.column} ${f.path} — ${f.message}`),
  ];
  return parts.join("\n");
}

const KNOWN_GAPS = JSON.parse(readFileSync(join(HERE, "known-gaps.json"), "utf8")) as Record<string, string>;
const CASES = loadCases();
const OUTCOMES = new Map(CASES.map((c) => [c.id, evaluateCase(c)]));

interface Tally {
  tp: number;
  fn: number;
  fp: number;
  dup: number;
  cases: number;
}

afterAll(() => {
  const byRule = new Map<string, Tally>();
  const tally = (rule: string): Tally => {
    let t = byRule.get(rule);
    if (!t) byRule.set(rule, (t = { tp: 0, fn: 0, fp: 0, dup: 0, cases: 0 }));
    return t;
  };
  for (const c of CASES) {
    const o = OUTCOMES.get(c.id)!;
    for (const rule of new Set([...c.expects.map((e) => e.rule), ...c.expectNone])) tally(rule).cases++;
    for (const m of o.matched) tally(m.rule).tp++;
    for (const m of o.missed) tally(m.rule).fn++;
    for (const f of o.falseAlarms) tally(f.ruleId).fp++;
    for (const f of o.duplicates) tally(f.ruleId).dup++;
  }
  const pct = (n: number, d: number): string => (d === 0 ? "   -  " : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
  const rows = [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((s, [, t]) => ({ tp: s.tp + t.tp, fn: s.fn + t.fn, fp: s.fp + t.fp, dup: s.dup + t.dup, cases: s.cases + t.cases }),
    { tp: 0, fn: 0, fp: 0, dup: 0, cases: 0 },
  );
  const line = (name: string, t: Tally): string =>
    `${name.padEnd(44)} ${String(t.cases).padStart(5)} ${String(t.tp).padStart(4)} ${String(t.fn).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.dup).padStart(4)}  ${pct(t.tp, t.tp + t.fp)}  ${pct(t.tp, t.tp + t.fn)}`;
  const stale = CASES.filter((c) => KNOWN_GAPS[c.id] !== undefined && describeOutcome(OUTCOMES.get(c.id)!) === "").map((c) => c.id);
  const out = [
    `Labelled cases: ${CASES.length} (${Object.keys(KNOWN_GAPS).length} known gaps, counted below)`,
    `${"rule".padEnd(44)} cases   tp   fn   fp  dup  precision  recall`,
    ...rows.map(([rule, t]) => line(rule, t)),
    line("TOTAL", total),
    ...(stale.length ? [`Known gaps that now pass (un-skip them): ${stale.join(", ")}`] : []),
  ];
  console.log(out.join("\n"));
});

describe("labelled cases from peer linters", () => {
  it("has a known-gaps entry only for existing cases", () => {
    const ids = new Set(CASES.map((c) => c.id));
    expect(Object.keys(KNOWN_GAPS).filter((id) => !ids.has(id))).toEqual([]);
  });

  for (const c of CASES) {
    const gap = KNOWN_GAPS[c.id];
    if (gap !== undefined) {
      it.skip(`${c.id} — known gap: ${gap}`, () => undefined);
      continue;
    }
    it(c.id, () => {
      expect(describeOutcome(OUTCOMES.get(c.id)!)).toBe("");
    });
  }
});
