/**
 * Generators of roots that do not build as written (held-out round 8): an input the repository does not hold (a
 * `secrets.env` the deploy decrypts, gitignored), and `behavior: merge` generators over a remote base (the usual
 * Argo CD install with argocd-cm / argocd-rbac-cm / argocd-cmd-params-cm merged in).
 */
import { describe, expect, it } from "@jest/globals";
import { hardenedDeployment, lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

describe("a root whose generator input is not in the repository", () => {
  const deploy = hardenedDeployment("example.com/web");
  const overlay = (tag: string): string =>
    lines("resources: [../../base]", "namePrefix: prod-", "images:", "  - name: example.com/web", `    newTag: ${tag}`, "secretGenerator:", "  - name: app-secrets", "    envs: [secrets/secrets.env]");
  const main: Files = { "base/kustomization.yaml": lines("resources: [deploy.yaml]"), "base/deploy.yaml": deploy, "overlays/prod/kustomization.yaml": overlay("1.4.2") };

  it("is rendered without that generator (a note says so), so the overlay's own risks are judged at their lines", () => {
    const r = reviewRepo(main, { ...main, "overlays/prod/kustomization.yaml": overlay("latest") });
    expect(where(r, "image/mutable-tag")).toEqual(["image/mutable-tag overlays/prod/kustomization.yaml:5:13 new"]);
    expect(r.notes).toContain(
      'Kustomize: overlays/prod/kustomization.yaml: secretGenerator "app-secrets" was left out: its input "secrets/secrets.env" is not in the repository (a file the deploy makes?), so what it generates is not judged',
    );
    expect(r.notes.some((n) => n.includes("was not rendered"))).toBe(false);
    // The base's unpinned image is pinned by the overlay: not judged on its own.
    expect(where(scanRepo(main), "image/mutable-tag")).toEqual([]);
  });

  it("with the input present, the generator is built as Kustomize builds it", () => {
    const r = scanRepo({ ...main, "overlays/prod/secrets/secrets.env": lines("DB_PASSWORD=Zk4vN8qLw2Rt") });
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret overlays/prod/secrets/secrets.env:1:13 new"]);
    expect(r.notes.some((n) => n.includes("was left out"))).toBe(false);
  });
});

describe("merge generators over a remote base (the Argo CD install)", () => {
  const files: Files = {
    "argocd/kustomization.yaml": lines(
      "namespace: argocd",
      "resources:",
      "  - https://raw.githubusercontent.com/argoproj/argo-cd/v2.13.0/manifests/install.yaml",
      "configMapGenerator:",
      "  - name: argocd-rbac-cm",
      "    behavior: merge",
      "    files: [policy.csv]",
      "  - name: argocd-cmd-params-cm",
      "    behavior: merge",
      "    envs: [params.env]",
    ),
    "argocd/policy.csv": lines("p, role:dev, applications, *, */*, allow", "g, *, role:admin"),
    "argocd/params.env": lines("server.insecure=true", "server.disable.auth=true"),
  };

  it("judges what the generators write into Argo CD's ConfigMaps, at the lines of their files: and envs: inputs", () => {
    const r = scanRepo(files);
    expect(where(r, "argocd/rbac-default-policy", "argocd/anonymous-access")).toEqual([
      "argocd/anonymous-access argocd/params.env:2:21 new",
      "argocd/rbac-default-policy argocd/policy.csv:2:1 new",
    ]);
  });
});
