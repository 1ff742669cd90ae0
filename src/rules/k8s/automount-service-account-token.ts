import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { podSpecs, type PodSpecRef } from "../../parse/workloads.js";
import { bindingDoc } from "../rbac/_rbac.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";
import { isWorkloadFragment } from "./_manifest-fragments.js";
import { podAnnotations } from "./_pod-context.js";

function serviceAccountOf(spec: Record<string, unknown>): string {
  for (const key of ["serviceAccountName", "serviceAccount"]) {
    const v = spec[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return "default";
}

/** Per file: the ServiceAccounts that set `automountServiceAccountToken: false`. */
const quietAccounts = new WeakMap<ParsedFile, Array<{ namespace: string | null; name: string }>>();

function accountsWithoutAutomount(file: ParsedFile): Array<{ namespace: string | null; name: string }> {
  let list = quietAccounts.get(file);
  if (!list) {
    list = [];
    for (const d of file.docs) {
      if (d.resource.kind !== "ServiceAccount" || d.resource.apiVersion !== "v1" || d.resource.name === null) continue;
      if (isPlainObject(d.value) && d.value.automountServiceAccountToken === false) list.push({ namespace: d.resource.namespace, name: d.resource.name });
    }
    quietAccounts.set(file, list);
  }
  return list;
}

/** A ServiceAccount in the same file with `automountServiceAccountToken: false` (namespaces compared when both are set). */
function disabledBySameFileServiceAccount(file: ParsedFile, doc: ParsedDoc, name: string): boolean {
  const ns = doc.resource.namespace;
  return accountsWithoutAutomount(file).some((sa) => sa.name === name && (sa.namespace === null || ns === null || sa.namespace === ns));
}

type AccountRef = { namespace: string | null; name: string };

/** Per file: the ServiceAccounts that a RoleBinding or ClusterRoleBinding names as a subject. */
const boundAccounts = new WeakMap<ParsedFile, AccountRef[]>();

/** A ServiceAccount's user name, as a binding may write the account: `system:serviceaccount:<namespace>:<name>`. */
const ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * The ServiceAccount a binding subject names: a `ServiceAccount` subject (its namespace its own, else its
 * RoleBinding's; null when neither says), or a `User` written as the account's user name
 * (`system:serviceaccount:<namespace>:<name>`, the same identity to the API server).
 */
function subjectAccount(subject: Record<string, unknown>, bindingNamespace: string | null): AccountRef | null {
  const user = subject.kind === "User" && typeof subject.name === "string" ? ACCOUNT_USER.exec(subject.name) : null;
  if (user) return { namespace: user[1]!, name: user[2]! };
  if (subject.kind !== "ServiceAccount" || typeof subject.name !== "string" || subject.name === "") return null;
  const namespace = typeof subject.namespace === "string" && subject.namespace !== "" ? subject.namespace : bindingNamespace;
  return { namespace, name: subject.name };
}

function accountsBound(file: ParsedFile): AccountRef[] {
  let list = boundAccounts.get(file);
  if (!list) {
    list = [];
    for (const d of file.docs) {
      const binding = bindingDoc(d);
      if (!binding) continue;
      const bindingNamespace = binding.kind === "RoleBinding" ? d.resource.namespace : null;
      for (const { subject } of binding.subjects) {
        const account = subjectAccount(subject, bindingNamespace);
        if (account) list.push(account);
      }
    }
    boundAccounts.set(file, list);
  }
  return list;
}

/**
 * A dedicated ServiceAccount (not `default`) that a binding in the same file (or render) names: its pods call the API
 * on purpose, the exception the fix names. Namespaces compared when both are set.
 */
function boundDedicatedServiceAccount(file: ParsedFile, doc: ParsedDoc, name: string): boolean {
  if (name === "default") return false;
  const ns = doc.resource.namespace;
  return accountsBound(file).some((sa) => sa.name === name && (sa.namespace === null || ns === null || sa.namespace === ns));
}

/** The values Go's strconv.ParseBool reads as true, as the Vault agent injector parses its annotations. */
const GO_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);

/**
 * The Vault agent injector will add its agent to this pod (`vault.hashicorp.com/agent-inject` true) and log it in to
 * Vault with the pod's automounted token: without it the injector rejects the pod. Not when
 * `vault.hashicorp.com/agent-service-account-token-volume-name` names a token volume of the pod's own (a projected
 * token), which the agent reads instead.
 */
function vaultAgentNeedsToken(pod: PodSpecRef): boolean {
  const { annotations } = podAnnotations(pod);
  const inject = annotations["vault.hashicorp.com/agent-inject"];
  if (typeof inject !== "string" || !GO_TRUE.has(inject)) return false;
  const ownVolume = annotations["vault.hashicorp.com/agent-service-account-token-volume-name"];
  return typeof ownVolume !== "string" || ownVolume === "";
}

const RULE_ID = "k8s/automount-service-account-token";

/**
 * Pods that use their token on purpose (a dedicated ServiceAccount a binding names, a Vault agent that logs in with
 * it) are not reported, but the token is mounted all the same: the finding is kept hidden (`deferredTo` its own rule,
 * nothing shown for it) so that a review matches it. A pull request that takes the reason away (deletes the binding,
 * the ServiceAccount's grants go down) shows the finding `existing`, not `new`; one that adds the reason shows
 * nothing, not `fixed`.
 */
function tokenUsedOnPurpose(file: ParsedFile, doc: ParsedDoc, pod: PodSpecRef, sa: string): { deferredTo?: string } {
  return vaultAgentNeedsToken(pod) || boundDedicatedServiceAccount(file, doc, sa) ? { deferredTo: RULE_ID } : {};
}

export default defineRule({
  meta: {
    id: RULE_ID,
    title: "Service-account token mounted automatically",
    severity: "low",
    description:
      "A workload's pod spec does not set `automountServiceAccountToken: false`. Reported at the pod spec (or at an explicit `true`). A ServiceAccount that disables automounting counts only when it is in the same file: the rule cannot see other files or the live cluster. Pods that run as a dedicated (non-`default`) ServiceAccount which a RoleBinding or ClusterRoleBinding in the same file (or Kustomize render) names as a subject (a `ServiceAccount` subject, or a `User` `system:serviceaccount:<namespace>:<name>`) are not reported (neither for leaving the setting out nor for an explicit `true`): they call the API on purpose, the exception the fix names. The `default` ServiceAccount, or one nothing in the file binds, is still reported. Pods the Vault agent injector injects (`vault.hashicorp.com/agent-inject: \"true\"` on the pod template) are not reported: the agent logs in to Vault with that token and the injector rejects the pod without it — unless `vault.hashicorp.com/agent-service-account-token-volume-name` names a token volume of their own. In a review an exempted pod's finding still counts for matching the two sides: a pull request that deletes the binding (or the Vault annotation) shows the finding existing, not new, and one that adds it shows nothing. Fragments such as Kustomize patches (no `spec.selector`, a container without an image) are only reported for an explicit `true`.",
    rationale:
      "Every pod gets an API token for its ServiceAccount unless told otherwise. Most applications never call the Kubernetes API, so the token only helps an attacker who gets code execution in the pod: it authenticates to the API server with whatever RBAC the account has.",
    fix: "Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount); pods that call the API can keep it, ideally with a dedicated, narrowly bound ServiceAccount.",
    example: {
      bad: "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3\n",
      good: "spec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n      containers:\n        - name: web\n          image: nginx:1.27.3\n",
    },
  },
  checkDoc({ doc, file, report }) {
    // A fragment (Kustomize patch) can still set `true` explicitly; only the "not set" finding needs the whole object.
    const fragment = isWorkloadFragment(doc);
    for (const pod of podSpecs(doc)) {
      const value = pod.spec.automountServiceAccountToken;
      if (value === false) continue;
      const sa = serviceAccountOf(pod.spec);
      const exempt = tokenUsedOnPurpose(file, doc, pod, sa);
      const what = `${doc.resource.kind} "${doc.resource.name ?? "?"}"`;
      if (value === true) {
        report({
          path: [...pod.path, "automountServiceAccountToken"],
          message: `${what} sets automountServiceAccountToken: true, so its pods carry an API token for ServiceAccount "${sa}".`,
          ...exempt,
        });
        continue;
      }
      if (fragment || disabledBySameFileServiceAccount(file, doc, sa)) continue;
      report({
        path: pod.path,
        message: `${what} does not set automountServiceAccountToken: false, so its pods carry an API token for ServiceAccount "${sa}".`,
        ...exempt,
      });
    }
  },
});
