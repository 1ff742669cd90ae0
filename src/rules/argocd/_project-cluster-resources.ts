import type { Grant } from "../../core/grant.js";
import type { Item, Obj } from "./_project-appproject.js";
import { objectItems, str } from "./_project-appproject.js";
import { globMatch } from "./_project-glob.js";

export interface GroupKindEntry extends Item<Obj> {
  /** A missing group is the core group (""), as in Argo CD. */
  group: string;
  kind: string | null;
}

export function groupKinds(v: unknown): GroupKindEntry[] {
  return objectItems(v).map((e) => ({ ...e, group: (str(e.value, "group") ?? "").trim(), kind: str(e.value, "kind")?.trim() ?? null }));
}

/** Whether a whitelist/blacklist entry covers a group/kind (Argo CD uses filepath.Match on both). */
export function covers(entry: GroupKindEntry, group: string, kind: string): boolean {
  return entry.kind !== null && globMatch(entry.kind, kind) && globMatch(entry.group, group);
}

export const PRIVILEGED_CLUSTER_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
  { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
];

/** What a whitelist entry grants, for a review to tell a narrowed entry from a new one (see core/grant.ts). */
export function clusterResourceGrant(e: GroupKindEntry): Grant {
  return { kind: "argocd/cluster-resource", fields: { group: e.group, kind: e.kind ?? "" } };
}
