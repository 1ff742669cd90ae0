import { describe, expect, it } from "@jest/globals";
import { generatorNameAt, generatorNamedBy, varNamedBy } from "./generator-entry.js";

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

  it("reads the kustomization and the var from the build's var errors, found at the var's name in vars (held-out round 18)", () => {
    const gone = "app/kustomization.yaml: var 'SERVICE_NAME' (v1 Service web, metadata.name) cannot be mapped to a field in the set of known resources";
    expect(varNamedBy(gone)).toEqual({ file: "app/kustomization.yaml", field: "vars", name: "SERVICE_NAME" });
    expect(varNamedBy("app/kustomization.yaml: found 2 resId matches for var 'DB' (v1 Service db, metadata.name) (unable to disambiguate)")?.name).toBe("DB");
    expect(varNamedBy("app/kustomization.yaml: field specified in var 'DB' (v1 Service db, spec.x) not found in corresponding resource")?.name).toBe("DB");
    expect(varNamedBy('app/kustomization.yaml: resource "x.yaml" (app/x.yaml) does not exist')).toBeNull();
    const text = ["configMapGenerator:", "  - name: SERVICE_NAME", "vars:", "  - name: OTHER", "    objref: {kind: Service, name: a, apiVersion: v1}", "  - name: SERVICE_NAME", "    objref: {kind: Service, name: web, apiVersion: v1}"].join("\n");
    expect(generatorNameAt(text, "vars", "SERVICE_NAME")).toEqual({ line: 6, column: 11 });
  });
});
