import { defineRule } from "../../core/rule.js";
import { appSpecs, automatedSync } from "./_app-common.js";

export default defineRule({
  meta: {
    id: "argocd/app-auto-prune",
    title: "Automated sync prunes resources",
    severity: "medium",
    description:
      "`syncPolicy.automated` with `prune: true` on an Application (or ApplicationSet template) under production paths (medium), or with `allowEmpty: true` anywhere (high). Automated sync switched off with `enabled: false` is not reported.",
    rationale:
      "With automated pruning, a resource that disappears from the rendered manifests (a bad merge, a renamed path, a broken overlay) is deleted from the cluster at once, with no human in the loop; Argo CD leaves pruning off by default as a safety mechanism. `allowEmpty: true` also removes the last guard, so a source that renders nothing deletes every resource of the application.",
    fix: "Leave `prune` off for production automated sync (prune by a reviewed manual sync instead), and remove `allowEmpty: true`.",
    example: {
      bad: "syncPolicy:\n  automated:\n    prune: true\n    allowEmpty: true\n",
      good: "syncPolicy:\n  automated:\n    selfHeal: true\n",
    },
  },
  checkDoc({ doc, isProduction, report }) {
    for (const ref of appSpecs(doc)) {
      const automated = automatedSync(ref.spec);
      if (!automated) continue;
      const path = [...ref.path, "syncPolicy", "automated"];
      if (automated.allowEmpty === true) {
        report({
          path: [...path, "allowEmpty"],
          severity: "high",
          message: `${ref.label} allows automated sync to prune every resource when its source renders nothing (allowEmpty: true).`,
        });
      }
      if (isProduction && automated.prune === true) {
        report({ path: [...path, "prune"], message: `${ref.label} automatically prunes production resources that disappear from its source (prune: true).` });
      }
    }
  },
});
