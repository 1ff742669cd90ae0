import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { ecrFacts, foundFact, vuln, complete } from "../../../test/helpers/facts.js";
import { positions, readFixture, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./critical-vulnerabilities.js";

const config: unknown = parse(readFixture("ecr/critical-vulnerabilities", "config.yaml"));
const IMAGE = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0";
const yaml = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: ${IMAGE}\n`;

describe("ecr/critical-vulnerabilities", () => {
  it("counts each CVE once over all platforms, exploitable findings as critical, and names the top CVEs with fixed-in versions", () => {
    const findings = runFixture(rule, "invalid-images.yaml", { config });
    expect(positions(findings)).toEqual([
      { line: 10, column: 18, path: "spec.template.spec.containers[0].image", severity: "high" },
      { line: 12, column: 18, path: "spec.template.spec.containers[1].image", severity: "high" },
    ]);
    expect(findings[0]!.message).toContain("with 2 critical (2 fixable), 0 high (0 fixable) vulnerabilities; critical threshold 1; 1 more without a fix not counted");
    expect(findings[0]!.message).toContain("CVE-2021-44228 (org.apache.logging.log4j:log4j-core 2.14.1, fixed in 2.17.1; exploit available)");
    // An expired allowlist entry no longer applies (and says so); the active one still does.
    expect(findings[1]!.message).toContain("CVE-2020-0001 (zlib 1.2.11; allowlist entry expired 2026-01-01)");
    expect(findings[1]!.message).not.toContain("CVE-2024-1111");
  });

  it("points at the tag of Helm values that set the image", () => {
    expect(positions(runFixture(rule, "invalid-values.yaml", { config }))).toEqual([{ line: 7, column: 10, path: "controller.image.tag", severity: "high" }]);
  });

  it("does not count unfixed or allowlisted findings", () => {
    expect(runFixture(rule, "valid-images.yaml", { config })).toEqual([]);
  });

  it("honours ignoreUnfixed: false, blockExploitable: false and the threshold", () => {
    const facts = ecrFacts({
      [IMAGE]: foundFact({ scan: complete([vuln("CVE-1", "CRITICAL", { fix: "no" }), vuln("CVE-2", "LOW", { exploit: true })]) }),
    });
    expect(runRule(rule, yaml, { facts })).toHaveLength(1); // CVE-2 counts as critical: exploit available
    expect(runRule(rule, yaml, { facts, config: { ecr: { blockExploitable: false } } })).toEqual([]);
    expect(runRule(rule, yaml, { facts, config: { ecr: { blockExploitable: false, ignoreUnfixed: false } } })).toHaveLength(1);
    expect(runRule(rule, yaml, { facts, config: { ecr: { ignoreUnfixed: false, thresholds: { critical: 3 } } } })).toEqual([]);
    expect(runRule(rule, yaml, { facts, config: { ecr: { ignoreUnfixed: false, thresholds: { critical: 2 } } } })).toHaveLength(1);
  });

  it("counts an UNTRIAGED or unknown-fix finding only by its severity (unknown fixes count)", () => {
    const facts = ecrFacts({ [IMAGE]: foundFact({ scan: complete([vuln("CVE-3", "UNTRIAGED"), vuln("CVE-4", "CRITICAL", { fix: "unknown" })]) }) });
    const [f] = runRule(rule, yaml, { facts });
    expect(f!.message).toContain("1 critical (0 fixable)");
  });

  it("is silent when the image is not introduced, not on ECR, or facts are missing", () => {
    expect(runRule(rule, yaml)).toEqual([]);
    expect(runRule(rule, yaml, { facts: ecrFacts({}) })).toEqual([]);
  });
});
