/**
 * Issue 12 #3: a `guard/parse-error` message never carries source text. The `yaml` library quotes the token it
 * failed on, and that token can be a secret; each case below leaked it through every output before the fix.
 */
import { describe, expect, it } from "@jest/globals";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig } from "../../src/core/config.js";
import { scan } from "../../src/core/review.js";
import { checkRunOutput } from "../../src/report/check-run-output.js";
import { ALL_RULES } from "../../src/rules/index.js";
import { runCli, tempDir } from "./helpers.js";

/** [what, YAML, the secret in it, what the message must say instead]. */
const CASES: ReadonlyArray<readonly [string, string, string, RegExp]> = [
  ["an alias to an undefined anchor", "apiVersion: v1\nkind: Secret\nstringData:\n  password: *Xy9Qz7LmWq2\n", "Xy9Qz7LmWq2", /alias to an anchor that is not defined before it at line 4, column 13$/],
  ["extra characters after a block scalar header", "stringData:\n  token: >Hq3Ws8Mn2Lx7Vc\n    text\n", "Hq3Ws8Mn2Lx7Vc", /block scalar indicator .* at line 2, column 11$/],
  ["a \\U escape", 'stringData:\n  password: "\\UZq8Wx3Lp"\n', "Zq8Wx3Lp", /invalid escape sequence in a double-quoted string at line 2/],
  ["a \\u escape", 'stringData:\n  password: "\\uQw3r"\n', "Qw3r", /invalid escape sequence in a double-quoted string at line 2/],
  ["a \\x escape", 'stringData:\n  pin: "\\xZq"\n', "xZq", /invalid escape sequence in a double-quoted string at line 2/],
  ["a tag with an undeclared handle", "stringData:\n  password: !e!Pw7Tag9Secret value\n", "Pw7Tag9Secret", /unknown tag|cannot be resolved/],
  ["a tag handle without a suffix", "%TAG !e! tag:example.com,2000:\n---\nstringData:\n  password: !f!Kd8Handle2Tok v\n", "Kd8Handle2Tok", /tag|cannot be resolved/],
];

const parseErrorsOf = (text: string) =>
  scan([{ path: "secret.yaml", content: text }], { config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-12-01T00:00:00Z") });

describe("guard/parse-error messages never quote the source", () => {
  it.each(CASES)("%s: the finding says what and where, without the token", (_what, yaml, secret, says) => {
    const result = parseErrorsOf(yaml);
    const errors = result.findings.filter((f) => f.ruleId === "guard/parse-error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(says);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it.each(CASES)("%s: no output format carries the token (text, JSON, markdown, SARIF, check run)", async (_what, yaml, secret) => {
    const dir = tempDir("leak");
    writeFileSync(join(dir, "secret.yaml"), yaml);
    for (const format of ["text", "json", "markdown", "sarif"]) {
      const run = await runCli(["scan", "secret.yaml", "--format", format], dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("secret.yaml");
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
    const output = checkRunOutput(parseErrorsOf(yaml));
    expect(output.summary).toContain("could not be reviewed");
    expect(JSON.stringify(output)).not.toContain(secret);
  });

  it("a file the parser fails on in many places still gets one message per document, each without source", () => {
    const yaml = ["a: *Tk1AliasLeak", "---", 'b: "\\UTk2Escape"', "---", "c: >Tk3Header", "  x", ""].join("\n");
    const result = parseErrorsOf(yaml);
    const errors = result.findings.filter((f) => f.ruleId === "guard/parse-error");
    expect(errors.map((f) => f.line)).toEqual([1, 3, 5]);
    for (const token of ["Tk1AliasLeak", "Tk2Escape", "Tk3Header"]) expect(JSON.stringify(result)).not.toContain(token);
  });
});
