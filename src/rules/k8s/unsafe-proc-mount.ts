import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";
import { containerName, containerSecurityContext, isTemplatedValue, usesUserNamespace } from "./_pod-context.js";

export default defineRule({
  meta: {
    id: "k8s/unsafe-proc-mount",
    title: "Unmasked /proc mount",
    severity: "high",
    description:
      "A container with `securityContext.procMount` other than `Default` (i.e. `Unmasked`). Medium instead of high in a pod with its own user namespace (`hostUsers: false`), which Pod Security Standards baseline allows since Kubernetes 1.35.",
    rationale:
      "The default /proc mount masks and makes read-only the kernel interfaces that leak host information or allow changing kernel settings; an Unmasked /proc exposes them to the container.",
    fix: "Remove `procMount` (or set it to `Default`).",
    example: {
      bad: "securityContext:\n  procMount: Unmasked\n",
      good: "securityContext:\n  procMount: Default\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const { sc, path } = containerSecurityContext(c);
      const procMount = sc.procMount;
      if (typeof procMount !== "string" || procMount === "Default" || procMount === "" || isTemplatedValue(procMount)) continue;
      report({
        path: [...path, "procMount"],
        message: `${containerName(doc, c)} mounts /proc unmasked (procMount: ${procMount}).`,
        severity: usesUserNamespace(c.pod) ? "medium" : "high",
      });
    }
  },
});
