/**
 * A block scalar header on the line after its key (held-out round 17, from a real repository): kubectl, Kustomize and
 * Argo CD read it; a review must not call the file invalid YAML nor the build broken, and judges what it holds.
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

const kustomization = lines("resources:", "  - secret.yaml");
const secret = lines("apiVersion: v1", "kind: Secret", "metadata:", "  name: mqtt-users", "  namespace: mqtt", "stringData:", "  users.txt:", "  |", "    admin:Tr0ub4dor-and-3");

describe("a detached block scalar header", () => {
  it("scan: one credential finding at the line it is written, judged through the render; no parse error", () => {
    const r = scanRepo({ "mqtt/kustomization.yaml": kustomization, "mqtt/secret.yaml": secret });
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret mqtt/secret.yaml:9:5 new"]);
    expect(r.findings.find((f) => f.ruleId === "secrets/plaintext-secret")?.renderedFrom).toEqual(["mqtt"]);
  });

  it("review: a pull request adding such a file to a root breaks no build", () => {
    const base: Files = { "mqtt/kustomization.yaml": lines("resources:", "  - cm.yaml"), "mqtt/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", "data: {a: b}") };
    const head: Files = { ...base, "mqtt/kustomization.yaml": lines("resources:", "  - cm.yaml", "  - secret.yaml"), "mqtt/secret.yaml": secret };
    const r = reviewRepo(base, head);
    expect(where(r, "guard/parse-error")).toEqual([]);
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret mqtt/secret.yaml:9:5 new"]);
  });
});
