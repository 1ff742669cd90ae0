/**
 * Every container image a set of documents refers to, with the exact place that set it: pod specs of every
 * workload kind, Helm values (`image:` strings and `{registry, repository, tag, digest}` maps under any key),
 * Kustomization `images:` overrides and Argo CD Application `kustomize.images`. Pure; templated references are
 * skipped (they cannot be judged before rendering).
 */
import type { JsonPath } from "../core/path.js";
import { formatPath } from "../core/path.js";
import { isPlainObject } from "./classify.js";
import { parseImageRef, type ImageRef } from "./image-ref.js";
import { containerLabel, containers } from "./workloads.js";
import type { ParsedDoc, ParsedFile } from "./yaml-file.js";

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
}

/**
 * `registry/repository[:tag][@digest]`, with the registry host lower-cased and Docker Hub's aliases folded,
 * and the runtime's implicit `:latest` written out when there is neither tag nor digest.
 */
export function imageKey(ref: ImageRef): string {
  const tag = ref.tag !== null ? `:${ref.tag}` : ref.digest === null ? ":latest" : "";
  return `${ref.registry}/${ref.repository}${tag}${ref.digest !== null ? `@${ref.digest}` : ""}`;
}

const cache = new WeakMap<ParsedDoc, ImageSource[]>();

/** The image references of one document. Memoised per document (rules and the facts stage both ask). */
export function imageSources(doc: ParsedDoc): ImageSource[] {
  let hit = cache.get(doc);
  if (!hit) {
    hit = findSources(doc);
    cache.set(doc, hit);
  }
  return hit;
}

/** The image references of every document of some files. */
export function imageSourcesOf(files: readonly ParsedFile[]): ImageSource[] {
  return files.flatMap((f) => f.docs.flatMap(imageSources));
}

function findSources(doc: ParsedDoc): ImageSource[] {
  const out: ImageSource[] = [];
  const add = (raw: string, kind: ImageSourceKind, path: JsonPath, where: string): void => {
    if (raw.trim() === "") return;
    const ref = parseImageRef(raw);
    if (ref.templated || ref.repository === "") return;
    out.push({ key: imageKey(ref), ref, kind, file: doc.file, docIndex: doc.index, path, where });
  };

  for (const c of containers(doc)) {
    if (typeof c.container.image !== "string") continue;
    add(c.container.image, "container", [...c.path, "image"], `${containerLabel(c)} "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}"`);
  }
  if (doc.class === "helm-values") walkValues(doc.value, [], add);
  if (doc.class === "kustomization") kustomizeImages(doc, add);
  if (doc.class === "argocd" && (doc.resource.kind === "Application" || doc.resource.kind === "ApplicationSet")) argocdImages(doc, add);
  return out;
}

type Add = (raw: string, kind: ImageSourceKind, path: JsonPath, where: string) => void;

function scalar(v: unknown): string | null {
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

/**
 * Helm values: `image: "repo:tag"` and `image: {registry?, repository, tag?, digest?}` under any key. A map
 * without tag and digest is skipped: the chart then uses its appVersion, which the values do not show.
 */
function walkValues(value: unknown, path: JsonPath, add: Add): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkValues(v, [...path, i], add));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const here = [...path, k];
    if (k === "image") {
      if (typeof v === "string") {
        add(v, "helm-values", here, `Helm values ${formatPath(here)}`);
        continue;
      }
      if (isPlainObject(v) && typeof v.repository === "string") {
        const tag = scalar(v.tag);
        const digest = scalar(v.digest);
        if (tag === null && digest === null) continue;
        const registry = scalar(v.registry);
        const raw = `${registry ? `${registry.replace(/\/+$/, "")}/` : ""}${v.repository.trim()}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
        add(raw, "helm-values", [...here, digest ? "digest" : "tag"], `Helm values ${formatPath(here)}`);
        continue;
      }
    }
    walkValues(v, here, add);
  }
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
  const value = doc.value;
  if (!isPlainObject(value) || !isPlainObject(value.spec)) return;
  const specPath: JsonPath = doc.resource.kind === "ApplicationSet" ? ["spec", "template", "spec"] : ["spec"];
  let spec: unknown = value.spec;
  if (doc.resource.kind === "ApplicationSet") spec = isPlainObject(value.spec.template) ? value.spec.template.spec : undefined;
  if (!isPlainObject(spec)) return;
  const sources: Array<[unknown, JsonPath]> = [[spec.source, [...specPath, "source"]]];
  if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push([s, [...specPath, "sources", i]]));
  for (const [source, path] of sources) {
    if (!isPlainObject(source) || !isPlainObject(source.kustomize) || !Array.isArray(source.kustomize.images)) continue;
    source.kustomize.images.forEach((img, i) => {
      if (typeof img !== "string") return;
      const eq = img.indexOf("=");
      add(eq >= 0 ? img.slice(eq + 1) : img, "argocd-kustomize-images", [...path, "kustomize", "images", i], `${doc.resource.kind} "${doc.resource.name ?? "?"}" kustomize image override`);
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
