import { defineRule } from "../../core/rule.js";
import { foundImages, platformLabel, subject } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/scan-incomplete",
    title: "Image scan still running",
    severity: "info",
    description: "The ECR scan of an image the change introduces is IN_PROGRESS or PENDING, for the image or one platform of a multi-arch image.",
    rationale:
      "A freshly pushed image is often still being scanned when the pull request opens. The review cannot judge it yet; it says so instead of reporting a clean result, and judges it when asked again.",
    fix: "Wait for the scan to finish, then `/guard recheck` (or the check's Re-run button).",
    example: {
      bad: "# pushed a minute ago, scan IN_PROGRESS\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.15.0\n",
      good: "# scan COMPLETE\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.15.0\n",
    },
  },
  checkDoc(ctx) {
    for (const { source, fact } of foundImages(ctx)) {
      const pending = fact.platforms.filter((p) => p.scan.state === "pending");
      if (pending.length === 0) continue;
      const states = pending.map((p) => `${p.scan.state === "pending" ? p.scan.status : ""} for ${platformLabel(p)}`).join(", ");
      ctx.report({ path: source.path, message: `${subject(source)}, whose ECR scan is not finished (${states}); /guard recheck picks up the result.` });
    }
  },
});
