import type { Rule } from "../../core/rule.js";

export const argocdRules: Rule[] = [];
