import { describe, expect, it } from "@jest/globals";
import { grantCovered, patternCovers } from "./grant.js";

describe("grants", () => {
  it("a base pattern covers the head's when it matches every value the head's can", () => {
    expect(patternCovers("*", "argocd")).toBe(true);
    expect(patternCovers("team-*", "team-a-*")).toBe(true);
    expect(patternCovers("team-*", "platform")).toBe(false);
    expect(patternCovers("argocd", "argocd")).toBe(true);
    expect(patternCovers("argocd", "argo*")).toBe(false);
    // A negated base pattern allows what the other entries leave: never taken to cover another pattern.
    expect(patternCovers("!kube-system", "argocd")).toBe(false);
    expect(patternCovers("!kube-system", "!argocd")).toBe(false);
    expect(patternCovers("team-*", "!team-a")).toBe(false);
    // A negated head pattern matches at most every value: `*` covers it (Argo CD's deny pattern narrows `*`), as
    // the same negated pattern does.
    expect(patternCovers("*", "!kube-system")).toBe(true);
    expect(patternCovers("!kube-system", "!kube-system")).toBe(true);
  });

  it("covers only grants of the same kind whose every field the base sets and matches", () => {
    const dest = (fields: Record<string, string>) => ({ kind: "argocd/destination", fields });
    const base = [dest({ cluster: "*", namespace: "team-*" })];
    expect(grantCovered(dest({ cluster: "name=in-cluster", namespace: "team-a" }), base)).toBe(true);
    expect(grantCovered(dest({ cluster: "name=in-cluster", namespace: "argocd" }), base)).toBe(false);
    expect(grantCovered({ kind: "argocd/cluster-resource", fields: { cluster: "*" } }, base)).toBe(false);
    expect(grantCovered(dest({ cluster: "server=https://a", namespace: "x" }), [dest({ cluster: "server=https://a" })])).toBe(false);
  });
});
