/**
 * The Argo CD Operator's `ArgoCD` resource in a Kustomize root that renders (the usual layout: held-out round 23's
 * `clusters/<hub>/argocd/{kustomization,argocd}.yaml`): judged through the render as the argocd-cm and argocd-rbac-cm
 * the operator writes from it, at the resource's own lines, as in a file of its own (src/parse/argocd-operator-cr.test.ts).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, only, reviewRepo, scanRepo, where } from "./kustomize-helpers.js";

const kustomization = lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources:", "- argocd.yaml");
const argocd = (defaultPolicy: string, ...policy: string[]): string =>
  lines(
    "apiVersion: argoproj.io/v1beta1",
    "kind: ArgoCD",
    "metadata: {name: openshift-gitops, namespace: openshift-gitops}",
    "spec:",
    "  server: {route: {enabled: true}}",
    "  rbac:",
    `    defaultPolicy: ${defaultPolicy}`,
    "    policy: |",
    "      g, system:cluster-admins, role:admin",
    ...policy.map((l) => `      ${l}`),
    "    scopes: '[groups]'",
  );

describe("an ArgoCD resource rendered by a Kustomize root", () => {
  it("reports defaultPolicy role:admin at its value, naming the resource, through the render", () => {
    const base = { "gitops/kustomization.yaml": kustomization, "gitops/argocd.yaml": argocd("''") };
    const r = reviewRepo(base, { ...base, "gitops/argocd.yaml": argocd("'role:admin'") });
    expect(where(r)).toEqual(["argocd/rbac-default-policy gitops/argocd.yaml:7:20 new"]);
    const [f] = only(r, "argocd/rbac-default-policy");
    expect(f!.renderedFrom).toEqual(["gitops"]);
    expect(f!.message).toContain('ArgoCD "openshift-gitops" policy.default "role:admin" gives every user who can log in more than read access.');
  });

  it("reports a wildcard admin group at its line inside `policy: |`; an everyday instance stays quiet", () => {
    expect(where(scanRepo({ "gitops/kustomization.yaml": kustomization, "gitops/argocd.yaml": argocd("'role:readonly'", 'g, "*", role:admin') }))).toEqual([
      "argocd/rbac-default-policy gitops/argocd.yaml:10:7 new",
    ]);
    expect(where(scanRepo({ "gitops/kustomization.yaml": kustomization, "gitops/argocd.yaml": argocd("''") }))).toEqual([]);
  });

  it("reports what an overlay's patch of it writes at the patch's lines (a policy line inside its `policy: |`)", () => {
    const patch = lines("apiVersion: argoproj.io/v1beta1", "kind: ArgoCD", "metadata:", "  name: openshift-gitops", "  namespace: openshift-gitops", "spec:", "  rbac:", "    defaultPolicy: role:admin", "    policy: |", "      g, system:cluster-admins, role:admin", '      g, "*", role:admin');
    const r = scanRepo({
      "base/kustomization.yaml": kustomization,
      "base/argocd.yaml": argocd("''"),
      "overlays/prod/kustomization.yaml": lines("resources:", "- ../../base", "patches:", "- path: rbac.yaml"),
      "overlays/prod/rbac.yaml": patch,
    });
    expect(where(r)).toEqual(["argocd/rbac-default-policy overlays/prod/rbac.yaml:8:20 new", "argocd/rbac-default-policy overlays/prod/rbac.yaml:11:7 new"]);
  });

  it("keeps it existing when the pull request edits something else of the resource", () => {
    const base = { "gitops/kustomization.yaml": kustomization, "gitops/argocd.yaml": argocd("'role:admin'") };
    const head = { ...base, "gitops/argocd.yaml": base["gitops/argocd.yaml"].replace("enabled: true", "enabled: false") };
    expect(where(reviewRepo(base, head))).toEqual(["argocd/rbac-default-policy gitops/argocd.yaml:7:20 existing"]);
  });
});

describe("an ArgoCD resource whose kustomizeBuildOptions lift Kustomize's load restrictions", () => {
  const files = {
    "base/kustomization.yaml": lines("resources:", "  - cm.yaml"),
    "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: web}", "data: {a: b}"),
    "shared/env.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: env}", "data: {e: f}"),
    "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
  };
  const reaching = { ...files, "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base", "  - ../../shared/env.yaml") };
  const cr = lines("apiVersion: argoproj.io/v1beta1", "kind: ArgoCD", "metadata: {name: argocd, namespace: argocd}", "spec:", "  kustomizeBuildOptions: --load-restrictor LoadRestrictionsNone");

  it("makes the render build a root that reads outside its directory, as Argo CD does (no broken build)", () => {
    const withCr = { ...files, "argocd/argocd.yaml": cr };
    const r = reviewRepo(withCr, { ...reaching, "argocd/argocd.yaml": cr });
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(r.notes).toContain("Kustomize: rendered in process and judged as Argo CD applies them: overlays/prod");
    // Without it, Kustomize's defaults refuse the file.
    expect(where(reviewRepo(files, reaching), "guard/parse-error")).toEqual(["guard/parse-error overlays/prod/kustomization.yaml:3:5 new"]);
  });
});
