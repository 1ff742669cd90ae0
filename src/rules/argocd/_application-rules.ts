import type { Rule } from "../../core/rule.js";

/** Application and ApplicationSet rules, in RULES.md order. */
export const applicationRules: Rule[] = [];
