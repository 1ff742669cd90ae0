import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { isApplicationSet } from "./_app-common.js";
import { generators, isNonEmptySelector } from "./_app-generators.js";

export default defineRule({
  meta: {
    id: "argocd/appset-unbounded-cluster-generator",
    title: "ApplicationSet cluster generator selects every cluster",
    severity: "medium",
    description:
      "An ApplicationSet cluster generator (also inside matrix generators, and as a merge generator's first, base, generator: a later one only overrides parameters) with no label selector (`clusters: {}`, or an empty `selector`), and no post-selector on the generator that narrows it.",
    rationale:
      "A cluster generator without a selector creates an Application on every cluster registered in Argo CD, including the in-cluster one that hosts Argo CD, and on every cluster registered later: adding a cluster (say, a production one, or a third party's) silently deploys this application there.",
    fix: "Add `selector.matchLabels` (or `matchExpressions`) to the cluster generator that names the clusters this application belongs on, e.g. a label set on the cluster Secrets.",
    example: {
      bad: "generators:\n  - clusters: {}\n",
      good: "generators:\n  - clusters:\n      selector:\n        matchLabels:\n          tier: workload\n",
    },
  },
  checkDoc({ doc, report }) {
    if (!isApplicationSet(doc)) return;
    const label = `ApplicationSet "${doc.resource.name ?? "?"}"`;
    for (const { generator, path, mergeOverride } of generators(doc.value)) {
      // A merge's override generator adds no cluster: only its base generator's selection makes Applications.
      if (mergeOverride) continue;
      const clusters = generator.clusters;
      if (!isPlainObject(clusters)) continue;
      if (isNonEmptySelector(clusters.selector) || isNonEmptySelector(generator.selector)) continue;
      const hasSelector = clusters.selector !== undefined;
      report({
        path: hasSelector ? [...path, "clusters", "selector"] : [...path, "clusters"],
        message: `${label} cluster generator has ${hasSelector ? "an empty selector" : "no selector"}, so it targets every cluster Argo CD manages, the in-cluster one included.`,
      });
    }
  },
});
