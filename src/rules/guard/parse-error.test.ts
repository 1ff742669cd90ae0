import { describe, expect, it } from "@jest/globals";
import { runRule } from "../../../test/helpers/rule-tester.js";
import { explainRule } from "../../docs/rules-markdown.js";
import rule from "./parse-error.js";

const at = (yaml: string) => runRule(rule, yaml).map((f) => ({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, message: f.message }));

describe("guard/parse-error", () => {
  it("reports an alias to an undefined anchor at the alias, not at the document start, without echoing the anchor", () => {
    // The docs' `password: ****` is YAML for an alias to the anchor "***", which is never defined. The message names
    // what and where, never the source text (an anchor name can be a secret: `password: *Xy9Qz7LmWq2`).
    const yaml = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: repo", "stringData:", "  url: https://git.example.com/a.git", "  username: ****", "  password: ****", ""].join("\n");
    expect(at(yaml)).toEqual([
      { line: 7, column: 13, endLine: 7, endColumn: 17, message: "manifests/test.yaml could not be reviewed: invalid YAML: an alias to an anchor that is not defined before it at line 7, column 13" },
    ]);
  });

  it("points at the first alias whose anchor is only defined after it, in the document that has it", () => {
    const yaml = ["a: 1", "---", "b: &ok 2", "c: *ok", "d: *late", "e: &late 3", ""].join("\n");
    expect(at(yaml).map((f) => [f.line, f.column])).toEqual([[5, 4]]);
  });

  it("reports invalid syntax at the parser's position", () => {
    expect(at("spec:\n  replicas: [1, 2\n").map((f) => f.line)).toEqual([3]);
  });

  it("the finding carries this module's id, severity and fix, so `explain` says what the finding says", () => {
    const [f] = runRule(rule, "spec:\n  replicas: [1, 2\n");
    expect(f).toMatchObject({ ruleId: rule.meta.id, severity: rule.meta.severity, fix: rule.meta.fix });
    expect(explainRule(rule)).toContain(f!.fix);
  });
});
