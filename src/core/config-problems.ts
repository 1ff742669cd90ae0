/**
 * Config validation problems in words a person can act on: each names its key path, an unknown key or rule id gets a
 * "did you mean", and `rules.<id>` says which values it takes. Pure; the schemas are walked, never duplicated.
 */
import type { z } from "zod";
import { didYouMean } from "./suggest.js";
import { SEVERITIES } from "./types.js";

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

/** The allowed forms of `rules.<id>`. */
export const RULE_SETTING_FORMS = `off, a severity (${SEVERITIES.join(", ")}) or a mapping {severity, paths, options}`;

interface SchemaDef {
  type: string;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown;
  shape?: Record<string, unknown>;
}

function defOf(schema: unknown): SchemaDef | null {
  if (typeof schema !== "object" || schema === null || !("_zod" in schema)) return null;
  const zod = (schema as { _zod: { def?: SchemaDef } })._zod;
  return zod.def ?? null;
}

/** The object schemas reachable at `path` (through defaults, optionals, pipes, arrays, records and unions). */
function objectsAt(schema: unknown, path: readonly Key[]): SchemaDef[] {
  const def = defOf(schema);
  if (!def) return [];
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
    case "readonly":
      return objectsAt(def.innerType, path);
    case "pipe":
      return objectsAt(def.in, path);
    case "union":
      return Array.isArray(def.options) ? def.options.flatMap((o) => objectsAt(o, path)) : [];
  }
  if (path.length === 0) return def.type === "object" ? [def] : [];
  const [head, ...rest] = path;
  if (def.type === "object" && typeof head === "string" && def.shape && head in def.shape) return objectsAt(def.shape[head], rest);
  if (def.type === "array" && typeof head === "number") return objectsAt(def.element, rest);
  if (def.type === "record") return objectsAt(def.valueType, rest);
  return [];
}

/** The keys a mapping at `path` may have. */
export function knownKeysAt(schema: unknown, path: readonly Key[]): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((d) => Object.keys(d.shape ?? {})))];
}

function valueAt(input: unknown, path: readonly Key[]): unknown {
  let v = input;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

function join(prefix: string, path: readonly Key[]): string {
  const parts = [prefix, ...path.map(String)].filter((p) => p !== "");
  return parts.length ? parts.join(".") : "(root)";
}

/** A short, single-line rendering of a value the user wrote (config files hold no secrets; still capped). */
function shown(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

function isMapping(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(issue: Issue, schema: unknown, input: unknown, prefix: string, base: readonly Key[] = []): string[] {
  const path = [...base, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(schema, path);
    const allowed = known.length ? ` (allowed: ${known.join(", ")})` : "";
    return issue.keys.map((k) => `${join(prefix, [...path, k])}: unknown key${didYouMean(k, known) || allowed}`);
  }
  if (issue.code === "invalid_union" && path.length === 2 && path[0] === "rules" && prefix === "") {
    const value = valueAt(input, path);
    // A mapping: what is wrong inside it (its keys, its severity); anything else: the forms a rule setting takes.
    const objectBranch = issue.errors[issue.errors.length - 1] ?? [];
    if (isMapping(value) && objectBranch.length) return objectBranch.flatMap((i) => describe(i, schema, input, prefix, path));
    const hint = typeof value === "string" ? didYouMean(value, ["off", ...SEVERITIES]) : "";
    return [`${join(prefix, path)}: expected ${RULE_SETTING_FORMS}; got ${shown(value)}${hint}`];
  }
  if (issue.code === "invalid_union") {
    // A choice between literals (`severity: high | off`): one list of what is allowed.
    const branches = issue.errors.map((b) => (b.length === 1 && b[0]!.code === "invalid_value" && b[0]!.path.length === 0 ? b[0]!.values : null));
    if (branches.every((b) => b !== null)) return describe({ ...issue, code: "invalid_value", values: branches.flat() } as Issue, schema, input, prefix, base);
  }
  if (issue.code === "invalid_value" && issue.values.length > 1) {
    const value = valueAt(input, path);
    const hint = typeof value === "string" ? didYouMean(value, issue.values.map(String)) : "";
    return [`${join(prefix, path)}: expected one of ${issue.values.map(String).join(", ")}; got ${shown(value)}${hint}`];
  }
  // A required key left out: say so, and what it takes (zod only says what it got: undefined).
  const last = path[path.length - 1];
  if (path.length > 0 && valueAt(input, path) === undefined && isMapping(valueAt(input, path.slice(0, -1)))) {
    const takes = typeof last === "string" ? REQUIRED[last] : undefined;
    return [`${join(prefix, path)}: required${takes ? `: ${takes}` : ""}`];
  }
  return [`${join(prefix, path)}: ${issue.message}`];
}

/** What a required key takes, by its name, for the message when it is left out. */
const REQUIRED: Readonly<Record<string, string>> = {
  expires: "the date the waiver ends, like 2026-12-31",
  reason: "why the finding is accepted (recorded for audit)",
  rule: "the rule id the waiver is for (see `gitops-guard rules`)",
};

/** Problems for the issues of a failed `schema.safeParse(input)`, key paths under `prefix` (e.g. `rules.x.options`). */
export function configProblems(issues: readonly Issue[], schema: unknown, input: unknown, prefix = ""): string[] {
  return issues.flatMap((i) => describe(i, schema, input, prefix));
}

/** `rules.k8s/nope: unknown rule id; did you mean …?` */
export function unknownRuleProblem(where: string, id: string, known: Iterable<string>): string {
  return `${where}: unknown rule id "${id}"${didYouMean(id, known) || " (see `gitops-guard rules`)"}`;
}
