import type { Rule } from "../../core/rule.js";
import { podSecurityRules } from "./_pod-security-rules.js";
import { workloadHygieneRules } from "./_workload-hygiene-rules.js";

export const k8sRules: Rule[] = [...podSecurityRules, ...workloadHygieneRules];
