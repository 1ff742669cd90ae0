import { describe, expect, it } from "@jest/globals";
import { runRule } from "../../../test/helpers/rule-tester.js";
import { explainRule } from "../../docs/rules-markdown.js";
import rule from "./invalid-suppression.js";

const annotated = (value: string) =>
  ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: c", "  annotations:", `    gitops-guard.io/ignore: "${value}"`, ""].join("\n");

describe("guard/invalid-suppression", () => {
  it("reports an annotation without a reason at its value", () => {
    expect(runRule(rule, annotated("k8s/host-path-volume")).map((f) => [f.line, f.column, f.path])).toEqual([[6, 29, 'metadata.annotations["gitops-guard.io/ignore"]']]);
  });

  it("the finding carries this module's id, severity and fix, so `explain` says what the finding says", () => {
    const [f] = runRule(rule, annotated("k8s/no-such-rule -- because"));
    expect(f).toMatchObject({ ruleId: rule.meta.id, severity: rule.meta.severity, fix: rule.meta.fix, resource: { kind: "ConfigMap", name: "c" } });
    expect(f!.message).toContain('unknown rule "k8s/no-such-rule"');
    expect(explainRule(rule)).toContain(f!.fix);
  });
});
