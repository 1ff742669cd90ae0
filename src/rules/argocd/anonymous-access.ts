import { defineRule } from "../../core/rule.js";
import { argocdConfigs, isSwitchOn, setting } from "./_project-argocd-config.js";

const KEY = "users.anonymous.enabled";

export default defineRule({
  meta: {
    id: "argocd/anonymous-access",
    title: "Argo CD anonymous access enabled",
    severity: "critical",
    description: "`argocd-cm` (or `configs.cm` in argo-cd Helm values) sets `users.anonymous.enabled: \"true\"`.",
    rationale:
      "Anonymous users get the `policy.default` role of argocd-rbac-cm without logging in: anyone who can reach the Argo CD server can read every Application, its manifests and its history, and more if the default role is wider than read-only (CVE-2022-29165 let anonymous users act as admins).",
    fix: "Remove `users.anonymous.enabled` (or set it to \"false\") and give people SSO accounts.",
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
  },
});
