/** kustomize v5.5's built-in field specs (api/internal/konfig/builtinpluginconsts), as data. */
import { BuildFailure } from "./failure.js";
import type { FieldSpec } from "./fieldspec.js";
import { compareGvk } from "./resid.js";

const templateLabels = (kinds: readonly [string, string | undefined, string | undefined][]): FieldSpec[] =>
  kinds.map(([kind, group, version]) => ({ path: "spec/template/metadata/labels", create: true, kind, group, version }));

/** `labels` with includeTemplates, and the non-selector part of commonLabels. */
export const METADATA_LABELS: FieldSpec[] = [
  { path: "metadata/labels", create: true },
  ...templateLabels([
    ["ReplicationController", undefined, "v1"],
    ["Deployment", undefined, undefined],
    ["ReplicaSet", undefined, undefined],
    ["DaemonSet", undefined, undefined],
    ["StatefulSet", "apps", undefined],
  ]),
  { path: "spec/volumeClaimTemplates[]/metadata/labels", create: true, group: "apps", kind: "StatefulSet" },
  { path: "spec/template/metadata/labels", create: true, group: "batch", kind: "Job" },
  { path: "spec/jobTemplate/metadata/labels", create: true, group: "batch", kind: "CronJob" },
  { path: "spec/jobTemplate/spec/template/metadata/labels", create: true, group: "batch", kind: "CronJob" },
];

const affinity = (kind: string): FieldSpec[] =>
  [
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
  ].map((path) => ({ path, create: false, group: "apps", kind }));

/** commonLabels and `labels` with includeSelectors: selectors too. */
export const COMMON_LABELS: FieldSpec[] = [
  { path: "spec/selector", create: true, version: "v1", kind: "Service" },
  { path: "spec/selector", create: true, version: "v1", kind: "ReplicationController" },
  { path: "spec/selector/matchLabels", create: true, kind: "Deployment" },
  ...affinity("Deployment"),
  { path: "spec/selector/matchLabels", create: true, kind: "ReplicaSet" },
  { path: "spec/selector/matchLabels", create: true, kind: "DaemonSet" },
  { path: "spec/selector/matchLabels", create: true, group: "apps", kind: "StatefulSet" },
  { path: "spec/volumeClaimTemplates[]/metadata/labels", create: true, group: "apps", kind: "StatefulSet" },
  ...affinity("StatefulSet"),
  { path: "spec/selector/matchLabels", create: false, group: "batch", kind: "Job" },
  { path: "spec/jobTemplate/spec/selector/matchLabels", create: false, group: "batch", kind: "CronJob" },
  { path: "spec/selector/matchLabels", create: false, group: "policy", kind: "PodDisruptionBudget" },
  { path: "spec/podSelector/matchLabels", create: false, group: "networking.k8s.io", kind: "NetworkPolicy" },
  { path: "spec/ingress/from/podSelector/matchLabels", create: false, group: "networking.k8s.io", kind: "NetworkPolicy" },
  { path: "spec/egress/to/podSelector/matchLabels", create: false, group: "networking.k8s.io", kind: "NetworkPolicy" },
  ...METADATA_LABELS,
];

export const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: "metadata/annotations", create: true },
  { path: "spec/template/metadata/annotations", create: true, version: "v1", kind: "ReplicationController" },
  { path: "spec/template/metadata/annotations", create: true, kind: "Deployment" },
  { path: "spec/template/metadata/annotations", create: true, kind: "ReplicaSet" },
  { path: "spec/template/metadata/annotations", create: true, kind: "DaemonSet" },
  { path: "spec/template/metadata/annotations", create: true, kind: "StatefulSet" },
  { path: "spec/template/metadata/annotations", create: true, group: "batch", kind: "Job" },
  { path: "spec/jobTemplate/metadata/annotations", create: true, group: "batch", kind: "CronJob" },
  { path: "spec/jobTemplate/spec/template/metadata/annotations", create: true, group: "batch", kind: "CronJob" },
];

/** Besides metadata.namespace (set on every namespaced object) and RoleBinding subjects named "default". */
export const NAMESPACE_FIELDS: FieldSpec[] = [
  { path: "metadata/name", kind: "Namespace", create: true },
  { path: "spec/service/namespace", group: "apiregistration.k8s.io", kind: "APIService", create: true },
  { path: "spec/conversion/webhook/clientConfig/service/namespace", group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
];

export const IMAGE_FIELDS: FieldSpec[] = [
  { path: "spec/containers[]/image", create: true },
  { path: "spec/initContainers[]/image", create: true },
  { path: "spec/template/spec/containers[]/image", create: true },
  { path: "spec/template/spec/initContainers[]/image", create: true },
];

export const REPLICA_FIELDS: FieldSpec[] = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map((kind) => ({
  path: "spec/replicas",
  create: true,
  kind,
}));

/** Name references (api/internal/konfig/builtinpluginconsts/namereference.go): which fields name which kinds. */
export interface NameBackRef {
  group?: string;
  version?: string;
  kind: string;
  referrers: FieldSpec[];
}

const podPaths = (prefix: string, kind: string, suffixes: readonly string[], extra: Partial<FieldSpec> = {}): FieldSpec[] =>
  suffixes.map((s) => ({ path: `${prefix}${s}`, kind, ...extra }));

const CM_PATHS = [
  "volumes/configMap/name",
  "containers/env/valueFrom/configMapKeyRef/name",
  "initContainers/env/valueFrom/configMapKeyRef/name",
  "containers/envFrom/configMapRef/name",
  "initContainers/envFrom/configMapRef/name",
  "volumes/projected/sources/configMap/name",
];
const SECRET_PATHS = [
  "volumes/secret/secretName",
  "containers/env/valueFrom/secretKeyRef/name",
  "initContainers/env/valueFrom/secretKeyRef/name",
  "containers/envFrom/secretRef/name",
  "initContainers/envFrom/secretRef/name",
  "imagePullSecrets/name",
  "volumes/projected/sources/secret/name",
];
const WORKLOADS = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"];

function podRefs(paths: readonly string[]): FieldSpec[] {
  return [
    ...podPaths("spec/", "Pod", paths, { version: "v1" }),
    ...podPaths("template/spec/", "PodTemplate", paths),
    ...WORKLOADS.flatMap((k) => podPaths("spec/template/spec/", k, paths)),
    ...podPaths("spec/jobTemplate/spec/template/spec/", "CronJob", paths),
  ];
}

const scaleTarget = (kind: string): NameBackRef => ({ kind, referrers: [{ path: "spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler" }] });
const simple = (path: string, kinds: readonly string[]): FieldSpec[] => kinds.map((kind) => ({ path, kind }));
const SA_KINDS = ["StatefulSet", "Deployment", "ReplicationController", "Job", "DaemonSet"];

export const NAME_REFERENCES: NameBackRef[] = [
  scaleTarget("Deployment"),
  scaleTarget("ReplicationController"),
  scaleTarget("ReplicaSet"),
  scaleTarget("StatefulSet"),
  {
    kind: "ConfigMap",
    version: "v1",
    referrers: [
      ...podRefs(CM_PATHS),
      { path: "spec/configSource/configMap", kind: "Node" },
      { path: "rules/resourceNames", kind: "Role" },
      { path: "rules/resourceNames", kind: "ClusterRole" },
      { path: "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", kind: "Ingress" },
    ],
  },
  {
    kind: "Secret",
    version: "v1",
    referrers: [
      ...podRefs(SECRET_PATHS),
      { path: "spec/tls/secretName", kind: "Ingress" },
      { path: "metadata/annotations/ingress.kubernetes.io\\/auth-secret", kind: "Ingress" },
      { path: "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", kind: "Ingress" },
      { path: "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", kind: "Ingress" },
      { path: "imagePullSecrets/name", kind: "ServiceAccount" },
      { path: "parameters/secretName", kind: "StorageClass" },
      { path: "parameters/adminSecretName", kind: "StorageClass" },
      { path: "parameters/userSecretName", kind: "StorageClass" },
      { path: "parameters/secretRef", kind: "StorageClass" },
      { path: "rules/resourceNames", kind: "Role" },
      { path: "rules/resourceNames", kind: "ClusterRole" },
      { path: "spec/template/spec/containers/env/valueFrom/secretKeyRef/name", kind: "Service", group: "serving.knative.dev", version: "v1" },
      { path: "spec/azureFile/secretName", kind: "PersistentVolume" },
    ],
  },
  {
    kind: "Service",
    version: "v1",
    referrers: [
      { path: "spec/serviceName", kind: "StatefulSet", group: "apps" },
      { path: "spec/rules/http/paths/backend/serviceName", kind: "Ingress" },
      { path: "spec/backend/serviceName", kind: "Ingress" },
      { path: "spec/rules/http/paths/backend/service/name", kind: "Ingress" },
      { path: "spec/defaultBackend/service/name", kind: "Ingress" },
      { path: "spec/service/name", kind: "APIService", group: "apiregistration.k8s.io" },
      { path: "webhooks/clientConfig/service", kind: "ValidatingWebhookConfiguration", group: "admissionregistration.k8s.io" },
      { path: "webhooks/clientConfig/service", kind: "MutatingWebhookConfiguration", group: "admissionregistration.k8s.io" },
    ],
  },
  { kind: "Role", group: "rbac.authorization.k8s.io", referrers: [{ path: "roleRef/name", kind: "RoleBinding", group: "rbac.authorization.k8s.io" }] },
  {
    kind: "ClusterRole",
    group: "rbac.authorization.k8s.io",
    referrers: [
      { path: "roleRef/name", kind: "RoleBinding", group: "rbac.authorization.k8s.io" },
      { path: "roleRef/name", kind: "ClusterRoleBinding", group: "rbac.authorization.k8s.io" },
    ],
  },
  {
    kind: "ServiceAccount",
    version: "v1",
    referrers: [
      { path: "subjects", kind: "RoleBinding", group: "rbac.authorization.k8s.io" },
      { path: "subjects", kind: "ClusterRoleBinding", group: "rbac.authorization.k8s.io" },
      { path: "spec/serviceAccountName", kind: "Pod" },
      ...simple("spec/template/spec/serviceAccountName", SA_KINDS),
      { path: "spec/jobTemplate/spec/template/spec/serviceAccountName", kind: "CronJob" },
    ],
  },
  {
    kind: "PersistentVolumeClaim",
    version: "v1",
    referrers: [
      { path: "spec/volumes/persistentVolumeClaim/claimName", kind: "Pod" },
      ...simple("spec/template/spec/volumes/persistentVolumeClaim/claimName", SA_KINDS),
      { path: "spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName", kind: "CronJob" },
    ],
  },
  {
    kind: "PersistentVolume",
    version: "v1",
    referrers: [
      { path: "spec/volumeName", kind: "PersistentVolumeClaim" },
      { path: "rules/resourceNames", kind: "ClusterRole" },
    ],
  },
  {
    kind: "StorageClass",
    version: "v1",
    group: "storage.k8s.io",
    referrers: [
      { path: "spec/storageClassName", kind: "PersistentVolume" },
      { path: "spec/storageClassName", kind: "PersistentVolumeClaim" },
      { path: "spec/volumeClaimTemplates/spec/storageClassName", kind: "StatefulSet" },
    ],
  },
  {
    kind: "PriorityClass",
    version: "v1",
    group: "scheduling.k8s.io",
    referrers: [
      { path: "spec/priorityClassName", kind: "Pod" },
      ...simple("spec/template/spec/priorityClassName", SA_KINDS),
      { path: "spec/jobTemplate/spec/template/spec/priorityClassName", kind: "CronJob" },
    ],
  },
  // kustomize's own config names the group "networking.k8s.io/v1", which never matches: kept as is.
  { kind: "IngressClass", version: "v1", group: "networking.k8s.io/v1", referrers: [{ path: "spec/ingressClassName", kind: "Ingress" }] },
];

const containerVarPaths = (prefix: string, kind: string, volumes: string): FieldSpec[] => [
  ...["containers", "initContainers"].flatMap((c) => ["args", "command", "env/value", "volumeMounts/mountPath"].map((f) => ({ path: `${prefix}${c}/${f}`, kind }))),
  { path: volumes, kind },
];

/**
 * Where `$(VAR)` of `vars:` is replaced (api/internal/konfig/builtinpluginconsts/varreference.go), in its order.
 * Kustomize's own CronJob volume path lacks a `spec/` (`spec/jobTemplate/spec/template/volumes/…`): kept as is.
 */
export const VAR_REFERENCES: FieldSpec[] = [
  ...containerVarPaths("spec/jobTemplate/spec/template/spec/", "CronJob", "spec/jobTemplate/spec/template/volumes/nfs/server"),
  ...containerVarPaths("spec/template/spec/", "DaemonSet", "spec/template/spec/volumes/nfs/server"),
  ...containerVarPaths("spec/template/spec/", "Deployment", "spec/template/spec/volumes/nfs/server"),
  { path: "spec/template/metadata/annotations", kind: "Deployment" },
  { path: "spec/rules/host", kind: "Ingress" },
  { path: "spec/tls/hosts", kind: "Ingress" },
  { path: "spec/tls/secretName", kind: "Ingress" },
  ...containerVarPaths("spec/template/spec/", "Job", "spec/template/spec/volumes/nfs/server"),
  ...containerVarPaths("spec/", "Pod", "spec/volumes/nfs/server"),
  ...containerVarPaths("spec/template/spec/", "ReplicaSet", "spec/template/spec/volumes/nfs/server"),
  { path: "spec/ports/port", kind: "Service" },
  { path: "spec/ports/targetPort", kind: "Service" },
  ...containerVarPaths("spec/template/spec/", "StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server"),
  { path: "spec/nfs/server", kind: "PersistentVolume" },
  { path: "metadata/labels" },
  { path: "metadata/annotations" },
];

/**
 * The field specs one build's transformers use (kustomize's builtinconfig.TransformerConfig): the defaults above,
 * merged with the `configurations:` files of every kustomization whose accumulator the build passes through.
 * `labels` (empty by default) joins every `labels:` entry's specs, but not commonLabels' (checked with kubectl).
 */
export interface TransformerConfig {
  readonly namePrefix: readonly FieldSpec[];
  readonly nameSuffix: readonly FieldSpec[];
  readonly namespace: readonly FieldSpec[];
  readonly commonLabels: readonly FieldSpec[];
  readonly labels: readonly FieldSpec[];
  readonly templateLabels: readonly FieldSpec[];
  readonly commonAnnotations: readonly FieldSpec[];
  readonly nameReference: readonly NameBackRef[];
  readonly varReference: readonly FieldSpec[];
  readonly images: readonly FieldSpec[];
  readonly replicas: readonly FieldSpec[];
}

export type FsField = Exclude<keyof TransformerConfig, "nameReference">;
export const FS_FIELDS: readonly FsField[] = ["namePrefix", "nameSuffix", "namespace", "commonLabels", "labels", "templateLabels", "commonAnnotations", "varReference", "images", "replicas"];

/** Every build starts from this object; a build whose kustomizations have no `configurations:` never leaves it. */
export const DEFAULT_CONFIG: TransformerConfig = {
  namePrefix: [{ path: "metadata/name" }],
  nameSuffix: [{ path: "metadata/name" }],
  namespace: [{ path: "metadata/namespace", create: true }, ...NAMESPACE_FIELDS],
  commonLabels: COMMON_LABELS,
  labels: [],
  templateLabels: METADATA_LABELS,
  commonAnnotations: COMMON_ANNOTATIONS,
  nameReference: NAME_REFERENCES,
  varReference: VAR_REFERENCES,
  images: IMAGE_FIELDS,
  replicas: REPLICA_FIELDS,
};

/** FieldSpec.effectivelyEquals: same path, and `incoming`'s group/version/kind select `existing`'s. */
function effectivelyEquals(existing: FieldSpec, incoming: FieldSpec): boolean {
  if (existing.path !== incoming.path) return false;
  if (incoming.group && existing.group !== incoming.group) return false;
  if (incoming.version && existing.version !== incoming.version) return false;
  if (incoming.kind && existing.kind !== incoming.kind) return false;
  return true;
}

/**
 * FsSlice.MergeAll: items already present (effectively) are skipped, one present with another `create` is a
 * conflict. Returns `into` itself when nothing is added.
 */
export function mergeFieldSpecs(into: readonly FieldSpec[], incoming: readonly FieldSpec[], what: string): readonly FieldSpec[] {
  let out: FieldSpec[] | null = null;
  for (const x of incoming) {
    const list = out ?? into;
    const hit = list.find((e) => effectivelyEquals(e, x));
    if (hit) {
      if (Boolean(hit.create) !== Boolean(x.create)) throw new BuildFailure(`failed to merge ${what} fieldSpec: conflicting fieldspecs (${x.path})`);
      continue;
    }
    (out ??= [...into]).push(x);
  }
  return out ?? into;
}

const sameGvk = (a: NameBackRef, b: NameBackRef) => (a.group ?? "") === (b.group ?? "") && (a.version ?? "") === (b.version ?? "") && a.kind === b.kind;

/** nbrSlice.mergeAll: a target with exactly the same group/version/kind gets the new referrers merged in, others are added. */
function mergeNameReferences(into: readonly NameBackRef[], incoming: readonly NameBackRef[]): readonly NameBackRef[] {
  let out: readonly NameBackRef[] = into;
  for (const x of incoming) {
    let found = false;
    const next = out.map((c) => {
      if (!sameGvk(c, x)) return c;
      found = true;
      const referrers = mergeFieldSpecs(c.referrers, x.referrers, "NameReference");
      return referrers === c.referrers ? c : { ...c, referrers: [...referrers] };
    });
    if (!found) out = [...out, x];
    else if (next.some((c, i) => c !== out[i])) out = next;
  }
  return out;
}

/** A new accumulator's config (MakeEmptyAccumulator). */
export const EMPTY_CONFIG: TransformerConfig = {
  namePrefix: [],
  nameSuffix: [],
  namespace: [],
  commonLabels: [],
  labels: [],
  templateLabels: [],
  commonAnnotations: [],
  nameReference: [],
  varReference: [],
  images: [],
  replicas: [],
};

type Mutable = { -readonly [K in keyof TransformerConfig]: TransformerConfig[K] };

/**
 * TransformerConfig.Merge: each list merged (MergeAll), then sorted by group/version/kind as kustomize does
 * (which decides which of two overlapping specs is met first, and so whether they conflict). The sort here is
 * stable where Go's is not: specs of one GVK may be applied in another order than kustomize's, which changes
 * nothing unless two of them write the same field.
 *
 * A kustomization without `configurations:` merges DEFAULT_CONFIG; while an accumulator holds only the defaults
 * that costs nothing and keeps the defaults' own order (so a build without `configurations:` is as before).
 */
export function mergeConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (b === EMPTY_CONFIG) return a;
  if (b === DEFAULT_CONFIG && (a === EMPTY_CONFIG || a === DEFAULT_CONFIG)) return DEFAULT_CONFIG;
  const out: Mutable = { ...a, nameReference: mergeNameReferences(a.nameReference, b.nameReference) };
  for (const f of FS_FIELDS) out[f] = mergeFieldSpecs(a[f], b[f], f);
  return sortedConfig(out);
}

/** TransformerConfig.sortFields (stable, see mergeConfig). */
export function sortedConfig(c: TransformerConfig): TransformerConfig {
  const out: Mutable = { ...c, nameReference: [...c.nameReference].sort(compareGvk) };
  for (const f of FS_FIELDS) out[f] = [...c[f]].sort(compareGvk);
  return out;
}
