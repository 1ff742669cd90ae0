import { defineRule } from "../../core/rule.js";
import { isDigest } from "../../parse/image-ref.js";
import { imageUses } from "./_images.js";

export default defineRule({
  meta: {
    id: "image/not-pinned-by-digest",
    title: "Image not pinned by digest",
    severity: "low",
    enabledByDefault: false,
    description:
      "A container image without a `@sha256:…` digest (or with a malformed one). Off by default; suggested for production paths (`rules: { image/not-pinned-by-digest: { severity: medium, paths: ['**/prod/**'] } }`). Templated images are not judged.",
    rationale:
      "Every tag, even a version tag, can be moved to different content by anyone who can push to the repository. A digest names exactly one image: what was reviewed and scanned is what runs.",
    fix: "Append the image digest (`repo:1.2.3@sha256:<64 hex>`); tools such as Renovate or `crane digest` keep it current.",
    example: {
      bad: "containers:\n  - name: web\n    image: ghcr.io/acme/web:1.4.2\n",
      good: "containers:\n  - name: web\n    image: ghcr.io/acme/web:1.4.2@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const use of imageUses(doc)) {
      const { ref } = use;
      if (isDigest(ref.digest)) continue;
      const message =
        ref.digest === null
          ? `${use.where} uses image "${ref.raw.trim()}" without a @sha256 digest.`
          : `${use.where} uses image "${ref.raw.trim()}" whose digest is malformed (expected sha256:<64 hex>).`;
      report({ path: use.path, part: "digest", message });
    }
  },
});
