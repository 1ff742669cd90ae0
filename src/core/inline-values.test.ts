import { describe, expect, it } from "@jest/globals";
import { DEFAULT_LIMITS } from "../parse/limits.js";
import { parseYamlFile } from "../parse/yaml-file.js";
import { inlineValuesKeys } from "./inline-values.js";
import type { RawFinding } from "./types.js";

const finding = (path: string, line: number, column: number): RawFinding => ({
  ruleId: "image/mutable-tag",
  severity: "medium",
  file: "app.yaml",
  resource: { apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: null, name: "web" },
  path,
  message: "",
  fix: "",
  docIndex: 0,
  line,
  column,
  endLine: line,
  endColumn: column + 6,
});

describe("inlineValuesKeys", () => {
  const text = [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata: {name: web}",
    "spec:",
    "  sources:",
    "    - helm:",
    "        values: |",
    "          image: {tag: latest}",
    "          other:",
    "            tag: latest",
    "    - helm:",
    "        valuesObject:",
    "          image: {tag: latest}",
    "      kustomize: {namePrefix: latest}",
    "",
  ].join("\n");
  const file = parseYamlFile("app.yaml", text, DEFAULT_LIMITS);

  it("keys a finding by its source, its key path in the values and its value, whatever the form", () => {
    const inString = finding("spec.sources[0].helm.values", 8, 25);
    const nested = finding("spec.sources[0].helm.values", 10, 18);
    const inObject = finding("spec.sources[1].helm.valuesObject.image.tag", 13, 25);
    const elsewhere = finding("spec.sources[1].kustomize.namePrefix", 14, 31);
    const keys = inlineValuesKeys(file, [inString, nested, inObject, elsewhere]);
    const [source, path] = keys.get(inString)!.split("\u0000");
    expect([source, path]).toEqual(["spec.sources[0]", "image.tag"]);
    expect(keys.get(nested)!.split("\u0000").slice(0, 2)).toEqual(["spec.sources[0]", "other.tag"]);
    expect(keys.get(inObject)!.split("\u0000").slice(0, 2)).toEqual(["spec.sources[1]", "image.tag"]);
    // The same value: the digest part is the same (and never the value itself).
    expect(keys.get(inObject)!.split("\u0000")[2]).toBe(keys.get(inString)!.split("\u0000")[2]);
    expect(keys.get(inString)).not.toContain("latest");
    expect(keys.has(elsewhere)).toBe(false);
  });
});
