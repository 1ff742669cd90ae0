import type { Rule } from "../core/rule.js";
import { argocdRules } from "./argocd/index.js";
import { ecrRules } from "./ecr/index.js";
import { guardRules } from "./guard/index.js";
import { imageRules } from "./image/index.js";
import { k8sRules } from "./k8s/index.js";
import { rbacRules } from "./rbac/index.js";
import { secretsRules } from "./secrets/index.js";

/** Every rule, in catalogue order. Explicit registry: a meta-test checks it against the folders. */
export const ALL_RULES: readonly Rule[] = [...argocdRules, ...secretsRules, ...imageRules, ...ecrRules, ...k8sRules, ...rbacRules, ...guardRules];

export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((r) => r.meta.id));

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
