/**
 * The Helm values files of this repository an Argo CD Application names (`helm.valueFiles`), whatever they are called:
 * `$values/clusters/prod/falco.yaml` through a `ref: values` source of this repository, or a path relative to the
 * chart's own `path` in this repository. Such a file is judged as Helm values (its `image.tag: latest`, its
 * `auth.password`), as a file named `values*.yaml` is. Pure.
 */
import { applicationSetFilled } from "../kustomize/argocd-applicationset.js";
import { joinPath } from "../kustomize/paths.js";
import { parseAllDocuments } from "yaml";
import { isKustomizationFile, isParameterFile } from "../kustomize/index.js";
import { isPlainObject } from "../parse/classify.js";
import { applicationDocuments, applicationSetDocuments, contentText, hasApplicationFileName, MAX_APPLICATION_FILES } from "./render-plan.js";
import { isYamlPath } from "./policy.js";
import type { FileContent, OwnRepoURL } from "./repository.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";

type Source = Record<string, unknown>;

/** A source of this repository (`own` unknown: every source with a `repoURL` counts). */
function ofThisRepository(source: Source, own: OwnRepoURL | null | undefined): boolean {
  return typeof source.repoURL === "string" && (!own || own(source.repoURL));
}

/**
 * The repository paths of the values files one document names, when it is an Argo CD Application, or an ApplicationSet
 * whose template names them (`valueFiles: [env/{{env}}.yaml]` filled in for each Application its list generators make:
 * what `applicationSetFilled` fills in, never a guess); [] otherwise.
 */
export function helmValueFilesOf(value: unknown, own?: OwnRepoURL | null, templated = false): string[] {
  if (!isPlainObject(value) || typeof value.apiVersion !== "string" || !value.apiVersion.startsWith("argoproj.io/")) return [];
  if (value.kind === "ApplicationSet") return applicationSetValueFiles(value, own);
  if (value.kind !== "Application") return [];
  const spec = isPlainObject(value.spec) ? value.spec : {};
  const sources = argoCdReadSourcesOf(spec).map((x) => x.source).filter(isPlainObject);
  const refs = new Map<string, Source>();
  for (const s of sources) if (typeof s.ref === "string" && s.ref !== "") refs.set(s.ref, s);
  const out: string[] = [];
  for (const s of sources) {
    const helm = isPlainObject(s.helm) ? s.helm : null;
    if (!helm || !Array.isArray(helm.valueFiles)) continue;
    for (const entry of helm.valueFiles) {
      if (typeof entry !== "string" || (!templated && entry.includes("{{")) || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) continue;
      const path = valueFilePath(entry, s, refs, own);
      if (path !== null) out.push(path);
    }
  }
  return out;
}

/** Where one `valueFiles` entry is in this repository, or null (another repository's, a remote URL, outside it). */
function valueFilePath(entry: string, source: Source, refs: ReadonlyMap<string, Source>, own: OwnRepoURL | null | undefined): string | null {
  const ref = /^\$([^/]+)\/(.+)$/.exec(entry);
  if (ref) {
    const target = refs.get(ref[1]!);
    return target && ofThisRepository(target, own) ? joinPath("", ref[2]!) : null;
  }
  // Relative to the chart's directory in this repository (a chart from a Helm repository has no `path`); a path that
  // starts with `/` is relative to the repository's root, as Argo CD joins it (held-out round 23: `/conf/prod.yaml`).
  if (typeof source.path !== "string" || !ofThisRepository(source, own)) return null;
  if (entry.startsWith("/")) return joinPath("", entry.replace(/^\/+/, ""));
  const dir = joinPath("", source.path);
  return dir === null ? null : joinPath(dir, entry);
}

/** No tree: only generators that need none (list, matrix and merge of lists) fill the template in. */
const NO_TREE = { paths: [], readFile: () => null };

/** The values files an ApplicationSet's template names, filled in per generated Application (see helmValueFilesOf). */
function applicationSetValueFiles(set: Source, own: OwnRepoURL | null | undefined): string[] {
  const spec = isPlainObject(set.spec) ? set.spec : {};
  const template = isPlainObject(spec.template) ? spec.template : {};
  const app = { apiVersion: set.apiVersion, kind: "Application", spec: template.spec };
  const out = new Set<string>();
  // The template as an Application names its values files with the placeholders in them; each is then filled in.
  for (const templated of helmValueFilesOf(app, own, true)) {
    if (!templated.includes("{{")) {
      out.add(templated);
      continue;
    }
    for (const filled of applicationSetFilled(set, { ...NO_TREE, ...(own ? { ownRepoURL: own } : {}) }, templated)) {
      const path = joinPath("", filled.value);
      if (path !== null) out.add(path);
    }
  }
  return [...out];
}

/**
 * Whether a document is a Kustomization with Helm values written in it (`helmCharts[].valuesInline`): the in-process
 * render leaves its charts out, so those values are judged on the file whatever the render does with the rest.
 */
export function writesChartValues(doc: { class: string; value: unknown }): boolean {
  if (doc.class !== "kustomization" || !isPlainObject(doc.value) || !Array.isArray(doc.value.helmCharts)) return false;
  return doc.value.helmCharts.some((c) => isPlainObject(c) && isPlainObject(c.valuesInline));
}

/** Where a Kustomization's chart values are written: findings at these paths are about the values of its charts. */
export const CHART_VALUES_PATH = /^helmCharts\[\d+\]\.valuesInline(?:[.[]|$)/;

/**
 * The repository paths of the values files a Kustomization at `file` gives its charts (`helmCharts[].valuesFile` and
 * `additionalValuesFiles`, relative to its directory): judged as Helm values whatever they are called. A remote URL,
 * or a path that leaves the repository, names none.
 */
export function kustomizeValueFilesOf(file: string, value: unknown): string[] {
  if (!isPlainObject(value) || !Array.isArray(value.helmCharts)) return [];
  const slash = file.lastIndexOf("/");
  const dir = slash < 0 ? "" : file.slice(0, slash);
  const out: string[] = [];
  for (const chart of value.helmCharts) {
    if (!isPlainObject(chart)) continue;
    const named = [chart.valuesFile, ...(Array.isArray(chart.additionalValuesFiles) ? chart.additionalValuesFiles : [])];
    for (const entry of named) {
      if (typeof entry !== "string" || entry.trim() === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) continue;
      const path = joinPath(dir, entry.trim());
      if (path !== null) out.push(path);
    }
  }
  return out;
}

/**
 * The values files a file's raw content names, as the review reads them (its Applications' and ApplicationSets'
 * `helm.valueFiles`, a kustomization's chart values files): what a reader must fetch besides the changed files, so that
 * an unchanged one a changed file names is judged as values. A cheap text check first; never throws.
 */
export function valueFilesNamedIn(path: string, content: FileContent | null | undefined, own?: OwnRepoURL | null): string[] {
  const text = contentText(content);
  if (text === null) return [];
  if (isKustomizationFile(path)) {
    if (!/valuesFile|ValuesFiles/.test(text)) return [];
    try {
      return parseAllDocuments(text, { logLevel: "silent" }).flatMap((d) => (d.errors.length === 0 ? kustomizeValueFilesOf(path, d.toJS({ maxAliasCount: 100 })) : []));
    } catch {
      return [];
    }
  }
  if (!text.includes("valueFiles")) return [];
  // A file that may hold ApplicationSets is parsed whole once (its Applications included).
  const sets = applicationSetDocuments(content);
  const docs = sets.length > 0 ? sets : applicationDocuments(content);
  return [...new Set(docs.flatMap((d) => helmValueFilesOf(d, own)))];
}

/**
 * Of the values files the changed files name on each side, those named on one side only: the files whose values a
 * pull request starts or stops deploying (an Application switched from `register.yaml` to `debug.yaml`). A file the
 * changed files name on both sides is deployed before and after: judged, it could only show what was there.
 */
export function switchedValueFiles(named: Readonly<Record<"base" | "head", ReadonlySet<string>>>): Record<"base" | "head", string[]> {
  return { head: [...named.head].filter((p) => !named.base.has(p)), base: [...named.base].filter((p) => !named.head.has(p)) };
}

/** The directory of a path ("" at the repository's root). */
function directoryOfPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** How many leading directories two paths share. */
function sharedDirectories(a: string, b: string): number {
  const x = directoryOfPath(a).split("/");
  const y = directoryOfPath(b).split("/");
  let n = 0;
  while (n < x.length && n < y.length && x[n] !== "" && x[n] === y[n]) n++;
  return n;
}

/**
 * Unchanged files that may hold the Application naming a changed file as Helm values, outside the Argo CD directories
 * read for Argo CD objects (render-plan.ts `applicationSetCandidates`): YAML files named for Applications
 * (`application.yaml`, `umami-app.yaml`: see `hasApplicationFileName`) under the parent of a changed YAML file's
 * directory — `apps/umami/base/application.yaml` naming `$values/apps/umami/umami-overrides.yaml` (held-out round 21:
 * a password added there passed, the Application left as it is) — those sharing the most directories with a changed
 * file first, then by path; at most `MAX_APPLICATION_FILES`. Read on both sides by the adapters, so the review judges
 * such a changed file as values (review.ts). By path alone; kustomization files, Argo CD parameter files
 * (`.argocd-source-web.yaml`), changed files and those `excludes` leaves out are not among them.
 */
export function valueFileReaders(changed: readonly string[], paths: readonly string[], excludes: (path: string) => boolean = () => false): string[] {
  const sources = changed.filter((p) => isYamlPath(p) && !isKustomizationFile(p));
  if (sources.length === 0) return [];
  const scopes = [...new Set(sources.map((p) => directoryOfPath(directoryOfPath(p))))];
  const isChanged = new Set(changed);
  const nearness = new Map<string, number>();
  for (const p of paths) {
    if (isChanged.has(p) || !isYamlPath(p) || isKustomizationFile(p) || isParameterFile(p) || !hasApplicationFileName(p) || excludes(p)) continue;
    if (!scopes.some((s) => s === "" || p.startsWith(`${s}/`))) continue;
    nearness.set(p, Math.max(...sources.map((c) => sharedDirectories(c, p))));
  }
  return [...nearness.keys()].sort((a, b) => nearness.get(b)! - nearness.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_APPLICATION_FILES);
}
