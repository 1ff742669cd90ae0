import type { JsonPath } from "../../core/path.js";
import type { SourceRange } from "../../core/types.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";

/** `Secret "ns/name"`, `ConfigMap "name"`, or the document class for objects without kind/name. */
export function describeDoc(doc: ParsedDoc): string {
  const { kind, namespace, name } = doc.resource;
  if (kind) return name ? `${kind} "${namespace ? `${namespace}/` : ""}${name}"` : kind;
  if (doc.class === "helm-values") return "Helm values file";
  if (doc.class === "kustomization") return "Kustomization";
  return "YAML document";
}

/**
 * The exact range of `needle` inside the source of the scalar at `path` (e.g. one line of a multi-line
 * config block, or the URL inside a longer string), or undefined when it cannot be found verbatim (escaped
 * quoting): the finding then points at the whole scalar.
 */
export function rangeWithin(file: ParsedFile, doc: ParsedDoc, path: JsonPath, needle: string, occurrence = 0): SourceRange | undefined {
  const text = file.text;
  if (!text || needle === "") return undefined;
  const [start, end] = doc.spanOf(path);
  let at = start - 1;
  for (let n = 0; n <= occurrence; n++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0 || at + needle.length > end) return undefined;
  }
  return doc.rangeOf(at, at + needle.length);
}

/**
 * True when the scalar at `path` carries a local YAML tag (`!secret db_password`, `!env_var TOKEN`,
 * `!vault |`): the application resolves it, so the plain value the parser returns is a reference.
 */
export function hasLocalTag(file: ParsedFile, doc: ParsedDoc, path: JsonPath): boolean {
  const text = file.text;
  if (!text) return false;
  const [start] = doc.spanOf(path);
  const before = text.slice(text.lastIndexOf("\n", start - 1) + 1, start);
  return /(^|[\s:[{,-])![A-Za-z_][\w-]*\s+$/.test(before);
}
