import { INVALID_SUPPRESSION } from "../../core/evaluate.js";
import { defineRule } from "../../core/rule.js";

/** Reported by the engine while reading `gitops-guard.io/ignore` annotations (core/suppress.ts). */
export default defineRule({
  meta: {
    id: INVALID_SUPPRESSION,
    title: "Suppression annotation without a reason or with an unknown rule",
    severity: "low",
    description:
      "A `gitops-guard.io/ignore` annotation that gives no reason (`<rule-id>[,<rule-id>...] -- <reason>`) or names a rule that does not exist.",
    rationale:
      "Accepting a risk must be explicit and explained so the next reader knows why. A suppression without a reason does not apply, and a misspelt rule id suppresses nothing.",
    fix: 'Write the annotation as "<rule-id>[,<rule-id>...] -- <why this is acceptable>" using ids from `gitops-guard rules`.',
    example: {
      bad: 'metadata:\n  annotations:\n    gitops-guard.io/ignore: "k8s/host-path-volume"\n',
      good: 'metadata:\n  annotations:\n    gitops-guard.io/ignore: "k8s/host-path-volume -- node exporter reads /proc by design"\n',
    },
  },
});
