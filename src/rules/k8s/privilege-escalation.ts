import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";
import { absenceApplies, containerName, containerSecurityContext, isWindowsPod, privilegedDeferral } from "./_pod-context.js";

export default defineRule({
  meta: {
    id: "k8s/privilege-escalation",
    title: "Privilege escalation allowed",
    severity: "high",
    description:
      "A container with `allowPrivilegeEscalation: true` is high; a container that does not set `allowPrivilegeEscalation: false` is medium. A privileged container (which always allows escalation) is left to `k8s/privileged-container`, so one cause gives one finding. Windows pods (`spec.os.name: windows`) are exempt from the medium case, as in Pod Security Standards.",
    rationale:
      "Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent (setuid binaries, file capabilities): an attacker with code execution in the container can become root in it. Pod Security Standards restricted requires it to be false.",
    fix: "Set `securityContext.allowPrivilegeEscalation: false` on every container (and remove `privileged: true`).",
    example: {
      bad: "containers:\n  - name: app\n    securityContext:\n      allowPrivilegeEscalation: true\n",
      good: "containers:\n  - name: app\n    securityContext:\n      allowPrivilegeEscalation: false\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const { sc, path, unknown } = containerSecurityContext(c);
      const ape = sc.allowPrivilegeEscalation;
      // An explicit `true` is its own finding. Not set: privileged implies escalation, and k8s/privileged-container's
      // finding on this container (critical) stands for this one.
      const deferred = privilegedDeferral(c);
      if (ape === true) {
        report({
          path: [...path, "allowPrivilegeEscalation"],
          message: `${containerName(doc, c)} allows privilege escalation (allowPrivilegeEscalation: true).`,
          severity: "high",
        });
      } else if ((ape === undefined || ape === null) && !unknown && !isWindowsPod(c.pod) && absenceApplies(doc, c)) {
        report({
          path: c.path,
          message: `${containerName(doc, c)} does not set allowPrivilegeEscalation: false; add it to the container's securityContext.`,
          severity: "medium",
          ...deferred,
        });
      }
      // `false`, a templated value (`"{{ ... }}"`) or a malformed one: nothing to report.
    }
  },
});
