import { defineRule } from "../../core/rule.js";
import { containers, podSpecs } from "../../parse/workloads.js";
import {
  absenceApplies,
  asObj,
  containerName,
  containerSecurityContext,
  effectiveField,
  isTemplatedValue,
  isWindowsPod,
  onceReporter,
  podAnnotations,
  podSecurityContext,
  privilegedDeferral,
  workloadName,
} from "./_pod-context.js";

const POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";
const CONFINED = new Set(["RuntimeDefault", "Localhost"]);

export default defineRule({
  meta: {
    id: "k8s/seccomp-unconfined",
    title: "Seccomp unconfined or not set",
    severity: "high",
    description:
      "`seccompProfile.type: Unconfined` at pod or container level, or the legacy `seccomp.security.alpha.kubernetes.io/pod` / `container.seccomp.security.alpha.kubernetes.io/<name>` annotation set to `unconfined` (high); a container with no RuntimeDefault or Localhost profile at pod or container level (low, one per container; Windows pods are exempt). A privileged container with no profile is left to `k8s/privileged-container`, so one cause gives one finding: it always runs seccomp Unconfined, whatever profile it asks for; the same container without `privileged: true` is reported, and an explicit Unconfined is reported on any container.",
    rationale:
      "Without a seccomp profile a container can call every system call, including the rarely used ones behind most kernel privilege-escalation exploits. RuntimeDefault blocks them at no cost to ordinary applications. Pod Security Standards baseline forbids Unconfined; restricted requires RuntimeDefault or Localhost.",
    fix: "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod's securityContext (or Localhost with a reviewed profile), and remove Unconfined and the legacy seccomp annotations.",
    example: {
      bad: "spec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n",
      good: "spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n",
    },
  },
  checkDoc(ctx) {
    const { doc } = ctx;
    const report = onceReporter(ctx);
    for (const pod of podSpecs(doc)) {
      const podSc = podSecurityContext(pod);
      if (asObj(podSc.sc.seccompProfile).type === "Unconfined") {
        report({
          path: [...podSc.path, "seccompProfile", "type"],
          message: `${workloadName(doc)} turns seccomp off for its containers (pod seccompProfile.type: Unconfined).`,
          severity: "high",
        });
      }
      const ann = podAnnotations(pod);
      for (const [key, value] of Object.entries(ann.annotations)) {
        if (value !== "unconfined") continue;
        if (key !== POD_ANNOTATION && !key.startsWith(CONTAINER_ANNOTATION)) continue;
        const who = key === POD_ANNOTATION ? workloadName(doc) : `Container "${key.slice(CONTAINER_ANNOTATION.length)}" of ${workloadName(doc)}`;
        report({
          path: [...ann.path, key],
          message: `${who} asks for no seccomp profile through the legacy annotation ${key}: unconfined (honoured before Kubernetes 1.27).`,
          severity: "high",
          fix: "Remove the legacy seccomp annotation and set `securityContext.seccompProfile.type: RuntimeDefault` instead.",
        });
      }
    }
    for (const c of containers(doc)) {
      const own = containerSecurityContext(c);
      if (asObj(own.sc.seccompProfile).type === "Unconfined") {
        report({
          path: [...own.path, "seccompProfile", "type"],
          message: `${containerName(doc, c)} turns seccomp off (seccompProfile.type: Unconfined).`,
          severity: "high",
        });
        continue;
      }
      const profile = effectiveField(c, "seccompProfile");
      const type = asObj(profile.value).type;
      if (type === "Unconfined") continue; // the pod-level Unconfined is reported above
      if (typeof type === "string" && CONFINED.has(type)) continue;
      if (isWindowsPod(c.pod)) continue;
      if (isTemplatedValue(type) || isTemplatedValue(profile.value)) continue;
      if (own.unknown || podSecurityContext(c.pod).unknown || !absenceApplies(doc, c)) continue;
      const annotations = podAnnotations(c.pod).annotations;
      const legacyKeys = [CONTAINER_ANNOTATION + c.name, POD_ANNOTATION].filter((k) => annotations[k] !== undefined);
      if (legacyKeys.some((k) => annotations[k] === "unconfined")) continue; // reported above
      const legacy = legacyKeys.length > 0;
      report({
        path: c.path,
        message: legacy
          ? `${containerName(doc, c)} has no seccomp profile: the legacy seccomp annotation is ignored since Kubernetes 1.27; set seccompProfile.type: RuntimeDefault in the pod's securityContext.`
          : `${containerName(doc, c)} has no seccomp profile; set seccompProfile.type: RuntimeDefault in the pod's securityContext.`,
        severity: "low",
        // A privileged container runs Unconfined whatever its profile: k8s/privileged-container's finding on it
        // (critical) stands for this one.
        ...privilegedDeferral(c),
      });
    }
  },
});
