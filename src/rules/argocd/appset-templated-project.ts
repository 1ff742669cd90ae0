import type { SourceRange } from "../../core/types.js";
import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { isHelmTemplateDoc } from "../../parse/helm-template-argocd.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { getIn } from "../../parse/workloads.js";
import { isApplicationSet, isTemplateExpr } from "./_app-common.js";
import { generators, onlyLiteralLists } from "./_app-generators.js";

const OPEN_BLOCK = /\{\{-?\s*(if|range|with|block|define)\b/g;
const END_BLOCK = /\{\{-?\s*end\b/g;
/** A block-style `project:` key and its value. */
const YAML_PROJECT = /^(\s*)"?project"?\s*:(?:\s+(.*))?$/;
/** A block-style `spec:` key opening a map. */
const YAML_SPEC = /^\s*"?spec"?\s*:\s*$/;
/** `spec: { ... project: value` in flow style or JSON, with `{{ }}` allowed inside the spec map before it. */
const FLOW_PROJECT = /"?spec"?\s*:\s*\{\s*(?:(?:[^{}]|\{\{.*?\}\}|\{[^{}]*\})*?[,\s])?"?project"?\s*:\s*("[^"]*"|'[^']*'|[^,}]*)/;

/**
 * In a Helm chart's template, `{{ }}` is Helm's, filled in before Argo CD reads the object; the ApplicationSet's own
 * parameters are written escaped for Helm (`{{`{{ .team }}`}}`, `{{ "{{ .team }}" }}`).
 */
const HELM_ESCAPED_TEMPLATE = /\{\{-?\s*[`"]\{\{/;

/** Whether a value (or patch) takes something from the generators' parameters. */
function fromParameters(doc: ParsedDoc, v: unknown): boolean {
  return isHelmTemplateDoc(doc) ? typeof v === "string" && HELM_ESCAPED_TEMPLATE.test(v) : isTemplateExpr(v);
}

function count(re: RegExp, s: string): number {
  return (s.match(re) ?? []).length;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Lines that carry YAML structure (not blank, not comments, not lines that are only template actions). */
function isStructural(line: string): boolean {
  const t = line.trim();
  return t !== "" && !t.startsWith("#") && !(t.startsWith("{{") && t.endsWith("}}"));
}

/**
 * The line (0-based, within the patch) where a templatePatch sets `spec.project` from parameters: the value
 * is a template expression, or the key sits inside an `{{ if }}`/`{{ range }}`/`{{ with }}` block, so the
 * parameters choose between projects. A constant project outside any block is like a literal one; other
 * keys named `project` (a label, a Helm value) are not the AppProject.
 */
export function templatedProjectLine(patch: string): number | null {
  const lines = patch.split("\n");
  // The top-level indent, and each structural line's parent — the nearest structural line above it that is less
  // indented — from a stack of the open ancestors: one pass, so a patch of many `project:` lines stays linear.
  let top = Number.POSITIVE_INFINITY;
  for (const l of lines) if (isStructural(l)) top = Math.min(top, indentOf(l));
  const ancestors: Array<{ line: string; indent: number }> = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    let parent: { line: string; indent: number } | undefined;
    if (isStructural(text)) {
      const indent = indentOf(text);
      while (ancestors.length > 0 && ancestors[ancestors.length - 1]!.indent >= indent) ancestors.pop();
      parent = ancestors[ancestors.length - 1];
      ancestors.push({ line: text, indent });
    }
    const yaml = YAML_PROJECT.exec(text);
    // A `project:` key directly under the top-level `spec:` map.
    if (yaml && parent !== undefined && parent.indent === top && YAML_SPEC.test(parent.line)) {
      if ((yaml[2] ?? "").includes("{{") || depth > 0) return i;
    }
    const flow = FLOW_PROJECT.exec(text);
    if (flow) {
      const before = text.slice(0, flow.index + flow[0].length - flow[1]!.length);
      const inBlock = depth + count(OPEN_BLOCK, before) - count(END_BLOCK, before) > 0;
      if (flow[1]!.includes("{{") || inBlock) return i;
    }
    depth = Math.max(0, depth + count(OPEN_BLOCK, text) - count(END_BLOCK, text));
  }
  return null;
}

/**
 * Where line `index` of a templatePatch is in the file. A block scalar keeps its lines, so the n-th file line
 * (within the scalar) whose text is that line is the one. Null when the patch is a quoted string.
 */
function patchLineRange(text: string | null, scalar: SourceRange, patchLines: string[], index: number): SourceRange | null {
  if (text === null) return null;
  const wanted = patchLines[index]!.trim();
  if (wanted === "") return null;
  let skip = patchLines.slice(0, index).filter((l) => l.trim() === wanted).length;
  const fileLines = text.split("\n");
  for (let n = scalar.line; n <= Math.min(scalar.endLine, fileLines.length); n++) {
    const line = fileLines[n - 1]!.replace(/\r$/, "");
    if (line.trim() !== wanted) continue;
    if (skip-- > 0) continue;
    const at = line.indexOf(wanted);
    return { line: n, column: at + 1, endLine: n, endColumn: at + 1 + wanted.length };
  }
  return null;
}

export default defineRule({
  meta: {
    id: "argocd/appset-templated-project",
    title: "ApplicationSet chooses the project from generator parameters",
    severity: "high",
    description:
      "An ApplicationSet whose `spec.template.spec.project` (or a generator's own `template.spec.project`) contains a template expression (`{{ }}`), or whose `templatePatch` sets the project from parameters (a templated value, or inside an `{{ if }}`/`{{ range }}` block). In an ApplicationSet a Helm chart's template writes, `{{ }}` is Helm's: only a parameter escaped for Helm (`{{ \"{{ .team }}\" }}`) counts. A templated `project` (in the template or a generator's template) is not reported when every generator is a plain list generator (literal elements written in the ApplicationSet, no `elementsYaml`, no `{{ }}` in them; a matrix or merge of such lists only): each project it makes is written in the same file, as reviewable as a literal one. A git, cluster, SCM provider, pull request or plugin generator anywhere keeps it reported, and so does a `templatePatch` that sets the project (its template logic is not evaluated here).",
    rationale:
      "The AppProject is the security boundary of every generated Application. When generator parameters choose it, whoever controls the parameters (a file or directory in a Git repository, a pull request, a cluster label) can create Applications in a more privileged project than intended. Argo CD's ApplicationSet security guide calls this out, and source integrity checks do not apply to such ApplicationSets.",
    fix: "Set `spec.template.spec.project` to a literal project name (one ApplicationSet per project if needed) and do not set the project in `templatePatch`.",
    example: {
      bad: "spec:\n  template:\n    spec:\n      project: '{{team}}'\n",
      good: "spec:\n  template:\n    spec:\n      project: team-payments\n",
    },
  },
  checkDoc({ doc, file, report }) {
    if (!isApplicationSet(doc)) return;
    const label = `ApplicationSet "${doc.resource.name ?? "?"}"`;
    const projectPath = ["spec", "template", "spec", "project"];
    const project = getIn(doc.value, projectPath);
    // Parameters that only literal list elements written here give are as reviewable as a literal project.
    const reviewable = !isHelmTemplateDoc(doc) && onlyLiteralLists(doc.value);
    if (fromParameters(doc, project) && !reviewable) {
      report({ path: projectPath, message: `${label} takes spec.template.spec.project from generator parameters (${JSON.stringify(project)}).` });
    }

    for (const { generator, path } of generators(doc.value)) {
      for (const [type, body] of Object.entries(generator)) {
        if (!isPlainObject(body)) continue;
        const p = [...path, type, "template", "spec", "project"];
        const value = getIn(generator, [type, "template", "spec", "project"]);
        if (fromParameters(doc, value) && !reviewable) report({ path: p, message: `${label} ${type} generator takes template.spec.project from generator parameters (${JSON.stringify(value)}).` });
      }
    }

    const patch = getIn(doc.value, ["spec", "templatePatch"]);
    if (typeof patch !== "string" || (isHelmTemplateDoc(doc) && !fromParameters(doc, patch))) return;
    const hit = templatedProjectLine(patch);
    if (hit === null) return;
    const path = ["spec", "templatePatch"];
    const range = patchLineRange(file.text, doc.locate(path), patch.split("\n"), hit) ?? undefined;
    report({ path, range, message: `${label} templatePatch sets the project from generator parameters.` });
  },
});
