import { defineRule } from "../../core/rule.js";
import { argocdConfigs, isSwitchOn, setting } from "./_project-argocd-config.js";

const KEY = "users.anonymous.enabled";
const DISABLE_AUTH = "server.disable.auth";
/** argocd-cmd-params-cm values become environment variables that Argo CD reads with Go's strconv.ParseBool. */
const PARSE_BOOL_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);

export default defineRule({
  meta: {
    id: "argocd/anonymous-access",
    title: "Argo CD anonymous access enabled",
    severity: "critical",
    description:
      "`argocd-cm` (or `configs.cm` in argo-cd Helm values, or the Argo CD Operator's `ArgoCD` resource: `spec.usersAnonymousEnabled: true` or `spec.extraConfig`) sets `users.anonymous.enabled: \"true\"`, or `argocd-cmd-params-cm` (`configs.params`) sets `server.disable.auth` to true, which turns authentication and RBAC off altogether.",
    rationale:
      "Anonymous users get the `policy.default` role of argocd-rbac-cm without logging in: anyone who can reach the Argo CD server can read every Application, its manifests and its history, and more if the default role is wider than read-only (CVE-2022-29165 let anonymous users act as admins). `server.disable.auth` is worse: the API server no longer authenticates nor enforces RBAC, so everyone who reaches it is an admin.",
    fix: "Remove `users.anonymous.enabled` and `server.disable.auth` (or set them to \"false\") and give people SSO accounts.",
    example: {
      bad: "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  users.anonymous.enabled: \"true\"\n",
      good: "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  users.anonymous.enabled: \"false\"\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const cfg of argocdConfigs(doc, "argocd-cm")) {
      const s = setting(cfg, KEY);
      if (s && isSwitchOn(s.value)) report({ path: s.path, message: `${cfg.label} enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.` });
    }
    for (const cfg of argocdConfigs(doc, "argocd-cmd-params-cm")) {
      const s = setting(cfg, DISABLE_AUTH);
      if (s && (s.value === true || PARSE_BOOL_TRUE.has(String(s.value)))) {
        report({ path: s.path, message: `${cfg.label} sets ${DISABLE_AUTH}: the Argo CD API server skips authentication and RBAC, so anyone who reaches it is an admin.` });
      }
    }
  },
});
