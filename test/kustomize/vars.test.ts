/** Kustomize `vars:` in the in-process render: origins of substituted values, notes, and the builds Kustomize refuses. */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree, renderedToParsedDoc, type RenderedResource } from "../../src/kustomize/index.js";
import { expandVars, goFloatV, type VarValue } from "../../src/kustomize/var-expand.js";
import { at, C0, find, lines, ok } from "./render-helpers.js";

const SERVICE = lines(
  "apiVersion: v1", // 1
  "kind: Service", // 2
  "metadata:", // 3
  "  name: db", // 4
  "spec:", // 5
  "  ports:", // 6
  "    - port: 5432", // 7
);

const SETTINGS = lines(
  "apiVersion: v1", // 1
  "kind: ConfigMap", // 2
  "metadata:", // 3
  "  name: settings", // 4
  "data:", // 5
  "  db_user: app", // 6
  "  db_password: s3cr3t-Pa55", // 7
);

const DEPLOYMENT = lines(
  "apiVersion: apps/v1", // 1
  "kind: Deployment", // 2
  "metadata:", // 3
  "  name: api", // 4
  "spec:", // 5
  "  template:", // 6
  "    spec:", // 7
  "      containers:", // 8
  "        - name: api", // 9
  "          image: ghcr.io/acme/api:1.0.0", // 10
  "          args:", // 11
  "            - $(DB_SVC)", // 12
  "            - --dsn=postgres://$(DB_USER)@$(DB_SVC):$(DB_PORT)/app", // 13
  "            - $(DB_PORT)", // 14
  "            - $$(DB_SVC)", // 15
  "            - $(NOT_A_VAR)", // 16
  "          env:", // 17
  "            - name: DB_PASSWORD", // 18
  "              value: $(DB_PASSWORD)", // 19
);

const BASE_VARS = lines(
  "resources:", // 1
  "  - service.yaml", // 2
  "  - settings.yaml", // 3
  "  - deployment.yaml", // 4
  "vars:", // 5
  "  - name: DB_SVC", // 6
  "    objref: {kind: Service, name: db, apiVersion: v1}", // 7
  "  - name: DB_PORT", // 8
  "    objref: {kind: Service, name: db, apiVersion: v1}", // 9
  "    fieldref: {fieldPath: \"spec.ports[0].port\"}", // 10
  "  - name: DB_USER", // 11
  "    objRef: {kind: ConfigMap, name: settings, apiVersion: v1}", // 12
  "    fieldRef: {fieldPath: data.db_user}", // 13
  "  - name: DB_PASSWORD", // 14
  "    objref: {kind: ConfigMap, name: settings, apiVersion: v1}", // 15
  "    fieldref: {fieldPath: data.db_password}", // 16
);

const tree = (extra: Record<string, string> = {}) =>
  memoryTree({
    "base/service.yaml": SERVICE,
    "base/settings.yaml": SETTINGS,
    "base/deployment.yaml": DEPLOYMENT,
    "base/kustomization.yaml": BASE_VARS,
    "prod/kustomization.yaml": lines(
      "resources:", // 1
      "  - ../base", // 2
      "namespace: prod", // 3
      "namePrefix: prod-", // 4
    ),
    ...extra,
  });

const args = (dep: RenderedResource) => (dep.value as { spec: { template: { spec: { containers: { args: unknown[] }[] } } } }).spec.template.spec.containers[0]!.args;

describe("vars: values and origins", () => {
  const base = ok(buildKustomization(tree(), "base"));
  const dep = find(base, "Deployment");

  it("substitutes like Kustomize: typed when the string is one $(VAR), $$ escapes, unknown names stay", () => {
    expect(args(dep)).toEqual(["db", "--dsn=postgres://app@db:5432/app", 5432, "$(DB_SVC)", "$(NOT_A_VAR)"]);
    expect(base.notes).toEqual([]);
  });

  it("points a string that is exactly one $(VAR) at where the var's value is written", () => {
    expect(at(dep, [...C0, "args", 0])).toBe("base/service.yaml:4:9");
    expect(at(dep, [...C0, "args", 2])).toBe("base/service.yaml:7:13");
    expect(at(dep, [...C0, "env", 0, "value"])).toBe("base/settings.yaml:7:16");
    expect(dep.sourceFiles).toEqual(["base/deployment.yaml", "base/service.yaml", "base/settings.yaml"]);
  });

  it("keeps the origin of a string with text around its $(VAR), and of escapes and unknown names", () => {
    expect(at(dep, [...C0, "args", 1])).toBe("base/deployment.yaml:13:15");
    expect(at(dep, [...C0, "args", 3])).toBe("base/deployment.yaml:15:15");
    expect(at(dep, [...C0, "args", 4])).toBe("base/deployment.yaml:16:15");
  });

  it("gives the engine's ParsedDoc the file of the var's source", () => {
    expect(renderedToParsedDoc(dep).locate([...C0, "env", 0, "value"])).toMatchObject({ file: "base/settings.yaml", line: 7, column: 16 });
  });

  it("reads the var after the overlay's prefix and namespace: the value and its origin come from the namePrefix line", () => {
    const prod = find(ok(buildKustomization(tree(), "prod")), "Deployment");
    expect(args(prod).slice(0, 2)).toEqual(["prod-db", "--dsn=postgres://app@prod-db:5432/app"]);
    expect(at(prod, [...C0, "args", 0])).toBe("prod/kustomization.yaml:4:13");
    expect(at(prod, [...C0, "args", 1])).toBe("base/deployment.yaml:13:15");
  });

  it("matches an overlay's var by the name before or after that overlay's own prefix", () => {
    for (const name of ["db", "prod-db"]) {
      const t = tree({
        "prod/kustomization.yaml": lines("resources: [../base]", "namePrefix: prod-", "vars:", "  - name: SVC", `    objref: {kind: Service, name: ${name}, apiVersion: v1}`),
        "base/deployment.yaml": DEPLOYMENT.replace("$(NOT_A_VAR)", "$(SVC)"),
      });
      expect(args(find(ok(buildKustomization(t, "prod")), "Deployment"))[4]).toBe("prod-db");
    }
  });

  it("notes vars that were declared but never substituted", () => {
    const t = tree({ "base/deployment.yaml": DEPLOYMENT.replace("value: $(DB_PASSWORD)", "value: none") });
    expect(ok(buildKustomization(t, "base")).notes).toEqual([
      "vars never substituted (no $(NAME) of theirs in a field Kustomize replaces vars in): DB_PASSWORD (base/kustomization.yaml)",
    ]);
  });

  it("costs nothing without vars: $(X) stays, and a non-string args item is fine", () => {
    const t = memoryTree({
      "k/kustomization.yaml": lines("resources: [deployment.yaml]"),
      "k/deployment.yaml": DEPLOYMENT.replace("            - $(NOT_A_VAR)", "            - 4"),
    });
    const dep2 = find(ok(buildKustomization(t, "k")), "Deployment");
    expect(args(dep2)).toEqual(["$(DB_SVC)", "--dsn=postgres://$(DB_USER)@$(DB_SVC):$(DB_PORT)/app", "$(DB_PORT)", "$$(DB_SVC)", 4]);
  });
});

describe("vars Kustomize refuses: a failure with a reason", () => {
  const refuse = (extra: Record<string, string>, dir = "base") => {
    const r = buildKustomization(tree(extra), dir);
    if (r.ok) throw new Error("expected a refusal");
    return r.reason;
  };

  it("an objref that names nothing (Kustomize compares apiVersion exactly)", () => {
    expect(refuse({ "base/kustomization.yaml": BASE_VARS.replace("    objref: {kind: Service, name: db, apiVersion: v1}", "    objref: {kind: Service, name: db}") })).toBe(
      "base/kustomization.yaml: var 'DB_SVC' (Service db, metadata.name) cannot be mapped to a field in the set of known resources",
    );
  });

  it("a var name declared twice in one build (here in a base and its overlay)", () => {
    const overlay = lines("resources: [../base]", "vars:", "  - name: DB_SVC", "    objref: {kind: Service, name: db, apiVersion: v1}");
    expect(refuse({ "prod/kustomization.yaml": overlay }, "prod")).toBe("prod/kustomization.yaml: var 'DB_SVC' already encountered (also declared in base/kustomization.yaml)");
  });

  it("a base with vars reached twice in one build (through two overlays)", () => {
    const mid = (prefix: string) => lines("resources: [../base]", `namePrefix: ${prefix}-`);
    const extra = { "a/kustomization.yaml": mid("a"), "b/kustomization.yaml": mid("b"), "top/kustomization.yaml": lines("resources: [../a, ../b]") };
    expect(refuse(extra, "top")).toBe("base/kustomization.yaml: var 'DB_SVC' already encountered: this kustomization is reached twice in the build");
  });

  it("a field the matched resource does not have", () => {
    expect(refuse({ "base/kustomization.yaml": BASE_VARS.replace("data.db_user", "data.nope") })).toMatch(/^base\/kustomization\.yaml: field specified in var 'DB_USER' .* not found in corresponding resource$/);
  });

  it("an objref that names two objects", () => {
    const second = lines("---", "apiVersion: v1", "kind: Service", "metadata: {name: db, namespace: other}");
    expect(refuse({ "base/service.yaml": SERVICE + second })).toMatch(/found 2 resId matches for var 'DB_SVC'/);
  });

  it("an unknown field in a var entry (Kustomize's JSON decoding is strict, but ignores case)", () => {
    expect(refuse({ "base/kustomization.yaml": BASE_VARS.replace("fieldRef: {fieldPath: data.db_user}", "fieldRef: {path: data.db_user}") })).toBe(
      'invalid Kustomization base/kustomization.yaml: unknown field "vars[2].fieldref.path"',
    );
  });
});

describe("$(VAR) expansion (api/filters/refvar)", () => {
  const values: Record<string, VarValue> = {
    S: { kind: "string", value: "web" },
    I: { kind: "int", value: 8080, digits: "8080" },
    F: { kind: "float", value: 0.5 },
    B: { kind: "bool", value: true },
    M: { kind: "complex" },
  };
  const run = (s: string) => {
    const used = new Set<string>();
    return { x: expandVars(s, (n) => values[n], used), used: [...used].sort() };
  };

  it("keeps the type of a whole-string var and prints the others like Go's %v", () => {
    expect(run("$(I)")).toEqual({ x: { whole: true, name: "I", value: values.I }, used: ["I"] });
    expect(run("$(S)-$(I)-$(F)-$(B)")).toEqual({ x: { whole: false, text: "web-8080-0.5-true" }, used: ["B", "F", "I", "S"] });
  });

  it("leaves maps, lists and unknown names as written, and does not count them as used", () => {
    expect(run("$(M)")).toEqual({ x: { whole: false, text: "$(M)" }, used: [] });
    expect(run("a $(M) $(X) $$(S) $$ $ $(S")).toEqual({ x: { whole: false, text: "a $(M) $(X) $(S) $ $ $(S" }, used: [] });
  });

  it("copies a $ and one byte, as Go does: a $ before a non-ASCII letter gives bytes go-yaml stores as base64", () => {
    expect(run("$é")).toEqual({ x: { whole: false, text: "JMODqQ==" }, used: [] });
    expect(run("é $(S)")).toEqual({ x: { whole: false, text: "é web" }, used: ["S"] });
  });

  it("formats floats like Go's %v", () => {
    expect([0.25, 1e-5, 0.0001, 123456.5, 1234567, 1.5e20, 1e21, -0, -2.5].map(goFloatV)).toEqual(["0.25", "1e-05", "0.0001", "123456.5", "1.234567e+06", "1.5e+20", "1e+21", "-0", "-2.5"]);
  });
});
