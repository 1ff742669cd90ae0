import { defineRule } from "../../core/rule.js";
import { foundImages, shortDigest, subject, tagIsMutable } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/mutable-repository",
    title: "Image tag can be moved in ECR",
    severity: "low",
    description:
      "An image the change introduces is referenced by tag only, and its ECR repository lets that tag be pushed again (`imageTagMutability` MUTABLE, or the tag matches the exclusions of IMMUTABLE_WITH_EXCLUSION / misses those of MUTABLE_WITH_EXCLUSION).",
    rationale:
      "What was reviewed and scanned is the digest the tag points at today. In a mutable repository anyone who can push can point the tag at other content, and the next pod restart runs it without a review.",
    fix: "Reference the image by digest (`repo:tag@sha256:…`), or make the repository's tags immutable (`aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE`).",
    example: {
      bad: "image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/web:1.4.2   # repository MUTABLE\n",
      good: "image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/web:1.4.2@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\n",
    },
  },
  checkDoc(ctx) {
    for (const { source, fact, digest } of foundImages(ctx)) {
      const tag = fact.tag;
      if (source.ref.digest !== null || tag === null || !fact.repositorySettings) continue;
      if (!tagIsMutable(fact.repositorySettings, tag)) continue;
      ctx.report({
        path: source.path,
        message: `${subject(source)} by tag "${tag}" (today ${shortDigest(digest)}), and repository ${fact.repository} lets the tag be moved (imageTagMutability ${fact.repositorySettings.tagMutability}).`,
      });
    }
  },
});
