import { defineRule } from "../../core/rule.js";
import { foundImages, platformLabel, subject } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/scan-missing",
    title: "Image has no ECR scan",
    severity: "medium",
    description:
      "ECR has no scan for an image the change introduces (DescribeImageScanFindings answers ScanNotFoundException), for the image or for one platform of a multi-arch image.",
    rationale:
      "Without a scan nobody knows what the image contains: the review cannot tell a clean image from one with a known critical vulnerability. Scanning is usually missing because scan on push is off for the repository.",
    fix: "Turn on scanning for the repository (registry scanning rules: scan on push, or enhanced continuous scanning) or start a scan (`aws ecr start-image-scan`), then `/guard recheck`.",
    example: {
      bad: "# repository payments/api has scan on push off\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0\n",
      good: "# registry scanning configuration: SCAN_ON_PUSH for payments/*\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0\n",
    },
  },
  checkDoc(ctx) {
    for (const { source, fact } of foundImages(ctx)) {
      const missing = fact.platforms.filter((p) => p.scan.state === "missing");
      if (missing.length === 0) continue;
      const which = fact.platforms.length > 1 ? ` for ${missing.map(platformLabel).join(", ")}` : ` (${platformLabel(missing[0]!)})`;
      ctx.report({ path: source.path, message: `${subject(source)}, which ECR has never scanned${which}.` });
    }
  },
});
