import type { Rule } from "../../core/rule.js";

/** automount-service-account-token … removed-api-version, in RULES.md order. */
export const workloadHygieneRules: Rule[] = [];
