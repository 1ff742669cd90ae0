import { defineRule } from "../../core/rule.js";
import { reportVulnerabilities } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/high-vulnerabilities",
    title: "Image has many high vulnerabilities",
    severity: "medium",
    description:
      "The ECR scan of an image the change introduces reports HIGH findings at or above `ecr.thresholds.high` (default 5), counted like ecr/critical-vulnerabilities (ignoreUnfixed, allowlist, each CVE once over all platforms).",
    rationale:
      "One high finding is often not reachable; many of them mean an outdated base image whose exposure adds up, and the image will only drift further behind if nobody looks at it when it is introduced.",
    fix: "Rebuild the image on a current base image and upgrade the affected packages to the fixed-in versions, then reference the new tag or digest.",
    example: {
      bad: "containers:\n  - name: web\n    image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/web:2023-01   # debian 10 base\n",
      good: "containers:\n  - name: web\n    image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/web:2026-11   # current base\n",
    },
  },
  checkDoc(ctx) {
    reportVulnerabilities(ctx, "high");
  },
});
