import { describe, expect, it } from "@jest/globals";
import { subsumedRules, withoutSubsumed } from "./subsume.js";
import type { Rule } from "./rule.js";
import type { Finding, Severity } from "./types.js";

const rule = (id: string, subsumes?: string[]): Rule => ({ meta: { id, title: id, severity: "high", description: "", rationale: "", fix: "", ...(subsumes ? { subsumes } : {}) } }) as Rule;

function finding(ruleId: string, line: number, column: number, endColumn: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity: "high" as Severity,
    file: "a.yaml",
    line,
    column,
    endLine: line,
    endColumn,
    resource: { apiVersion: null, kind: null, namespace: null, name: null },
    path: "",
    message: "",
    fix: "",
    docIndex: 0,
    status: "new",
    fingerprint: `${ruleId}-${line}-${column}`,
    suppressed: null,
    ...extra,
  };
}

describe("withoutSubsumed", () => {
  const subsumes = subsumedRules([rule("specific", ["generic"]), rule("generic"), rule("other")]);

  it("drops a subsumed finding whose range holds the subsuming one, and keeps the higher severity", () => {
    const specific = finding("specific", 3, 20, 60, { severity: "medium" });
    const out = withoutSubsumed([finding("generic", 3, 10, 60), specific, finding("other", 3, 10, 60)], subsumes);
    expect(out.map((f) => [f.ruleId, f.severity])).toEqual([
      ["specific", "high"],
      ["other", "high"],
    ]);
  });

  it("drops a subsumed finding inside the subsuming one's range on one line (a token inside the embedded config line reported whole; held-out round 23)", () => {
    const out = withoutSubsumed([finding("specific", 3, 7, 90), finding("generic", 3, 23, 88, { severity: "critical" })], subsumes);
    expect(out.map((f) => [f.ruleId, f.severity])).toEqual([["specific", "critical"]]);
    // Over several lines, a wide finding does not stand for what lies inside it.
    const wide = finding("specific", 3, 7, 90, { endLine: 9 });
    expect(withoutSubsumed([wide, finding("generic", 5, 3, 40)], subsumes)).toHaveLength(2);
  });

  it("keeps a subsumed finding elsewhere on the line, in another file, or on the other side of the review", () => {
    const specific = finding("specific", 3, 40, 60);
    const inputs = [
      finding("generic", 3, 10, 30), // same line, another value
      finding("generic", 3, 10, 60, { file: "b.yaml" }),
      finding("generic", 3, 10, 60, { status: "fixed" }),
      specific,
    ];
    expect(withoutSubsumed(inputs, subsumes)).toEqual(inputs);
  });

  it("keeps a new subsumed finding when the one that would stand for it is not new (what the pull request adds stays)", () => {
    const inputs = [finding("generic", 3, 10, 60), finding("specific", 3, 10, 60, { status: "existing" })];
    expect(withoutSubsumed(inputs, subsumes)).toEqual(inputs);
    // An existing subsumed finding still goes for a new or existing one.
    const existing = [finding("generic", 3, 10, 60, { status: "existing" }), finding("specific", 3, 10, 60, { status: "existing" })];
    expect(withoutSubsumed(existing, subsumes).map((f) => f.ruleId)).toEqual(["specific"]);
  });

  it("changes nothing when no rule subsumes another", () => {
    const inputs = [finding("generic", 1, 1, 9), finding("specific", 1, 2, 5)];
    expect(withoutSubsumed(inputs, subsumedRules([rule("generic"), rule("specific")]))).toEqual(inputs);
  });
});
