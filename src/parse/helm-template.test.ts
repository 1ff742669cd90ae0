import { describe, expect, it } from "@jest/globals";
import { maskTemplateActions } from "./helm-template.js";
import { parseYamlFile } from "./yaml-file.js";

/** `helm create`'s test hook and the like: the action's own double quotes end the YAML string around it. */
const QUOTED_INCLUDE = `apiVersion: v1
kind: Pod
metadata:
  name: "{{ include "myapp.fullname" . }}-test-connection"
spec:
  containers:
    - name: wget
      image: busybox
      args: ['{{ include "myapp.fullname" . }}:{{ .Values.service.port }}']
`;

describe("Helm templates whose actions break the YAML quoting around them", () => {
  it.each([
    ["in a chart's templates/ directory", "charts/myapp/templates/pod.yaml", QUOTED_INCLUDE],
    ["anywhere, when the actions name Helm's objects", "deploy/pod.yaml", 'kind: Pod\nmetadata:\n  name: "{{ .Values.name | default "web" }}"\n'],
    ["with a template call", "deploy/cm.yaml", 'kind: ConfigMap\ndata:\n  a: "{{ template "x.name" . }}"\n'],
    ["in single quotes", "charts/x/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: '{{ .Values.name | default 'x' }}'\n"],
  ])("are skipped with a note %s, not reported as invalid YAML", (_what, path, text) => {
    const f = parseYamlFile(path, text);
    expect(f.problems).toEqual([]);
    expect(f.docs).toEqual([]);
    expect(f.skipped).toMatch(/^Helm\/Go template syntax \(\{\{ \}\}\) whose own quotes break the YAML strings around it: render it \(helm template\)/);
  });

  it("leaves an ApplicationSet that breaks its own quoting a parse error: Argo CD cannot read it either", () => {
    const appset = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: envs\nspec:\n  template:\n    metadata:\n      name: "{{ index .metadata.labels "env" }}-app"\n';
    const f = parseYamlFile("appsets/envs.yaml", appset);
    expect(f.skipped).toBeNull();
    expect(f.problems).toHaveLength(1);
    expect(f.problems[0]!.line).toBe(8);
  });

  it("leaves YAML whose first error is outside every action a parse error (not parsed twice)", () => {
    const f = parseYamlFile("charts/x/templates/cm.yaml", 'kind: ConfigMap\ndata:\n  a: "{{ .Values.a }}" trailing "b"\n');
    expect(f.skipped).toBeNull();
    expect(f.problems.map((p) => p.line)).toEqual([3]);
  });

  it("leaves YAML that is broken besides its template actions a parse error", () => {
    const text = 'kind: Pod\nmetadata:\n  name: "{{ include "x" . }}"\nspec: [unclosed\n';
    const f = parseYamlFile("charts/x/templates/pod.yaml", text);
    expect(f.skipped).toBeNull();
    expect(f.problems).toHaveLength(1);
  });
});

describe("maskTemplateActions", () => {
  it("keeps every offset: lines of actions only (a comment over two lines too) become spaces, an inline action underscores", () => {
    const lines = ["{{/* projects", "   of the bootstrap chart */}}", "metadata:", "  name: {{ .Values.name }}-apps", "  labels:", '    {{- include "x.labels" . | nindent 4 }}', ""];
    const masked = maskTemplateActions(lines.join("\n"));
    expect(masked.split("\n")).toEqual([" ".repeat(13), " ".repeat(30), "metadata:", `  name: ${"_".repeat(18)}-apps`, "  labels:", " ".repeat(lines[5]!.length), ""]);
  });
});
