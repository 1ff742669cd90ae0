import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
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

describe("argocd/appset-templated-project: projects from literal list elements", () => {
  /** An ApplicationSet whose project is the `project` parameter, with the given generators (indented lines). */
  const appSet = (generatorLines: string[], project = "'{{project}}'"): string =>
    [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: ApplicationSet", // 2
      "metadata:", // 3
      "  name: web", // 4
      "spec:", // 5
      "  generators:", // 6
      ...generatorLines.map((l) => `  ${l}`),
      "  template:",
      "    metadata: {name: 'web-{{env}}'}",
      "    spec:",
      `      project: ${project}`,
      "      destination: {name: workload-1, namespace: 'web-{{env}}'}",
      "",
    ].join("\n");
  const list = ["- list:", "    elements:", "    - {env: dev, project: team-dev}", "    - {env: prod, project: team-prod}"];

  it("passes a project every Application of which a literal list element written in the file gives", () => {
    expect(runRule(rule, appSet(list))).toEqual([]);
    expect(runRule(rule, appSet(list, "'team-{{env}}'"))).toEqual([]);
    // A matrix of literal lists only: every parameter is still written here.
    const lists = ["- matrix:", "    generators:", "    - list: {elements: [{env: dev}]}", "    - list: {elements: [{project: team-dev}]}"];
    expect(runRule(rule, appSet(lists))).toEqual([]);
  });

  it("reports it when another generator gives parameters, or the elements are not literal", () => {
    const line = (yaml: string) => positions(runRule(rule, yaml)).map((p) => `${p.line} ${p.path} ${p.severity}`);
    const git = ["- git: {repoURL: https://github.com/example/teams.git, revision: main, files: [{path: 'teams/*.json'}]}"];
    expect(line(appSet([...list, ...git]))).toEqual(["15 spec.template.spec.project high"]);
    const matrix = ["- matrix:", "    generators:", "    - clusters: {}", "    - list: {elements: [{project: team-dev}]}"];
    expect(line(appSet(matrix))).toEqual(["14 spec.template.spec.project high"]);
    const elementsYaml = ["- list:", "    elementsYaml: '{{ .teams | toJson }}'"];
    expect(line(appSet(elementsYaml))).toEqual(["12 spec.template.spec.project high"]);
    const templated = ["- list:", "    elements:", "    - {env: dev, project: '{{cluster}}'}"];
    expect(line(appSet(templated))).toEqual(["13 spec.template.spec.project high"]);
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

  it("finds the same line as the search it replaced (each project line's parent searched backwards), on generated patches", () => {
    // The previous implementation, kept as the reference: for each `project:` line, the top indent over all lines and
    // a backward search for its parent (quadratic on a patch of many `project:` lines).
    const reference = (patch: string): number | null => {
      const lines = patch.split("\n");
      const indentOf = (l: string) => l.length - l.trimStart().length;
      const structural = (l: string) => {
        const t = l.trim();
        return t !== "" && !t.startsWith("#") && !(t.startsWith("{{") && t.endsWith("}}"));
      };
      const isSpecProject = (i: number, indent: number): boolean => {
        const top = Math.min(...lines.filter(structural).map(indentOf));
        for (let j = i - 1; j >= 0; j--) {
          const l = lines[j]!;
          if (!structural(l) || indentOf(l) >= indent) continue;
          return /^\s*"?spec"?\s*:\s*$/.test(l) && indentOf(l) === top;
        }
        return false;
      };
      let depth = 0;
      const count = (re: RegExp, t: string) => (t.match(re) ?? []).length;
      const OPEN = /\{\{-?\s*(if|range|with|block|define)\b/g;
      const END = /\{\{-?\s*end\b/g;
      for (let i = 0; i < lines.length; i++) {
        const text = lines[i]!;
        const yaml = /^(\s*)"?project"?\s*:(?:\s+(.*))?$/.exec(text);
        if (yaml && isSpecProject(i, yaml[1]!.length) && ((yaml[2] ?? "").includes("{{") || depth > 0)) return i;
        const flow = /"?spec"?\s*:\s*\{\s*(?:(?:[^{}]|\{\{.*?\}\}|\{[^{}]*\})*?[,\s])?"?project"?\s*:\s*("[^"]*"|'[^']*'|[^,}]*)/.exec(text);
        if (flow) {
          const before = text.slice(0, flow.index + flow[0].length - flow[1]!.length);
          if (flow[1]!.includes("{{") || depth + count(OPEN, before) - count(END, before) > 0) return i;
        }
        depth = Math.max(0, depth + count(OPEN, text) - count(END, text));
      }
      return null;
    };
    const line = fc
      .tuple(
        fc.constantFrom("", " ", "  ", "    ", "\t"),
        fc.constantFrom("spec:", "project: fixed", "project: '{{ .p }}'", "metadata:", "labels:", "- project: x", "{{- if .x }}", "{{- end }}", "# c", "", "source: {}", '"project": "{{.p}}"'),
      )
      .map(([indent, text]) => indent + text);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), (lines) => {
        const patch = lines.join("\n");
        expect(templatedProjectLine(patch)).toBe(reference(patch));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads a patch of 40,000 `project:` lines in one pass (the search it replaced took minutes on such a file)", () => {
    const patch = `spec:\n${Array.from({ length: 40_000 }, (_, i) => `  project: t${i}`).join("\n")}\n{{- if .x }}\n  project: last\n{{- end }}\n`;
    expect(templatedProjectLine(patch)).toBe(40_002);
    expect(templatedProjectLine(patch.replace("spec:", "metadata:"))).toBeNull();
  });
});
