import { describe, expect, it } from "@jest/globals";
import { didYouMean, editDistance, suggest } from "./suggest.js";

describe("suggestions", () => {
  it("measures edits, counting a swap of neighbours as one", () => {
    expect(editDistance("failOn", "failon")).toBe(0);
    expect(editDistance("exclud", "exclude")).toBe(1);
    expect(editDistance("sevrity", "severity")).toBe(1);
    expect(editDistance("seveirty", "severity")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests close names, best first, and nothing for a name far from every candidate", () => {
    expect(suggest("exlcude", ["include", "exclude"])).toEqual(["exclude"]);
    expect(suggest("k8s/privileged", ["k8s/privileged-container", "k8s/run-as-root"])).toEqual(["k8s/privileged-container"]);
    expect(suggest("k8s/host-path", ["k8s/host-path-volume", "k8s/host-port", "k8s/run-as-root"])).toEqual(["k8s/host-port", "k8s/host-path-volume"]);
    expect(suggest("privileged-container", ["k8s/privileged-container", "k8s/run-as-root"])).toEqual(["k8s/privileged-container"]);
    expect(suggest("k8s/wildcard-permissions", ["rbac/wildcard-permissions"])).toEqual(["rbac/wildcard-permissions"]);
    expect(suggest("zzzz", ["failOn", "rules"])).toEqual([]);
    expect(didYouMean("ruls", ["rules", "paths"])).toBe('; did you mean "rules"?');
    expect(didYouMean("x".repeat(300), ["rules"])).toBe("");
  });
});
