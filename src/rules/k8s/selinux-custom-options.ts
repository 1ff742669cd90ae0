import type { JsonPath } from "../../core/path.js";
import type { Report } from "../../core/rule.js";
import { defineRule } from "../../core/rule.js";
import { containers, podSpecs } from "../../parse/workloads.js";
import { asObj, containerName, containerSecurityContext, isTemplatedValue, podSecurityContext, workloadName } from "./_pod-context.js";

/** Pod Security Standards baseline SELinux types (container_engine_t since Kubernetes 1.31). */
const ALLOWED_TYPES = new Set(["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** Reports the forbidden fields of one `seLinuxOptions` map; `who` names its owner, `suffix` ends the message. */
function check(options: unknown, path: JsonPath, who: string, suffix: string, report: (r: Report) => void): void {
  const o = asObj(options);
  const set = (v: unknown): v is string => typeof v === "string" && v !== "" && !isTemplatedValue(v);
  if (set(o.type) && !ALLOWED_TYPES.has(o.type)) {
    report({ path: [...path, "type"], message: `${who} sets the custom SELinux type ${o.type}${suffix}.` });
  }
  for (const field of ["user", "role"] as const) {
    const v = o[field];
    if (set(v)) report({ path: [...path, field], message: `${who} sets a custom SELinux ${field} (${v})${suffix}.` });
  }
}

export default defineRule({
  meta: {
    id: "k8s/selinux-custom-options",
    title: "Custom SELinux options",
    severity: "medium",
    description:
      "`seLinuxOptions.type` outside container_t, container_init_t, container_kvm_t and container_engine_t, or `seLinuxOptions.user` / `role` set, in the pod or a container securityContext (one finding per offending field; `level` is allowed).",
    rationale:
      "The SELinux type decides what a container process may touch on the node; a custom type (e.g. spc_t, unconfined_t) or a custom user/role can lift the confinement entirely. Pod Security Standards baseline restricts the type and forbids user and role.",
    fix: "Remove `seLinuxOptions.user` and `role`, and the `type` unless it is container_t, container_init_t, container_kvm_t or container_engine_t; keep only `level` if the volume labels need it.",
    example: {
      bad: "securityContext:\n  seLinuxOptions:\n    type: spc_t\n",
      good: "securityContext:\n  seLinuxOptions:\n    level: s0:c123,c456\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const pod of podSpecs(doc)) {
      const { sc, path } = podSecurityContext(pod);
      check(sc.seLinuxOptions, [...path, "seLinuxOptions"], workloadName(doc), " for its containers (pod securityContext)", report);
    }
    for (const c of containers(doc)) {
      const { sc, path } = containerSecurityContext(c);
      check(sc.seLinuxOptions, [...path, "seLinuxOptions"], containerName(doc, c), "", report);
    }
  },
});
