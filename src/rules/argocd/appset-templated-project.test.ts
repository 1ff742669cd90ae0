import { describe, expect, it } from "@jest/globals";
import { positions, runFixture } from "../../../test/helpers/rule-tester.js";
import rule, { templatedProjectLine } from "./appset-templated-project.js";

describe("argocd/appset-templated-project", () => {
  it("flags templated projects in the template, in generator templates and in templatePatch", () => {
    const findings = runFixture(rule, "invalid-appsets.yaml");
    expect(positions(findings)).toEqual([
      { line: 17, column: 16, path: "spec.template.spec.project", severity: "high" },
      { line: 46, column: 28, path: "spec.generators[0].matrix.generators[1].list.template.spec.project", severity: "high" },
      // The project line inside the templatePatch block scalar (set inside an `if` on a parameter).
      { line: 63, column: 7, path: "spec.templatePatch", severity: "high" },
      // A quoted one-line patch: the patch value itself.
      { line: 85, column: 18, path: "spec.templatePatch", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'ApplicationSet "team-apps" takes spec.template.spec.project from generator parameters ("{{team}}").',
      'ApplicationSet "patched" list generator takes template.spec.project from generator parameters ("{{ .team }}").',
      'ApplicationSet "patched" templatePatch sets the project from generator parameters.',
      'ApplicationSet "json-patch" templatePatch sets the project from generator parameters.',
    ]);
  });

  it("passes literal projects, constant projects in a templatePatch and non-ApplicationSets", () => {
    expect(runFixture(rule, "valid-appsets.yaml")).toEqual([]);
  });
});

describe("templatedProjectLine", () => {
  it.each([
    ["spec:\n  project: '{{ .project }}'\n", 1],
    ["spec:\n  project: {{ .project | quote }}\n", 1],
    ['{"spec":{"project":"{{.p}}"}}', 0],
    ["{{- if .prod }}\nspec:\n  project: prod\n{{- end }}\n", 2],
    ["spec:\n  project: fixed\n{{- if .x }}\n  info: []\n{{- end }}\n", null],
    ["{{- if .x }}\n  info: []\n{{- end }}\nspec:\n  project: fixed\n", null],
    ["spec:\n  source:\n    helm:\n      releaseName: '{{ .project }}'\n", null],
    // A label or a Helm value named project is not the AppProject.
    ["metadata:\n  labels:\n    project: '{{ .team }}'\nspec:\n  project: fixed\n", null],
    ["spec:\n  source:\n    helm:\n      valuesObject:\n        project: '{{ .team }}'\n", null],
    ['{"metadata":{"labels":{"project":"{{.team}}"}}}', null],
    ["  spec:\n    # comment\n    project: '{{ .team }}'\n", 2],
    ["spec: {project: '{{ .team }}'}", 0],
    ['{"spec":{"source":{"path":"x"},"project":"{{.p}}"}}', 0],
    ['{"spec":{"source":{"helm":{"valuesObject":{"project":"{{.p}}"}}}}}', null],
  ])("%j → %s", (patch, line) => {
    expect(templatedProjectLine(patch)).toBe(line);
  });
});
