#!/usr/bin/env node
/**
 * Pathological inputs through the whole engine (`scan` from dist/core/review.js: parse, every rule, fingerprints,
 * policy), one file each, just under the 1 MB cap. Prints milliseconds per MB for each input and exits 1 when any
 * input costs more than 2 s per MB (the bound of issue 12). Run after `npm run build`:
 *
 *   node bench/pathological-parse.mjs [substring ...]    # only the inputs whose name contains a substring
 *
 * The issue's inputs come first (a red-team pass measured minutes on some of them), then inputs on which the
 * `yaml` parser itself is slow (errors by the hundred thousand, deep flow nesting, templates, aliases).
 */
import { defaultConfig } from "../dist/core/config.js";
import { scan } from "../dist/core/review.js";
import { ALL_RULES } from "../dist/rules/index.js";

const LIMIT_MS_PER_MB = 2000;
const SIZE = 990_000;
const fill = (unit, size = SIZE) => unit.repeat(Math.floor(size / unit.length));

/** A deterministic pseudo-random generator (the same inputs on every run). */
function random(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
const rnd = random(12);
const chars = (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join("");
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const INPUTS = [
  // Issue 12, item 2 (secrets detectors and the engine).
  ["issue: eyJ_ repeated in a comment (JWT pattern)", () => `# ${fill("eyJ_")}\n`],
  ["issue: 110,000 tiny documents in one file", () => fill("---\na: 1\n")],
  ["issue: random AKIA ids, 100 a line, 400 kB", () => Array.from({ length: 190 }, () => `# ${Array.from({ length: 100 }, () => `AKIA${chars(UPPER_DIGITS, 16)}`).join(" ")}`).join("\n")],
  ["issue: random AKIA ids, one a line, 400 kB", () => Array.from({ length: 16_000 }, (_, i) => `key${i}: AKIA${chars(UPPER_DIGITS, 16)}`).join("\n")],
  ["issue: ghs_1_eyJ- repeated", () => `token: ${fill("ghs_1_eyJ-")}\n`],
  ["issue: password: \"${${…\" (templating pattern) in a ConfigMap", () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  password: "${fill("${", SIZE - 80)}"\n`],
  ["issue: 500-character password: a<spaces>b lines", () => fill(`password: a${" ".repeat(487)}b\n`)],
  ["issue: BEGIN PRIVATE KEY with no END", () => fill("-----BEGIN PRIVATE KEY-----\n")],
  // The parser side (src/parse) on hostile YAML.
  ["parse: one 990 kB line", () => `a: ${fill("x")}\n`],
  ["parse: 1,000 lines of 990 characters", () => fill(`k: ${"v".repeat(986)}\n`)],
  ["parse: {{ template, valid YAML", () => fill("a: {{ x }}\n")],
  ["parse: {{ template, invalid YAML", () => fill("a: {{ x\n")],
  ["parse: [[[[ flow nesting", () => fill("[")],
  ["parse: - - - - compact nesting", () => fill("- ")],
  ["parse: 330,000 anchors on one value", () => `a: ${fill("&a ")}`],
  ["parse: 330,000 tags on one value", () => `a: ${fill("!t ")}`],
  ["parse: 990,000 commas in a flow sequence", () => `a: [${fill(",")}]`],
  ["parse: 990,000 closing brackets", () => fill("]")],
  ["parse: 165,000 unterminated quotes", () => fill("a: 'x\n")],
  ["parse: 495,000 bad escapes", () => `a: "${fill("\\q")}"\n`],
  ["parse: 165,000 bad block scalar headers", () => fill("a: >x\n")],
  ["parse: 20,000 anchors and 20,000 aliases", () => {
    const n = 20_000;
    return `${Array.from({ length: n }, (_, i) => `a${i}: &a${i} x`).join("\n")}\n${Array.from({ length: n }, (_, i) => `b${i}: *a${i}`).join("\n")}\n`;
  }],
  ["parse: 200,000 keys in one map", () => fill("k: v\n")],
  ["parse: 9,000 documents", () => `${Array.from({ length: 9_000 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n`).join("")}`],
];

const only = process.argv.slice(2);
const config = defaultConfig();
const now = new Date();
let failed = false;
const rows = [];
for (const [name, make] of INPUTS) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  const text = make();
  const mb = Buffer.byteLength(text) / 1_000_000;
  const start = performance.now();
  const result = scan([{ path: "bench/input.yaml", content: text }], { config, rules: ALL_RULES, now });
  const ms = performance.now() - start;
  const perMb = ms / mb;
  const over = perMb > LIMIT_MS_PER_MB;
  failed ||= over;
  const parseErrors = result.findings.filter((f) => f.ruleId === "guard/parse-error").map((f) => f.message.replace(/^.*could not be reviewed: /, ""));
  rows.push({ name, mb, ms, perMb, over });
  process.stdout.write(
    `${over ? "OVER" : "ok  "} ${perMb.toFixed(0).padStart(7)} ms/MB ${ms.toFixed(0).padStart(7)} ms ${mb.toFixed(2)} MB  ${name}` +
      `  [${result.findings.length} findings${parseErrors.length ? `; ${parseErrors[0]}` : ""}]\n`,
  );
}
const worst = rows.reduce((w, r) => (r.perMb > (w?.perMb ?? -1) ? r : w), null);
if (worst) process.stdout.write(`worst: ${worst.perMb.toFixed(0)} ms/MB (${worst.name}); limit ${LIMIT_MS_PER_MB} ms/MB\n`);
process.exitCode = failed ? 1 : 0;
