/**
 * One cause, one finding, across rules that meet on the same value: a rule may declare (`meta.subsumes`) that its
 * finding stands for another rule's finding on the same thing — `secrets/known-credential`, which names the token
 * type, for `secrets/sensitive-config-value` and `secrets/literal-env-secret` on the `OPENAI_API_KEY: sk-…` line.
 * Pure.
 *
 * Done on the review's findings rather than inside the rules, because only here are both rules' findings known as
 * they are reported: the subsuming rule may be off, scoped away from the file or not see the text at all (a
 * generator's `.env` file, read by the render but not by raw-text rules), and then the other finding must stay.
 */
import type { Rule } from "./rule.js";
import { severityRank, type Finding } from "./types.js";

/** Which rules each rule's findings stand for (by id), from the rules' metadata; empty when none declares any. */
export function subsumedRules(rules: readonly Rule[]): ReadonlyMap<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const r of rules) if (r.meta.subsumes && r.meta.subsumes.length > 0) out.set(r.meta.id, new Set(r.meta.subsumes));
  return out;
}

/** `a` lies inside `b` (same file assumed): its start is not before b's and its end not after b's. */
function within(a: Finding, b: Finding): boolean {
  const startsIn = a.line > b.line || (a.line === b.line && a.column >= b.column);
  const endsIn = a.endLine < b.endLine || (a.endLine === b.endLine && a.endColumn <= b.endColumn);
  return startsIn && endsIn;
}

/**
 * `s`, on one line, holds `f` there: an embedded config's credential line (`"bearerToken": "eyJ…"` in an Argo CD
 * cluster Secret's `config`) reported whole, and the token inside it (held-out round 23: three findings for one token).
 */
function sameLineAround(s: Finding, f: Finding): boolean {
  return s.line === s.endLine && f.line === f.endLine && s.line === f.line && within(f, s);
}

/** `s` can stand for `f` by status: unless `f` is new and `s` is not (it would hide what the pull request adds). */
function asNew(s: Finding, f: Finding): boolean {
  return f.status !== "new" || s.status === "new";
}

/**
 * The findings without those another rule's finding stands for: a finding of a subsumed rule is dropped when a
 * finding of a rule that subsumes it, on the same side of the review (head or fixed), lies within its source range
 * (the token inside the env value, the ConfigMap entry or the embedded config line), or holds it on one line. The finding that stays takes
 * the most severe severity of those it stands for, so the merge never weighs less for it; its status, fingerprint
 * and suppression are its own. A `new` finding is not dropped for one that is not new (an existing repository
 * Secret's password finding, same fingerprint, whose value the pull request replaced by a GitHub token): what the
 * pull request adds is reported. Order is kept.
 */
export function withoutSubsumed<T extends Finding>(findings: readonly T[], subsumes: ReadonlyMap<string, ReadonlySet<string>>): T[] {
  if (subsumes.size === 0) return [...findings];
  const subsumed = new Set([...subsumes.values()].flatMap((ids) => [...ids]));
  // The subsuming findings by side, file and first line: usually none, so most reviews stop here. Keyed by line so
  // that a file with thousands of findings is not searched once per finding.
  const byLine = new Map<string, T[]>();
  const place = (f: T, line: number): string => `${f.status === "fixed" ? "fixed" : "head"}\u0000${f.file}\u0000${line}`;
  for (const f of findings) {
    if (!subsumes.has(f.ruleId)) continue;
    const key = place(f, f.line);
    const list = byLine.get(key);
    if (list) list.push(f);
    else byLine.set(key, [f]);
  }
  if (byLine.size === 0) return [...findings];
  const raised = new Map<T, T["severity"]>();
  const kept = findings.filter((f) => {
    if (!subsumed.has(f.ruleId)) return true;
    let by: T | undefined;
    for (let line = f.line; line <= f.endLine && by === undefined; line++) {
      by = byLine.get(place(f, line))?.find((s) => s !== f && subsumes.get(s.ruleId)!.has(f.ruleId) && (within(s, f) || sameLineAround(s, f)) && asNew(s, f));
    }
    if (!by) return true;
    const current = raised.get(by) ?? by.severity;
    if (severityRank(f.severity) < severityRank(current)) raised.set(by, f.severity);
    return false;
  });
  return raised.size === 0 ? kept : kept.map((f) => (raised.has(f) ? { ...f, severity: raised.get(f)! } : f));
}
