import type { Rule } from "../../core/rule.js";
import anonymousAccess from "./anonymous-access.js";
import defaultProjectPermissive from "./default-project-permissive.js";
import execEnabled from "./exec-enabled.js";
import insecureConnection from "./insecure-connection.js";
import kustomizeUnsafeBuildOptions from "./kustomize-unsafe-build-options.js";
import plaintextRepoCredentials from "./plaintext-repo-credentials.js";
import projectClusterResourcesPrivileged from "./project-cluster-resources-privileged.js";
import projectClusterResourcesWildcard from "./project-cluster-resources-wildcard.js";
import projectDestinationControlPlane from "./project-destination-control-plane.js";
import projectDestinationWildcard from "./project-destination-wildcard.js";
import projectRoleWildcardPolicy from "./project-role-wildcard-policy.js";
import projectSourceNamespacesWildcard from "./project-source-namespaces-wildcard.js";
import projectSourceReposWildcard from "./project-source-repos-wildcard.js";
import projectTokenWithoutExpiry from "./project-token-without-expiry.js";
import rbacDefaultPolicy from "./rbac-default-policy.js";

/** AppProject, Argo CD configuration and credential rules, in RULES.md order. */
export const projectAndConfigRules: Rule[] = [
  projectSourceReposWildcard,
  projectDestinationWildcard,
  projectDestinationControlPlane,
  projectClusterResourcesWildcard,
  projectClusterResourcesPrivileged,
  projectRoleWildcardPolicy,
  projectSourceNamespacesWildcard,
  projectTokenWithoutExpiry,
  defaultProjectPermissive,
  plaintextRepoCredentials,
  insecureConnection,
  anonymousAccess,
  rbacDefaultPolicy,
  execEnabled,
  kustomizeUnsafeBuildOptions,
];
