/** The namespace transformer's id conflicts (counted in one pass: the same failures, the same object named). */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "./index.js";

const object = (kind: string, name: string, namespace?: string, apiVersion = "v1"): string =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}`;

const build = (docs: string[]) => buildKustomization(memoryTree({ "k/kustomization.yaml": "namespace: web\nresources: [r.yaml]\n", "k/r.yaml": docs.join("---\n") }), "k");

describe("applyNamespace id conflicts", () => {
  it("fails when two objects of other namespaces land in the same one, naming the first in list order", () => {
    expect(build([object("ConfigMap", "keep"), object("ConfigMap", "a", "x"), object("ConfigMap", "a", "y")])).toMatchObject({
      ok: false,
      reason: "namespace transformation produces ID conflict: ConfigMap/a",
    });
  });

  it("keeps objects of the same name and other kinds or groups apart", () => {
    const r = build([object("ConfigMap", "a", "x"), object("Secret", "a", "y"), object("Deployment", "a", "z", "apps/v1")]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources.map((x) => [x.resource.kind, x.resource.namespace])).toEqual([
      ["ConfigMap", "web"],
      ["Secret", "web"],
      ["Deployment", "web"],
    ]);
  });

  it("leaves cluster-scoped objects out of the namespace (a ClusterRole and a Role of one name do not conflict)", () => {
    const r = build([object("ClusterRole", "a", undefined, "rbac.authorization.k8s.io/v1"), object("Role", "a", "x", "rbac.authorization.k8s.io/v1")]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources.map((x) => [x.resource.kind, x.resource.namespace])).toEqual([
      ["Role", "web"],
      ["ClusterRole", null],
    ]);
  });
});
