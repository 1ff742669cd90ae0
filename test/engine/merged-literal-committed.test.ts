/**
 * A base `secretGenerator` literal that an overlay's `behavior: merge` generator now overrides (from an `envs:` file) is
 * no longer in the rendered Secret, but it is still committed: `existing`, as a scan of the head reports it (README: a
 * value the pull request leaves committed is neither new nor fixed). Held-out round 21: it vanished from the review.
 */
import { describe, expect, it } from "@jest/globals";
import { lines, reviewRepo, scanRepo, where, type Files } from "./kustomize-helpers.js";

const main: Files = {
  "base/kustomization.yaml": lines("secretGenerator:", "- name: db", "  literals:", "  - password=bardzotajnehaslo123", "resources:", "- cm.yaml"),
  "base/cm.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: x", "data:", "  a: b"),
  "prod/kustomization.yaml": lines("resources:", "- ../base"),
};
const head: Files = {
  ...main,
  "prod/db.env": lines("password=Sup3rS3cretProdPass!"),
  "prod/kustomization.yaml": lines("resources:", "- ../base", "secretGenerator:", "- name: db", "  behavior: merge", "  envs:", "  - db.env"),
};

describe("an overlay's merge generator over a base literal", () => {
  it("keeps the base literal existing beside the overlay's new value", () => {
    const r = reviewRepo(main, head);
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret prod/db.env:1:10 new", "secrets/plaintext-secret base/kustomization.yaml:4:5 existing"]);
    // What a scan of the head says of the same places.
    const places = (list: string[]): string[] => list.map((w) => w.replace(/ (new|existing)$/, "")).sort();
    expect(places(where(scanRepo(head), "secrets/plaintext-secret"))).toEqual(places(where(r, "secrets/plaintext-secret")));
  });

  it("reports the literal once when the pull request merges nothing into it (the rendered finding stands for it)", () => {
    const r = reviewRepo(main, { ...main, "base/cm.yaml": main["base/cm.yaml"]!.replace("a: b", "a: c") });
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret base/kustomization.yaml:4:5 existing"]);
  });
});
