import { describe, expect, it } from "@jest/globals";
import { generatorNameAt, generatorNamedBy } from "./generator-entry.js";

describe("generatorNamedBy / generatorNameAt", () => {
  it("reads the kustomization, field and name from Kustomize's generator errors, with or without a namespace", () => {
    expect(generatorNamedBy("overlay/kustomization.yaml: Secret/db exists; behavior must be merge or replace")).toEqual({ file: "overlay/kustomization.yaml", field: "secretGenerator", name: "db" });
    expect(generatorNamedBy("a/kustomization.yml: ConfigMap/prod/cfg does not exist; cannot merge or replace")).toEqual({ file: "a/kustomization.yml", field: "configMapGenerator", name: "cfg" });
    expect(generatorNamedBy('overlay/kustomization.yaml: resource "x.yaml" (overlay/x.yaml) does not exist')).toBeNull();
  });

  it("finds the line and column of the named generator's name value in its own list only", () => {
    const text = ["configMapGenerator:", "  - name: db", "    literals: [a=b]", "secretGenerator:", "  - envs: [db.env]", "    name: db"].join("\n");
    expect(generatorNameAt(text, "secretGenerator", "db")).toEqual({ line: 6, column: 11 });
    expect(generatorNameAt(text, "configMapGenerator", "db")).toEqual({ line: 2, column: 11 });
    expect(generatorNameAt(text, "secretGenerator", "other")).toBeNull();
    expect(generatorNameAt("secretGenerator: [", "secretGenerator", "db")).toBeNull();
  });
});
