import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import { UNLIMITED, type Budget } from "./budget.js";
import { formatPath } from "./path.js";
import type { Policy } from "./policy.js";
import type { DocContext, FileContext, Report, Rule } from "./rule.js";
import { ignoreAnnotation, IGNORE_ANNOTATION, parseIgnoreAnnotation, type AnnotationSuppression } from "./suppress.js";
import type { RawFinding, Resource, Suppression } from "./types.js";

export type EvaluatedFinding = RawFinding & { suppressed: Suppression | null };

const NO_RESOURCE: Resource = { apiVersion: null, kind: null, namespace: null, name: null };

export const PARSE_ERROR = "guard/parse-error";
export const INVALID_SUPPRESSION = "guard/invalid-suppression";
const PARSE_ERROR_FIX = "Fix the YAML at the reported line (or split the file / remove the aliases) so it parses.";

/**
 * Runs every rule that applies to one parsed file. Pure: the same file and policy give the same findings — unless
 * the time `budget` runs out, which stops the rules left (the caller reports that: see `budget.cutShort`).
 */
export function evaluateFile(file: ParsedFile, policy: Policy, knownRules: ReadonlySet<string>, budget: Budget = UNLIMITED): EvaluatedFinding[] {
  const out: EvaluatedFinding[] = [];
  const isProduction = policy.isProduction(file.path);

  if (policy.appliesTo(PARSE_ERROR, file.path)) {
    for (const p of file.problems) {
      out.push({
        ruleId: PARSE_ERROR,
        severity: policy.severity(PARSE_ERROR, "high"),
        file: file.path,
        line: p.line,
        column: p.column,
        endLine: p.endLine,
        endColumn: p.endColumn,
        resource: NO_RESOURCE,
        path: "",
        message: `${file.path} could not be reviewed: ${p.message}`,
        fix: PARSE_ERROR_FIX,
        docIndex: p.docIndex,
        suppressed: null,
      });
    }
  }
  // Files with text but no readable document (comments only, invalid YAML, a skipped Helm template) still go to
  // rules that read the raw text: a token committed there leaks all the same.
  if (file.text === null) return out;

  const active = policy.rulesFor(file.path);
  const annotations = new Map<number, AnnotationSuppression>();
  for (const doc of file.docs) {
    const raw = ignoreAnnotation(doc);
    if (raw === null) continue;
    const parsed = parseIgnoreAnnotation(raw, knownRules);
    if (parsed.ok) annotations.set(doc.index, parsed.value);
    else if (policy.appliesTo(INVALID_SUPPRESSION, file.path)) {
      const path = ["metadata", "annotations", IGNORE_ANNOTATION];
      out.push({
        ruleId: INVALID_SUPPRESSION,
        severity: policy.severity(INVALID_SUPPRESSION, "low"),
        file: file.path,
        ...doc.locate(path),
        resource: doc.resource,
        path: formatPath(path),
        message: parsed.problem,
        fix: 'Write "<rule-id>[,<rule-id>...] -- <reason>" with ids from `gitops-guard rules`.',
        docIndex: doc.index,
        suppressed: null,
      });
    }
  }

  const push = (rule: Rule, doc: ParsedDoc | null, docIndex: number, r: Report): void => {
    const ann = annotations.get(docIndex);
    const suppressed: Suppression | null = ann && ann.rules.includes(rule.meta.id) ? { by: "annotation", reason: ann.reason, expires: null, actor: null } : null;
    out.push(ruleFinding(rule, policy, file.path, doc, docIndex, r, suppressed));
  };

  for (const { rule, settings } of active) {
    if (budget.stop()) break;
    try {
      if (rule.checkDoc) {
        for (const doc of file.docs) {
          if (budget.stop()) break;
          const ctx: DocContext = { doc, file, settings, isProduction, report: (r) => push(rule, doc, doc.index, r) };
          rule.checkDoc(ctx);
        }
      }
      if (rule.checkFile && !budget.cutShort) {
        const ctx: FileContext = {
          file,
          settings,
          isProduction,
          docAt: (offset) => docAtOffset(file.docs, offset),
          report: (r) => push(rule, docByIndex(file.docs, r.docIndex), r.docIndex, r),
        };
        rule.checkFile(ctx);
      }
    } catch (err) {
      throw new Error(`rule ${rule.meta.id} failed on ${file.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return out;
}

/** A rule's report turned into a finding: located, with the policy's severity and the rule's fix by default. */
export function ruleFinding(
  rule: Rule,
  policy: Policy,
  file: string,
  doc: ParsedDoc | null,
  docIndex: number,
  r: Report,
  suppressed: Suppression | null = null,
): EvaluatedFinding {
  const id = rule.meta.id;
  const where = r.range ?? (doc ? doc.locate(r.path, r.target) : { line: 1, column: 1, endLine: 1, endColumn: 1 });
  return {
    ruleId: id,
    severity: policy.severity(id, r.severity ?? rule.meta.severity),
    file,
    line: where.line,
    column: where.column,
    endLine: where.endLine,
    endColumn: where.endColumn,
    resource: r.resource ?? doc?.resource ?? NO_RESOURCE,
    path: formatPath(r.path),
    message: r.message,
    fix: r.fix ?? rule.meta.fix,
    docIndex,
    suppressed,
  };
}

/** The document holding a character offset: docs are in file order, so a binary search (rules ask per match). */
function docAtOffset(docs: readonly ParsedDoc[], offset: number): ParsedDoc | null {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = docs[mid]!;
    if (d.contains(offset)) return d;
    if (offset < d.span[0]) hi = mid - 1;
    else lo = mid + 1;
  }
  return null;
}

/** The document with a given index: indexes rise with position, with gaps where a document was not read. */
function docByIndex(docs: readonly ParsedDoc[], index: number): ParsedDoc | null {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = docs[mid]!.index;
    if (i === index) return docs[mid]!;
    if (index < i) hi = mid - 1;
    else lo = mid + 1;
  }
  return null;
}
