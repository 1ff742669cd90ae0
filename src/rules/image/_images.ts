import type { JsonPath } from "../../core/path.js";
import type { SourceRange } from "../../core/types.js";
import type { Within } from "../../parse/image-sources.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";
import { normalizeRegistry, parseImageRef, type ImageRef } from "../../parse/image-ref.js";
import { containerLabel, containers, type ContainerRef } from "../../parse/workloads.js";

/** One judgeable container image: a non-empty string without template syntax. */
export interface ImageUse {
  ref: ImageRef;
  /** Path of the `image` value (findings point here). */
  path: JsonPath;
  container: ContainerRef;
  /** `container "app" in Deployment "web"`, for messages. */
  where: string;
}

const usesCache = new WeakMap<ParsedDoc, readonly ImageUse[]>();
const NO_USES: readonly ImageUse[] = [];

/**
 * Every literal image of every container, init container and ephemeral container; templated images are skipped.
 * Memoised per document: each image rule asks about every document (most have no container, and no cache entry).
 */
export function imageUses(doc: ParsedDoc): readonly ImageUse[] {
  if (containers(doc).length === 0) return NO_USES;
  let hit = usesCache.get(doc);
  if (!hit) {
    hit = findImageUses(doc);
    usesCache.set(doc, hit);
  }
  return hit;
}

function findImageUses(doc: ParsedDoc): readonly ImageUse[] {
  const out: ImageUse[] = [];
  for (const c of containers(doc)) {
    const image = c.container.image;
    if (typeof image !== "string" || image.trim() === "") continue;
    const ref = parseImageRef(image);
    if (ref.templated) continue;
    out.push({ ref, path: [...c.path, "image"], container: c, where: `${containerLabel(c)} "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}"` });
  }
  return out;
}

interface CompiledPattern {
  host: RegExp;
  /** Repository path prefix (whole segments), or null for "any repository on the host". */
  path: RegExp | null;
}

function globToRegExpSource(glob: string): string {
  return glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]*");
}

/**
 * Compiles one registry pattern. Accepted forms (case-insensitive):
 * - a host, optionally with a port: `ghcr.io`, `registry.example.com:5000`
 * - a host and a repository path prefix, matched on whole path segments: `ghcr.io/my-org`
 * - `*` as a glob for any run of characters except `/`: `*.dkr.ecr.*.amazonaws.com`
 * A leading `https://` and trailing `/` are ignored. Docker Hub is `docker.io` (official images live under `docker.io/library`).
 */
export function compilePattern(raw: string): CompiledPattern | null {
  let p = raw.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/\/+$/, "");
  if (p === "") return null;
  const slash = p.indexOf("/");
  const hostPart = slash < 0 ? p : p.slice(0, slash);
  const pathPart = slash < 0 ? "" : p.slice(slash + 1);
  if (hostPart === "") return null;
  p = normalizeRegistry(hostPart);
  return {
    host: new RegExp(`^${globToRegExpSource(p)}$`),
    path: pathPart === "" ? null : new RegExp(`^${globToRegExpSource(pathPart)}(?:/|$)`),
  };
}

export type RegistryMatcher = (ref: ImageRef) => boolean;

const cache = new WeakMap<readonly string[], CompiledPattern[]>();

function compiled(patterns: readonly string[]): CompiledPattern[] {
  let list = cache.get(patterns);
  if (!list) {
    list = patterns.map(compilePattern).filter((c): c is CompiledPattern => c !== null);
    cache.set(patterns, list);
  }
  return list;
}

/** A matcher for a list of registry patterns (see compilePattern); patterns are compiled once per list. */
export function registryMatcher(patterns: readonly string[]): RegistryMatcher {
  const list = compiled(patterns);
  return (ref) => {
    // parseImageRef has already normalised the host and put official Docker Hub images under library/.
    const host = ref.registry;
    const repo = ref.repository.toLowerCase();
    return list.some((c) => c.host.test(host) && (c.path === null || c.path.test(repo)));
  };
}

/** True when the list has at least one usable pattern (an empty or blank list means "not configured"). */
export function hasPatterns(patterns: readonly string[]): boolean {
  return compiled(patterns).length > 0;
}

/**
 * Where a value written inside the string at `path` (an Argo CD `helm.values`) sits in the file: the needle's
 * `occurrence`-th match in the scalar's text, narrowed to the value. Undefined when the file text does not show it
 * (an escaped double-quoted string): the finding then points at the string.
 */
export function rangeWithin(file: ParsedFile, doc: ParsedDoc, path: JsonPath, within: Within): SourceRange | undefined {
  const text = file.text;
  if (!text || within.needle === "") return undefined;
  const [start, end] = doc.spanOf(path);
  const scalar = text.slice(start, end);
  let i = scalar.indexOf(within.needle);
  for (let n = 0; n < within.occurrence && i >= 0; n++) i = scalar.indexOf(within.needle, i + 1);
  if (i < 0) return undefined;
  return doc.rangeOf(start + i + within.value[0], start + i + within.value[1]);
}
