/**
 * The Argo CD Operator's `ArgoCD` resource in a Kustomize root that renders (the usual layout: held-out round 23's
 * `clusters/<hub>/argocd/{kustomization,argocd}.yaml`): judged through the render as the argocd-cm and argocd-rbac-cm
 * the operator writes from it, at the resource's own lines, as in a file of its own (src/parse/argocd-operator-cr.test.ts).
 */
import { describe, expect, it } from "@jest/globals";
import { openshiftGitopsCr } from "../helpers/argocd-cr.js";
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
    const patch = openshiftGitopsCr(["  rbac:", "    defaultPolicy: role:admin", "    policy: |", "      g, system:cluster-admins, role:admin", '      g, "*", role:admin']);
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

// Held-out round 25: the same resource reported ConfigMap/argocd-rbac-cm at data["policy.default"] in a plain file and
// ArgoCD/openshift-gitops at spec.rbac.defaultPolicy through a render; a waiver by resource held in the render only.
describe("an ArgoCD resource's identity, in a render as in a plain file", () => {
  const cr = openshiftGitopsCr(["  usersAnonymousEnabled: true", "  rbac:", "    defaultPolicy: role:admin"]);
  const waivers = [{ rule: "argocd/rbac-default-policy", resource: "ArgoCD/openshift-gitops", reason: "break-glass", expires: "2027-06-30" }];
  const identity = (r: ReturnType<typeof scanRepo>) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      line: f.line,
      resource: `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`,
      path: f.path,
      fix: f.fix,
      rendered: f.renderedFrom !== undefined && f.renderedFrom.length > 0,
      waived: f.suppressed !== null,
    }));
  const expected = (rendered: boolean) => [
    {
      ruleId: "argocd/anonymous-access",
      line: 7,
      resource: "ArgoCD/openshift-gitops/openshift-gitops",
      path: "spec.usersAnonymousEnabled",
      fix: "Remove `spec.usersAnonymousEnabled` from the ArgoCD resource (or set it to false) and give people SSO accounts.",
      rendered,
      waived: false,
    },
    {
      ruleId: "argocd/rbac-default-policy",
      line: 9,
      resource: "ArgoCD/openshift-gitops/openshift-gitops",
      path: "spec.rbac.defaultPolicy",
      fix: "Set `spec.rbac.defaultPolicy: role:readonly` in the ArgoCD resource (or leave it empty) and bind `role:admin` only to named groups.",
      rendered,
      waived: true,
    },
  ];

  it("reports the resource at its fields, and a waiver by its kind and name holds, in both", () => {
    expect(identity(scanRepo({ "gitops/kustomization.yaml": kustomization, "gitops/argocd.yaml": cr }, { config: { waivers } }))).toEqual(expected(true));
    expect(identity(scanRepo({ "gitops/argocd.yaml": cr }, { config: { waivers } }))).toEqual(expected(false));
  });
});

// Held-out round 25: argocd-server given --disable-auth through an overlay.
describe("an argocd-server Deployment an overlay gives --disable-auth", () => {
  it("reports argocd/anonymous-access at the patch op's value", () => {
    const base = lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: argocd-server", "spec:", "  template:", "    spec:", "      containers:", "        - name: argocd-server", "          args:", "            - /usr/local/bin/argocd-server");
    const overlay = lines("resources:", "- ../base", "patches:", "- target:", "    kind: Deployment", "    name: argocd-server", "  patch: |-", "    - op: add", "      path: /spec/template/spec/containers/0/args/-", "      value: --disable-auth");
    const r = scanRepo({ "argocd/base/deploy.yaml": base, "argocd/base/kustomization.yaml": lines("resources:", "- deploy.yaml"), "argocd/overlay/kustomization.yaml": overlay });
    expect(where(r, "argocd/anonymous-access")).toEqual(["argocd/anonymous-access argocd/overlay/kustomization.yaml:10:14 new"]);
    expect(where(scanRepo({ "argocd/base/deploy.yaml": base, "argocd/base/kustomization.yaml": lines("resources:", "- deploy.yaml"), "argocd/overlay/kustomization.yaml": overlay.replace("--disable-auth", "--disable-auth=false") }), "argocd/anonymous-access")).toEqual([]);
  });
});
