import type { Rule } from "../../core/rule.js";
import { applicationRules } from "./_application-rules.js";
import { projectAndConfigRules } from "./_project-config-rules.js";

export const argocdRules: Rule[] = [...projectAndConfigRules, ...applicationRules];
