import type { Resource } from "../core/types.js";

export type DocClass = "kubernetes" | "argocd" | "kustomization" | "helm-values" | "other";

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const KUSTOMIZE_GROUP = "kustomize.config.k8s.io/";
const VALUES_FILE = /(^|[-_.])values([-_.][^/]*)?\.ya?ml$/i;
/**
 * A file in a directory of values files, at any depth (`values/postgresql.yaml`, `helm-values/grafana.yaml`, the
 * `values/<env>/<app>.yaml` layout Applications name through `$values/…`), not in a chart's `templates/` below it.
 */
const IN_VALUES_DIRECTORY = /(^|\/)(?:helm[-_])?values\/(?:(?!templates\/)[^/]+\/)*[^/]+\.ya?ml$/i;
const KUSTOMIZATION_FILE = /^kustomization\.ya?ml$/i;

export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/** Classifies one YAML document by its content first, then by its file name (or its directory's, for values). */
export function classifyDocument(value: unknown, file: string): DocClass {
  const name = basename(file);
  if (isPlainObject(value) && typeof value.apiVersion === "string" && typeof value.kind === "string") {
    if (value.apiVersion.startsWith(KUSTOMIZE_GROUP)) return "kustomization";
    if (value.apiVersion.startsWith("argoproj.io/")) return "argocd";
    return "kubernetes";
  }
  if (KUSTOMIZATION_FILE.test(name)) return "kustomization";
  if (VALUES_FILE.test(name) || IN_VALUES_DIRECTORY.test(file)) return "helm-values";
  return "other";
}

/** True for documents that describe a Kubernetes (or Argo CD) API object. */
export function isKubernetesClass(c: DocClass): boolean {
  return c === "kubernetes" || c === "argocd";
}

export function resourceOf(value: unknown): Resource {
  const obj = isPlainObject(value) ? value : {};
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
  return {
    apiVersion: str(obj.apiVersion),
    kind: str(obj.kind),
    namespace: str(meta.namespace),
    name: str(meta.name) ?? str(meta.generateName),
  };
}
