import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

/** What a secrets rule judges a document as when its `apiVersion` line is missing: the object it was written as. */
export interface AssumedObject {
  kind: string;
  apiVersion: string;
  class: "kubernetes" | "argocd";
}

type Obj = Record<string, unknown>;

/** A kind the secrets rules read, the apiVersion it is judged under, and what only an object of that kind holds. */
interface KnownKind {
  apiVersion: string;
  class: AssumedObject["class"];
  holds: (value: Obj) => boolean;
}

const spec = (value: Obj): Obj | null => (isPlainObject(value.spec) ? value.spec : null);

/**
 * The kinds whose committed content the secrets rules read, each with the fields the rules read there: a Flux
 * `Kustomization` only with a `spec` (Kustomize's own has none, and a `kustomization.yaml` is read as one anyway).
 */
const KNOWN_KINDS: ReadonlyMap<string, KnownKind> = new Map<string, KnownKind>([
  ["Secret", { apiVersion: "v1", class: "kubernetes", holds: (v) => isPlainObject(v.data) || isPlainObject(v.stringData) }],
  ["ConfigMap", { apiVersion: "v1", class: "kubernetes", holds: (v) => isPlainObject(v.data) || isPlainObject(v.binaryData) }],
  ["HelmRelease", { apiVersion: "helm.toolkit.fluxcd.io/v2", class: "kubernetes", holds: (v) => isPlainObject(spec(v)?.values) }],
  ["Kustomization", { apiVersion: "kustomize.toolkit.fluxcd.io/v1", class: "kubernetes", holds: (v) => isPlainObject(spec(v)?.postBuild) }],
  ["Application", { apiVersion: "argoproj.io/v1alpha1", class: "argocd", holds: (v) => spec(v) !== null }],
  ["ApplicationSet", { apiVersion: "argoproj.io/v1alpha1", class: "argocd", holds: (v) => spec(v) !== null }],
]);

/**
 * A document that names a kind the secrets rules read (`kind: HelmRelease`, `ConfigMap`, `Secret`, `Application`…)
 * whose `apiVersion` line is missing, commented out or misspelt (`kapiVersion:`, held-out round 18): not a Kubernetes
 * object to the parser (the document is `other`), and the API server would refuse it, but what it holds is committed
 * all the same, so the secrets rules judge it as the object it was written as. Only with its `metadata` and the fields
 * only that kind holds (a ConfigMap's `data`, a HelmRelease's `spec.values`); null for anything else. The object rules
 * (`k8s/*`, `argocd/*`) never read it.
 */
export function objectWithoutApiVersion(doc: ParsedDoc): AssumedObject | null {
  if (doc.class !== "other" || !isPlainObject(doc.value)) return null;
  const value = doc.value;
  if ((value.apiVersion !== undefined && value.apiVersion !== null) || typeof value.kind !== "string") return null;
  const known = KNOWN_KINDS.get(value.kind);
  if (known === undefined || !isPlainObject(value.metadata) || !known.holds(value)) return null;
  return { kind: value.kind, apiVersion: known.apiVersion, class: known.class };
}
