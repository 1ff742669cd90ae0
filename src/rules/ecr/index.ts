import type { Rule } from "../../core/rule.js";
import criticalVulnerabilities from "./critical-vulnerabilities.js";
import highVulnerabilities from "./high-vulnerabilities.js";
import imageNotFound from "./image-not-found.js";
import mutableRepository from "./mutable-repository.js";
import scanIncomplete from "./scan-incomplete.js";
import scanMissing from "./scan-missing.js";
import scanUnavailable from "./scan-unavailable.js";
import unsignedImage from "./unsigned-image.js";

/** Amazon ECR rules, in RULES.md order. They read the ECR facts; without them they stay silent. */
export const ecrRules: Rule[] = [
  imageNotFound,
  criticalVulnerabilities,
  highVulnerabilities,
  scanMissing,
  scanIncomplete,
  scanUnavailable,
  mutableRepository,
  unsignedImage,
];
