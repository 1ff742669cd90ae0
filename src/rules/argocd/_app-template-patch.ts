import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { JsonPath } from "../../core/path.js";
import type { SourceRange } from "../../core/types.js";
import { isPlainObject } from "../../parse/classify.js";
import { maskTemplateActions } from "../../parse/helm-template.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import type { AppSpecRef, Obj } from "./_app-common.js";
import { isApplicationSet, describeDoc } from "./_app-common.js";

/**
 * The literal part of an ApplicationSet's `templatePatch`: the Go-template text a generated Application is patched
 * with, read as YAML once its template actions are masked (`maskTemplateActions`). A line that is only actions
 * (`{{- if .x }}`, `{{ end }}`) is blanked; an action inside a line becomes underscores of the same length, so a templated value
 * (`allowEmpty: {{ .allow }}`, `Replace={{ .r }}`) reads as a string that matches no literal a rule looks for.
 * Values inside `{{ if }}` blocks are read too: what is written there is what some generated Applications get.
 */
export interface TemplatePatchSpec {
  /**
   * The patch's `spec`, as an Application spec (label `ApplicationSet "x" templatePatch`); its `path` is empty, so
   * paths built from it are relative to the patch's `spec` (what `locate` and `patchReport` take).
   */
  ref: AppSpecRef;
  /** Where a path inside the patch's `spec` is written in the file; null when the patch's lines cannot be matched. */
  locate(path: JsonPath): SourceRange | null;
}

const PATCH_PATH: JsonPath = ["spec", "templatePatch"];

/** The node at a JSON path in a parsed YAML document (the value, or for `key` its key). */
function nodeAt(root: unknown, path: JsonPath): Node | null {
  let node: unknown = root;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      node = pair?.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else {
      return null;
    }
  }
  return node !== null && typeof node === "object" && "range" in node ? (node as Node) : null;
}

/**
 * Where the patch's line `line` (0-based) is in the file: a literal block scalar (`|`) keeps its lines, one file
 * line per patch line after the header, each indented by the block's indent. Null for any other scalar style or
 * when the file line does not end with the patch line.
 */
function fileLineOf(text: string, header: SourceRange, patchLines: readonly string[], line: number): { line: number; indent: number } | null {
  const fileLines = text.split("\n");
  const headerLine = fileLines[header.line - 1] ?? "";
  if (!/^\|[0-9+-]*\s*(#.*)?$/.test(headerLine.slice(header.column - 1).trim())) return null;
  const n = header.line + 1 + line;
  const fileLine = (fileLines[n - 1] ?? "").replace(/\r$/, "");
  const own = patchLines[line] ?? "";
  if (own.trim() === "" || !fileLine.endsWith(own)) return null;
  return { line: n, indent: fileLine.length - own.length };
}

/** The templatePatch of an ApplicationSet, its literal values read; null when there is none or it does not parse. */
export function templatePatchSpec(doc: ParsedDoc, fileText: string | null): TemplatePatchSpec | null {
  if (!isApplicationSet(doc) || !isPlainObject(doc.value) || !isPlainObject(doc.value.spec)) return null;
  const patch = doc.value.spec.templatePatch;
  if (typeof patch !== "string") return null;
  const lines = new LineCounter();
  const parsed = parseDocument(maskTemplateActions(patch), { lineCounter: lines, uniqueKeys: false });
  if (parsed.errors.length > 0) return null;
  const value: unknown = parsed.toJS();
  if (!isPlainObject(value) || !isPlainObject(value.spec)) return null;
  const spec: Obj = value.spec;
  const patchLines = patch.split("\n");
  const header = doc.locate(PATCH_PATH);
  return {
    ref: { spec, path: [], label: `${describeDoc(doc)} templatePatch`, fromTemplate: true },
    locate(path) {
      const node = nodeAt(parsed.contents, ["spec", ...path]);
      if (fileText === null || !node?.range) return null;
      const start = lines.linePos(node.range[0]);
      const end = lines.linePos(node.range[1]);
      const at = fileLineOf(fileText, header, patchLines, start.line - 1);
      if (at === null) return null;
      const endColumn = end.line === start.line ? end.col : (patchLines[start.line - 1] ?? "").length + 1;
      return { line: at.line, column: at.indent + start.col, endLine: at.line, endColumn: at.indent + endColumn };
    },
  };
}

/** A finding inside a templatePatch: recorded at `spec.templatePatch`, shown at its own line, told apart by its path. */
export function patchReport(tp: TemplatePatchSpec, path: JsonPath): { path: JsonPath; identity: JsonPath; range?: SourceRange } {
  const range = tp.locate(path);
  return { path: PATCH_PATH, identity: [...PATCH_PATH, ...path], ...(range ? { range } : {}) };
}
