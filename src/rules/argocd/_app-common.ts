import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

export type Obj = Record<string, unknown>;

/** An Application spec: the Application's own `spec`, or an ApplicationSet's `spec.template.spec`. */
export interface AppSpecRef {
  spec: Obj;
  /** Path of the spec inside the document. */
  path: JsonPath;
  /** Human name for messages, e.g. `Application "guestbook"` or `ApplicationSet "guestbook" template`. */
  label: string;
  /** True for an ApplicationSet template: values may be template expressions, not literals. */
  fromTemplate: boolean;
}

export interface SourceRef {
  source: Obj;
  path: JsonPath;
  /** `source` or `sources[1]`, for messages. */
  name: string;
}

function isArgoKind(doc: ParsedDoc, kind: string): boolean {
  return doc.class === "argocd" && doc.resource.kind === kind;
}

export function isApplication(doc: ParsedDoc): boolean {
  return isArgoKind(doc, "Application");
}

export function isApplicationSet(doc: ParsedDoc): boolean {
  return isArgoKind(doc, "ApplicationSet");
}

/** `Application "name"` / `ApplicationSet "name"` (or `Kind "name"` for any object). */
export function describeDoc(doc: ParsedDoc): string {
  return `${doc.resource.kind ?? "object"} "${doc.resource.name ?? "?"}"`;
}

/** True when a value is (or contains) an ApplicationSet/Helm template expression, so it is not a literal. */
export function isTemplateExpr(v: unknown): boolean {
  return typeof v === "string" && v.includes("{{");
}

/** The Application spec of an Application, or the template spec of an ApplicationSet. */
export function appSpecs(doc: ParsedDoc): AppSpecRef[] {
  const root = doc.value;
  if (!isPlainObject(root) || !isPlainObject(root.spec)) return [];
  if (isApplication(doc)) {
    return [{ spec: root.spec, path: ["spec"], label: describeDoc(doc), fromTemplate: false }];
  }
  if (isApplicationSet(doc)) {
    const template = root.spec.template;
    if (!isPlainObject(template) || !isPlainObject(template.spec)) return [];
    return [{ spec: template.spec, path: ["spec", "template", "spec"], label: `${describeDoc(doc)} template`, fromTemplate: true }];
  }
  return [];
}

/**
 * The sources of an Application spec: `sources[]` when it is a non-empty list (Argo CD then ignores
 * `source`), otherwise `source`.
 */
export function appSources(ref: AppSpecRef): SourceRef[] {
  const { spec, path } = ref;
  if (Array.isArray(spec.sources) && spec.sources.length > 0) {
    const out: SourceRef[] = [];
    spec.sources.forEach((s, i) => {
      if (isPlainObject(s)) out.push({ source: s, path: [...path, "sources", i], name: `sources[${i}]` });
    });
    return out;
  }
  if (isPlainObject(spec.source)) return [{ source: spec.source, path: [...path, "source"], name: "source" }];
  return [];
}

/** `metadata.annotations` of an object (or of a template's metadata), as a plain map. */
export function annotationsAt(value: unknown): Obj {
  if (!isPlainObject(value) || !isPlainObject(value.annotations)) return {};
  return value.annotations;
}

/** `syncPolicy.automated` when present as a map and not switched off with `enabled: false`. */
export function automatedSync(spec: Obj): Obj | null {
  const policy = spec.syncPolicy;
  if (!isPlainObject(policy) || !isPlainObject(policy.automated)) return null;
  return policy.automated.enabled === false ? null : policy.automated;
}

/** The effective project of an Application spec (`default` when unset), or null when it is a template expression. */
export function projectOf(spec: Obj): string | null {
  const p = spec.project;
  if (isTemplateExpr(p)) return null;
  return typeof p === "string" && p !== "" ? p : "default";
}
