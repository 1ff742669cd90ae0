import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";
import { absenceApplies, asObj, containerName, containerSecurityContext, isTemplatedValue, isWindowsPod, privilegedDeferral } from "./_pod-context.js";

export default defineRule({
  meta: {
    id: "k8s/capabilities-not-dropped",
    title: "Capabilities not dropped",
    severity: "low",
    description:
      "A container whose `securityContext.capabilities.drop` does not contain `ALL` (Pod Security admission accepts only the upper-case spelling). Windows pods (`spec.os.name: windows`) are exempt. A privileged container is left to `k8s/privileged-container`, so one cause gives one finding: it has every capability whatever it drops (container runtimes ignore capabilities.add and drop for it); the same container without `privileged: true` is reported.",
    rationale:
      "Containers start with the runtime's default capability set (e.g. NET_RAW, which allows ARP and DNS spoofing on the pod network). Dropping ALL and adding back only what the process needs removes that attack surface. Pod Security Standards restricted requires drop: [ALL].",
    fix: "Add `capabilities: {drop: [ALL]}` to the container's securityContext, and add back only the capabilities the process needs (usually none, or NET_BIND_SERVICE).",
    example: {
      bad: "securityContext:\n  capabilities:\n    drop: [NET_RAW]\n",
      good: "securityContext:\n  capabilities:\n    drop: [ALL]\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      if (isWindowsPod(c.pod)) continue;
      const { sc, path, unknown } = containerSecurityContext(c);
      const caps = sc.capabilities;
      if (unknown || isTemplatedValue(caps)) continue;
      const drop = asObj(caps).drop;
      // A privileged container gets every capability and the runtime ignores drop: k8s/privileged-container's finding
      // on it (critical) stands for this one.
      const deferred = privilegedDeferral(c);
      if (Array.isArray(drop)) {
        if (drop.includes("ALL") || drop.some(isTemplatedValue)) continue;
        const lower = drop.findIndex((d) => typeof d === "string" && d.trim().toUpperCase() === "ALL");
        report(
          lower >= 0
            ? {
                path: [...path, "capabilities", "drop", lower],
                message: `${containerName(doc, c)} drops "${String(drop[lower])}", but Pod Security admission only accepts "ALL" in upper case.`,
                fix: "Write `ALL` in upper case.",
                ...deferred,
              }
            : {
                path: [...path, "capabilities", "drop"],
                identity: c.path,
                message: `${containerName(doc, c)} does not drop ALL capabilities; add ALL to capabilities.drop.`,
                ...deferred,
              },
        );
        continue;
      }
      if (drop !== undefined && drop !== null) continue; // templated or malformed
      if (!absenceApplies(doc, c)) continue;
      report({
        path: caps !== undefined && caps !== null ? [...path, "capabilities"] : c.path,
        identity: c.path,
        message: `${containerName(doc, c)} does not drop ALL capabilities; add capabilities.drop: [ALL] to its securityContext.`,
        ...deferred,
      });
    }
  },
});
