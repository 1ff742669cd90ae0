/**
 * The directories an Argo CD ApplicationSet makes its Applications point at (their `spec.source(s).path`), from the
 * repository's paths and — for the git files generator — the contents of the files it reads, as the ApplicationSet
 * controller expands them (pure: every file comes from the caller).
 *
 * Generators expanded: `git` directories (Go `path.Match` patterns over every directory of the repository, dot
 * directories left out as Argo CD leaves them out; an `exclude: true` entry wins over any include), `git` files (`*`
 * within a segment, `**` over any number of them; JSON or YAML objects, or lists of them; `exclude: true` entries),
 * `list` (literal `elements`), `matrix` (the second generator may use the first's parameters) and `merge` (`mergeKeys`).
 * A generator whose parameters come from outside the repository (clusters, pull requests, SCM providers, plugins,
 * cluster decision resources) stands for one set of unknown parameters: a template path that does not use them is
 * still a path (a clusters generator with a literal `path`), one that does is unknown. The template's paths are filled
 * in with fasttemplate (`{{path.basename}}`, `{{path[1]}}`) or, with `goTemplate: true`, a small part of Go templates
 * (`{{.path.path}}`, `{{index .path.segments 1}}`, `lower`/`upper`); a `templatePatch` that sets a source is applied
 * when it resolves. Whatever cannot be resolved gives no path (never a guess). Given which repository the files are of
 * (`ApplicationSetFiles.ownRepoURL`), a template source of another repository gives no path and a git generator of
 * another one stands for unknown parameters (its directories and files are not these). A template source's `kustomize`
 * overrides are filled in per generated Application (`applicationSetSources`), origins kept; a directory for which
 * they do not resolve is not given as applied with them.
 */
import { parse } from "yaml";
import { kustomizeEdit, type ApplicationSource } from "./argocd-overrides.js";
import { get, isOMap, isOScalar, isOSeq, omap, oscalar, oseq, str, toJS, type OEntry, type OMap, type ONode, type OScalar } from "./onode.js";
import { joinPath } from "./paths.js";
import { parseSource } from "./session.js";
import { SourceFile, toOrigin, type Src } from "./source.js";
import type { Origin } from "./types.js";
import { argoCdReadSourcesOf } from "../parse/argocd-sources.js";

export interface ApplicationSetFiles {
  /** Every file of the repository (its directories are their ancestors). */
  paths: readonly string[];
  /** A file's text, or null when it is not there or was not read. */
  readFile(path: string): string | null;
  /**
   * Whether a `repoURL` (a template source's, filled in; a git generator's) names this repository (see
   * core/repository.ts `ownRepoURL`); absent: every one does. A template source of another repository gives no path; a
   * git generator of another one is not expanded against these files (its parameters are unknown, as a clusters
   * generator's are).
   */
  ownRepoURL?: ((repoURL: unknown) => boolean) | undefined;
}

interface Params {
  /** fasttemplate parameters: nested keys flattened with dots. */
  flat: Record<string, string>;
  /** goTemplate parameters. */
  nested: Record<string, unknown>;
  /** Some parameters come from outside the repository (unknown here). */
  opaque: boolean;
  /** The list generator elements the set was made from (with `applicationSetNames`'s origins; else none). */
  elements?: ListElementOrigin[];
  /** The directory (and config file) of a git generator this set came from, also inside a matrix or merge. */
  git?: { dir: string; file?: string };
}

/** A list generator's element, where it is written in the ApplicationSet (a JSON path) and what it holds. */
export interface ListElementOrigin {
  path: Array<string | number>;
  value: Record<string, unknown>;
}

/** Caps so that a pathological matrix cannot blow up a review. */
const MAX_PARAM_SETS = 5000;
const MAX_DEPTH = 4;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether a document (plain data) is an Argo CD ApplicationSet. */
export function isApplicationSet(value: unknown): boolean {
  if (!isMap(value)) return false;
  return value.kind === "ApplicationSet" && typeof value.apiVersion === "string" && value.apiVersion.startsWith("argoproj.io/");
}

/**
 * The source paths of the Applications an ApplicationSet generates (normalised, sorted; [] when none is known).
 * `overrides: false`: no path from a source with `kustomize` overrides (for a caller that cannot apply them).
 */
export function applicationSetSourcePaths(value: unknown, files: ApplicationSetFiles, overrides = true): string[] {
  return expand(value, null, files, overrides).paths;
}

/** What made the Applications an ApplicationSet points at one of its paths (see `applicationSetPathOrigins`). */
export interface GeneratedPathOrigin {
  path: string;
  /**
   * A git `directories` generator made (one of) them: such an Application goes away with its directory (judged by
   * `argocd/app-deleted`). Otherwise (a list element, a git config file, a cluster) it stays, pointing at the path.
   */
  byDirectory: boolean;
  /**
   * The `targetRevision` its sources read, filled in: a string when every generated Application pointing there reads
   * the same one (empty when none is written), null when they differ or one does not fill in.
   */
  revision: string | null;
}

/** `applicationSetSourcePaths`, each path with what generated it (sorted by path). */
export function applicationSetPathOrigins(value: unknown, files: ApplicationSetFiles, overrides = true): GeneratedPathOrigin[] {
  const { paths, origins } = expand(value, null, files, overrides);
  return paths.map((path) => origins.get(path) ?? { path, byDirectory: false, revision: null });
}

/** One value of the template filled in for one generated Application (see `applicationSetFilled`). */
export interface FilledValue {
  value: string;
  /** The kind of the top-level generator that made the Application: `git`, `list`, `matrix`, ... */
  generator: string;
  /** The `path` parameter (a git generator's directory) of the Application, when it has one. */
  path?: string;
}

/**
 * A string of an ApplicationSet's `spec.template` (e.g. its destination namespace) filled in for each Application its
 * generators make, as `applicationSetSourcePaths` expands them: one value per generated Application whose parameters
 * fill it in. Generators with a template of their own are left out (it may set the value otherwise); an Application
 * whose parameters do not fill it in (from outside the repository, an unsupported action) gives none, never a guess.
 */
export function applicationSetFilled(value: unknown, files: ApplicationSetFiles, text: string): FilledValue[] {
  if (!isApplicationSet(value)) return [];
  const spec = (value as { spec?: unknown }).spec;
  if (!isMap(spec) || !Array.isArray(spec.generators)) return [];
  const go = spec.goTemplate === true;
  const ctx: Ctx = { go, files, dirs: null };
  const out: FilledValue[] = [];
  for (const gen of spec.generators) {
    if (!isMap(gen) || generatorTemplate(gen) !== null) continue;
    for (const params of generate(gen, ctx, 0)) {
      const filled = interpolate(text, params, go);
      if (filled === null || filled.includes("{{")) continue;
      const path = params.flat.path;
      out.push({ value: filled, generator: Object.keys(gen).find((k) => isMap(gen[k])) ?? "?", ...(path !== undefined ? { path } : {}) });
    }
  }
  return out;
}

/**
 * The paths of an ApplicationSet (origin-tracked; what `applicationSetSourcePaths` gives for its plain data) and, for
 * every directory some generated Application points at with `kustomize` overrides, the source of each generated
 * Application pointing there (its overrides filled in with its parameters, origins kept: a value written in the
 * template points at the template's line). A directory for which some generated Application's overrides do not
 * resolve (unknown parameters, unsupported template actions) has none: it is judged as without the set's overrides.
 */
export function applicationSetSources(node: ONode, file: string, files: ApplicationSetFiles): { paths: string[]; sources: ApplicationSource[] } {
  const out = expand(toJS(node), node, files);
  const byDir = new Map<string, Generated[]>();
  for (const g of out.generated) {
    if (out.unknown.has(g.path)) continue;
    const list = byDir.get(g.path);
    if (list) list.push(g);
    else byDir.set(g.path, [g]);
  }
  const sources: ApplicationSource[] = [];
  const setName = isOMap(node) ? (str(get(node, "metadata"), "name") ?? "?") : "?";
  for (const [path, list] of byDir) {
    const edits = list.map((g) => (g.kustomize ? kustomizeEdit(g.kustomize) : null));
    if (edits.every((e) => e === null)) continue;
    list.forEach((g, i) => {
      // A name that does not resolve still names one Application of the set.
      const application = g.name === null ? `generated by ApplicationSet ${setName} #${i + 1}` : g.namespace ? `${g.namespace}/${g.name}` : g.name;
      sources.push({ path, application, name: g.name ?? "", ...(g.namespace ? { namespace: g.namespace } : {}), file, edit: edits[i]!, kustomize: g.kustomize });
    });
  }
  return { paths: out.paths, sources };
}

/**
 * `applicationSetSources` over a file's text, for the ApplicationSets in it; null when the text holds no `kustomize`
 * block (or does not parse as the render parses it): its paths are then `applicationSetSourcePaths`'.
 */
export function applicationSetSourcesIn(file: string, text: string | null, files: ApplicationSetFiles): { paths: string[]; sources: ApplicationSource[] } | null {
  if (text === null || !text.includes("kustomize:")) return null;
  let docs: ONode[];
  try {
    docs = parseSource(new SourceFile(file, text));
  } catch {
    return null;
  }
  const paths: string[] = [];
  const sources: ApplicationSource[] = [];
  for (const d of docs) {
    const r = applicationSetSources(d, file, files);
    paths.push(...r.paths);
    sources.push(...r.sources);
  }
  return { paths, sources };
}

interface Generated {
  path: string;
  /** The generated Application's `metadata.name`/`namespace`, null when it does not resolve. */
  name: string | null;
  namespace?: string;
  /** The source's `kustomize` block, parameters filled in (null: none that changes the build). */
  kustomize: OMap | null;
}

/**
 * Expands an ApplicationSet: every path (sources with `kustomize` overrides only when their overrides resolve for
 * every generated Application pointing at that directory) and, given its origin-tracked node, each generated source.
 */
function expand(
  value: unknown,
  node: ONode | null,
  files: ApplicationSetFiles,
  overrides = true,
): { paths: string[]; generated: Generated[]; unknown: Set<string>; origins: Map<string, GeneratedPathOrigin>; elementValues: Map<string, ElementValue> } {
  const generated: Generated[] = [];
  const unknown = new Set<string>();
  const origins = new Map<string, GeneratedPathOrigin>();
  const elementValues = new Map<string, ElementValue>();
  const none = { paths: [], generated, unknown, origins, elementValues };
  if (!isApplicationSet(value)) return none;
  const spec = (value as { spec?: unknown }).spec;
  if (!isMap(spec) || !Array.isArray(spec.generators)) return none;
  const go = spec.goTemplate === true;
  // With the set's node, origins: a value a list element writes is found at the element (see `elementSources`).
  const ctx: Ctx = { go, files, dirs: null, ...(node ? { origins: true, incomplete: false } : {}) };
  const plain = new Set<string>();
  const overridden = new Set<string>();
  const template = isMap(spec.template) ? spec.template : {};
  const specNode = node ? get(node, "spec") : undefined;
  const templateNode = get(specNode, "template");
  const genNodes = get(specNode, "generators");
  const patch = typeof spec.templatePatch === "string" && go ? spec.templatePatch : null;
  spec.generators.forEach((gen, gi) => {
    if (!isMap(gen)) return;
    const own = generatorTemplate(gen);
    const t = own ? deepMerge(template, own) : template;
    const tNode = node ? mergeNodes(templateNode, generatorTemplateNode(isOSeq(genNodes) ? genNodes.items[gi] : undefined)) : undefined;
    const sources = templateSources(t);
    const meta = isMap(t.metadata) ? t.metadata : {};
    for (const params of generate(gen, ctx, 0, ["spec", "generators", gi])) {
      let list: Array<TemplateSource | null> = sources;
      if (patch !== null) {
        const patched = patchedSources(patch, params);
        if (patched === undefined) continue; // the patch may move the source: unknown
        if (patched !== null) list = patched;
      }
      for (const s of list) {
        if (s !== null && files.ownRepoURL && !files.ownRepoURL(filledRepoURL(s.repoURL, params, go))) continue;
        const p = s === null ? null : interpolate(s.path, params, go);
        if (s === null || p === null || p.includes("{{")) continue;
        const n = joinPath("", p);
        if (n === null) continue;
        noteOrigin(origins, n, params, filledRevision(s.targetRevision, params, go));
        if (node && !elementValues.has(n)) {
          const at = pathElementValue(node, s.path, params);
          if (at) elementValues.set(n, at);
        }
        if (s.kustomize === null) {
          plain.add(n);
          if (node) generated.push({ path: n, ...nameOf(meta, params, go), kustomize: null });
          continue;
        }
        // Overrides: only when they resolve (a patched source's overrides have no origins here: not applied).
        const filled = !overrides || s.index < 0 || !resolves(s.kustomize, params, go) ? null : node ? fillNode(sourceNode(tNode, s.index), params, go, elementSources(node, params)) : true;
        if (filled === null || filled === undefined) {
          unknown.add(n);
          continue;
        }
        overridden.add(n);
        if (node) generated.push({ path: n, ...nameOf(meta, params, go), kustomize: filled === true ? null : (get(filled, "kustomize") as OMap) });
      }
    }
  });
  for (const d of overridden) if (!unknown.has(d)) plain.add(d);
  return { paths: [...plain].sort(), generated, unknown, origins, elementValues };
}

/** Where a list element writes the value a generated Application's `path` is filled from, and which element it is. */
export interface ElementValue {
  /** The element's value for the parameter (its scalar in the ApplicationSet's file). */
  at: Origin;
  /** The parameter (`chartPath`, `values.path`). */
  parameter: string;
  /** The element, for a message: its `name` (or its first scalar's `key: value`), else its position. */
  element: string;
}

/**
 * The list element value a template `path` is filled from (`'{{chartPath}}'`, `{{.overlay}}`, `{{ .values.path }}`,
 * `apps/{{app}}/overlays/{{env}}`): the parameters the path names that one list element gives, the last of them.
 * Null when no list element gives one (a git generator's `{{path}}`, a literal path), or when elements of two lists
 * do (`overlays/{{env}}/{{svc}}` of a matrix of two lists: which element a pull request added or renamed is not known
 * here, and pointing at the other list's elements misleads; held-out round 24's new environment was reported at each
 * service's element): the template's `path:` then.
 */
function pathElementValue(node: ONode, templatePath: string, params: Params): ElementValue | null {
  const named = [...templatePath.matchAll(/\{\{-?\s*\.?([A-Za-z_][\w.-]*)\s*-?\}\}/g)].map((m) => m[1]!);
  if (named.length === 0) return null;
  const values = elementScalars(node, params);
  const given = named.filter((p) => values.has(p));
  if (given.length === 0 || new Set(given.map((p) => values.get(p)!.from)).size !== 1) return null;
  // One element gives them all (`{app: istiod, env: prod}`): the last, the deepest directory (the one a renamed
  // overlay changes).
  const parameter = given[given.length - 1]!;
  const v = values.get(parameter)!;
  return { at: toOrigin(v.src), parameter, element: v.element };
}

/**
 * The scalars the list elements of a parameter set write, by parameter name (nested keys joined with dots, as
 * `flatten` names them: `values.path`), each with the element it is in (see `ElementValue.element`) and that
 * element's place (`from`).
 */
function elementScalars(node: ONode, params: Params): Map<string, { src: Src; element: string; from: string }> {
  const out = new Map<string, { src: Src; element: string; from: string }>();
  for (const { path } of params.elements ?? []) {
    let at: ONode | undefined = node;
    for (const seg of path) at = typeof seg === "number" ? (isOSeq(at) ? at.items[seg] : undefined) : get(at, seg);
    if (!isOMap(at)) continue;
    const element = elementLabel(at, path[path.length - 1]);
    const walk = (m: OMap, prefix: string, depth: number): void => {
      for (const [key, e] of m.entries) {
        if (isOScalar(e.value) && e.value.src !== null && !out.has(prefix + key)) out.set(prefix + key, { src: e.value.src, element, from: path.join("/") });
        else if (isOMap(e.value) && depth < 4) walk(e.value, `${prefix}${key}.`, depth + 1);
      }
    };
    walk(at, "", 0);
  }
  return out;
}

/** A list element for a message: `name: web`, else its first scalar `key: value`, else `#2` (its position, from 1). */
function elementLabel(element: OMap, index: string | number | undefined): string {
  const name = str(element, "name");
  if (name !== undefined) return `name: ${name}`;
  for (const [key, e] of element.entries) if (isOScalar(e.value) && typeof e.value.v === "string") return `${key}: ${e.value.v}`;
  return typeof index === "number" ? `#${index + 1}` : "?";
}

/**
 * For each directory the ApplicationSets in a file's text make Applications point at from a list element's value,
 * where that value is written (see `ElementValue`); empty when the text does not parse as the render parses it.
 */
export function applicationSetElementValues(file: string, text: string | null, files: ApplicationSetFiles): Map<string, ElementValue> {
  const out = new Map<string, ElementValue>();
  if (text === null) return out;
  let docs: ONode[];
  try {
    docs = parseSource(new SourceFile(file, text));
  } catch {
    return out;
  }
  for (const d of docs) for (const [path, v] of expand(toJS(d), d, files, false).elementValues) if (!out.has(path)) out.set(path, v);
  return out;
}

/** Adds one generated Application's origin to its path's (see `GeneratedPathOrigin`). */
function noteOrigin(origins: Map<string, GeneratedPathOrigin>, path: string, params: Params, revision: string | null): void {
  const byDirectory = params.git !== undefined && params.git.file === undefined;
  const seen = origins.get(path);
  if (!seen) origins.set(path, { path, byDirectory, revision });
  else origins.set(path, { path, byDirectory: seen.byDirectory || byDirectory, revision: seen.revision === revision ? revision : null });
}

/** A template source's `targetRevision` filled in from a parameter set: "" when none is written, null when it does not fill in. */
function filledRevision(revision: unknown, params: Params, go: boolean): string | null {
  if (revision === undefined || revision === null) return "";
  if (typeof revision !== "string") return null;
  const filled = interpolate(revision, params, go);
  return filled === null || filled.includes("{{") ? null : filled;
}

/** A template source's `repoURL` filled in from a parameter set (as written when it does not fill in: unknown). */
function filledRepoURL(repoURL: unknown, params: Params, go: boolean): unknown {
  return typeof repoURL === "string" ? (interpolate(repoURL, params, go) ?? repoURL) : repoURL;
}

function nameOf(meta: Record<string, unknown>, params: Params, go: boolean): { name: string | null; namespace?: string } {
  const name = typeof meta.name === "string" ? interpolate(meta.name, params, go) : null;
  const namespace = typeof meta.namespace === "string" ? interpolate(meta.namespace, params, go) : null;
  return { name: name !== null && !name.includes("{{") ? name : null, ...(namespace ? { namespace } : {}) };
}

/** Whether every string (and key) of a plain `kustomize` block fills in with a parameter set. */
function resolves(v: unknown, params: Params, go: boolean): boolean {
  if (typeof v === "string") {
    const s = interpolate(v, params, go);
    return s !== null && !s.includes("{{");
  }
  if (Array.isArray(v)) return v.every((x) => resolves(x, params, go));
  if (isMap(v)) return Object.entries(v).every(([k, x]) => resolves(k, params, go) && resolves(x, params, go));
  return true;
}

/**
 * Where each parameter of a set was written, for the parameters a list element gives (its top-level scalar keys, at
 * their value in the element; an element a matrix or merge combined counts as well).
 */
function elementSources(node: ONode, params: Params): ReadonlyMap<string, OScalar["src"]> {
  const out = new Map<string, OScalar["src"]>();
  for (const { path } of params.elements ?? []) {
    let at: ONode | undefined = node;
    for (const seg of path) at = typeof seg === "number" ? (isOSeq(at) ? at.items[seg] : undefined) : get(at, seg);
    if (!isOMap(at)) continue;
    for (const [key, e] of at.entries) if (isOScalar(e.value) && e.value.src !== null) out.set(key, e.value.src);
  }
  return out;
}

/** The one parameter a template string refers to (`{{tag}}`, `{{ .tag }}`, `nginx:{{tag}}`), or null (none, several). */
function onlyParameter(text: string): string | null {
  const names = new Set([...text.matchAll(/\{\{-?\s*\.?([A-Za-z_][\w.-]*)\s*-?\}\}/g)].map((m) => m[1]!));
  return names.size === 1 ? [...names][0]! : null;
}

/**
 * A template node's strings and keys filled in from a parameter set, origins kept; null when one does not fill in.
 * A string filled from one list element's parameter is found where the element writes it (`sources`): that line, not
 * the template's, is what a pull request changing the element changes.
 */
function fillNode(n: ONode | undefined, params: Params, go: boolean, sources: ReadonlyMap<string, OScalar["src"]> = new Map()): ONode | null {
  if (n === undefined) return null;
  const fillText = (s: string): string | null => {
    const v = s.includes("{{") ? interpolate(s, params, go) : s;
    return v === null || v.includes("{{") ? null : v;
  };
  if (isOScalar(n)) {
    if (typeof n.v !== "string" || !n.v.includes("{{")) return n;
    const v = fillText(n.v);
    const param = sources.size > 0 ? onlyParameter(n.v) : null;
    return v === null ? null : oscalar(v, (param !== null ? sources.get(param) : undefined) ?? n.src);
  }
  if (isOSeq(n)) {
    const items: ONode[] = [];
    for (const x of n.items) {
      const f = fillNode(x, params, go, sources);
      if (f === null) return null;
      items.push(f);
    }
    return oseq(items, n.src);
  }
  const entries = new Map<string, OEntry>();
  for (const [k, e] of n.entries) {
    const key = fillText(k);
    const value = fillNode(e.value, params, go, sources);
    if (key === null || value === null) return null;
    entries.set(key, { key: e.key, value });
  }
  return omap(entries, n.src);
}

/** The generator's own `template` node (the node of what `generatorTemplate` reads). */
function generatorTemplateNode(gen: ONode | undefined): ONode | undefined {
  if (!isOMap(gen)) return undefined;
  for (const e of gen.entries.values()) if (isOMap(e.value) && isOMap(get(e.value, "template"))) return get(e.value, "template");
  return undefined;
}

/** `deepMerge` over nodes: maps merged key by key, anything else replaced. */
function mergeNodes(a: ONode | undefined, b: ONode | undefined): ONode | undefined {
  if (b === undefined) return a;
  if (!isOMap(a) || !isOMap(b)) return b;
  const entries = new Map(a.entries);
  for (const [k, e] of b.entries) {
    const old = entries.get(k);
    entries.set(k, old && isOMap(old.value) && isOMap(e.value) ? { key: e.key, value: mergeNodes(old.value, e.value)! } : e);
  }
  return omap(entries, b.src);
}

/** The template node of source `index` (`spec.source`, then `spec.sources[i]`, as `templateSources` numbers them). */
function sourceNode(template: ONode | undefined, index: number): ONode | undefined {
  const spec = get(template, "spec");
  if (index === 0) return get(spec, "source");
  const list = get(spec, "sources");
  return isOSeq(list) ? list.items[index - 1] : undefined;
}

/**
 * The files the git files generators of an ApplicationSet read (those of the repository their patterns match, except
 * patterns filled in from another generator's parameters): what an adapter must read for `applicationSetSourcePaths`.
 */
export function applicationSetReads(value: unknown, paths: readonly string[], ownRepoURL?: ApplicationSetFiles["ownRepoURL"]): string[] {
  const wanted = new Set<string>();
  applicationSetSourcePaths(value, {
    paths,
    ownRepoURL,
    readFile: (p) => {
      wanted.add(p);
      return null;
    },
  });
  return [...wanted].sort();
}

interface Ctx {
  go: boolean;
  files: ApplicationSetFiles;
  dirs: string[] | null;
  /** Record the list elements each parameter set was made from (`Params.elements`). */
  origins?: boolean;
  /** Set when the expansion left out or could not tell apart some parameter sets (see `applicationSetNames`). */
  incomplete?: boolean;
}

function generatorTemplate(gen: Record<string, unknown>): Record<string, unknown> | null {
  for (const v of Object.values(gen)) if (isMap(v) && isMap(v.template)) return v.template;
  return null;
}

/** `kustomize` fields of a source that do not change what a kustomization without Helm charts builds. */
const NEUTRAL_KUSTOMIZE = new Set(["version", "kubeVersion", "apiVersions", "forceCommonLabels", "forceCommonAnnotations", "commonAnnotationsEnvsubst", "ignoreMissingComponents", "labelWithoutSelector", "labelIncludeTemplates"]);

interface TemplateSource {
  /** The raw `path`. */
  path: string;
  /** Its place: 0 for `spec.source`, i + 1 for `spec.sources[i]`; -1 for a source a `templatePatch` sets. */
  index: number;
  /** Its `kustomize` block when it has overrides (fields that change the build), else null. */
  kustomize: Record<string, unknown> | null;
  /** Its `repoURL` as written (template actions not filled in). */
  repoURL: unknown;
  /** Its `targetRevision` as written (template actions not filled in). */
  targetRevision: unknown;
}

/**
 * The sources of a template that Argo CD builds as a kustomization: a config management plugin or a Helm block
 * gives none (judging the directory as it is would report what Argo CD does not apply; it is then judged as before,
 * through what uses it). `kustomize` overrides (images, prefixes, patches…) are applied per generated Application.
 */
function templateSources(template: Record<string, unknown>, patched = false): TemplateSource[] {
  const spec = template.spec;
  if (!isMap(spec)) return [];
  const out: TemplateSource[] = [];
  argoCdReadSourcesOf(spec).forEach(({ source: s, index }) => {
    if (!isMap(s) || typeof s.path !== "string" || s.plugin !== undefined || s.helm !== undefined) return;
    const overrides = isMap(s.kustomize) && Object.keys(s.kustomize).some((k) => !NEUTRAL_KUSTOMIZE.has(k));
    out.push({ path: s.path, index: patched ? -1 : index, kustomize: overrides ? (s.kustomize as Record<string, unknown>) : null, repoURL: s.repoURL, targetRevision: s.targetRevision });
  });
  return out;
}

/**
 * The source paths a `templatePatch` sets for one parameter set: null when it sets none (the template's stand),
 * undefined when it cannot be resolved and may set one.
 */
function patchedSources(patch: string, params: Params): TemplateSource[] | null | undefined {
  const text = interpolate(patch, params, true);
  if (text === null) return /\bsources?\b|\bpath\b/.test(patch) ? undefined : null;
  let data: unknown;
  try {
    data = parse(text, { logLevel: "silent", maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (!isMap(data) || !isMap(data.spec)) return null;
  const spec = data.spec;
  if (spec.source === undefined && spec.sources === undefined) return null;
  return templateSources({ spec }, true);
}

/** An Application an ApplicationSet generates: its name, the list elements and top-level generator that made it. */
export interface GeneratedName {
  name: string;
  elements: ListElementOrigin[];
  /** The index of the top-level generator in `spec.generators`. */
  generator: number;
  /** The directory (and, for a files generator, the config file) a git generator made it from, at any depth. */
  git?: { dir: string; file?: string };
}

/**
 * The names of the Applications an ApplicationSet's generators make (one per parameter set, in order; repeats kept),
 * each with the list elements it was made from; null unless every name is known. Without the repository's `tree`, a
 * git generator stands for unknown parameters, as a clusters generator does (a name that uses them is not known);
 * with it, a git generator of this repository is expanded against that tree (a directory it lists, a config file).
 * Unknown too: a name a parameter set does not fill in, a `templatePatch` that writes `metadata`, and a generator
 * the expansion cannot follow exactly (a list without literal elements, a matrix or merge that is not whole, a merge
 * override or a selector over unknown parameters, nesting or sets beyond the caps, a config file not read).
 */
export function applicationSetNames(value: unknown, tree?: ApplicationSetFiles): GeneratedName[] | null {
  if (!isApplicationSet(value)) return null;
  const spec = (value as { spec?: unknown }).spec;
  if (!isMap(spec) || !Array.isArray(spec.generators) || !isMap(spec.template)) return null;
  if (typeof spec.templatePatch === "string" && /\bmetadata\s*:/.test(spec.templatePatch)) return null;
  const go = spec.goTemplate === true;
  const files: ApplicationSetFiles = tree ?? { paths: [], readFile: () => null, ownRepoURL: () => false };
  const ctx: Ctx = { go, files, dirs: null, origins: true, incomplete: false };
  const out: GeneratedName[] = [];
  for (const [gi, gen] of spec.generators.entries()) {
    if (!isMap(gen)) return null;
    const own = generatorTemplate(gen);
    const meta = (own ? deepMerge(spec.template, own) : spec.template).metadata;
    if (!isMap(meta) || typeof meta.name !== "string") return null;
    for (const params of generate(gen, ctx, 0, ["spec", "generators", gi])) {
      const name = interpolate(meta.name, params, go);
      if (name === null || name.includes("{{")) return null;
      out.push({ name, elements: params.elements ?? [], generator: gi, ...(params.git ? { git: params.git } : {}) });
    }
  }
  return ctx.incomplete ? null : out;
}

function one(flat: Record<string, string>, nested: Record<string, unknown>, opaque = false): Params {
  return { flat, nested, opaque };
}

/** A generator's parameter sets; `at` is where it is written (for the list elements' origins). */
function generate(gen: Record<string, unknown>, ctx: Ctx, depth: number, at: Array<string | number> = []): Params[] {
  if (depth > MAX_DEPTH) {
    ctx.incomplete = true;
    return [];
  }
  const sets = generated(gen, ctx, depth, at);
  if (!isMap(gen.selector)) return sets;
  if (sets.some((p) => p.opaque)) ctx.incomplete = true; // kept as it may match: not known to be made
  return sets.filter((p) => selects(gen.selector as Record<string, unknown>, ctx.go ? flatten(p.nested) : p.flat, p.opaque));
}

function generated(gen: Record<string, unknown>, ctx: Ctx, depth: number, at: Array<string | number>): Params[] {
  if (isMap(gen.git)) return gitParams(gen.git, ctx);
  if (isMap(gen.list)) return listParams(gen.list, ctx, [...at, "list", "elements"]);
  if (isMap(gen.matrix)) return matrixParams(gen.matrix, ctx, depth, [...at, "matrix", "generators"]);
  if (isMap(gen.merge)) return mergeParams(gen.merge, ctx, depth, [...at, "merge", "generators"]);
  // clusters, clusterDecisionResource, pullRequest, scmProvider, plugin: parameters from outside the repository.
  return [one({}, {}, true)];
}

/**
 * A generator's post-`selector` (a label selector over its parameters) on one set; a key the set does not have
 * while some of its values are unknown keeps the set (it may match).
 */
function selects(selector: Record<string, unknown>, flat: Record<string, string>, opaque: boolean): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(flat, k);
  if (isMap(selector.matchLabels)) {
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      if (!has(k)) {
        if (!opaque) return false;
      } else if (flat[k] !== String(v)) return false;
    }
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isMap(e) || typeof e.key !== "string") continue;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    if (!has(e.key) && opaque) continue;
    const v = flat[e.key];
    const ok =
      e.operator === "In" ? v !== undefined && values.includes(v) : e.operator === "NotIn" ? v === undefined || !values.includes(v) : e.operator === "Exists" ? v !== undefined : e.operator === "DoesNotExist" ? v === undefined : true;
    if (!ok) return false;
  }
  return true;
}

function listParams(list: Record<string, unknown>, ctx: Ctx, at: Array<string | number>): Params[] {
  if (!Array.isArray(list.elements) || !list.elements.every(isMap)) ctx.incomplete = true; // elementsYaml, say
  if (!Array.isArray(list.elements)) return [];
  const out: Params[] = [];
  list.elements.forEach((e, i) => {
    if (isMap(e)) out.push({ ...one(flatten(e), { ...e }), ...(ctx.origins ? { elements: [{ path: [...at, i], value: e }] } : {}) });
  });
  return out;
}

/** A combiner's child generators with where each is written (`at` is the combiner's `generators`). */
function childGenerators(spec: Record<string, unknown>, at: Array<string | number>): Array<{ gen: Record<string, unknown>; at: Array<string | number> }> {
  if (!Array.isArray(spec.generators)) return [];
  return spec.generators.flatMap((gen, i) => (isMap(gen) ? [{ gen, at: [...at, i] }] : []));
}

function matrixParams(spec: Record<string, unknown>, ctx: Ctx, depth: number, at: Array<string | number>): Params[] {
  const [a, b] = childGenerators(spec, at);
  if (!a || !b) {
    ctx.incomplete = true;
    return [];
  }
  const out: Params[] = [];
  for (const p of generate(a.gen, ctx, depth + 1, a.at)) {
    // The second generator may be written with the first one's parameters (`path: '{{path}}/*'`).
    const second = fill(b.gen, p, ctx.go);
    if (second === null) continue;
    for (const q of generate(second, ctx, depth + 1, b.at)) {
      out.push(combine(p, q));
      if (out.length >= MAX_PARAM_SETS) {
        ctx.incomplete = true;
        return out;
      }
    }
  }
  return out;
}

function mergeParams(spec: Record<string, unknown>, ctx: Ctx, depth: number, at: Array<string | number>): Params[] {
  const [first, ...rest] = childGenerators(spec, at);
  const keys = Array.isArray(spec.mergeKeys) ? spec.mergeKeys.filter((k): k is string => typeof k === "string") : [];
  if (!first || keys.length === 0) {
    ctx.incomplete = true;
    return [];
  }
  const keyOf = (p: Params): string | null => {
    const flat = ctx.go ? flatten(p.nested) : p.flat;
    const vals = keys.map((k) => flat[k]);
    return vals.some((v) => v === undefined) ? null : JSON.stringify(vals);
  };
  let base = generate(first.gen, ctx, depth + 1, first.at);
  for (const g of rest) {
    const byKey = new Map<string, Params>();
    const overrides = generate(g.gen, ctx, depth + 1, g.at);
    // Unknown overrides may change any parameter of the sets they match.
    if (overrides.some((p) => p.opaque)) ctx.incomplete = true;
    for (const p of overrides) {
      const k = keyOf(p);
      if (k !== null && !byKey.has(k)) byKey.set(k, p);
    }
    base = base.map((p) => {
      const k = keyOf(p);
      const q = k === null ? undefined : byKey.get(k);
      return q ? combine(p, q) : p;
    });
  }
  return base;
}

function combine(p: Params, q: Params): Params {
  const elements = [...(p.elements ?? []), ...(q.elements ?? [])];
  const git = q.git ?? p.git;
  return { flat: { ...p.flat, ...q.flat }, nested: deepMerge(p.nested, q.nested), opaque: p.opaque || q.opaque, ...(elements.length > 0 ? { elements } : {}), ...(git ? { git } : {}) };
}

/**
 * A generator spec with its strings filled in from parameters; a string that cannot be filled stays as written (a
 * pattern still holding `{{` then matches nothing).
 */
function fill(gen: unknown, p: Params, go: boolean): Record<string, unknown> | null {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.includes("{{") ? (interpolate(v, p, go) ?? v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "template" ? x : walk(x)]));
    return v;
  };
  const out = walk(gen);
  return isMap(out) ? out : null;
}

function gitParams(git: Record<string, unknown>, ctx: Ctx): Params[] {
  // Another repository's directories and files are not these: its parameters are unknown here.
  if (ctx.files.ownRepoURL && !ctx.files.ownRepoURL(git.repoURL)) return [one({}, {}, true)];
  const prefix = typeof git.pathParamPrefix === "string" && git.pathParamPrefix !== "" ? git.pathParamPrefix : null;
  const values = isMap(git.values) ? git.values : null;
  const withValues = (p: Params): Params | null => {
    if (!values) return p;
    const v: Record<string, string> = {};
    for (const [k, x] of Object.entries(values)) {
      if (typeof x !== "string") continue;
      const s = interpolate(x, p, ctx.go);
      if (s === null) return null;
      v[k] = s;
    }
    return combine(p, one(Object.fromEntries(Object.entries(v).map(([k, x]) => [`values.${k}`, x])), { values: v }));
  };
  const out: Params[] = [];
  if (Array.isArray(git.directories)) {
    const entries = entriesOf(git.directories);
    const dirs = (ctx.dirs ??= directoriesOf(ctx.files.paths));
    for (const d of dirs) {
      if (!entries.include.some((m) => m(d)) || entries.exclude.some((m) => m(d))) continue;
      const p = withValues(pathParams(d, prefix, null));
      if (p) out.push(p);
      if (out.length >= MAX_PARAM_SETS) {
        ctx.incomplete = true; // more directories than the cap: the names are not all known
        break;
      }
    }
  } else if (Array.isArray(git.files)) {
    const entries = entriesOf(git.files, true);
    for (const f of ctx.files.paths) {
      if (!entries.include.some((m) => m(f)) || entries.exclude.some((m) => m(f))) continue;
      const text = ctx.files.readFile(f);
      if (text === null) {
        if (ctx.origins) ctx.incomplete = true; // a config file not read: the names it makes are not known
        continue;
      }
      for (const data of configObjects(text)) {
        const path = pathParams(f.slice(0, Math.max(0, f.lastIndexOf("/"))), prefix, f);
        const p = withValues(combine(one(flatten(data), data), path));
        if (p) out.push(p);
        if (out.length >= MAX_PARAM_SETS) return out;
      }
    }
  }
  return out;
}

/** Whether a git generator's `directories` entry (`apps/*`, Go's `path.Match`) takes a repository directory. */
export function gitDirectoryMatches(pattern: string, dir: string): boolean {
  return !pattern.includes("{{") && goPathMatch(pattern)?.test(dir) === true;
}

/** A git generator's `directories`/`files` entries as matchers (`exclude: true` ones apart). */
function entriesOf(list: unknown[], files = false): { include: Array<(p: string) => boolean>; exclude: Array<(p: string) => boolean> } {
  const include: Array<(p: string) => boolean> = [];
  const exclude: Array<(p: string) => boolean> = [];
  for (const e of list) {
    if (!isMap(e) || typeof e.path !== "string" || e.path.includes("{{")) continue;
    const re = files ? filesGlob(e.path) : goPathMatch(e.path);
    if (re === null) continue;
    (e.exclude === true ? exclude : include).push((p) => re.test(p));
  }
  return { include, exclude };
}

/** The objects a files generator reads from a JSON or YAML file: an object, or each object of a list. */
function configObjects(text: string): Array<Record<string, unknown>> {
  let data: unknown;
  try {
    data = parse(text, { logLevel: "silent", maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (Array.isArray(data)) return data.filter(isMap);
  return isMap(data) ? [data] : [];
}

/** The `path` parameters of a directory (and of a file, for the files generator). */
function pathParams(dir: string, prefix: string | null, file: string | null): Params {
  const segments = dir === "" ? [] : dir.split("/");
  const basename = segments.length ? segments[segments.length - 1]! : ".";
  const path: Record<string, unknown> = { path: dir, basename, basenameNormalized: sanitizeName(basename), segments };
  const k = prefix === null ? "path" : `${prefix}.path`;
  const flat: Record<string, string> = { [k]: dir, [`${k}.basename`]: basename, [`${k}.basenameNormalized`]: sanitizeName(basename) };
  segments.forEach((s, i) => (flat[`${k}[${i}]`] = s));
  if (file !== null) {
    const filename = file.slice(file.lastIndexOf("/") + 1);
    path.filename = filename;
    path.filenameNormalized = sanitizeName(filename);
    flat[`${k}.filename`] = filename;
    flat[`${k}.filenameNormalized`] = sanitizeName(filename);
  }
  return { ...one(flat, prefix === null ? { path } : { [prefix]: { path } }), git: file === null ? { dir } : { dir, file } };
}

/** Argo CD's `SanitizeName`: a DNS-safe name. */
function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, "-")
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, "");
}

/** Every directory of a tree (ancestors of its files), dot directories and what is under them left out. */
const directoryCache = new WeakMap<readonly string[], string[]>();

function directoriesOf(paths: readonly string[]): string[] {
  let dirs = directoryCache.get(paths);
  if (dirs) return dirs;
  const set = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    let d = "";
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i]!.startsWith(".")) break;
      d = d === "" ? parts[i]! : `${d}/${parts[i]}`;
      set.add(d);
    }
  }
  directoryCache.set(paths, (dirs = [...set].sort()));
  return dirs;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Go's `path.Match` as a regular expression over a whole path (`*` and `?` never match `/`); null when malformed. */
function goPathMatch(pattern: string): RegExp | null {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return null;
      re += escapeRe(pattern[++i]!);
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      re += `[${negate ? "^/" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return null;
  }
}

/** A files generator pattern: `**` any number of directories, `*` and `?` within one segment. */
function filesGlob(pattern: string): RegExp | null {
  const parts = pattern.split("/");
  let re = "";
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    if (parts[i] === "**") {
      re += last ? ".*" : "(?:[^/]+/)*";
      continue;
    }
    const seg = goPathMatch(parts[i]!);
    if (seg === null) return null;
    re += seg.source.slice(1, -1) + (last ? "" : "/");
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return null;
  }
}

/** Nested keys flattened with dots (lists by index), values as strings, as fasttemplate parameters are. */
function flatten(data: Record<string, unknown>, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(data)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    if (isMap(v)) flatten(v, key, out);
    else if (Array.isArray(v)) v.forEach((x, i) => (isMap(x) ? flatten(x, `${key}.${i}`, out) : x !== null && x !== undefined && (out[`${key}.${i}`] = String(x))));
    else if (v !== null && v !== undefined) out[key] = String(v);
  }
  return out;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isMap(v) && isMap(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** A string with its template actions filled in; null when one cannot be (unknown parameter, unsupported action). */
function interpolate(text: string, params: Params, go: boolean): string | null {
  if (!text.includes("{{")) return text;
  let failed = false;
  if (!go) {
    const out = text.replace(/\{\{([^{}]*)\}\}/g, (_, key: string) => {
      const v = params.flat[key.trim()];
      if (v === undefined) failed = true;
      return v ?? "";
    });
    return failed ? null : out;
  }
  const out = text.replace(/(\s*)\{\{(-?)([^{}]*?)(-?)\}\}(\s*)/g, (_m, before: string, trimL: string, expr: string, trimR: string, after: string) => {
    const v = goExpression(expr.trim(), params.nested);
    if (v === null) failed = true;
    return `${trimL ? "" : before}${v ?? ""}${trimR ? "" : after}`;
  });
  return failed ? null : out;
}

const GO_FUNCS: Record<string, (s: string) => string> = { lower: (s) => s.toLowerCase(), upper: (s) => s.toUpperCase(), trim: (s) => s.trim() };

/** One Go template action over the parameters: a field chain or `index`, piped through a few string functions. */
function goExpression(expr: string, data: Record<string, unknown>): string | null {
  const [head, ...pipes] = expr.split("|").map((s) => s.trim());
  if (head === undefined) return null;
  let value: unknown;
  const words = head.split(/\s+/);
  if (words[0] === "index" && words.length >= 3) {
    value = field(words[1]!, data);
    for (const k of words.slice(2)) {
      const key = /^\d+$/.test(k) ? Number(k) : /^"[^"]*"$/.test(k) ? k.slice(1, -1) : undefined;
      if (key === undefined) return null;
      value = Array.isArray(value) && typeof key === "number" ? value[key] : isMap(value) && typeof key === "string" ? value[key] : undefined;
    }
  } else if (words.length === 1 && words[0]!.startsWith(".")) value = field(words[0]!, data);
  else return null;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return null;
  let s = String(value);
  for (const p of pipes) {
    const f = GO_FUNCS[p];
    if (!f) return null;
    s = f(s);
  }
  return s;
}

function field(chain: string, data: Record<string, unknown>): unknown {
  if (!chain.startsWith(".")) return undefined;
  let v: unknown = data;
  for (const k of chain.slice(1).split(".")) {
    if (k === "") continue;
    v = isMap(v) ? v[k] : undefined;
  }
  return v;
}
