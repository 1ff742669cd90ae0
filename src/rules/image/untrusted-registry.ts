import { defineRule } from "../../core/rule.js";
import { hasPatterns, imageUses, registryMatcher } from "./_images.js";

export default defineRule({
  meta: {
    id: "image/untrusted-registry",
    title: "Image from a registry outside the allow-list",
    severity: "high",
    description:
      "A container image whose registry is not in `images.allowedRegistries`. Entries match an exact host (`ghcr.io`, `registry.example.com:5000`), a host with a repository path prefix on whole segments (`ghcr.io/my-org`, `docker.io/library`), or a `*` glob that spans any characters but `/` (`*.dkr.ecr.*.amazonaws.com`); Docker Hub is `docker.io`. Reports nothing while the list is empty; templated images are not judged.",
    rationale:
      "Anything pulled from an arbitrary registry runs with the workload's permissions: typosquatted or hijacked public images are a known supply-chain route into clusters. An allow-list keeps images to registries the organisation scans, signs and controls.",
    fix: "Use an image from an allowed registry (mirror or rebuild it there), or add the registry to `images.allowedRegistries` in the base branch's gitops-guard config.",
    example: {
      bad: "# images.allowedRegistries: [123456789012.dkr.ecr.eu-west-1.amazonaws.com]\ncontainers:\n  - name: web\n    image: docker.io/someone/web:1.0.0\n",
      good: "containers:\n  - name: web\n    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0\n",
    },
  },
  checkDoc({ doc, settings, report }) {
    const allowed = settings.allowedRegistries;
    if (!hasPatterns(allowed)) return;
    const isAllowed = registryMatcher(allowed);
    for (const use of imageUses(doc)) {
      if (isAllowed(use.ref)) continue;
      report({
        path: use.path,
        part: "name",
        message: `${use.where} uses image "${use.ref.raw.trim()}" (registry "${use.ref.registry}"), which matches no entry of images.allowedRegistries.`,
      });
    }
  },
});
