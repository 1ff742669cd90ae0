import type { Rule } from "../../core/rule.js";
import automountServiceAccountToken from "./automount-service-account-token.js";
import exposedService from "./exposed-service.js";
import missingProbes from "./missing-probes.js";
import missingResources from "./missing-resources.js";
import removedApiVersion from "./removed-api-version.js";

/** automount-service-account-token … removed-api-version, in RULES.md order. */
export const workloadHygieneRules: Rule[] = [automountServiceAccountToken, missingResources, missingProbes, exposedService, removedApiVersion];
