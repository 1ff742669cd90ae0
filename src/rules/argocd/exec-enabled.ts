import { defineRule } from "../../core/rule.js";
import { argocdConfigs, isSwitchOn, setting } from "./_project-argocd-config.js";

const KEY = "exec.enabled";

export default defineRule({
  meta: {
    id: "argocd/exec-enabled",
    title: "Argo CD web terminal enabled",
    severity: "high",
    description: "`argocd-cm` (or `configs.cm` in argo-cd Helm values, or `spec.extraConfig` of the Argo CD Operator's `ArgoCD` resource) sets `exec.enabled: \"true\"`.",
    rationale:
      "The web terminal lets Argo CD users open a shell in running pods through the Argo CD server, which holds the permission to do so in every managed cluster. Any RBAC rule granting `exec, create` (or `*`) then becomes a shell in production, outside the cluster's own access controls and audit trail.",
    fix: "Leave `exec.enabled` unset (or \"false\"); if the terminal is needed, grant `exec, create` only to named admin roles for specific projects.",
    example: {
      bad: "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  exec.enabled: \"true\"\n",
      good: "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  exec.enabled: \"false\"\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const cfg of argocdConfigs(doc, "argocd-cm")) {
      const s = setting(cfg, KEY);
      if (!s || !isSwitchOn(s.value)) continue;
      // Written as an ArgoCD resource's field: the fix names it.
      const fix = s.written && `Leave \`${s.written.name}\` unset in ${s.written.in} (or "false"); if the terminal is needed, grant \`exec, create\` only to named admin roles for specific projects.`;
      report({ path: s.path, message: `${cfg.label} enables the web terminal: users with the exec permission can open a shell in any managed pod.`, ...(fix ? { fix } : {}) });
    }
  },
});
