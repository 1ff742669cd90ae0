/**
 * The part of the Kubernetes (v1.21) OpenAPI schema that strategic merge reads: which lists merge by key
 * (`x-kubernetes-patch-strategy: merge` with `x-kubernetes-patch-merge-key`, or `x-kubernetes-list-map-keys`
 * when set) and which are replaced whole. Kustomize has no schema for custom resources: their lists are replaced.
 */
import type { Gvk } from "./resid.js";
import { apiVersionOf } from "./resid.js";

export interface SchemaNode {
  fields?: Record<string, SchemaNode>;
  /** Present for lists that merge: the merge keys ([] for a primitive list merged by value, e.g. finalizers). */
  mergeKeys?: readonly string[];
  items?: SchemaNode;
  /** The schema of every field not in `fields` (a map's values: `additionalProperties`; custom schemas only). */
  additional?: SchemaNode;
}

/** The schema strategic merge uses for each resource type: the built-in one, or a kustomization's `openapi:`. */
export type MergeSchemas = (g: Gvk) => SchemaNode | null;

/** The schema of a field of a map (kyaml's `Field`: a property, else the map's `additionalProperties`). */
export function fieldOf(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (schema === undefined) return undefined;
  if (schema.fields !== undefined && Object.hasOwn(schema.fields, key)) return schema.fields[key];
  return schema.additional;
}

const list = (keys: readonly string[], items?: SchemaNode): SchemaNode => ({ mergeKeys: keys, items });
const obj = (fields: Record<string, SchemaNode>): SchemaNode => ({ fields });
const plainList = (items: SchemaNode): SchemaNode => ({ items });

const OBJECT_META = obj({ finalizers: list([]), ownerReferences: list(["uid"]) });

const CONTAINER = obj({
  ports: list(["containerPort", "protocol"]),
  env: list(["name"]),
  volumeMounts: list(["mountPath"]),
  volumeDevices: list(["devicePath"]),
});

const POD_SPEC = obj({
  containers: list(["name"], CONTAINER),
  initContainers: list(["name"], CONTAINER),
  ephemeralContainers: list(["name"], CONTAINER),
  volumes: list(["name"]),
  imagePullSecrets: list(["name"]),
  hostAliases: list(["ip"]),
  topologySpreadConstraints: list(["topologyKey", "whenUnsatisfiable"]),
});

const POD_TEMPLATE_SPEC = obj({ metadata: OBJECT_META, spec: POD_SPEC });

const withMeta = (fields: Record<string, SchemaNode> = {}): SchemaNode => obj({ metadata: OBJECT_META, ...fields });

const WORKLOAD = withMeta({ spec: obj({ template: POD_TEMPLATE_SPEC }) });
const STATEFUL_SET = withMeta({
  spec: obj({ template: POD_TEMPLATE_SPEC, volumeClaimTemplates: plainList(withMeta()) }),
});
const JOB_SPEC = obj({ template: POD_TEMPLATE_SPEC });
const CRON_JOB = withMeta({ spec: obj({ jobTemplate: obj({ metadata: OBJECT_META, spec: JOB_SPEC }) }) });

const BY_TYPE: Record<string, SchemaNode> = {
  "apps/v1 Deployment": WORKLOAD,
  "apps/v1 DaemonSet": WORKLOAD,
  "apps/v1 ReplicaSet": WORKLOAD,
  "apps/v1 StatefulSet": STATEFUL_SET,
  "batch/v1 Job": withMeta({ spec: JOB_SPEC }),
  "batch/v1 CronJob": CRON_JOB,
  "batch/v1beta1 CronJob": CRON_JOB,
  "v1 Pod": withMeta({ spec: POD_SPEC }),
  "v1 PodTemplate": withMeta({ template: POD_TEMPLATE_SPEC }),
  "v1 ReplicationController": WORKLOAD,
  "v1 Service": withMeta({ spec: obj({ ports: list(["port", "protocol"]) }) }),
  "v1 ServiceAccount": withMeta({ secrets: list(["name"]) }),
};

/** Built-in types whose only merge-relevant schema is ObjectMeta. */
const META_ONLY = [
  "v1 ConfigMap",
  "v1 Secret",
  "v1 Namespace",
  "v1 Endpoints",
  "v1 LimitRange",
  "v1 ResourceQuota",
  "v1 PersistentVolume",
  "v1 PersistentVolumeClaim",
  "v1 Node",
  "v1 Event",
  "rbac.authorization.k8s.io/v1 Role",
  "rbac.authorization.k8s.io/v1 ClusterRole",
  "rbac.authorization.k8s.io/v1 RoleBinding",
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
  "networking.k8s.io/v1 Ingress",
  "networking.k8s.io/v1 IngressClass",
  "networking.k8s.io/v1 NetworkPolicy",
  "policy/v1 PodDisruptionBudget",
  "policy/v1beta1 PodDisruptionBudget",
  "autoscaling/v1 HorizontalPodAutoscaler",
  "autoscaling/v2beta1 HorizontalPodAutoscaler",
  "autoscaling/v2beta2 HorizontalPodAutoscaler",
  "scheduling.k8s.io/v1 PriorityClass",
  "storage.k8s.io/v1 StorageClass",
  "apiextensions.k8s.io/v1 CustomResourceDefinition",
  "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
  "apiregistration.k8s.io/v1 APIService",
  "coordination.k8s.io/v1 Lease",
  "discovery.k8s.io/v1 EndpointSlice",
];
for (const t of META_ONLY) BY_TYPE[t] ??= withMeta();

export function schemaFor(g: Gvk): SchemaNode | null {
  return BY_TYPE[`${apiVersionOf(g)} ${g.kind}`] ?? null;
}
