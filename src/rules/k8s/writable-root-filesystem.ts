import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";
import { absenceApplies, containerName, containerSecurityContext, isWindowsPod } from "./_pod-context.js";

export default defineRule({
  meta: {
    id: "k8s/writable-root-filesystem",
    title: "Writable root filesystem",
    severity: "low",
    description:
      "A container that does not set `securityContext.readOnlyRootFilesystem: true` (pointing at the `false` value when written, otherwise at the container). Windows pods (`spec.os.name: windows`) are exempt: the field does not exist there.",
    rationale:
      "A writable root filesystem lets an attacker who gets code execution drop tools and binaries, modify the application, or persist across process restarts; read-only containers make that much harder and make drift visible.",
    fix: "Set `securityContext.readOnlyRootFilesystem: true` on the container and mount an emptyDir at the few paths the process writes to (e.g. /tmp).",
    example: {
      bad: "containers:\n  - name: app\n    securityContext: {}\n",
      good: "containers:\n  - name: app\n    securityContext:\n      readOnlyRootFilesystem: true\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      if (isWindowsPod(c.pod)) continue;
      const { sc, path, unknown } = containerSecurityContext(c);
      const ro = sc.readOnlyRootFilesystem;
      if (ro === false) {
        report({
          path: [...path, "readOnlyRootFilesystem"],
          message: `${containerName(doc, c)} has a writable root filesystem (readOnlyRootFilesystem: false).`,
        });
      } else if ((ro === undefined || ro === null) && !unknown && absenceApplies(doc, c)) {
        report({
          path: c.path,
          message: `${containerName(doc, c)} has a writable root filesystem; set readOnlyRootFilesystem: true in its securityContext.`,
        });
      }
    }
  },
});
