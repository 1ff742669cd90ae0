import { isPlainObject } from "../../parse/classify.js";
import type { JsonPath } from "../../core/path.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

export type Obj = Record<string, unknown>;

export interface AppProjectDoc {
  name: string;
  spec: Obj;
  /** `AppProject "team-a"`, for messages. */
  label: string;
}

/** The AppProject in a document (`argoproj.io/*`, kind AppProject), or null. */
export function appProject(doc: ParsedDoc): AppProjectDoc | null {
  if (doc.class !== "argocd" || doc.resource.kind !== "AppProject") return null;
  const value = doc.value;
  if (!isPlainObject(value) || !isPlainObject(value.spec)) return null;
  const name = doc.resource.name ?? "?";
  return { name, spec: value.spec, label: `AppProject "${name}"` };
}

export interface Item<T> {
  value: T;
  index: number;
}

/**
 * The identity (`Report.identity`) of a finding on an entry of a list of strings (`sourceRepos`, `sourceNamespaces`, a
 * role's `policies` or `groups`): the list's path and the entry's value in place of its index
 * (`spec.sourceRepos["*"]`), so a pull request that inserts an entry above an unchanged `'*'` leaves the `'*'` finding
 * existing instead of new and fixed. Only for lists whose values are never credentials (the identity is hashed into
 * the fingerprint, and shown in JSON reports). Two equal entries share it; the fingerprint numbers them.
 */
export function entryIdentity(list: JsonPath, value: string): JsonPath {
  return [...list, value.trim()];
}

/** The string entries of a list (other entries are skipped, their indices kept). */
export function stringItems(v: unknown): Array<Item<string>> {
  if (!Array.isArray(v)) return [];
  const out: Array<Item<string>> = [];
  v.forEach((value: unknown, index) => {
    if (typeof value === "string") out.push({ value, index });
  });
  return out;
}

/** The mapping entries of a list. */
export function objectItems(v: unknown): Array<Item<Obj>> {
  if (!Array.isArray(v)) return [];
  const out: Array<Item<Obj>> = [];
  v.forEach((value: unknown, index) => {
    if (isPlainObject(value)) out.push({ value, index });
  });
  return out;
}

/** A string field of an object (numbers and booleans are what YAML made of an unquoted word). */
export function str(o: Obj, key: string): string | null {
  const v = o[key];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

/** Quotes a user-written pattern for a message, shortened so a message stays one line. */
export function q(s: string): string {
  const one = s.replace(/\s+/g, " ").trim();
  return JSON.stringify(one.length > 80 ? `${one.slice(0, 77)}...` : one);
}
