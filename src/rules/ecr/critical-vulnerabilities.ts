import { defineRule } from "../../core/rule.js";
import { reportVulnerabilities } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/critical-vulnerabilities",
    title: "Image has critical vulnerabilities",
    severity: "high",
    description:
      "The ECR scan of an image the change introduces reports CRITICAL findings at or above `ecr.thresholds.critical` (default 1). With `ecr.blockExploitable` (default true) a finding with a known exploit counts as critical whatever its severity; with `ecr.ignoreUnfixed` (default true) findings without a fix do not count; `ecr.allowlist` entries skip a CVE until they expire. Multi-arch images count each CVE once over all platforms.",
    rationale:
      "A critical vulnerability in a deployed image is reachable the moment the pod serves traffic. Review time is when a patched base image or dependency costs one rebuild; after the rollout it costs an incident response.",
    fix: "Rebuild the image on a patched base image or upgrade the affected packages to the fixed-in versions, push it and reference the new tag or digest; accept a risk explicitly with an `ecr.allowlist` entry (reason and expiry).",
    example: {
      bad: "containers:\n  - name: api\n    image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0   # log4j-core 2.14.1 inside\n",
      good: "containers:\n  - name: api\n    image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.1   # rebuilt with log4j-core 2.17.1\n",
    },
  },
  checkDoc(ctx) {
    reportVulnerabilities(ctx, "critical");
  },
});
