/**
 * A secretGenerator's literals and the Secret Kustomize generates from them are one finding, whatever order the
 * literals are written in (held-out round 19: literals not in key order gave two critical findings for one Secret).
 */
import { describe, expect, it } from "@jest/globals";
import { lines, scanRepo, where } from "./kustomize-helpers.js";

describe("secretGenerator literals out of key order", () => {
  it("one finding, at the literal whose key sorts first (where the generated Secret's first credential is)", () => {
    const r = scanRepo({
      "app/kustomization.yaml": lines("namespace: app", "secretGenerator:", "  - name: app-secrets", "    literals:", "      - web-client-secret=Wq3rT8vZ2mPxLc7y", "      - admin-password=Zq8vN3xT6wLm"),
    });
    expect(where(r, "secrets/plaintext-secret")).toEqual(["secrets/plaintext-secret app/kustomization.yaml:6:9 new"]);
  });
});
