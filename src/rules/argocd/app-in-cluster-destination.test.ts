import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { positions, readFixture, runFixture } from "../../../test/helpers/rule-tester.js";
import rule from "./app-in-cluster-destination.js";

const config: unknown = parse(readFixture(rule.meta.id, "config.yaml"));

describe("argocd/app-in-cluster-destination", () => {
  it("flags in-cluster destinations of non-platform and templated projects; critical into the Argo CD namespace", () => {
    const findings = runFixture(rule, "invalid-destinations.yaml", { config });
    expect(positions(findings)).toEqual([
      { line: 27, column: 11, path: "spec.destination.name", severity: "critical" },
      { line: 76, column: 15, path: "spec.template.spec.destination.name", severity: "critical" },
      { line: 89, column: 22, path: "spec.generators[0].list.elements[0].cluster", severity: "critical" },
      { line: 13, column: 13, path: "spec.destination.server", severity: "medium" },
      { line: 50, column: 17, path: "spec.template.spec.destination.server", severity: "medium" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Application "sneaky" (project "default") deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.',
      'ApplicationSet "per-dir" template (project "{{path.basename}}", set per generated Application) deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.',
      'ApplicationSet "addons" template (project "addons"), list element 1, deploys into the Argo CD namespace "argocd" of the cluster that runs Argo CD.',
      'Application "team-tool" (project "team-a") deploys to the cluster that runs Argo CD (server: https://kubernetes.default.svc/).',
      'ApplicationSet "per-team" template (project "tools") deploys to the cluster that runs Argo CD (server: https://kubernetes.default.svc).',
    ]);
  });

  it("passes platform projects, remote clusters and templated destinations", () => {
    expect(runFixture(rule, "valid-destinations.yaml", { config })).toEqual([]);
  });

  it("treats every project as a team project when no platform projects are configured", () => {
    expect(positions(runFixture(rule, "valid-destinations.yaml"))).toEqual([
      { line: 14, column: 13, path: "spec.destination.server", severity: "critical" },
    ]);
  });

  it("uses the configured Argo CD namespace", () => {
    const gitops = { argocd: { namespace: "gitops", platformProjects: ["platform"] } };
    expect(positions(runFixture(rule, "invalid-destinations.yaml", { config: gitops })).map((p) => p.severity)).toEqual(["medium", "medium", "medium", "medium", "medium"]);
  });
});
