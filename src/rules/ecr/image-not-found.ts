import { defineRule } from "../../core/rule.js";
import { ecrUses, subject } from "./_ecr.js";

export default defineRule({
  meta: {
    id: "ecr/image-not-found",
    title: "Image not found in ECR",
    severity: "high",
    description:
      "An image the change introduces on an ECR private registry whose repository, tag or digest does not exist (DescribeImages/BatchGetImage), or that ECR cannot hold (an invalid repository name or a malformed digest).",
    rationale:
      "The rollout would stop with ImagePullBackOff: new pods never start, and a Deployment's rolling update stalls with the old pods still serving — or, for a new workload, nothing serves at all. A typo in a tag or an image that was never pushed (a failed CI build) is cheap to catch in review and expensive at 3 a.m.",
    fix: "Push the image first (or fix the repository name, tag or digest), then update the reference.",
    example: {
      bad: "containers:\n  - name: api\n    image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v9.9.9\n",
      good: "containers:\n  - name: api\n    image: 111122223333.dkr.ecr.eu-central-1.amazonaws.com/payments/api:v2.14.0\n",
    },
  },
  checkDoc(ctx) {
    for (const { source, result } of ecrUses(ctx)) {
      if (result.kind !== "fact" || result.value.image.found) continue;
      ctx.report({ path: source.path, message: `${subject(source)}, which ECR does not have: ${result.value.image.detail}.` });
    }
  },
});
