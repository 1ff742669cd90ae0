import { defineRule } from "../../core/rule.js";

interface Removal {
  /** Kubernetes minor version that stopped serving it. */
  removedIn: string;
  /** apiVersion to migrate to, or null when the kind itself is gone (only PodSecurityPolicy). */
  replacement: string | null;
  /** The apiVersion never served the kind (`policy/v1` PodSecurityPolicy): the kind's removal is what applies. */
  neverServed?: true;
}

/**
 * apiVersion → kind (`*` = every kind of that group version) → removal. From the Kubernetes
 * "Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/), v1.16 to v1.32.
 * Kind-specific where a group version still serves other kinds today (e.g. admissionregistration.k8s.io/v1beta1
 * ValidatingAdmissionPolicy, networking.k8s.io/v1beta1 ServiceCIDR, storage.k8s.io/v1beta1 VolumeAttributesClass).
 */
const TABLE: ReadonlyArray<readonly [apiVersion: string, kinds: readonly string[], removedIn: string, replacement: string | null]> = [
  ["extensions/v1beta1", ["Deployment", "DaemonSet", "ReplicaSet"], "v1.16", "apps/v1"],
  ["extensions/v1beta1", ["NetworkPolicy"], "v1.16", "networking.k8s.io/v1"],
  ["extensions/v1beta1", ["PodSecurityPolicy"], "v1.16", null],
  ["extensions/v1beta1", ["Ingress"], "v1.22", "networking.k8s.io/v1"],
  ["apps/v1beta1", ["*"], "v1.16", "apps/v1"],
  ["apps/v1beta2", ["*"], "v1.16", "apps/v1"],
  ["admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], "v1.22", "admissionregistration.k8s.io/v1"],
  ["apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], "v1.22", "apiextensions.k8s.io/v1"],
  ["apiregistration.k8s.io/v1beta1", ["APIService"], "v1.22", "apiregistration.k8s.io/v1"],
  ["authentication.k8s.io/v1beta1", ["TokenReview"], "v1.22", "authentication.k8s.io/v1"],
  ["authorization.k8s.io/v1beta1", ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview"], "v1.22", "authorization.k8s.io/v1"],
  ["certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], "v1.22", "certificates.k8s.io/v1"],
  ["coordination.k8s.io/v1beta1", ["Lease"], "v1.22", "coordination.k8s.io/v1"],
  ["networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], "v1.22", "networking.k8s.io/v1"],
  ["rbac.authorization.k8s.io/v1beta1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"], "v1.22", "rbac.authorization.k8s.io/v1"],
  ["scheduling.k8s.io/v1beta1", ["PriorityClass"], "v1.22", "scheduling.k8s.io/v1"],
  ["storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], "v1.22", "storage.k8s.io/v1"],
  ["batch/v1beta1", ["CronJob"], "v1.25", "batch/v1"],
  ["discovery.k8s.io/v1beta1", ["EndpointSlice"], "v1.25", "discovery.k8s.io/v1"],
  ["events.k8s.io/v1beta1", ["Event"], "v1.25", "events.k8s.io/v1"],
  ["autoscaling/v2beta1", ["HorizontalPodAutoscaler"], "v1.25", "autoscaling/v2"],
  ["policy/v1beta1", ["PodDisruptionBudget"], "v1.25", "policy/v1"],
  ["policy/v1beta1", ["PodSecurityPolicy"], "v1.25", null],
  ["node.k8s.io/v1beta1", ["RuntimeClass"], "v1.25", "node.k8s.io/v1"],
  ["autoscaling/v2beta2", ["HorizontalPodAutoscaler"], "v1.26", "autoscaling/v2"],
  ["flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], "v1.26", "flowcontrol.apiserver.k8s.io/v1"],
  ["storage.k8s.io/v1beta1", ["CSIStorageCapacity"], "v1.27", "storage.k8s.io/v1"],
  ["flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], "v1.29", "flowcontrol.apiserver.k8s.io/v1"],
  ["flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], "v1.32", "flowcontrol.apiserver.k8s.io/v1"],
];

const REMOVALS = new Map<string, Removal>();
for (const [apiVersion, kinds, removedIn, replacement] of TABLE) {
  for (const kind of kinds) REMOVALS.set(`${apiVersion} ${kind}`, { removedIn, replacement });
}

/**
 * Groups whose PodSecurityPolicy Kubernetes served: with the kind removed in v1.25, any version of them is refused —
 * also one that never served it (`policy/v1`, a guess at the PodDisruptionBudget migration), which no cluster accepts.
 */
const PSP_GROUPS = new Set(["policy", "extensions"]);

export function removalOf(apiVersion: string, kind: string): Removal | null {
  const listed = REMOVALS.get(`${apiVersion} ${kind}`) ?? REMOVALS.get(`${apiVersion} *`);
  if (listed) return listed;
  if (kind === "PodSecurityPolicy" && PSP_GROUPS.has(apiVersion.split("/")[0] ?? "") && apiVersion.includes("/")) {
    return { removedIn: "v1.25", replacement: null, neverServed: true };
  }
  return null;
}

export default defineRule({
  meta: {
    id: "k8s/removed-api-version",
    title: "apiVersion removed from Kubernetes",
    severity: "high",
    description:
      "An object whose apiVersion and kind are no longer served by current Kubernetes (the Deprecated API Migration Guide, v1.16 to v1.32: extensions/v1beta1, apps/v1beta1/v1beta2, policy/v1beta1, batch/v1beta1 CronJob, networking.k8s.io/v1beta1 Ingress, rbac.authorization.k8s.io/v1beta1, apiextensions.k8s.io/v1beta1, autoscaling/v2beta1/v2beta2, flowcontrol v1beta1–v1beta3 …), reported at `apiVersion` with the removal version and the replacement.",
    rationale:
      "The API server rejects a removed apiVersion: the sync fails and the change never deploys, or a cluster upgrade breaks every manifest still using it. The replacement versions sometimes change defaults and field names, so the migration deserves a review of its own.",
    fix: "Change apiVersion to the replacement named in the finding and apply the field changes listed in the Kubernetes Deprecated API Migration Guide (`kubectl convert` can help).",
    example: {
      bad: "apiVersion: extensions/v1beta1\nkind: Deployment\n",
      good: "apiVersion: apps/v1\nkind: Deployment\n",
    },
  },
  checkDoc({ doc, report }) {
    if (doc.class !== "kubernetes") return;
    const { apiVersion, kind, name } = doc.resource;
    if (!apiVersion || !kind) return;
    const removal = removalOf(apiVersion, kind);
    if (!removal) return;
    const what = `${kind} "${name ?? "?"}" uses apiVersion ${apiVersion}, removed in Kubernetes ${removal.removedIn}`;
    if (removal.replacement) {
      report({
        path: ["apiVersion"],
        message: `${what}: use ${removal.replacement}.`,
        fix: `Change apiVersion to ${removal.replacement} and apply the field changes in the Kubernetes Deprecated API Migration Guide.`,
      });
    } else {
      report({
        path: ["apiVersion"],
        message: removal.neverServed
          ? `${kind} "${name ?? "?"}" uses apiVersion ${apiVersion}, which never served it: PodSecurityPolicy was removed in Kubernetes v1.25 with no replacement API: use Pod Security Admission.`
          : removal.removedIn === "v1.25"
            ? `${what} with no replacement API: use Pod Security Admission.`
            : `${what}; PodSecurityPolicy itself was removed in v1.25: use Pod Security Admission.`,
        fix: "Delete the PodSecurityPolicy and enforce the Pod Security Standards with Pod Security Admission namespace labels (pod-security.kubernetes.io/enforce) or a policy engine.",
      });
    }
  },
});
