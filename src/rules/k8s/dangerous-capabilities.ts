import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";
import { asObj, containerName, containerSecurityContext, isTemplatedValue } from "./_pod-context.js";

/** Pod Security Standards baseline: the capabilities a container may add. */
const BASELINE_ALLOWED = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** `cap_sys_admin` → `SYS_ADMIN`. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

export default defineRule({
  meta: {
    id: "k8s/dangerous-capabilities",
    title: "Dangerous capability added",
    severity: "high",
    description:
      "A container whose `securityContext.capabilities.add` contains ALL or a capability outside the Pod Security Standards baseline allow-list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), e.g. SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_MODULE, BPF; names with or without `CAP_`, any case. One finding per added capability.",
    rationale:
      "Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, BPF or NET_ADMIN each give a large part of root's power over the kernel or the node's network; several are known container-escape paths. Pod Security Standards baseline forbids adding them.",
    fix: "Remove the capability from `capabilities.add`; if the process really needs it, run the workload in a dedicated namespace with an explicit exception and document why.",
    example: {
      bad: "securityContext:\n  capabilities:\n    add: [SYS_ADMIN]\n",
      good: "securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const { sc, path } = containerSecurityContext(c);
      const add = asObj(sc.capabilities).add;
      if (!Array.isArray(add)) continue;
      add.forEach((cap, i) => {
        if (typeof cap !== "string" || isTemplatedValue(cap)) return;
        const name = normalizeCapability(cap);
        if (name !== "ALL" && BASELINE_ALLOWED.has(name)) return;
        report({
          path: [...path, "capabilities", "add", i],
          // Named by the capability, not its place in the list: swapping SYS_ADMIN for SYS_PTRACE is a new risk, and
          // removing the entry above SYS_ADMIN leaves SYS_ADMIN's finding existing (not "fixed").
          identity: [...path, "capabilities", "add", name],
          message:
            name === "ALL"
              ? `${containerName(doc, c)} adds ALL Linux capabilities.`
              : `${containerName(doc, c)} adds the ${name} capability, outside the Pod Security Standards baseline set.`,
        });
      });
    }
  },
});
