/**
 * The Argo CD Operator's `ArgoCD` resource OpenShift GitOps installs (`openshift-gitops` in its namespace), with the
 * given lines under `spec:` (from line 7): one header for the tests of src/parse/argocd-operator-cr.ts and the render.
 */
export function openshiftGitopsCr(spec: readonly string[]): string {
  return ["apiVersion: argoproj.io/v1beta1", "kind: ArgoCD", "metadata:", "  name: openshift-gitops", "  namespace: openshift-gitops", "spec:", ...spec, ""].join("\n");
}
