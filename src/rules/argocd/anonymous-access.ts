import { defineRule } from "../../core/rule.js";
import { argocdConfigs, isSwitchOn, setting, type ArgoSetting } from "./_project-argocd-config.js";

const KEY = "users.anonymous.enabled";
const DISABLE_AUTH = "server.disable.auth";
/** argocd-cmd-params-cm values become environment variables that Argo CD reads with Go's strconv.ParseBool. */
const PARSE_BOOL_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);

/**
 * The settings of one key that turn it on, in the order read (the last one read is the one used): those after the
 * last that turns it off, each of which would turn it on without the others (an argocd-server flag and variable both
 * set, say). None when the last one turns it off.
 */
function settingsOn(settings: readonly ArgoSetting[]): ArgoSetting[] {
  const on = (s: ArgoSetting): boolean => s.value === true || PARSE_BOOL_TRUE.has(String(s.value));
  const lastOff = settings.findLastIndex((s) => !on(s));
  return settings.slice(lastOff + 1);
}

/** The fix of a setting written as an ArgoCD resource's field or an argocd-server flag or variable: that, where it is. */
function writtenFix(s: ArgoSetting): string | undefined {
  return s.written && `Remove \`${s.written.name}\` from ${s.written.in} (or set it to false) and give people SSO accounts.`;
}

export default defineRule({
  meta: {
    id: "argocd/anonymous-access",
    title: "Argo CD anonymous access enabled",
    severity: "critical",
    description:
      "`argocd-cm` (or `configs.cm` in argo-cd Helm values, or the Argo CD Operator's `ArgoCD` resource: `spec.usersAnonymousEnabled: true` or `spec.extraConfig`) sets `users.anonymous.enabled: \"true\"`, or authentication is turned off altogether (no authentication nor RBAC): `argocd-cmd-params-cm` (`configs.params`) sets `server.disable.auth` to true, or the argocd-server container is given the flag `--disable-auth` (or `--disable-auth=true`) or the variable `ARGOCD_SERVER_DISABLE_AUTH=true` — in its Deployment's `command`/`args`/`env`, the argo-cd chart's `server.extraArgs`, or the `ArgoCD` resource's `spec.server.extraCommandArgs`/`spec.server.env`. Reported at that line; the resource's findings are reported as the `ArgoCD` resource, at its field.",
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
      if (s && isSwitchOn(s.value)) {
        const fix = writtenFix(s);
        report({ path: s.path, message: `${cfg.label} enables anonymous access: anyone who reaches the Argo CD server gets the default role without logging in.`, ...(fix ? { fix } : {}) });
      }
    }
    for (const cfg of argocdConfigs(doc, "argocd-cmd-params-cm")) {
      for (const s of settingsOn(cfg.settings.filter((x) => x.key === DISABLE_AUTH))) {
        const fix = writtenFix(s);
        report({
          path: s.path,
          message: `${cfg.label} sets ${s.written?.name ?? DISABLE_AUTH}: the Argo CD API server skips authentication and RBAC, so anyone who reaches it is an admin.`,
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
});
