/**
 * Helm charts an Argo CD object deploys from a chart repository (`source.chart`): the review does not render them, so
 * the workloads they install are not judged — only what the object writes itself (its Argo CD settings, the images,
 * credentials and Argo CD objects of its Helm values). Said in one note, so a green review of such a pull request
 * is not read as "the chart's pods were checked" (held-out round 18: a promtail Application whose chart installs a
 * hostPath DaemonSet passed without a word). Pure.
 */
import { applicationSetFilled } from "../kustomize/argocd-applicationset.js";
import { isPlainObject } from "../parse/classify.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";
import type { ParsedDoc } from "../parse/yaml-file.js";

/** No repository tree: only generators that need none (lists, their matrix and merge) fill a template in. */
const NO_TREE = { paths: [], readFile: () => null };

/** Charts named in the note; the rest are counted. */
const NAMED = 3;

/** `chart@version (file)` for each chart-repository source of an Application or an ApplicationSet's template. */
export function chartSourcesOf(doc: ParsedDoc): string[] {
  const { kind, apiVersion } = doc.resource;
  if (!(apiVersion ?? "").startsWith("argoproj.io/")) return [];
  const value = doc.value;
  const spec = !isPlainObject(value) ? undefined : kind === "Application" ? value.spec : kind === "ApplicationSet" && isPlainObject(value.spec) && isPlainObject(value.spec.template) ? value.spec.template.spec : undefined;
  const out: string[] = [];
  for (const { source } of argoCdReadSourcesOf(spec)) {
    if (!isPlainObject(source) || typeof source.chart !== "string" || source.chart === "") continue;
    const version = typeof source.targetRevision === "string" || typeof source.targetRevision === "number" ? `@${source.targetRevision}` : "";
    const named = `${source.chart}${version}`;
    // An ApplicationSet's `{{.chart}}@{{.version}}`, filled in from its list elements (held-out round 23: the note
    // printed the template text).
    const filled = kind === "ApplicationSet" && named.includes("{{") ? [...new Set(applicationSetFilled(value, NO_TREE, named).map((f) => f.value))] : [];
    for (const chart of filled.length > 0 ? filled : [named]) out.push(`${chart} (${doc.file})`);
  }
  return out;
}

/** The note for the charts the review's Argo CD objects deploy unrendered, or null for none. */
export function unrenderedChartsNote(charts: readonly string[]): string | null {
  const unique = [...new Set(charts)];
  if (unique.length === 0) return null;
  const shown = unique.slice(0, NAMED).join(", ");
  const more = unique.length > NAMED ? ` and ${unique.length - NAMED} more` : "";
  return `Helm charts from chart repositories are not rendered: the workloads of ${shown}${more} are not reviewed, only what the Argo CD object writes (its settings, and the images, credentials and Argo CD objects in its Helm values); to review them, render the chart (\`helm template … -f values.yaml > out/\`) and \`scan out/\``;
}
