import type { Rule } from "../../core/rule.js";

/** AppProject, Argo CD configuration and credential rules, in RULES.md order. */
export const projectAndConfigRules: Rule[] = [];
