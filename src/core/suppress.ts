import { isPlainObject } from "../parse/classify.js";
import type { ParsedDoc } from "../parse/yaml-file.js";
import { resourceKey } from "./fingerprint.js";
import type { Matcher } from "./policy.js";
import { globMatcher } from "./policy.js";
import type { Finding, RawFinding, Suppression } from "./types.js";

export const IGNORE_ANNOTATION = "gitops-guard.io/ignore";

export interface AnnotationSuppression {
  rules: string[];
  reason: string;
}

export type AnnotationParse =
  | { ok: true; value: AnnotationSuppression }
  | { ok: false; problem: string };

/** Parses `"<rule-id>[,<rule-id>...] -- <reason>"`. */
export function parseIgnoreAnnotation(text: string, knownRules: ReadonlySet<string>): AnnotationParse {
  const sep = text.indexOf("--");
  const idsPart = (sep >= 0 ? text.slice(0, sep) : text).trim();
  const reason = sep >= 0 ? text.slice(sep + 2).trim() : "";
  const rules = idsPart.split(",").map((s) => s.trim()).filter(Boolean);
  if (rules.length === 0) return { ok: false, problem: `${IGNORE_ANNOTATION} names no rule` };
  const unknown = rules.filter((r) => !knownRules.has(r));
  if (unknown.length) return { ok: false, problem: `${IGNORE_ANNOTATION} names unknown rule ${unknown.map((u) => `"${u}"`).join(", ")}` };
  if (!reason) return { ok: false, problem: `${IGNORE_ANNOTATION} for ${rules.join(", ")} gives no reason ("<rule-id> -- <reason>"), so it does not apply` };
  return { ok: true, value: { rules, reason } };
}

/** The raw annotation value on a document's own metadata, if any. */
export function ignoreAnnotation(doc: ParsedDoc): string | null {
  const v = doc.value;
  if (!isPlainObject(v) || !isPlainObject(v.metadata) || !isPlainObject(v.metadata.annotations)) return null;
  const a = v.metadata.annotations[IGNORE_ANNOTATION];
  return typeof a === "string" ? a : null;
}

/** A waiver from the config file or the decision store, in one shape. */
export interface Waiver {
  by: "config" | "waiver";
  rule: string;
  /** Glob (config) or exact file (stored waiver); absent = every file. */
  path?: string;
  /** `Kind/name` or `Kind/namespace/name`; absent = every resource. */
  resource?: string;
  reason: string;
  /** ISO time; the waiver stops applying at this instant. */
  expires: string | null;
  actor: string | null;
  id?: string;
}

export function isExpired(w: { expires: string | null }, now: Date): boolean {
  return w.expires !== null && new Date(w.expires).getTime() <= now.getTime();
}

function resourceMatches(spec: string, f: RawFinding): boolean {
  const parts = spec.split("/");
  // A rendered object answers to its rendered name and to the name its defining document wrote (a waiver written
  // for a base's `Deployment/web` still applies once an overlay names it `shop-prod-eu/web-eu`).
  return [f.resource, ...(f.writtenAs ? [f.writtenAs] : [])].some((r) => {
    if (parts.length === 2) return r.kind === parts[0] && (r.name ?? `#${f.docIndex}`) === parts[1];
    if (parts.length === 3) return r.kind === parts[0] && (r.namespace ?? "") === parts[1] && (r.name ?? `#${f.docIndex}`) === parts[2];
    return resourceKey({ ...f, resource: r }) === spec;
  });
}

/** Compiled waivers: the first that matches a finding suppresses it. Expired waivers never match. */
export class WaiverSet {
  private readonly compiled: Array<{ w: Waiver; path: Matcher | null }>;

  constructor(waivers: readonly Waiver[], now: Date) {
    this.compiled = waivers
      .filter((w) => !isExpired(w, now))
      .map((w) => ({ w, path: w.path === undefined ? null : w.by === "config" ? globMatcher([w.path]) : (p: string) => p === w.path }));
  }

  match(f: RawFinding): Suppression | null {
    for (const { w, path } of this.compiled) {
      if (w.rule !== f.ruleId) continue;
      if (path && !path(f.file)) continue;
      if (w.resource && !resourceMatches(w.resource, f)) continue;
      return { by: w.by, reason: w.reason, expires: w.expires, actor: w.actor };
    }
    return null;
  }
}

/** Marks findings suppressed: annotation (already set by the evaluator), then waivers, then an override. */
export function applySuppressions<T extends Finding>(
  findings: T[],
  waivers: WaiverSet,
  override: { actor: string; reason: string } | null,
): T[] {
  return findings.map((f) => {
    if (f.suppressed || f.status === "fixed") return f;
    const byWaiver = waivers.match(f);
    if (byWaiver) return { ...f, suppressed: byWaiver };
    if (override && f.status === "new") return { ...f, suppressed: { by: "override", reason: override.reason, expires: null, actor: override.actor } };
    return f;
  });
}
