import { describe, expect, it } from "@jest/globals";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defaultConfig } from "../../core/config.js";
import { scan } from "../../core/review.js";
import type { Finding } from "../../core/types.js";
import { MAX_FINDINGS_PER_DOC } from "./_where.js";
import { secretsRules } from "./index.js";

/**
 * The red-team inputs of issue 12 (and the other pathological inputs of bench/pathological-secrets.mjs), generated at
 * a small size and run through the secrets rules: they must be reviewed without error and with exactly the findings
 * they hold. How fast is measured by the benchmark (`node bench/pathological-secrets.mjs`), not here.
 */
interface Input {
  name: string;
  path: string;
  bytes: number;
  make(bytes: number): string;
}

const BENCH = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/pathological-secrets.mjs");
const { INPUTS } = (await import(pathToFileURL(BENCH).href)) as { INPUTS: Input[] };

const SIZE = 40_000;

function review(input: Input, size = SIZE): { text: string; findings: Finding[] } {
  const text = input.make(size);
  const findings = scan([{ path: input.path, content: text }], { config: defaultConfig(), rules: secretsRules, now: new Date("2026-11-22T00:00:00Z") }).findings;
  return { text, findings };
}

const count = (text: string, re: RegExp): number => text.split("\n").filter((l) => re.test(l)).length;
/** One finding per value up to the per-document cap, and one more that counts the rest. */
const capped = (n: number): number => Math.min(n, MAX_FINDINGS_PER_DOC) + (n > MAX_FINDINGS_PER_DOC ? 1 : 0);

/** What each input holds: the number of findings per rule (rules not listed: none). */
const EXPECTED: Record<string, (text: string) => Record<string, number>> = {
  "jwt-prefix-comment": () => ({}),
  "tiny-documents": () => ({}),
  "aws-key-ids-one-line": () => ({}), // ids without secret keys are identifiers
  // Every id line is followed by a 40-character secret line: each pair is one credential (a secret key has upper- and
  // lower-case letters and a digit, `+` or `/`; the few random lines without one are not taken for a key).
  "aws-key-ids-and-secrets": (t) => ({ "secrets/known-credential": Math.min(count(t, /^ {2}- AKIA/), count(t, /^ {2}- (?!AKIA)(?=\S*[0-9+/])\S{40}$/)) }),
  "ghs-jwt-comment": () => ({}),
  // `${${...` never closes: not a template, so a literal password in a values file.
  "templating-dollar-brace": () => ({ "secrets/sensitive-config-value": 1 }),
  "spaces-in-embedded-config": () => ({}), // `a   b` is not a literal setting value
  "spaces-in-secret-config": () => ({}),
  "spaces-in-values": (t) => ({ "secrets/sensitive-config-value": capped(count(t, /^password\d+: /)) }),
  "pem-begin-without-end": () => ({}),
  "pem-begin-in-secret": () => ({}), // a key without its END line is no key
  "double-brace-value": () => ({ "secrets/sensitive-config-value": 1 }),
  "url-userinfo-run": () => ({}), // no `@` after the first, then a one-letter password
  // Query parameters after each `@` (not a password), then one URL whose password runs to the last `@` of a long run.
  "url-at-query-run": () => ({ "secrets/credential-in-url": 1 }),
  "secret-many-keys": () => ({ "secrets/plaintext-secret": 1 }), // one Secret, one finding
  "values-many-passwords": (t) => ({ "secrets/sensitive-config-value": capped(count(t, /^password\d+: /)) }),
  "many-jwts": (t) => ({ "secrets/known-credential": count(t, /^ {4}eyJ/) }),
  "secret-base64-blob": () => ({}), // one long generated text, not a credential shape
  "secret-json-config": () => ({ "secrets/plaintext-secret": 1 }), // password fields inside config.json
};

describe("pathological inputs through the secrets rules", () => {
  it("covers every input of the benchmark", () => {
    expect(INPUTS.map((i) => i.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(INPUTS.map((i) => [i.name, i] as const))("%s: reviewed, with exactly the findings it holds", (name, input) => {
    const { text, findings } = review(input);
    const byRule: Record<string, number> = {};
    for (const f of findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    expect(byRule).toEqual(EXPECTED[name]!(text));
  });

  it("spaces-in-values: past the cap, one finding counts the rest", () => {
    const { text, findings } = review(INPUTS.find((i) => i.name === "spaces-in-values")!, 60_000);
    const keys = count(text, /^password\d+: /);
    expect(keys).toBeGreaterThan(MAX_FINDINGS_PER_DOC);
    const summary = findings.filter((f) => f.path === "");
    expect(summary.map((f) => f.message)).toEqual([`Helm values file has ${keys - MAX_FINDINGS_PER_DOC} more literal secret values beyond the first ${MAX_FINDINGS_PER_DOC} reported.`]);
    expect(findings).toHaveLength(MAX_FINDINGS_PER_DOC + 1);
  });
});
