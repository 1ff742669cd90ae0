/**
 * Kustomization fixtures shared by the Argo CD rule tests: the usual Argo CD install (a remote base) with inline
 * patches of its ConfigMaps — a strategic-merge patch of argocd-rbac-cm (policy.default at line 15) and a JSON 6902 op
 * on argocd-cm (users.anonymous.enabled at line 22).
 */
export const REMOTE_BASE_PATCHES = [
  "apiVersion: kustomize.config.k8s.io/v1beta1", // 1
  "kind: Kustomization", // 2
  "namespace: argocd", // 3
  "resources:", // 4
  "  - https://github.com/argoproj/argo-cd/manifests/cluster-install?ref=v2.4.12", // 5
  "patches:", // 6
  "  - target:", // 7
  "      kind: ConfigMap", // 8
  "      name: argocd-rbac-cm", // 9
  "    patch: |-", // 10
  "      kind: ConfigMap", // 11
  "      metadata:", // 12
  "        name: argocd-rbac-cm", // 13
  "      data:", // 14
  "        policy.default: role:admin", // 15
  "  - target:", // 16
  "      kind: ConfigMap", // 17
  "      name: argocd-cm", // 18
  "    patch: |-", // 19
  "      - op: add", // 20
  "        path: /data/users.anonymous.enabled", // 21
  '        value: "true"', // 22
  "",
].join("\n");

/**
 * An overlay values file of an umbrella chart's argocd-apps ApplicationSet (`-f values.yaml -f values-seed.yaml`):
 * it writes only part of the entry (generators and the template's source), no project or destination.
 */
export const APPSET_OVERLAY = [
  "argocd-apps:", // 1
  "  applicationsets:", // 2
  "    root:", // 3
  "      generators:", // 4
  "        - git:", // 5
  "            repoURL: https://github.com/khuedoan/homelab", // 6
  "            revision: dev", // 7
  "            directories:", // 8
  "              - path: apps/*", // 9
  "      template:", // 10
  "        spec:", // 11
  "          source:", // 12
  "            repoURL: https://github.com/khuedoan/homelab", // 13
  "            targetRevision: dev", // 14
  "",
].join("\n");
