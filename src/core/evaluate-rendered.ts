/**
 * Document rules on the objects a Kustomize root renders, instead of on the raw documents of the files it reads.
 * A finding points at the origin of the value (the base line, the patch, the `images:` entry, the generator's
 * `.env` line), or — for a value that is not set — at the nearest thing that is (e.g. the container in the base),
 * unless a patch's removal caused the finding: then at that removal.
 * Pure.
 */
import { isKustomizationFile, renderedToParsedDoc, type RenderedRemoval, type RenderedResource } from "../kustomize/index.js";
import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import { isArgoCdOperatorCr } from "../parse/argocd-operator-cr.js";
import { operatorDocs, readsDerivedDocs } from "../parse/helm-argocd-values.js";
import { annotationSuppression, annotationSuppressions, explained, ruleFinding, type EvaluatedFinding } from "./evaluate.js";
import { identityPath, resourceKey, type RenderScope } from "./fingerprint.js";
import type { Policy } from "./policy.js";
import type { DocContext, Report, Rule, RuleSettings, TreeView } from "./rule.js";
import { formatPath, type JsonPath } from "./path.js";
import { joinSourceTexts, type SourceTexts } from "./source-texts.js";
import type { ReviewFacts } from "./facts.js";
import type { Resource, Suppression } from "./types.js";

export interface RenderedRootInput {
  /** The root's directory. */
  root: string;
  /** What the render is called in findings (the root, plus the Application whose overrides it applied); default: the root. */
  label?: string;
  /** Its kustomization file: the path that decides which rules apply, their scopes and "production". */
  file: string;
  resources: readonly RenderedResource[];
  /** Text of a file of this side (to point inside block scalars), or null. */
  text(path: string): string | null;
  /** The repository's tree on this side (see `DocContext.tree`). */
  tree?: TreeView;
}

export type RenderedFinding = EvaluatedFinding & { renderScope: RenderScope };

/** Runs a rule on an object as a view shows it (its value replaced by `value` when given), returning its reports. */
type Judge = (view: { doc: ParsedDoc; file: ParsedFile }, value?: unknown) => readonly Report[];

const FIRST_LINE = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const NO_REPORTS: readonly Report[] = [];

/** Kustomize's content-hash suffix of a generated ConfigMap or Secret (10 characters of its alphabet). */
const HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

/**
 * Identity of a rendered object for fingerprints (its findings' `renderScope.resourceKey`): a generator's hash suffix
 * changes with every edit, so it is left out.
 */
export function renderedKey(r: RenderedResource, index: number): string {
  const res: Resource = r.resource;
  const generated = (res.kind === "ConfigMap" || res.kind === "Secret") && isKustomizationFile(r.definedAt.file);
  const name = generated && res.name !== null ? res.name.replace(HASH_SUFFIX, "") : res.name;
  return resourceKey({ resource: { ...res, name }, docIndex: index });
}

export function evaluateRendered(input: RenderedRootInput, policy: Policy, knownRules: ReadonlySet<string>, facts?: ReviewFacts): RenderedFinding[] {
  const out: RenderedFinding[] = [];
  const docs: ParsedDoc[] = input.resources.map((r, i) => renderedToParsedDoc(r, i));
  const keys = input.resources.map(renderedKey);
  const isProduction = policy.isProduction(input.file);

  // Rules see the whole render as "the file" (e.g. a ServiceAccount beside the workload), with the texts its
  // values come from (the defining file first, then patches, the kustomization, .env files): text checks see a
  // value an overlay wrote, and offsets inside a value map back to its file. A range a rule computes from line
  // numbers on that text is kept only when the value was written in the defining file (whose lines come first).
  const texts = new Map<string, ParsedFile & { sources: SourceTexts }>();
  const fileOf = (paths: readonly string[]): ParsedFile & { sources: SourceTexts } => {
    const key = paths.join("\u0000");
    let f = texts.get(key);
    if (!f) {
      const sources = joinSourceTexts(paths, input.text);
      f = { path: paths[0] || input.file, text: sources.text, rangeOf: (x, y) => sources.rangeOf(x, y) ?? FIRST_LINE, docs, problems: [], skipped: null, sources };
      texts.set(key, f);
    }
    return f;
  };
  /** What a rule sees of a document read with the texts of `paths`: offsets inside values map to those texts. */
  const views = new Map<string, { doc: ParsedDoc; file: ParsedFile }>();
  const primary: Array<{ doc: ParsedDoc; file: ParsedFile } | undefined> = [];
  const viewOf = (doc: ParsedDoc, paths: readonly string[], isPrimary: boolean): { doc: ParsedDoc; file: ParsedFile } => {
    const key = isPrimary ? "" : `${doc.index}\u0000${paths.join("\u0000")}`;
    let v = isPrimary ? primary[doc.index] : views.get(key);
    if (!v) {
      const file = fileOf(paths.filter((p) => p !== ""));
      const res = input.resources[doc.index]!;
      const view: ParsedDoc = { ...doc, spanOf: (path, target) => file.sources.spanOf(res.originOf(path, target)) ?? [0, 0], rangeOf: (x, y) => file.sources.rangeOf(x, y) ?? doc.rangeOf(x, y) };
      v = { doc: view, file };
      if (isPrimary) primary[doc.index] = v;
      else views.set(key, v);
    }
    return v;
  };

  /**
   * The file a finding is reported in: where the value at its path was written, or — when the rule gave a range
   * it located itself (`doc.locate` of a deeper path, e.g. one key of a generated Secret's `data`) — that
   * range's own file.
   */
  const originFile = (doc: ParsedDoc, r: Report): string => locatedFile(r) ?? (input.resources[doc.index]!.originOf(r.path, r.target, r.part).file || doc.file || input.file);
  const emit = (rule: Rule, doc: ParsedDoc, r: Report, suppressed: Suppression | null, file = originFile(doc, r)): void => {
    if (policy.excludes(file)) return;
    const f = ruleFinding(rule, policy, file, doc, doc.index, r, suppressed);
    const { resource, writtenAs } = input.resources[doc.index]!;
    const renamed = writtenAs.kind !== resource.kind || writtenAs.name !== resource.name || writtenAs.namespace !== resource.namespace;
    const written = `${writtenAs.kind ?? ""}/${writtenAs.namespace ?? ""}/${writtenAs.name ?? ""}`;
    const scope: RenderScope = { root: input.root, resourceKey: keys[doc.index]!, identity: identityPath(doc.value, r.identity ?? r.path), written, ...(input.label !== undefined ? { label: input.label } : {}) };
    out.push({ ...f, ...(renamed ? { writtenAs } : {}), renderScope: scope });
  };

  const run = (rule: Rule, settings: RuleSettings, doc: ParsedDoc, paths: readonly string[], isPrimary: boolean): readonly Report[] => {
    const view = viewOf(doc, paths, isPrimary);
    return runOn(rule, settings, view.doc, view.file);
  };
  // What the rule running now reports (rules report while they run, and one runs at a time): one `report` for the
  // whole render rather than a closure for every rule and object. Most rules report nothing on most objects: the
  // list is made for the first report only.
  let reported: Report[] | null = null;
  const collect = (r: Report): void => {
    (reported ??= []).push(r);
  };
  // One shape for every context (no spread), and one context for the render: each run sets its rule's settings and
  // its object.
  let ctx: DocContext | undefined;
  const runOn = (rule: Rule, settings: RuleSettings, doc: ParsedDoc, file: ParsedFile): readonly Report[] => {
    reported = null;
    if (ctx === undefined) ctx = { doc, file, settings, isProduction, facts, tree: input.tree, report: collect };
    else {
      ctx.doc = doc;
      ctx.file = file;
      ctx.settings = settings;
    }
    try {
      rule.checkDoc!(ctx);
    } catch (err) {
      throw new Error(`rule ${rule.meta.id} failed on ${input.root} (rendered): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return takeReported();
  };
  const takeReported = (): readonly Report[] => {
    const reports = reported ?? NO_REPORTS;
    reported = null;
    return reports;
  };

  const annotations = annotationSuppressions(docs, input.file, policy, knownRules, (rule, doc, r) => emit(rule, doc, rangeFrom(r, doc.file, originFile(doc, r)), null));
  const sources = docs.map((doc) => [doc.file, ...input.resources[doc.index]!.sourceFiles.filter((f) => f !== doc.file)]);
  /**
   * A rule's reports on one object turned into findings (most rules report nothing on most objects: what locating a
   * report needs is made here, for a report, not for every rule and object).
   */
  /** A rule run on an object seen through a view (and, for a removal undone, with another value): the rule's own reports. */
  const judgeWith =
    (rule: Rule, settings: RuleSettings): Judge =>
    (view, value) =>
      runOn(rule, settings, value === undefined ? view.doc : { ...view.doc, value }, view.file);
  const emitReports = (rule: Rule, settings: RuleSettings, doc: ParsedDoc, reports: readonly Report[], judge: Judge = judgeWith(rule, settings)): void => {
    // The rule runs again, on the text of another file, only for a string value written there (a patch's
    // block scalar): its range inside the value is then computed on the right text (and checked by the rule).
    let again: Map<string, readonly Report[]> | undefined;
    let withoutRemoval: Map<RenderedRemoval, readonly Report[]> | undefined;
    /** The removal a finding is owed to: undone, the rule no longer reports it (same identity). */
    const removalCausing = (r: Report): RenderedRemoval | undefined => {
      if (r.range) return undefined;
      const removals = input.resources[doc.index]!.removals;
      if (removals.length === 0) return undefined;
      const identity = formatPath(r.identity ?? r.path);
      return removals.find((removal) => {
        withoutRemoval ??= new Map();
        let restored = withoutRemoval.get(removal);
        if (!restored) {
          withoutRemoval.set(removal, (restored = judge(viewOf(doc, sources[doc.index]!, true), removal.restored())));
        }
        return !restored.some((o) => formatPath(o.identity ?? o.path) === identity);
      });
    };
    for (const r of reports) {
      // A finding a patch's removal caused (an overlay removing `allowPrivilegeEscalation`) points at that removal,
      // the line the pull request changed, not at the base line the value is missing under.
      const cause = removalCausing(r);
      if (cause) {
        emit(rule, doc, { ...r, range: cause.origin }, annotationSuppression(annotations, rule.meta.id, doc.index), cause.origin.file);
        continue;
      }
      const origin = originFile(doc, r);
      let located = rangeFrom(r, doc.file, origin);
      if (!located.range && origin !== doc.file && typeof valueAt(doc.value, r.path) === "string" && input.text(origin) !== null) {
        again ??= new Map();
        let onOrigin = again.get(origin);
        if (!onOrigin) again.set(origin, (onOrigin = judge(viewOf(doc, [origin], false))));
        const same = onOrigin.find((o) => o.range && o.message === r.message && o.target === r.target && o.part === r.part && formatPath(o.path) === formatPath(r.path));
        if (same) located = { ...r, range: same.range };
      }
      emit(rule, doc, located, annotationSuppression(annotations, rule.meta.id, doc.index), located === r ? origin : undefined);
    }
  };
  /**
   * An Argo CD rule's reports on the objects the Argo CD Operator writes from an `ArgoCD` resource (as a file's
   * `ArgoCD` document is judged, see helm-argocd-values.ts), as reports on the resource: each at the field it comes
   * from. Run again as the rule is (on a patch's text, with a removal undone) to locate them the same way.
   */
  const judgeOperatorConfig =
    (rule: Rule, settings: RuleSettings): Judge =>
    (view, value) => {
      const cr = value === undefined ? view.doc : { ...view.doc, value };
      return operatorDocs(cr).flatMap((o) => runOn(rule, settings, o, view.file).map((r) => ({ ...explained(o, r), path: o.reportedAs!.path(r.path) })));
    };
  for (const { rule, settings } of policy.rulesFor(input.file)) {
    if (!rule.checkDoc) continue;
    const readsOperatorConfig = readsDerivedDocs(rule.meta.id);
    for (const doc of docs) {
      const reports = run(rule, settings, doc, sources[doc.index]!, true);
      if (reports.length > 0) emitReports(rule, settings, doc, reports);
      if (!readsOperatorConfig || !isArgoCdOperatorCr(doc.value)) continue;
      const judge = judgeOperatorConfig(rule, settings);
      const derived = judge(viewOf(doc, sources[doc.index]!, true));
      if (derived.length > 0) emitReports(rule, settings, doc, derived, judge);
    }
  }
  return out;
}

/**
 * A report whose explicit range is kept when the rule located it (it names its file) or computed it on the text
 * of the file its value comes from.
 */
function rangeFrom(r: Report, textFile: string, origin: string): Report {
  return r.range && locatedFile(r) === undefined && origin !== textFile ? withoutRange(r) : r;
}

/** The file of a range a rule took from `doc.locate` (a rendered document's locations carry their file). */
function locatedFile(r: Report): string | undefined {
  const file = (r.range as { file?: unknown } | undefined)?.file;
  return typeof file === "string" && file !== "" ? file : undefined;
}

function valueAt(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function withoutRange(r: Report): Report {
  const { range: _dropped, ...rest } = r;
  return rest;
}
