/**
 * Document rules on the objects a Kustomize root renders, instead of on the raw documents of the files it reads.
 * A finding points at the origin of the value (the base line, the patch, the `images:` entry, the generator's
 * `.env` line), or — for a value that is not set — at the nearest thing that is (e.g. the container in the base).
 * Pure.
 */
import { isKustomizationFile, renderedToParsedDoc, type RenderedResource } from "../kustomize/index.js";
import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import { annotationSuppression, annotationSuppressions, ruleFinding, type EvaluatedFinding } from "./evaluate.js";
import { resourceKey, type RenderScope } from "./fingerprint.js";
import type { Policy } from "./policy.js";
import type { Report, Rule } from "./rule.js";
import type { ReviewFacts } from "./facts.js";
import type { Resource, Suppression } from "./types.js";

export interface RenderedRootInput {
  /** The root's directory. */
  root: string;
  /** Its kustomization file: the path that decides which rules apply, their scopes and "production". */
  file: string;
  resources: readonly RenderedResource[];
  /** Text of a file of this side (to point inside block scalars), or null. */
  text(path: string): string | null;
}

export type RenderedFinding = EvaluatedFinding & { renderScope: RenderScope };

const FIRST_LINE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Kustomize's content-hash suffix of a generated ConfigMap or Secret (10 characters of its alphabet). */
const HASH_SUFFIX = /-[2456789bcdfghkmt]{10}$/;

/** Identity of a rendered object for fingerprints: a generator's hash suffix changes with every edit, so it is left out. */
function renderedKey(r: RenderedResource, index: number): string {
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

  // Rules see the whole render as "the file" (e.g. a ServiceAccount beside the workload), with the text of the
  // file that defines the object: rules that point inside a block scalar use it, and their range is kept only
  // when the value was written in that file.
  const files = new Map<string, ParsedFile>();
  const fileOf = (doc: ParsedDoc): ParsedFile => {
    let f = files.get(doc.file);
    if (!f) {
      f = { path: doc.file || input.file, text: doc.file ? input.text(doc.file) : null, rangeOf: () => FIRST_LINE, docs, problems: [], skipped: null };
      files.set(doc.file, f);
    }
    return f;
  };

  const emit = (rule: Rule, doc: ParsedDoc, r: Report, suppressed: Suppression | null): void => {
    const file = input.resources[doc.index]!.originOf(r.path, r.target).file || doc.file || input.file;
    if (policy.excludes(file)) return;
    const report: Report = r.range && file !== doc.file ? withoutRange(r) : r;
    const f = ruleFinding(rule, policy, file, doc, doc.index, report, suppressed);
    out.push({ ...f, renderScope: { root: input.root, resourceKey: keys[doc.index]! } });
  };

  const annotations = annotationSuppressions(docs, input.file, policy, knownRules, (rule, doc, r) => emit(rule, doc, r, null));
  // Each document's "file" is looked up once, not once per rule.
  const docFiles = docs.map(fileOf);
  for (const { rule, settings } of policy.rulesFor(input.file)) {
    const checkDoc = rule.checkDoc;
    if (!checkDoc) continue;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      try {
        checkDoc.call(rule, { doc, file: docFiles[i]!, settings, isProduction, facts, report: (r) => emit(rule, doc, r, annotationSuppression(annotations, rule.meta.id, doc.index)) });
      } catch (err) {
        throw new Error(`rule ${rule.meta.id} failed on ${input.root} (rendered): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  }
  return out;
}

function withoutRange(r: Report): Report {
  const { range: _dropped, ...rest } = r;
  return rest;
}
