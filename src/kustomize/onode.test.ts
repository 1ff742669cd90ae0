/** Converting parsed YAML into origin-tracked nodes: the refusals the conversion's fast paths must keep. */
import { describe, expect, it } from "@jest/globals";
import { buildKustomization, memoryTree } from "./index.js";

const build = (data: string) =>
  buildKustomization(memoryTree({ "k/kustomization.yaml": "resources: [r.yaml]\n", "k/r.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n${data}` }), "k");

describe("fromYaml map keys and collection tags", () => {
  it.each([
    ["data:\n  ~: x\n", "k/r.yaml:5: a map key go-yaml reads as a null, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  Null: x\n", "k/r.yaml:5: a map key go-yaml reads as a null, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  .5: x\n", "k/r.yaml:5: a map key go-yaml reads as a float, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  2024-01-02: x\n", "k/r.yaml:5: a map key go-yaml reads as a timestamp, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  FALSE: x\n", "k/r.yaml:5: a map key go-yaml reads as a bool, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  False: x\n", "k/r.yaml:5: a map key go-yaml reads as a bool, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  NULL: x\n", "k/r.yaml:5: a map key go-yaml reads as a null, not a string, fails kustomize's conversion to JSON"],
    ["data: !!omap [{a: b}]\n", "k/r.yaml: the YAML tag !!omap is not supported by the in-process render"],
  ])("refuses %j", (data, reason) => {
    expect(build(data)).toMatchObject({ ok: false, reason });
  });

  it.each(["name", "nothing", "true-ish", "n", "yes", "Fx", "-x", "falsey", "FALSE_", "nullable", "Trueish", "template"])("keeps the string key %s (its first character may start a non-string)", (key) => {
    const r = build(`data:\n  ${key}: v\n  zed: w\n`);
    if (!r.ok) throw new Error(r.reason);
    expect(r.resources[0]!.value.data).toEqual({ [key]: "v", zed: "w" });
    expect(r.resources[0]!.originOf(["data", key], "key")).toMatchObject({ file: "k/r.yaml", line: 5, column: 3 });
  });
});

describe("fromYaml plain strings go-yaml reads otherwise (led by a digit, a sign or a dot)", () => {
  it.each([
    ["1_000", 1000],
    ["+1_0", 10],
    ["-0x1F", -31],
    ["0b101", 5],
    [".5_", ".5_"],
    ["-x_y", "-x_y"],
    ["x_1", "x_1"],
    ["2024-01-02", "2024-01-02T00:00:00Z"],
  ])("%s reads as %j", (text, value) => {
    const r = build(`data:\n  v: ${text}\n`);
    if (!r.ok) throw new Error(r.reason);
    expect((r.resources[0]!.value.data as Record<string, unknown>).v).toBe(value);
  });
});
