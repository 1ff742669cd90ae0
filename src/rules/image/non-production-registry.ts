import { defineRule } from "../../core/rule.js";
import { hasPatterns, imageUses, registryMatcher } from "./_images.js";

export default defineRule({
  meta: {
    id: "image/non-production-registry",
    title: "Non-production registry in a production path",
    severity: "high",
    productionOnly: true,
    description:
      "Under production paths, a container image whose registry is not in `images.productionRegistries` (same matching as `images.allowedRegistries`: exact host, host with a path prefix such as `ghcr.io/acme/prod`, or `*` globs). Reports nothing until that list is configured; templated images are not judged.",
    rationale:
      "Registry staging keeps dev and test builds, which skip release checks, signing and scanning, out of production: an image must be promoted to the production registry before production manifests may use it.",
    fix: "Promote the image to a production registry and reference it from there, or add the registry to `images.productionRegistries` in the base branch's gitops-guard config.",
    example: {
      bad: "# envs/prod/web.yaml; images.productionRegistries: [registry.prod.example.com]\ncontainers:\n  - name: web\n    image: registry.dev.example.com/web:1.4.2\n",
      good: "containers:\n  - name: web\n    image: registry.prod.example.com/web:1.4.2\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    const production = settings.productionRegistries;
    if (!hasPatterns(production)) return;
    const isProduction = registryMatcher(production);
    for (const use of imageUses(doc)) {
      if (isProduction(use.ref)) continue;
      report({
        path: use.path,
        part: "name",
        message: `${use.where} uses image "${use.ref.raw.trim()}" (registry "${use.ref.registry}"), which matches no entry of images.productionRegistries.`,
      });
    }
  },
});
