/**
 * An Application's inline Helm values rewritten in another form with the same content (held-out round 16: `values: |`
 * turned into `valuesObject:` gave 2 new + 2 fixed): the same value given to the same chart, so its findings are
 * existing. A value that changes, or moves to another key, is still new (and the old one fixed).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, where } from "./kustomize-helpers.js";

const application = (...helm: string[]): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata: {name: grafana, namespace: argocd}",
    "spec:",
    "  project: monitoring",
    "  destination: {name: prod, namespace: monitoring}",
    "  source:",
    "    chart: grafana",
    "    repoURL: https://grafana.github.io/helm-charts",
    "    targetRevision: 8.8.2",
    "    helm:",
    ...helm,
  );
const asString = (password: string, tagKey = "image") => application("      values: |", `        adminPassword: ${password}`, `        ${tagKey}:`, "          tag: latest");
const asObject = (password: string, tagKey = "image") => application("      valuesObject:", `        adminPassword: ${password}`, `        ${tagKey}:`, "          tag: latest");
const rules = ["image/mutable-tag", "secrets/sensitive-config-value"];
const review = (base: string, head: string) => where(reviewRepo({ "argocd/grafana.yaml": base }, { "argocd/grafana.yaml": head }), ...rules);

describe("inline Helm values rewritten in another form", () => {
  it("`helm.values` string to `helm.valuesObject` with the same content: existing, at the head's lines", () => {
    expect(review(asString("Gr4fanaAdm1n2024"), asObject("Gr4fanaAdm1n2024"))).toEqual([
      "secrets/sensitive-config-value argocd/grafana.yaml:13:24 existing",
      "image/mutable-tag argocd/grafana.yaml:15:16 existing",
    ]);
    // And back.
    expect(review(asObject("Gr4fanaAdm1n2024"), asString("Gr4fanaAdm1n2024"))).toEqual([
      "secrets/sensitive-config-value argocd/grafana.yaml:13:9 existing",
      "image/mutable-tag argocd/grafana.yaml:15:16 existing",
    ]);
  });

  it("a value that changes on the way is new (and the old one fixed); so is one moved under another key", () => {
    expect(review(asString("Gr4fanaAdm1n2024"), asObject("N3wAdm1nPass2025"))).toEqual([
      "secrets/sensitive-config-value argocd/grafana.yaml:13:24 new",
      "image/mutable-tag argocd/grafana.yaml:15:16 existing",
      "secrets/sensitive-config-value argocd/grafana.yaml:13:9 fixed",
    ]);
    expect(review(asString("Gr4fanaAdm1n2024"), asObject("Gr4fanaAdm1n2024", "sidecarImage"))).toEqual([
      "image/mutable-tag argocd/grafana.yaml:15:16 new",
      "secrets/sensitive-config-value argocd/grafana.yaml:13:24 existing",
      "image/mutable-tag argocd/grafana.yaml:15:16 fixed",
    ]);
  });

  it("a `valuesObject` tag set as a Helm parameter of the same key instead: existing", () => {
    const parameter = application("      parameters:", "        - name: image.tag", "          value: latest");
    expect(where(reviewRepo({ "argocd/grafana.yaml": asObject("x") }, { "argocd/grafana.yaml": parameter }), "image/mutable-tag")).toEqual([
      "image/mutable-tag argocd/grafana.yaml:14:18 existing",
    ]);
  });
});
