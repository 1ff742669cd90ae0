/** Whatever the kustomization says, the build answers (a render or a reason) and never throws. */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { stringify } from "yaml";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";

const DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: nginx}]\n";

const value = fc.oneof(
  fc.constantFrom("web", "../base", "d.yaml", "missing.yaml", "https://x/y", "", ".", "..", "base", null, 1, true),
  fc.array(fc.constantFrom("d.yaml", "../base", "base", "a=b", "x", "=", "k=v=w"), { maxLength: 3 }),
  fc.record({ name: fc.constantFrom("web", "cfg"), literals: fc.array(fc.constantFrom("a=1", "b", "=c"), { maxLength: 2 }), behavior: fc.constantFrom("create", "merge", "bogus") }, { requiredKeys: [] }),
  fc.record({ path: fc.constantFrom("d.yaml", "p.yaml"), patch: fc.constantFrom("- op: add\n  path: /x\n  value: 1", "kind: Deployment\nmetadata: {name: web}", "[", ""), target: fc.record({ kind: fc.constantFrom("Deployment", "(", "") }) }, { requiredKeys: [] }),
);
const FIELDS = ["resources", "components", "patches", "patchesStrategicMerge", "patchesJson6902", "namespace", "namePrefix", "images", "replicas", "configMapGenerator", "secretGenerator", "commonLabels", "labels", "bases", "sortOptions"];

describe("robustness", () => {
  it("never throws and always says why it did not render", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 5 }), fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 3 }), (top, base) => {
        const tree = memoryTree({
          "app/kustomization.yaml": stringify(top),
          "app/d.yaml": DEPLOYMENT,
          "app/p.yaml": "- op: replace\n  path: /spec/replicas\n  value: 2\n",
          "app/base/kustomization.yaml": stringify(base),
          "app/base/d.yaml": DEPLOYMENT,
        });
        const r = buildKustomization(tree, "app");
        if (r.ok) expect(Array.isArray(r.resources)).toBe(true);
        else {
          expect(r.reason.length).toBeGreaterThan(0);
          expect(r.reason).not.toMatch(/^internal error/);
        }
      }),
      { numRuns: 400 },
    );
  });
});
