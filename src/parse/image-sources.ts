/**
 * Every container image a set of documents refers to, with the exact place that set it: pod specs of every
 * workload kind, Helm values (`image:` strings and `{registry, repository, tag, digest}` maps under any key, in values
 * files, a Flux HelmRelease's `spec.values`, Argo CD `helm.valuesObject` / `helm.values` and a Kustomization's
 * `helmCharts[].valuesInline`),
 * Kustomization `images:` overrides and Argo CD Application `kustomize.images`. Pure; templated references are
 * skipped (they cannot be judged before rendering).
 */
import { isScalar, parseDocument } from "yaml";
import type { JsonPath, PathSeg } from "../core/path.js";
import { formatPath } from "../core/path.js";
import { isPlainObject } from "./classify.js";
import { parseImageRef, type ImageRef } from "./image-ref.js";
import { containerLabel, containers, getIn } from "./workloads.js";
import type { ParsedDoc, ParsedFile } from "./yaml-file.js";
import { argoCdReadSourcesOf } from "./argocd-sources.js";

export type ImageSourceKind = "container" | "helm-values" | "kustomize-images" | "argocd-kustomize-images";

export interface ImageSource {
  /** Normalised reference, the key facts are filed under (see imageKey). */
  key: string;
  ref: ImageRef;
  kind: ImageSourceKind;
  file: string;
  docIndex: number;
  /** The node findings point at: the `image:` value, or the `digest`/`tag`/`newTag` that introduced the reference. */
  path: JsonPath;
  /** For messages: `Container "app" in Deployment "web"`, `Helm values controller.image`, … */
  where: string;
  /** Set when `path` is a YAML string the reference is written inside (an Argo CD `helm.values`): its line there. */
  within?: Within;
}

/**
 * A line inside a string value (an embedded YAML document): its text, trimmed, and how many times that text occurs
 * before it in the string — the same count locates it in the file's scalar, whatever the block's indentation.
 */
export interface Within {
  needle: string;
  occurrence: number;
  /** The value's own characters within the needle: [start, end). */
  value: readonly [number, number];
}

/**
 * `registry/repository[:tag][@digest]`, with the registry host lower-cased and Docker Hub's aliases folded,
 * and the runtime's implicit `:latest` written out when there is neither tag nor digest.
 */
export function imageKey(ref: ImageRef): string {
  const tag = ref.tag !== null ? `:${ref.tag}` : ref.digest === null ? ":latest" : "";
  return `${ref.registry}/${ref.repository}${tag}${ref.digest !== null ? `@${ref.digest}` : ""}`;
}

/**
 * A Helm values image tag written without the repository it tags (`image: {tag: latest}`, a parameter
 * `image.tag=latest`): the chart's own image, as an umbrella chart's or a per-environment override sets it.
 */
export interface ChartImageTag {
  tag: string;
  file: string;
  docIndex: number;
  /** The `tag` value (or the parameter's `value`). */
  path: JsonPath;
  /** `Helm values kubescape.image`, `Application "web" Helm parameter image.tag`, … */
  where: string;
  within?: Within;
}

interface DocImages {
  sources: readonly ImageSource[];
  tags: readonly ChartImageTag[];
}

const cache = new WeakMap<ParsedDoc, DocImages>();
const NO_IMAGES: DocImages = { sources: [], tags: [] };

/**
 * Whether a document may refer to an image at all (see findSources): a workload, Helm values, a HelmRelease, a
 * Kustomization, an Argo CD Application or ApplicationSet. Most objects (Services, ConfigMaps, RBAC) are none of them,
 * and are told so by their class and kind, before any lookup.
 */
function mayReferToImages(doc: ParsedDoc): boolean {
  const kind = doc.resource.kind;
  if (doc.class === "helm-values" || doc.class === "kustomization") return true;
  if (doc.class === "argocd" && (kind === "Application" || kind === "ApplicationSet")) return true;
  if (doc.class === "kubernetes" && kind === "HelmRelease") return true;
  return containers(doc).length > 0;
}

function docImages(doc: ParsedDoc): DocImages {
  if (!mayReferToImages(doc)) return NO_IMAGES;
  let hit = cache.get(doc);
  if (!hit) {
    hit = findSources(doc);
    cache.set(doc, hit);
  }
  return hit;
}

/** The image references of one document. Memoised per document (rules and the facts stage both ask). */
export function imageSources(doc: ParsedDoc): readonly ImageSource[] {
  return docImages(doc).sources;
}

/** The chart image tags of one document's Helm values (see ChartImageTag). */
export function chartImageTags(doc: ParsedDoc): readonly ChartImageTag[] {
  return docImages(doc).tags;
}

/** The image references of every document of some files. */
export function imageSourcesOf(files: readonly ParsedFile[]): ImageSource[] {
  return files.flatMap((f) => f.docs.flatMap(imageSources));
}

function findSources(doc: ParsedDoc): DocImages {
  const sources: ImageSource[] = [];
  const tags: ChartImageTag[] = [];
  const add = (raw: string, kind: ImageSourceKind, path: JsonPath, where: string, within?: Within): void => {
    if (raw.trim() === "") return;
    const ref = parseImageRef(raw);
    if (ref.templated || ref.repository === "") return;
    sources.push({ key: imageKey(ref), ref, kind, file: doc.file, docIndex: doc.index, path, where, ...(within ? { within } : {}) });
  };
  const addTag = (tag: string, path: JsonPath, where: string, within?: Within): void => {
    tags.push({ tag, file: doc.file, docIndex: doc.index, path, where, ...(within ? { within } : {}) });
  };

  for (const c of containers(doc)) {
    if (typeof c.container.image !== "string") continue;
    add(c.container.image, "container", [...c.path, "image"], `${containerLabel(c)} "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}"`);
  }
  for (const block of helmValuesBlocks(doc)) walkValues(block.value, block.path, { ...block, add, addTag });
  for (const block of helmValuesStrings(doc)) walkValuesString(block, add, addTag);
  for (const p of helmImageTagParameters(doc)) addTag(p.tag, p.path, p.where);
  if (doc.class === "kustomization") kustomizeImages(doc, add);
  if (doc.class === "argocd" && (doc.resource.kind === "Application" || doc.resource.kind === "ApplicationSet")) argocdImages(doc, add);
  return { sources, tags };
}

type Add = (raw: string, kind: ImageSourceKind, path: JsonPath, where: string, within?: Within) => void;
type AddTag = (tag: string, path: JsonPath, where: string, within?: Within) => void;

function scalar(v: unknown): string | null {
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

/** One tree of Helm values in a document: where it sits and how messages name it. */
interface ValuesBlock {
  value: unknown;
  path: JsonPath;
  /** `Helm values`, `HelmRelease "web" values`, `Application "web" Helm values`. */
  label: string;
}

function docName(doc: ParsedDoc): string {
  return `${doc.resource.kind} "${doc.resource.name ?? "?"}"`;
}

/**
 * The Argo CD Helm sources of an Application, or of an ApplicationSet's template: `[source, path]` for
 * `spec.source` and each `spec.sources[i]`.
 */
export function argocdSources(doc: ParsedDoc): Array<[unknown, JsonPath]> {
  const kind = doc.resource.kind;
  if (doc.class !== "argocd" || (kind !== "Application" && kind !== "ApplicationSet")) return [];
  const specPath: JsonPath = kind === "ApplicationSet" ? ["spec", "template", "spec"] : ["spec"];
  const spec = getIn(doc.value, specPath);
  if (!isPlainObject(spec)) return [];
  return argoCdReadSourcesOf(spec).map(({ source, index }) => [source, index === 0 ? [...specPath, "source"] : [...specPath, "sources", index - 1]]);
}

/**
 * Every tree of Helm values a document writes: a values file itself, a Flux HelmRelease's `spec.values`, an
 * Argo CD Application's (or ApplicationSet template's) `helm.valuesObject` and a Kustomization's
 * `helmCharts[].valuesInline` — inline values are what the chart gets as surely as a values file's.
 */
function helmValuesBlocks(doc: ParsedDoc): ValuesBlock[] {
  if (doc.class === "helm-values") return [{ value: doc.value, path: [], label: "Helm values" }];
  const apiVersion = doc.resource.apiVersion ?? "";
  if (doc.class === "kubernetes" && doc.resource.kind === "HelmRelease" && apiVersion.startsWith("helm.toolkit.fluxcd.io/")) {
    const values = getIn(doc.value, ["spec", "values"]);
    return isPlainObject(values) ? [{ value: values, path: ["spec", "values"], label: `${docName(doc)} values` }] : [];
  }
  if (doc.class === "kustomization") return kustomizeInlineValues(doc);
  const out: ValuesBlock[] = [];
  for (const [source, path] of argocdSources(doc)) {
    const helm = isPlainObject(source) ? source.helm : undefined;
    if (isPlainObject(helm) && isPlainObject(helm.valuesObject)) {
      out.push({ value: helm.valuesObject, path: [...path, "helm", "valuesObject"], label: `${docName(doc)} Helm values` });
    }
  }
  return out;
}

/**
 * A Kustomization's `helmCharts[].valuesInline`: the values Kustomize (Argo CD with `--enable-helm`) gives the chart,
 * as a values file's would be (held-out round 16: `tag: "latest"` there passed while a password beside it was reported).
 */
function kustomizeInlineValues(doc: ParsedDoc): ValuesBlock[] {
  const charts = isPlainObject(doc.value) ? doc.value.helmCharts : undefined;
  if (!Array.isArray(charts)) return [];
  const out: ValuesBlock[] = [];
  charts.forEach((chart, i) => {
    if (!isPlainObject(chart) || !isPlainObject(chart.valuesInline)) return;
    const name = scalar(chart.name);
    out.push({ value: chart.valuesInline, path: ["helmCharts", i, "valuesInline"], label: `Kustomization Helm chart ${name !== null ? `"${name}"` : `helmCharts[${i}]`} values` });
  });
  return out;
}

/** Argo CD `helm.values`: Helm values written as a YAML string (`values: |`), as the Application's `label`. */
function helmValuesStrings(doc: ParsedDoc): Array<{ text: string; path: JsonPath; label: string }> {
  const out: Array<{ text: string; path: JsonPath; label: string }> = [];
  for (const [source, path] of argocdSources(doc)) {
    const helm = isPlainObject(source) ? source.helm : undefined;
    if (isPlainObject(helm) && typeof helm.values === "string") {
      out.push({ text: helm.values, path: [...path, "helm", "values"], label: `${docName(doc)} Helm values` });
    }
  }
  return out;
}

/** Where the node at `path` of an embedded document sits in its text (see Within); null when it has no place. */
export function withinOf(text: string, embedded: ReturnType<typeof parseDocument>, path: JsonPath): Within | null {
  const node = embedded.getIn(path, true);
  if (!isScalar(node) || !node.range) return null;
  const lineStart = text.lastIndexOf("\n", node.range[0] - 1) + 1;
  const lineEnd = text.indexOf("\n", node.range[0]);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const needle = line.trim();
  const at = lineStart + line.indexOf(needle);
  let occurrence = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < at; i = text.indexOf(needle, i + 1)) occurrence++;
  const valueStart = Math.max(0, node.range[0] - at);
  return { needle, occurrence, value: [valueStart, Math.max(valueStart, Math.min(needle.length, node.range[1] - at))] };
}

/**
 * The Helm values of a YAML string, read as a values file's: each reference found is reported at the string (`path`)
 * with the line it is written on inside it. A string that does not parse as one YAML map is not read.
 */
function walkValuesString(block: { text: string; path: JsonPath; label: string }, add: Add, addTag: AddTag): void {
  const embedded = parseDocument(block.text, { uniqueKeys: false });
  if (embedded.errors.length > 0) return;
  let value: unknown;
  try {
    value = embedded.toJS();
  } catch {
    return; // an alias bomb (the yaml package caps aliases by throwing): nothing to read
  }
  if (!isPlainObject(value)) return;
  const at = (inner: JsonPath): Within | undefined => withinOf(block.text, embedded, inner) ?? undefined;
  walkValues(value, [], {
    value,
    path: [],
    label: block.label,
    add: (raw, kind, inner, where) => add(raw, kind, block.path, where, at(inner)),
    addTag: (tag, inner, where) => addTag(tag, block.path, where, at(inner)),
  });
}

/** `image`, or a key ending in `Image` (`kubectlImage`, `sidecarImage`): a chart's usual names for an image map. */
function isImageKey(key: string): boolean {
  return key === "image" || (key.endsWith("Image") && IMAGE_KEY.test(key));
}
const IMAGE_KEY = /[a-z0-9]Image$/;

/** A Helm parameter name that sets a chart's image tag: `image.tag`, `controller.image.tag`, `kubectlImage.tag`. */
const IMAGE_TAG_PARAMETER = /(?:^|\.)(?:image|[A-Za-z0-9_-]*[a-z0-9]Image)\.tag$/;

/** Argo CD `helm.parameters` entries `{name: image.tag, value: latest}`: the chart's image tag, set on the command line. */
function helmImageTagParameters(doc: ParsedDoc): Array<{ tag: string; path: JsonPath; where: string }> {
  const out: Array<{ tag: string; path: JsonPath; where: string }> = [];
  for (const [source, path] of argocdSources(doc)) {
    const helm = isPlainObject(source) ? source.helm : undefined;
    if (!isPlainObject(helm) || !Array.isArray(helm.parameters)) continue;
    helm.parameters.forEach((p, i) => {
      if (!isPlainObject(p) || typeof p.name !== "string" || !IMAGE_TAG_PARAMETER.test(p.name.trim())) return;
      const tag = scalar(p.value);
      if (tag !== null) out.push({ tag, path: [...path, "helm", "parameters", i, "value"], where: `${docName(doc)} Helm parameter ${p.name.trim()}` });
    });
  }
  return out;
}

interface Walk extends ValuesBlock {
  add: Add;
  addTag: AddTag;
}

/**
 * Helm values: `image: "repo:tag"` and `image: {registry?, repository, tag?, digest?}` under any key (the map also
 * under a `…Image` key). A map without tag and digest is skipped: the chart then uses its appVersion, which the
 * values do not show. A map with a `tag` and no `repository` (an override of a chart's own image, as an umbrella
 * chart or a per-environment file writes it) is a chart image tag: judged on its own, it names no image.
 */
function walkValues(value: unknown, path: JsonPath, w: Walk): void {
  walkNode(value, [...path], w);
}

/**
 * One node of `walkValues`, at `at`: the walk's own path, pushed and popped as it descends. Values files are walked
 * whole and hold few images, so a node's path is copied, and its label made, only for a reference found there.
 */
function walkNode(value: unknown, at: PathSeg[], w: Walk): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      walkNode(value[i], at, w);
      at.pop();
    }
    return;
  }
  if (!isPlainObject(value)) return;
  for (const k of Object.keys(value)) {
    const v = value[k];
    at.push(k);
    walkEntry(k, v, at, w);
    at.pop();
  }
}

/** The label of the values node at `at` in messages: `Helm values controller.image`. */
function whereIn(w: Walk, at: readonly PathSeg[]): string {
  return `${w.label} ${formatPath(at.slice(w.path.length))}`;
}

/** One entry `k: v` of a values map, at `at` (the walk's path, ending in `k`). */
function walkEntry(k: string, v: unknown, at: PathSeg[], w: Walk): void {
  if (k === "image" && typeof v === "string") {
    w.add(v, "helm-values", [...at], whereIn(w, at));
    return;
  }
  if (isImageKey(k) && isPlainObject(v)) {
    const tag = scalar(v.tag);
    const digest = scalar(v.digest);
    if (typeof v.repository === "string") {
      if (tag === null && digest === null) return;
      const registry = scalar(v.registry);
      const raw = `${registry ? `${registry.replace(/\/+$/, "")}/` : ""}${v.repository.trim()}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
      w.add(raw, "helm-values", [...at, digest ? "digest" : "tag"], whereIn(w, at));
      return;
    }
    if (tag !== null && digest === null) {
      w.addTag(tag, [...at, "tag"], whereIn(w, at));
      return;
    }
  }
  walkNode(v, at, w);
}

/** Kustomization `images: [{name, newName?, newTag?, digest?}]`: an override that sets a tag or digest. */
function kustomizeImages(doc: ParsedDoc, add: Add): void {
  const value = doc.value;
  if (!isPlainObject(value) || !Array.isArray(value.images)) return;
  value.images.forEach((entry, i) => {
    if (!isPlainObject(entry)) return;
    const name = scalar(entry.newName) ?? scalar(entry.name);
    const tag = scalar(entry.newTag);
    const digest = scalar(entry.digest);
    if (name === null || (tag === null && digest === null)) return;
    const raw = `${name}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
    add(raw, "kustomize-images", ["images", i, digest ? "digest" : "newTag"], `Kustomization image override "${scalar(entry.name) ?? name}"`);
  });
}

/** Argo CD `spec.source(s).kustomize.images: ["[old=]new:tag"]` (also in an ApplicationSet's template). */
function argocdImages(doc: ParsedDoc, add: Add): void {
  for (const [source, path] of argocdSources(doc)) {
    if (!isPlainObject(source) || !isPlainObject(source.kustomize) || !Array.isArray(source.kustomize.images)) continue;
    source.kustomize.images.forEach((img, i) => {
      if (typeof img !== "string") return;
      const eq = img.indexOf("=");
      add(eq >= 0 ? img.slice(eq + 1) : img, "argocd-kustomize-images", [...path, "kustomize", "images", i], `${docName(doc)} kustomize image override`);
    });
  }
}

/**
 * The references a change introduces: present on the head side and not on the base side (compared by key, so
 * an image the base already used anywhere in the reviewed files is not introduced, wherever it moved).
 */
export function introducedImages(head: readonly ImageSource[], base: readonly ImageSource[]): ImageSource[] {
  const before = new Set(base.map((s) => s.key));
  return head.filter((s) => !before.has(s.key));
}
