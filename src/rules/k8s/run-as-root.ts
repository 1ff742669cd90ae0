import type { Severity } from "../../core/types.js";
import { defineRule } from "../../core/rule.js";
import { containers, podSpecs, type PodSpecRef } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import {
  absenceApplies,
  containerName,
  containerSecurityContext,
  effectiveField,
  onceReporter,
  podSecurityContext,
  usesUserNamespace,
  workloadName,
} from "./_pod-context.js";

function isNonZeroUid(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

/** Whether the pod has containers and every one of them (init and ephemeral containers too) sets its own non-zero runAsUser. */
function everyContainerOverridesUid(doc: ParsedDoc, pod: PodSpecRef): boolean {
  const own = containers(doc).filter((c) => c.pod === pod);
  return own.length > 0 && own.every((c) => isNonZeroUid(containerSecurityContext(c).sc.runAsUser));
}

export default defineRule({
  meta: {
    id: "k8s/run-as-root",
    title: "Container may run as root",
    severity: "high",
    description:
      "`runAsUser: 0`, or `runAsNonRoot: false` on a container that has no non-zero runAsUser, at pod or container level (high; a pod-level `runAsUser: 0` that every container overrides with a non-zero UID: low); a container for which neither the pod nor the container sets `runAsNonRoot: true` or a non-zero `runAsUser` (medium). Container settings override pod settings. In a pod with its own user namespace (`hostUsers: false`) explicit root is medium and the unset case is not reported.",
    rationale:
      "A process running as UID 0 is root inside the container: together with any other weakness (a writable hostPath, an added capability, a kernel bug) it becomes root on the node. Pod Security Standards restricted requires runAsNonRoot: true and forbids runAsUser: 0.",
    fix: "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` (e.g. 65532) in the pod's securityContext, and build the image with a non-root USER.",
    example: {
      bad: "spec:\n  securityContext:\n    runAsUser: 0\n",
      good: "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 65532\n",
    },
  },
  checkDoc(ctx) {
    const { doc } = ctx;
    const report = onceReporter(ctx);
    for (const pod of podSpecs(doc)) {
      // The pod-level UID 0 is forbidden even where every container overrides it (Pod Security restricted rejects
      // it), but then no container runs as root: low, a default that a container added without its own UID inherits.
      const podSc = podSecurityContext(pod);
      if (podSc.sc.runAsUser === 0) {
        const inNamespace = usesUserNamespace(pod) ? " inside its user namespace" : "";
        report(
          everyContainerOverridesUid(doc, pod)
            ? {
                path: [...podSc.path, "runAsUser"],
                message: `${workloadName(doc)} sets pod securityContext.runAsUser: 0; every container overrides it with a non-zero runAsUser, but a container added without one would run as root${inNamespace}.`,
                severity: "low",
              }
            : {
                path: [...podSc.path, "runAsUser"],
                message: `${workloadName(doc)} runs its containers as root${inNamespace} (pod securityContext.runAsUser: 0).`,
                severity: usesUserNamespace(pod) ? "medium" : "high",
              },
        );
      }
    }
    for (const c of containers(doc)) {
      const userns = usesUserNamespace(c.pod);
      const explicit: Severity = userns ? "medium" : "high";
      const own = containerSecurityContext(c);
      if (own.sc.runAsUser === 0) {
        report({
          path: [...own.path, "runAsUser"],
          message: `${containerName(doc, c)} runs as root${userns ? " inside its user namespace" : ""} (runAsUser: 0).`,
          severity: explicit,
        });
        continue;
      }
      const uid = effectiveField(c, "runAsUser");
      const nonRoot = effectiveField(c, "runAsNonRoot");
      if (uid.value === 0) continue; // the pod-level runAsUser: 0 is reported above
      if (nonRoot.value === false && nonRoot.path && !isNonZeroUid(uid.value)) {
        report({
          path: nonRoot.path,
          message:
            nonRoot.level === "pod"
              ? `${workloadName(doc)} turns off the non-root check for its containers (pod securityContext.runAsNonRoot: false).`
              : `${containerName(doc, c)} turns off the non-root check (runAsNonRoot: false).`,
          severity: explicit,
        });
        continue;
      }
      if (nonRoot.value === true || isNonZeroUid(uid.value)) continue;
      // Set but templated (`"{{ .Values.uid }}"`) or malformed: not known to be root.
      if (uid.value !== undefined || nonRoot.value !== undefined) continue;
      if (own.unknown || podSecurityContext(c.pod).unknown) continue;
      if (!absenceApplies(doc, c)) continue;
      if (userns) continue; // Pod Security Standards relax this for pods in their own user namespace
      report({
        path: c.path,
        message: `${containerName(doc, c)} may run as root: neither the pod nor the container sets runAsNonRoot: true or a non-zero runAsUser.`,
        severity: "medium",
      });
    }
  },
});
