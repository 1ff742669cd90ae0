import { defineRule } from "../../core/rule.js";
import { ecrUses, platformLabel, subject } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/scan-unavailable",
    title: "Image scan results unavailable",
    severity: "medium",
    description:
      "The scan of an image the change introduces cannot be used — status FAILED, UNSUPPORTED_IMAGE, SCAN_ELIGIBILITY_EXPIRED, FINDINGS_UNAVAILABLE, LIMIT_EXCEEDED or IMAGE_ARCHIVED — or ECR could not be asked (access denied, throttling after retries, network errors, a role that cannot be assumed). The message names the reason.",
    rationale:
      "A check that cannot look must not look like a pass. Reporting why ECR had no usable answer lets the author fix access or rescan instead of merging an image nobody has judged.",
    fix: "Follow the reason: grant the listed ECR permission to the role gitops-guard uses (see docs/ecr.md), rescan or re-push an image whose scan expired or failed, then `/guard recheck`.",
    example: {
      bad: "# the image was last pushed 90 days ago: SCAN_ELIGIBILITY_EXPIRED\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v1.0.0\n",
      good: "# rebuilt and pushed: scan ACTIVE\nimage: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v1.0.1\n",
    },
  },
  checkDoc(ctx) {
    for (const { source, result } of ecrUses(ctx)) {
      const reasons: string[] = [];
      if (result.kind === "unavailable") reasons.push(result.reason);
      else if (result.value.image.found) {
        const fact = result.value;
        for (const p of fact.platforms) {
          const where = fact.platforms.length > 1 ? ` (${platformLabel(p)})` : "";
          if (p.scan.state === "unusable") reasons.push(`scan status ${p.scan.status}${p.scan.description ? `: ${p.scan.description}` : ""}${where}`);
          else if (p.scan.state === "error") reasons.push(`${p.scan.reason}${where}`);
        }
        reasons.push(...fact.problems);
      }
      if (reasons.length === 0) continue;
      ctx.report({ path: source.path, message: `${subject(source)}, whose ECR facts are unavailable: ${[...new Set(reasons)].join("; ")}.` });
    }
  },
});
