import type { Rule } from "../../core/rule.js";
import broadSubjectBinding from "./broad-subject-binding.js";
import clusterAdminBinding from "./cluster-admin-binding.js";
import escalationVerbs from "./escalation-verbs.js";
import podExec from "./pod-exec.js";
import secretsAccess from "./secrets-access.js";
import wildcardPermissions from "./wildcard-permissions.js";

/** RBAC rules, in RULES.md order. */
export const rbacRules: Rule[] = [wildcardPermissions, clusterAdminBinding, broadSubjectBinding, secretsAccess, escalationVerbs, podExec];
