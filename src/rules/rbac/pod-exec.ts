import { defineRule, type Report } from "../../core/rule.js";
import { coversCoreGroup, roleDoc, type Entry, type PolicyRule, type RoleDoc } from "./_rbac.js";

const SUBRESOURCES = ["pods/exec", "pods/attach", "pods/*"];

/** The kubelet API through the API server: exec, attach and run in every pod of a node. */
const NODE_PROXY = ["nodes/proxy", "nodes/*"];

/** Which of create, get or `*` the rule grants: each opens an exec session (get over WebSocket). */
function sessionVerbs(rule: PolicyRule): { create: boolean; getOnly: boolean } {
  const verbs = rule.verbs.map((e) => e.value);
  const create = verbs.includes("create") || verbs.includes("*");
  return { create, getOnly: !create && verbs.includes("get") };
}

/** `create`, `every verb` or `get`: the verb the message names. */
function verbText(rule: PolicyRule): string {
  const verbs = rule.verbs.map((e) => e.value);
  return verbs.includes("create") ? "create" : verbs.includes("*") ? "every verb" : "get";
}

/** The finding for pods/exec, pods/attach or pods/* (medium). */
function podSubresourceReport(role: RoleDoc, rule: PolicyRule, resource: Entry): Report {
  const { create } = sessionVerbs(rule);
  const what = resource.value === "pods/*" ? "every pod subresource, exec and attach included" : resource.value;
  const effect = resource.value === "pods/attach" ? "attach to running containers" : "run commands in pods";
  const message = create
    ? `${role.label} rules[${rule.index}] allows ${verbText(rule)} on ${what}: it can ${effect}.`
    : `${role.label} rules[${rule.index}] allows get on ${what}, which is enough to ${effect} over WebSocket on clusters before Kubernetes v1.35.`;
  return { path: [...rule.path, "resources", resource.index], message };
}

/**
 * The finding for nodes/proxy or nodes/* in a ClusterRole: the kubelet's exec, attach and run endpoints, for every
 * pod of every node (of the named nodes with resourceNames), `get` being enough over WebSocket.
 */
function nodeProxyReport(role: RoleDoc, rule: PolicyRule, resource: Entry): Report {
  const what = resource.value === "nodes/*" ? "every node subresource, proxy included" : resource.value;
  const nodes = rule.resourceNames.length > 0 ? "the nodes it names" : "every node";
  const websocket = sessionVerbs(rule).getOnly ? " (get is enough: the kubelet's exec endpoint takes WebSocket GET requests)" : "";
  return {
    path: [...rule.path, "resources", resource.index],
    message: `${role.label} rules[${rule.index}] allows ${verbText(rule)} on ${what}: through the kubelet API it can run commands in every pod on ${nodes}${websocket}.`,
    fix: "Drop `nodes/proxy` from the role: metrics and health come from `nodes/metrics`, `nodes/stats` and `nodes/log`, or with fine-grained kubelet authorization (Kubernetes v1.33+) `nodes/pods`, `nodes/healthz` and `nodes/configz`; a tool that really needs the kubelet API gets a separate, audited role.",
  };
}

export default defineRule({
  meta: {
    id: "rbac/pod-exec",
    title: "RBAC allows exec or attach into pods",
    severity: "medium",
    description:
      "A Role or ClusterRole rule in the core API group that grants `create`, `get` or `*` on `pods/exec`, `pods/attach` or `pods/*`, reported at the resource entry. `get` counts because exec over WebSocket needed only `get` until Kubernetes v1.35 (kubernetes/kubernetes#134577). A ClusterRole rule in the core API group that grants `create`, `get` or `*` on `nodes/proxy` or `nodes/*`, at the resource entry: the kubelet API behind it runs commands in every pod of the node, `get` being enough over WebSocket (a Role cannot grant nodes, which are cluster-scoped). `resources: ['*']` is left to rbac/wildcard-permissions.",
    rationale:
      "Exec and attach run commands inside a running container: the subject gets the container's files, environment variables (often credentials) and its service-account token, bypassing whatever the application itself enforces. `nodes/proxy` does the same for every pod on a node, kube-system's and privileged agents' included, through the kubelet's own exec and run endpoints, authorized as nodes/proxy rather than pods/exec.",
    fix: "Drop `pods/exec` and `pods/attach` from the role; grant them to humans through a separate, audited break-glass role, not to workloads or CI.",
    example: {
      bad: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]\n",
      good: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/log\"]\n    verbs: [\"get\", \"list\"]\n",
    },
  },
  checkDoc({ doc, report }) {
    const role = roleDoc(doc);
    if (!role) return;
    for (const rule of role.rules) {
      if (!coversCoreGroup(rule)) continue;
      const { create, getOnly } = sessionVerbs(rule);
      if (!create && !getOnly) continue;
      for (const resource of rule.resources) {
        if (SUBRESOURCES.includes(resource.value)) report(podSubresourceReport(role, rule, resource));
        // Nodes are cluster-scoped: a Role cannot grant them.
        else if (NODE_PROXY.includes(resource.value) && role.kind === "ClusterRole") report(nodeProxyReport(role, rule, resource));
      }
    }
  },
});
