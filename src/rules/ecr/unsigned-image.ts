import { defineRule } from "../../core/rule.js";
import { ecrSettings, foundImages, shortDigest, subject } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/unsigned-image",
    title: "Image is not signed",
    severity: "high",
    description:
      "With `ecr.requireSignature: true`: an image the change introduces has no signature in ECR — no OCI referrer with a Notation or Sigstore artifact type (ListImageReferrers) and no cosign `sha256-<digest>.sig` tag. Presence is checked, not cryptographic validity (verify signatures at admission, e.g. with Kyverno or the Notation/Ratify admission controllers).",
    rationale:
      "A signature made by the build pipeline is what ties an image to the source and the pipeline that produced it. An unsigned image may have been pushed by hand or by anyone holding push rights to the registry.",
    fix: "Sign the image in the pipeline that builds it (`cosign sign` or `notation sign`, or ECR managed signing) and reference the signed digest.",
    example: {
      bad: "# ecr.requireSignature: true; no signature referrer, no .sig tag\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0\n",
      good: "# signed by the release pipeline (cosign)\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0\n",
    },
  },
  checkDoc(ctx) {
    if (!ecrSettings(ctx).requireSignature) return;
    for (const { source, fact, digest } of foundImages(ctx)) {
      if (fact.signature?.signed !== false) continue;
      ctx.report({
        path: source.path,
        message: `${subject(source)} (${shortDigest(digest)}), which has no signature in ECR: no Notation or Sigstore referrer and no cosign ${digest.replace(":", "-").slice(0, 19)}….sig tag.`,
      });
    }
  },
});
