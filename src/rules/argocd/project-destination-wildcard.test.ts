import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./project-destination-wildcard.js";

describe("argocd/project-destination-wildcard", () => {
  it("flags each wildcard server, name and namespace at its value", () => {
    const findings = runFixture(rule, "invalid-destinations.yaml");
    expect(positions(findings)).toEqual([
      { line: 12, column: 15, path: "spec.destinations[1].server", severity: "high" },
      { line: 14, column: 13, path: "spec.destinations[2].name", severity: "high" },
      { line: 15, column: 18, path: "spec.destinations[2].namespace", severity: "high" },
      { line: 24, column: 16, path: "spec.destinations[0].server", severity: "high" },
      { line: 36, column: 18, path: "spec.destinations[0].namespace", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe('AppProject "team-a" destination server "*" allows every cluster registered in Argo CD.');
    expect(findings[4]!.resource.name).toBe("team-c");
  });

  it("treats a negated field as 'anything but': reports the entry's '*' field, else its negated field", () => {
    const findings = runFixture(rule, "invalid-negated.yaml");
    expect(positions(findings)).toEqual([
      { line: 10, column: 15, path: "spec.destinations[0].server", severity: "high" },
      { line: 11, column: 18, path: "spec.destinations[1].namespace", severity: "high" },
      { line: 14, column: 15, path: "spec.destinations[2].server", severity: "high" },
      { line: 15, column: 18, path: "spec.destinations[3].namespace", severity: "high" },
      // `!*` matches nothing; an entry without server or name only denies; team-b's clusters are project-scoped.
      { line: 33, column: 18, path: "spec.destinations[1].namespace", severity: "high" },
    ]);
    expect(findings[2]!.message).toBe(
      'AppProject "team-a" destination server "!https://management.example.com" allows every cluster registered in Argo CD except "https://management.example.com" (Argo CD reads "!x" as "anything but x").',
    );
    expect(findings[4]!.resource.name).toBe("team-b");
  });

  it("passes scoped destinations, deny-only entries, project-scoped clusters and Applications", () => {
    expect(runFixture(rule, "valid-scoped.yaml")).toEqual([]);
  });
});
