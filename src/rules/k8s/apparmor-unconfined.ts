import { defineRule } from "../../core/rule.js";
import { containers, podSpecs } from "../../parse/workloads.js";
import { asObj, containerName, containerSecurityContext, podAnnotations, podSecurityContext, workloadName } from "./_pod-context.js";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

export default defineRule({
  meta: {
    id: "k8s/apparmor-unconfined",
    title: "AppArmor unconfined",
    severity: "medium",
    description:
      "`appArmorProfile.type: Unconfined` in the pod or a container securityContext, or a `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation on the pod (template) metadata. One finding per offending node.",
    rationale:
      "On nodes with AppArmor the runtime's default profile blocks writes to sensitive /proc and /sys files and mounts; running unconfined removes that layer. Pod Security Standards baseline forbids it.",
    fix: "Remove the Unconfined profile (and the unconfined annotation); use `appArmorProfile.type: RuntimeDefault`, or Localhost with a reviewed profile.",
    example: {
      bad: "securityContext:\n  appArmorProfile:\n    type: Unconfined\n",
      good: "securityContext:\n  appArmorProfile:\n    type: RuntimeDefault\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const pod of podSpecs(doc)) {
      const { sc, path } = podSecurityContext(pod);
      if (asObj(sc.appArmorProfile).type === "Unconfined") {
        report({
          path: [...path, "appArmorProfile", "type"],
          message: `${workloadName(doc)} runs its containers without AppArmor (pod appArmorProfile.type: Unconfined).`,
        });
      }
      const ann = podAnnotations(pod);
      for (const [key, value] of Object.entries(ann.annotations)) {
        if (!key.startsWith(ANNOTATION_PREFIX) || value !== "unconfined") continue;
        report({
          path: [...ann.path, key],
          message: `Container "${key.slice(ANNOTATION_PREFIX.length)}" of ${workloadName(doc)} runs without AppArmor (annotation ${key}: unconfined).`,
        });
      }
    }
    for (const c of containers(doc)) {
      const { sc, path } = containerSecurityContext(c);
      if (asObj(sc.appArmorProfile).type !== "Unconfined") continue;
      report({
        path: [...path, "appArmorProfile", "type"],
        message: `${containerName(doc, c)} runs without AppArmor (appArmorProfile.type: Unconfined).`,
      });
    }
  },
});
