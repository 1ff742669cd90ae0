import { isPlainObject } from "../parse/classify.js";
import { derivedDocs, isDerivedDoc, isPartialDoc, readsDerivedDocs } from "../parse/helm-argocd-values.js";
import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import { UNLIMITED, type Budget } from "./budget.js";
import { identityPath } from "./fingerprint.js";
import { isRefusedPatch } from "./handed-patches.js";
import { formatPath, type JsonPath } from "./path.js";
import type { Policy } from "./policy.js";
import type { DocContext, FileContext, Report, Rule, TreeView } from "./rule.js";
import { ignoreAnnotation, IGNORE_ANNOTATION, parseIgnoreAnnotation, type AnnotationSuppression } from "./suppress.js";
import type { RawFinding, Resource, Suppression } from "./types.js";
import type { ReviewFacts } from "./facts.js";

export type EvaluatedFinding = RawFinding & { suppressed: Suppression | null };

const NO_RESOURCE: Resource = { apiVersion: null, kind: null, namespace: null, name: null };
const NO_DOCS: readonly ParsedDoc[] = [];

/**
 * Ids of the rules the engine reports itself (their metadata — title, severity, fix — is in src/rules/guard/, which
 * uses these constants). The engine takes severity and fix from the Rule it is given, so `explain` and the finding
 * say the same thing.
 */
export const PARSE_ERROR = "guard/parse-error";
export const INVALID_SUPPRESSION = "guard/invalid-suppression";

export interface EvaluateFileOptions {
  /**
   * False when the file's documents are judged through a Kustomize render instead (the file is in the closure of a
   * root that rendered): document rules (`checkDoc`) are skipped; raw-text rules (`checkFile`) and parse errors stay.
   * `"committed-content"`: only the document rules that judge what is committed (`meta.judgesCommittedContent`) run,
   * for a manifest Argo CD does not apply (no kustomization beside it reads it).
   */
  docRules?: boolean | "committed-content";
  /** Facts from outside the repository (e.g. ECR scan results), read by rules such as ecr/*. */
  facts?: ReviewFacts;
  /** The repository's tree on the file's side (see `DocContext.tree`). */
  tree?: TreeView;
  /** A per-file time budget; when it runs out the rules left are skipped (default: unlimited). */
  budget?: Budget;
}

/**
 * Runs every rule that applies to one parsed file. Pure: the same file and policy give the same findings — unless
 * the time `budget` (in the options) runs out, which stops the rules left (the caller reports that: see
 * `budget.cutShort`).
 */
export function evaluateFile(file: ParsedFile, policy: Policy, knownRules: ReadonlySet<string>, options: EvaluateFileOptions = {}): EvaluatedFinding[] {
  const budget = options.budget ?? UNLIMITED;
  const out: EvaluatedFinding[] = [];
  const isProduction = policy.isProduction(file.path);

  const parseError = policy.appliesTo(PARSE_ERROR, file.path) ? policy.rule(PARSE_ERROR) : undefined;
  if (parseError) {
    for (const p of file.problems) {
      out.push(ruleFinding(parseError, policy, file.path, null, p.docIndex, { path: [], range: p, resource: NO_RESOURCE, message: `${file.path} could not be reviewed: ${p.message}` }));
    }
  }
  // Files with text but no readable document (comments only, invalid YAML, a skipped Helm template) still go to
  // rules that read the raw text: a token committed there leaks all the same.
  if (file.text === null) return out;

  const active = policy.rulesFor(file.path);
  const docRules = options.docRules !== false;
  const committedOnly = options.docRules === "committed-content";
  // Argo CD objects declared in Helm values are judged as objects of their own, at their lines in the values file.
  // (Not an Application's inline patches of a source Argo CD refuses: nothing of them is applied.)
  const all = derivedDocs(file);
  const derived = all.length > 0 ? all.filter((d) => !isRefusedPatch(d, options.tree)) : all;
  const docs = derived.length > 0 ? [...file.docs, ...derived] : file.docs;
  // A file judged through a render still honours its annotations for raw-text findings; an invalid one is reported
  // on the rendered object.
  const annotations = annotationSuppressions(docs, file.path, policy, knownRules, (rule, doc, r) => {
    if (docRules && !committedOnly) out.push(ruleFinding(rule, policy, file.path, doc, doc.index, r));
  });

  const push = (rule: Rule, doc: ParsedDoc | null, docIndex: number, r: Report): void => {
    out.push(ruleFinding(rule, policy, file.path, doc, docIndex, r, annotationSuppression(annotations, rule.meta.id, docIndex)));
  };
  // The rule and document being judged, and whether that document is only part of its object (an inline patch, an
  // overlay values entry: what it leaves out is written elsewhere). Rules report while they run: one `report` for the
  // whole file reads these, rather than a closure for every rule and document (some hundred rules per document).
  let judgedRule: Rule | undefined;
  let judgedDoc: ParsedDoc | undefined;
  let judgedPartial = false;
  const reportDoc = (r: Report): void => {
    if (judgedPartial && !judgesPart(judgedDoc!, r.path)) return;
    const as = isDerivedDoc(judgedDoc!) ? judgedDoc.reportedAs : undefined;
    if (as === undefined) push(judgedRule!, judgedDoc!, judgedDoc!.index, explained(judgedDoc!, r));
    // Reported as the document it is derived from (an ArgoCD resource), at the same line.
    else push(judgedRule!, as.doc, as.doc.index, { ...explained(judgedDoc!, r), path: as.path(r.path), ...(r.identity ? { identity: as.path(r.identity) } : {}), range: r.range ?? judgedDoc!.locate(r.path, r.target, r.part) });
  };

  // Documents read with a parse error (reported above) still commit what they hold: the credential rules read them.
  const broken = docRules ? (file.brokenDocs ?? []) : [];
  // Most rules do not read derived documents: they get the file's own documents (and the derived ones every rule
  // judges, `everyRule`: an inline patch of an object the render cannot see), sorted out once for every rule.
  const forEveryRule = (d: ParsedDoc): boolean => !isDerivedDoc(d) || d.everyRule === true;
  const ownDocs = derived.length > 0 ? docs.filter(forEveryRule) : docs;
  const ownBroken = broken.length > 0 ? broken.filter(forEveryRule) : broken;
  // Derived documents only some rules judge (a Helm template's workloads): each rule's documents sorted out for it.
  const someRulesOnly = derived.some((d) => d.judgedBy !== undefined);
  let ctx: DocContext | undefined;
  for (const { rule, settings } of active) {
    const runsDocs = rule.checkDoc !== undefined && docRules && (!committedOnly || rule.meta.judgesCommittedContent === true);
    // A rule with nothing to run here costs no look at the clock.
    if (!runsDocs && !rule.checkFile) continue;
    if (budget.stop()) break;
    // Asked once per rule, not per document: only the rules that read derived documents look at what a document is.
    const readsDerived = readsDerivedDocs(rule.meta.id);
    try {
      if (runsDocs) {
        const ruleDocs = someRulesOnly ? docs.filter((d) => ruleReads(d, rule.meta.id, readsDerived)) : readsDerived ? docs : ownDocs;
        const ruleBroken = broken.length > 0 && rule.meta.judgesCommittedContent === true ? (readsDerived ? broken : ownBroken) : NO_DOCS;
        judgedRule = rule;
        const count = ruleDocs.length + ruleBroken.length;
        for (let i = 0; i < count; i++) {
          // The look before the rule covers its first document.
          if (i > 0 && budget.stop()) break;
          const doc = i < ruleDocs.length ? ruleDocs[i]! : ruleBroken[i - ruleDocs.length]!;
          // (Only a derived document is partial: an inline patch of an object the render cannot see reaches every rule.)
          judgedDoc = doc;
          judgedPartial = isPartialDoc(doc);
          // One shape for every context (no spread), and one context for the file: only its rule's settings and its
          // document change.
          if (ctx === undefined) ctx = { doc, file, settings, isProduction, facts: options.facts, tree: options.tree, report: reportDoc };
          else {
            ctx.doc = doc;
            ctx.settings = settings;
          }
          rule.checkDoc!(ctx);
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

/**
 * Whether a rule judges a document: the file's own, a derived one meant for the rules that read derived documents
 * (`readsDerived`) or for every rule, or one meant for some rules only (`DerivedDoc.judgedBy`).
 */
function ruleReads(doc: ParsedDoc, ruleId: string, readsDerived: boolean): boolean {
  if (!isDerivedDoc(doc)) return true;
  if (doc.judgedBy !== undefined) return doc.judgedBy.has(ruleId);
  return readsDerived || doc.everyRule === true;
}

/** A report on a derived document that says how its finding comes about (`DerivedDoc.explain`) with that added. */
export function explained(doc: ParsedDoc, r: Report): Report {
  if (!isDerivedDoc(doc) || doc.explain === undefined) return r;
  return { ...r, message: `${r.message}${r.message.endsWith(".") ? "" : "."} ${doc.explain(r.path)}.` };
}

/** Whether a finding at `path` of a partial document is about what it writes (see `DerivedDoc.writes`), not what it leaves out. */
function judgesPart(doc: ParsedDoc, path: JsonPath): boolean {
  return holds(doc.value, path) && (!isDerivedDoc(doc) || doc.writes === undefined || doc.writes(path));
}

/** Whether a document's value holds something at `path` (a finding there is about what it writes, not what it leaves out). */
function holds(value: unknown, path: JsonPath): boolean {
  let cur = value;
  for (const seg of path) {
    if (typeof seg === "number" ? !Array.isArray(cur) || seg >= cur.length : !isPlainObject(cur) || !(seg in cur)) return false;
    cur = typeof seg === "number" ? (cur as unknown[])[seg] : (cur as Record<string, unknown>)[seg];
  }
  return true;
}

/**
 * The `gitops-guard.io/ignore` annotations of documents, by document index. An annotation that does not parse is
 * reported (`guard/invalid-suppression`, when it applies to `policyPath`) through `reportInvalid`.
 */
export function annotationSuppressions(
  docs: readonly ParsedDoc[],
  policyPath: string,
  policy: Policy,
  knownRules: ReadonlySet<string>,
  reportInvalid: (rule: Rule, doc: ParsedDoc, r: Report) => void,
): Map<number, AnnotationSuppression> {
  const annotations = new Map<number, AnnotationSuppression>();
  for (const doc of docs) {
    const raw = ignoreAnnotation(doc);
    if (raw === null) continue;
    const parsed = parseIgnoreAnnotation(raw, knownRules);
    if (parsed.ok) annotations.set(doc.index, parsed.value);
    else {
      const invalidSuppression = policy.appliesTo(INVALID_SUPPRESSION, policyPath) ? policy.rule(INVALID_SUPPRESSION) : undefined;
      if (invalidSuppression) reportInvalid(invalidSuppression, doc, { path: ["metadata", "annotations", IGNORE_ANNOTATION], message: parsed.problem });
    }
  }
  return annotations;
}

/** The annotation suppression of a rule on a document, if its `gitops-guard.io/ignore` names the rule. */
export function annotationSuppression(annotations: ReadonlyMap<number, AnnotationSuppression>, ruleId: string, docIndex: number): Suppression | null {
  const ann = annotations.get(docIndex);
  return ann && ann.rules.includes(ruleId) ? { by: "annotation", reason: ann.reason, expires: null, actor: null } : null;
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
  const where = r.range ?? (doc ? doc.locate(r.path, r.target, r.part) : { line: 1, column: 1, endLine: 1, endColumn: 1 });
  const path = formatPath(r.path);
  const identity = findingIdentity(doc, r.identity ?? r.path);
  return {
    ruleId: id,
    severity: policy.severity(id, r.severity ?? rule.meta.severity),
    file,
    line: where.line,
    column: where.column,
    endLine: where.endLine,
    endColumn: where.endColumn,
    resource: r.resource ?? doc?.resource ?? NO_RESOURCE,
    path,
    ...(identity !== path ? { identity } : {}),
    message: r.message,
    fix: r.fix ?? rule.meta.fix,
    docIndex,
    suppressed,
    ...(r.deferredTo !== undefined ? { deferred: true as const } : {}),
    ...(r.grant !== undefined ? { grant: r.grant } : {}),
    ...(r.valueDigests !== undefined && r.valueDigests.length > 0 ? { valueDigests: r.valueDigests } : {}),
  };
}

/**
 * The path a finding's fingerprint uses: list items that the list names (containers, env, volumes …) by name, as a
 * rendered object's are, so adding a sidecar before a container, or removing one, leaves the findings of the others
 * `existing` rather than new + fixed. Other list items keep their index.
 */
function findingIdentity(doc: ParsedDoc | null, path: JsonPath): string {
  return doc && path.some((seg) => typeof seg === "number") ? identityPath(doc.value, path) : formatPath(path);
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
