/** Resource identity the way kustomize (kyaml `resid`) sees it: group/version/kind, name, namespace. */

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface ResId extends Gvk {
  name: string;
  namespace: string;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function apiVersionOf(g: Gvk): string {
  return g.group === "" ? g.version : `${g.group}/${g.version}`;
}

/**
 * Kinds the Kubernetes v1.21 API (kustomize's built-in schema) declares cluster-scoped, by exact apiVersion.
 * Anything else — custom resources included — is treated as namespaced, as kustomize does.
 */
const CLUSTER_SCOPED = new Set([
  "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
  "apiextensions.k8s.io/v1 CustomResourceDefinition",
  "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
  "apiregistration.k8s.io/v1 APIService",
  "apiregistration.k8s.io/v1beta1 APIService",
  "certificates.k8s.io/v1 CertificateSigningRequest",
  "certificates.k8s.io/v1beta1 CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
  "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
  "networking.k8s.io/v1 IngressClass",
  "networking.k8s.io/v1beta1 IngressClass",
  "node.k8s.io/v1 RuntimeClass",
  "node.k8s.io/v1beta1 RuntimeClass",
  "policy/v1beta1 PodSecurityPolicy",
  "rbac.authorization.k8s.io/v1 ClusterRole",
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
  "rbac.authorization.k8s.io/v1beta1 ClusterRole",
  "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
  "scheduling.k8s.io/v1 PriorityClass",
  "scheduling.k8s.io/v1beta1 PriorityClass",
  "storage.k8s.io/v1 CSIDriver",
  "storage.k8s.io/v1 CSINode",
  "storage.k8s.io/v1 StorageClass",
  "storage.k8s.io/v1 VolumeAttachment",
  "storage.k8s.io/v1beta1 CSIDriver",
  "storage.k8s.io/v1beta1 CSINode",
  "storage.k8s.io/v1beta1 StorageClass",
  "storage.k8s.io/v1beta1 VolumeAttachment",
  "v1 ComponentStatus",
  "v1 Namespace",
  "v1 Node",
  "v1 NodeProxyOptions",
  "v1 PersistentVolume",
]);

/** The kinds of CLUSTER_SCOPED: a kind not among them (a Deployment, a Service) is answered without building a key. */
const CLUSTER_SCOPED_KINDS = new Set([...CLUSTER_SCOPED].map((k) => k.slice(k.indexOf(" ") + 1)));

export function isClusterScoped(g: Gvk): boolean {
  return CLUSTER_SCOPED_KINDS.has(g.kind) && CLUSTER_SCOPED.has(`${apiVersionOf(g)} ${g.kind}`);
}

const NON_NAMESPACEABLE = "_non_namespaceable_";

/** kustomize's EffectiveNamespace: cluster-scoped → a marker, unset → "default". */
export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return NON_NAMESPACEABLE;
  return id.namespace === "" ? "default" : id.namespace;
}

export function sameGvk(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** ResId.Equals: same GVK, same name, namespaces equal ("" and "default" are the same). */
export function sameId(a: ResId, b: ResId): boolean {
  return sameGvk(a, b) && a.name === b.name && nsEquals(a, b);
}

/** A string equal for two ids exactly when `sameId` says they are the same (to count or look ids up in a Map). */
export function idKey(id: ResId): string {
  return `${id.group}\0${id.version}\0${id.kind}\0${id.name}\0${isClusterScoped(id) ? "" : effectiveNamespace(id)}`;
}

export function nsEquals(a: ResId, b: ResId): boolean {
  return (isClusterScoped(a) && isClusterScoped(b)) || effectiveNamespace(a) === effectiveNamespace(b);
}

/** Gvk.IsSelected: empty selector fields are wildcards. */
export function gvkSelected(g: Gvk, sel: Partial<Gvk>): boolean {
  if (sel.group && g.group !== sel.group) return false;
  if (sel.version && g.version !== sel.version) return false;
  if (sel.kind && g.kind !== sel.kind) return false;
  return true;
}

export function idString(id: ResId): string {
  const ns = id.namespace === "" ? "" : `${id.namespace}/`;
  return `${id.kind}/${ns}${id.name}`;
}

// Legacy sort order (`kustomize build`'s default): some kinds first, webhooks last, then by GVK and id.
const ORDER_FIRST = [
  "Namespace",
  "ResourceQuota",
  "StorageClass",
  "CustomResourceDefinition",
  "ServiceAccount",
  "PodSecurityPolicy",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "ConfigMap",
  "Secret",
  "Endpoints",
  "Service",
  "LimitRange",
  "PriorityClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "Deployment",
  "StatefulSet",
  "CronJob",
  "PodDisruptionBudget",
];
const ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

export function typeOrders(first: readonly string[] = ORDER_FIRST, last: readonly string[] = ORDER_LAST): Map<string, number> {
  const m = new Map<string, number>();
  first.forEach((k, i) => m.set(k, -first.length + i));
  last.forEach((k, i) => m.set(k, 1 + i));
  return m;
}

const DEFAULT_ORDERS = typeOrders();

function gvkString(g: Partial<Gvk>): string {
  return [g.group || "~G", g.version || "~V", g.kind || "~K"].join("_");
}

function legacySortString(id: ResId): string {
  return [gvkString(id), id.namespace || "~X", id.name || "~N"].join("|");
}

/** Go's string comparison (bytewise on UTF-8; for the ASCII of resource names the same as code units). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Gvk.IsLessThan as a comparator: the type order (kinds first/last), then group_version_kind. */
export function compareGvk(a: Partial<Gvk>, b: Partial<Gvk>, orders: Map<string, number> = DEFAULT_ORDERS): number {
  const ia = orders.get(a.kind ?? "") ?? 0;
  const ib = orders.get(b.kind ?? "") ?? 0;
  if (ia !== ib) return ia - ib;
  return cmp(gvkString(a), gvkString(b));
}

export function compareLegacy(a: ResId, b: ResId, orders: Map<string, number> = DEFAULT_ORDERS): number {
  if (!sameGvk(a, b)) return compareGvk(a, b, orders);
  return cmp(legacySortString(a), legacySortString(b));
}
