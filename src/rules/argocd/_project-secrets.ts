import { parse as parseYaml } from "yaml";
import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { isPlaceholder } from "../secrets/_placeholders.js";
import { isReference } from "../secrets/_values.js";
import type { Obj } from "./_project-appproject.js";

export const SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

export type ArgoSecretType = "repository" | "repo-creds" | "repository-write" | "repo-write-creds" | "cluster";
const TYPES: ReadonlySet<string> = new Set<ArgoSecretType>(["repository", "repo-creds", "repository-write", "repo-write-creds", "cluster"]);

export interface SecretEntry {
  key: string;
  field: "data" | "stringData";
  path: JsonPath;
  /** The value as Argo CD reads it (base64-decoded for `data`); null when `data` is not valid base64. */
  text: string | null;
  /** The value as written in the file. */
  written: string;
}

export interface ArgoSecret {
  type: ArgoSecretType;
  /** `Argo CD repository Secret "name"`, for messages. */
  label: string;
  entries: SecretEntry[];
}

function decodeBase64(s: string): string | null {
  const compact = s.replace(/\s+/g, "");
  if (compact === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return null;
  return Buffer.from(compact, "base64").toString("utf8");
}

function scalar(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

/**
 * A Kubernetes Secret labelled as an Argo CD repository, credential template or cluster, with its
 * `data` (decoded) and `stringData` entries. SealedSecret, ExternalSecret and other kinds are not Secrets.
 */
export function argocdSecret(doc: ParsedDoc): ArgoSecret | null {
  if (doc.class !== "kubernetes" || doc.resource.kind !== "Secret") return null;
  const v = doc.value;
  if (!isPlainObject(v) || !isPlainObject(v.metadata)) return null;
  const labels = v.metadata.labels;
  const type = isPlainObject(labels) ? labels[SECRET_TYPE_LABEL] : undefined;
  if (typeof type !== "string" || !TYPES.has(type)) return null;
  const entries: SecretEntry[] = [];
  for (const field of ["data", "stringData"] as const) {
    const map = v[field];
    if (!isPlainObject(map)) continue;
    for (const [key, raw] of Object.entries(map)) {
      const written = scalar(raw);
      if (written === null) continue;
      entries.push({ key, field, path: [field, key], written, text: field === "data" ? decodeBase64(written) : written });
    }
  }
  return { type: type as ArgoSecretType, label: `Argo CD ${type} Secret "${doc.resource.name ?? "?"}"`, entries };
}

/** A Secret setting Argo CD reads as true (Go's strconv.ParseBool; YAML booleans from Helm values too). */
export function isTrue(v: unknown): boolean {
  if (v === true) return true;
  return typeof v === "string" && ["1", "t", "T", "TRUE", "true", "True"].includes(v.trim());
}

/**
 * Empty values, references to a secret store, encrypted values and placeholders: not plaintext. The judgement is the
 * one every secrets rule uses (`secrets/_values`, `secrets/_placeholders`), so `__REPLACE_ME__` or `my_access_key` is
 * a placeholder here as everywhere. `name` is the key the value sits under, when known.
 */
export function isReferenceValue(value: string, name?: string): boolean {
  const v = value.trim();
  return v === "" || isReference(v) || isPlaceholder(v, name);
}

/** A written value that is plaintext: neither the file's text nor (for `data`) its decoded form is a reference. */
export function isLiteral(entry: SecretEntry): boolean {
  if (isReferenceValue(entry.written, entry.key)) return false;
  return entry.text === null || !isReferenceValue(entry.text, entry.key);
}

/** The cluster `config` JSON (Argo CD reads JSON; YAML is accepted as a superset), or null. */
export function parseClusterConfig(text: string): Obj | null {
  try {
    const v: unknown = JSON.parse(text);
    return isPlainObject(v) ? v : null;
  } catch {
    try {
      const v: unknown = parseYaml(text, { maxAliasCount: 10 });
      return isPlainObject(v) ? v : null;
    } catch {
      return null;
    }
  }
}

/** Index of the first line of `text` matching `re`, for pointing into a block scalar. */
export function lineIndexOf(text: string, re: RegExp): number {
  return text.split(/\r?\n/).findIndex((l) => re.test(l));
}
