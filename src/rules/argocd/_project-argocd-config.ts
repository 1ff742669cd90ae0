import type { JsonPath } from "../../core/path.js";
import type { SourceRange } from "../../core/types.js";
import { isPlainObject } from "../../parse/classify.js";
import { isDerivedDoc } from "../../parse/helm-argocd-values.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";
import { getIn } from "../../parse/workloads.js";
import type { Obj } from "./_project-appproject.js";

export type ArgoConfigMapName = "argocd-cm" | "argocd-rbac-cm" | "argocd-cmd-params-cm";

export interface ArgoSetting {
  key: string;
  value: unknown;
  /** Where the value is written: `data.<key>` or a `configMapGenerator` literal. */
  path: JsonPath;
}

export interface ArgoConfig {
  /** For messages: `ConfigMap "argocd-cm"`, `Helm values configs.cm` or `configMapGenerator "argocd-cm"`. */
  label: string;
  settings: ArgoSetting[];
}

function fromMap(data: Obj, path: JsonPath, label: string): ArgoConfig {
  return { label, settings: Object.entries(data).map(([key, value]) => ({ key, value, path: [...path, key] })) };
}

/** `key=value` literals of a Kustomize configMapGenerator (surrounding quotes removed, as Kustomize does). */
function fromLiterals(literals: unknown, path: JsonPath, label: string): ArgoConfig {
  const settings: ArgoSetting[] = [];
  if (Array.isArray(literals)) {
    literals.forEach((lit: unknown, i) => {
      if (typeof lit !== "string") return;
      const eq = lit.indexOf("=");
      if (eq <= 0) return;
      const raw = lit.slice(eq + 1);
      const value = raw.length >= 2 && /^(["']).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
      settings.push({ key: lit.slice(0, eq).trim(), value, path: [...path, i] });
    });
  }
  return { label, settings };
}

/**
 * Argo CD settings of one of its ConfigMaps: the ConfigMap itself (`metadata.name`) — also as declared in values of
 * the argo-cd Helm chart (`configs.cm`, `configs.rbac`, `configs.params`: a derived document located in the values
 * file, see parse/helm-argocd-values.ts) — or the literals of a Kustomize `configMapGenerator` of that name.
 */
export function argocdConfigs(doc: ParsedDoc, name: ArgoConfigMapName): ArgoConfig[] {
  const v = doc.value;
  if (!isPlainObject(v)) return [];
  if (doc.class === "kubernetes") {
    if (doc.resource.kind !== "ConfigMap" || doc.resource.name !== name || !isPlainObject(v.data)) return [];
    return [fromMap(v.data, ["data"], isDerivedDoc(doc) ? doc.derivedFrom : `ConfigMap "${name}"`)];
  }
  if (doc.class === "kustomization" && Array.isArray(v.configMapGenerator)) {
    const out: ArgoConfig[] = [];
    v.configMapGenerator.forEach((gen: unknown, i) => {
      if (isPlainObject(gen) && gen.name === name) out.push(fromLiterals(gen.literals, ["configMapGenerator", i, "literals"], `configMapGenerator "${name}"`));
    });
    return out;
  }
  return [];
}

/** The setting `key` of a config, if written. */
export function setting(cfg: ArgoConfig, key: string): ArgoSetting | undefined {
  return cfg.settings.findLast((s) => s.key === key);
}

/**
 * An argocd-cm switch Argo CD reads as on: it compares the string with "true" exactly. A YAML boolean
 * `true` (Helm values; the chart renders it as "true") counts too.
 */
export function isSwitchOn(v: unknown): boolean {
  return v === true || v === "true";
}

/**
 * The source range of one line of a literal block scalar (`key: |`), so a finding about one policy line
 * points at that line; null when the value is not written as a literal block (the caller then points at
 * the whole value).
 */
export function blockLineRange(doc: ParsedDoc, file: ParsedFile, path: JsonPath, lineIndex: number, expected: string): SourceRange | null {
  if (file.text === null) return null;
  const node = doc.locate(path);
  const lines = file.text.split(/\r?\n/);
  // A value that is a whole file (a Kustomize generator's `files:` input, `policy.csv`, judged on that file's text):
  // its lines are the file's, from the first.
  const wholeFile = node.line === 1 && node.column === 1 && getIn(doc.value, path) === file.text;
  const header = lines[node.line - 1]?.slice(node.column - 1) ?? "";
  if (!wholeFile && !/^(?:[!&][^\s]*\s+)*\|/.test(header)) return null;
  const lineNo = wholeFile ? 1 + lineIndex : node.line + 1 + lineIndex;
  const src = lines[lineNo - 1];
  if (src === undefined || src.trim() !== expected.trim() || src.trim() === "") return null;
  const start = src.length - src.trimStart().length;
  return { line: lineNo, column: start + 1, endLine: lineNo, endColumn: src.trimEnd().length + 1 };
}
