import { defineRule } from "../../core/rule.js";
import { argocdConfigs } from "./_project-argocd-config.js";

/** Options that let a repository's kustomization read outside it or run programs on the repo server. */
const UNSAFE: ReadonlyArray<{ re: RegExp; label: string }> = [
  { re: /--load[-_]restrictor(?:\s+|=)["']?(?:LoadRestrictionsNone|none)\b/i, label: "--load-restrictor LoadRestrictionsNone" },
  { re: /--enable[-_]alpha[-_]plugins\b/, label: "--enable-alpha-plugins" },
  { re: /--enable[-_]exec\b/, label: "--enable-exec" },
];

/** `kustomize.buildOptions` and its per-version form `kustomize.buildOptions.v4.4.0`. */
const KEY = /^kustomize\.buildOptions(\..+)?$/;

export default defineRule({
  meta: {
    id: "argocd/kustomize-unsafe-build-options",
    title: "Unsafe Kustomize build options in Argo CD",
    severity: "high",
    description:
      "`argocd-cm` (or `configs.cm` in argo-cd Helm values, or the Argo CD Operator's `ArgoCD` resource: `spec.kustomizeBuildOptions`, `spec.extraConfig`) `kustomize.buildOptions` (or `kustomize.buildOptions.<version>`) with `--load-restrictor LoadRestrictionsNone`, `--enable-alpha-plugins` or `--enable-exec`.",
    rationale:
      "These options apply to every Kustomize Application of the instance. Without the load restrictor a kustomization can read files outside its repository on the repo server (other repositories' checkouts, mounted credentials); alpha and exec plugins run arbitrary programs from the repository on the repo server, which holds every repository credential (Argo CD security docs, \"Tool command invocation\").",
    fix: "Remove these options from `kustomize.buildOptions`; vendor shared bases into the repository or reference them as remote bases instead.",
    example: {
      bad: "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  kustomize.buildOptions: --load-restrictor LoadRestrictionsNone\n",
      good: "kind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  kustomize.buildOptions: --enable-helm\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const cfg of argocdConfigs(doc, "argocd-cm")) {
      for (const { key, value, path, written } of cfg.settings) {
        if (!KEY.test(key) || typeof value !== "string") continue;
        const found = UNSAFE.filter((u) => u.re.test(value)).map((u) => u.label);
        if (found.length === 0) continue;
        // Written as an ArgoCD resource's field: the fix names it.
        const fix = written && `Remove these options from \`${written.name}\` in ${written.in}; vendor shared bases into the repository or reference them as remote bases instead.`;
        report({
          path,
          ...(fix ? { fix } : {}),
          message: `${cfg.label} ${key} uses ${found.join(", ")}: every Kustomize Application can read or run code outside its repository on the repo server.`,
        });
      }
    }
  },
});
