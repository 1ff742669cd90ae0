/**
 * Issue 12 #2, parser side: inputs on which the `yaml` parser does super-linear or needless work are refused or
 * settled before it runs, with a `guard/parse-error` that says why. What each costs is measured by
 * `bench/pathological-parse.mjs`; these tests assert the behaviour (and, through Jest's timeout, that nothing
 * hangs: before the fix the anchors case alone took minutes).
 */
import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../src/core/config.js";
import { scan } from "../../src/core/review.js";
import { DEFAULT_LIMITS } from "../../src/parse/limits.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";
import { ALL_RULES } from "../../src/rules/index.js";

const fill = (unit: string, size = 990_000): string => unit.repeat(Math.floor(size / unit.length));
const review = (text: string) => scan([{ path: "hostile.yaml", content: text }], { config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-12-01T00:00:00Z") });
const parseErrors = (text: string) => review(text).findings.filter((f) => f.ruleId === "guard/parse-error");

describe("hostile YAML is refused before the parser spends minutes on it", () => {
  it("110,000 tiny documents in one file: refused by count, at the first document over the limit", () => {
    const [err, ...rest] = parseErrors(fill("---\na: 1\n"));
    expect(rest).toEqual([]);
    expect(err!.message).toMatch(/more than 10000 YAML documents; not read/);
    expect(err!.line).toBe(2 * 10_000 + 1);
  });

  it("counts only document markers at column 0, and allows exactly the limit", () => {
    const limits = { ...DEFAULT_LIMITS, maxDocuments: 3 };
    const three = "a: 1\n---\nb: |\n  ---\n  --- not a marker\n---\nc: 3\n";
    expect(parseYamlFile("f.yaml", three, limits).docs.map((d) => d.index)).toEqual([0, 1, 2]);
    const four = `${three}---\nd: 4\n`;
    const refused = parseYamlFile("f.yaml", four, limits);
    expect(refused.docs).toEqual([]);
    expect(refused.problems.map((p) => [p.line, p.message])).toEqual([[8, "file has more than 3 YAML documents; not read (split it into smaller files)"]]);
  });

  it.each([
    ["[[[[ flow sequences", fill("[")],
    ["{ a: { a: … flow maps", `x: ${fill("{ a: ")}`],
    ["- - - - compact sequences", fill("- ")],
    ["? ? ? compact keys", fill("? ")],
  ])("%s nested a million deep: 'nests deeper than 100 levels', not a stack overflow", (_what, text) => {
    const [err, ...rest] = parseErrors(text);
    expect(rest).toEqual([]);
    expect(err!.message).toMatch(/document nests deeper than 100 levels; not read$/);
    expect(err!.line).toBe(1);
  });

  it("brackets and dashes inside strings, block scalars and comments are not nesting", () => {
    const deep = "[".repeat(150);
    const text = `a: "${deep}"\nb: '${deep}'\nc: |\n  ${deep}\n  ${"- ".repeat(150)}\n# ${deep}\nd: ok\n`;
    const file = parseYamlFile("f.yaml", text);
    expect(file.problems).toEqual([]);
    expect(file.docs[0]!.value).toMatchObject({ a: deep, b: deep, d: "ok" });
  });

  it("101 levels of flow nesting are refused, 100 are read", () => {
    expect(parseYamlFile("f.yaml", `${"[".repeat(100)}${"]".repeat(100)}\n`).problems).toEqual([]);
    expect(parseYamlFile("f.yaml", `${"[".repeat(101)}${"]".repeat(101)}\n`).problems[0]!.message).toMatch(/nests deeper than 100/);
  });

  it("100,000 anchors on one value (quadratic error formatting in the parser): one clear finding", () => {
    const [err] = parseErrors(`a: ${fill("&a ", 300_000)}`);
    expect(err!.message).toMatch(/invalid YAML: more than one anchor on a value at line 1, column 7$/);
  });

  it("100,000 error tokens: one finding for the document", () => {
    const errs = parseErrors(`a: [${fill(",", 100_000)}]`);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toMatch(/invalid YAML: unexpected characters at line 1/);
  });

  it("thousands of aliases each resolved by a walk over every anchor: refused before the walks", () => {
    const n = 2_000;
    const text = `${Array.from({ length: n }, (_, i) => `a${i}: &a${i} x`).join("\n")}\n${Array.from({ length: n }, (_, i) => `b${i}: *a${i}`).join("\n")}\n`;
    const [err, ...rest] = parseErrors(text);
    expect(rest).toEqual([]);
    expect(err!.message).toMatch(/too many YAML aliases in one document/);
    expect(err!.line).toBe(n + 1);
  });

  it("a few aliases are still read and located through", () => {
    const file = parseYamlFile("f.yaml", "base: &b\n  image: nginx:1.27\nother: *b\n");
    expect(file.problems).toEqual([]);
    expect(file.docs[0]!.locate(["other", "image"])).toMatchObject({ line: 2, column: 10 });
  });

  it("a Helm template that does not parse is skipped without parsing it (token check first)", () => {
    const r = review(fill("a: {{ .Values.x\n"));
    expect(r.findings.filter((f) => f.ruleId === "guard/parse-error")).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/hostile\.yaml: skipped — Helm\/Go template syntax/)]);
  });

  it("{{ inside a block scalar is not a template: the file is reviewed", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  tpl: |\n    {{ .Values.x }}\n    - {{ y }}\n";
    const file = parseYamlFile("f.yaml", text);
    expect(file.skipped).toBeNull();
    expect(file.docs[0]!.value).toMatchObject({ data: { tpl: "{{ .Values.x }}\n- {{ y }}\n" } });
  });

  it("locating a finding in a map of 20,000 keys is an index lookup; the last of duplicate keys wins, as in the value", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: v`).join("\n");
    const file = parseYamlFile("f.yaml", `data:\n${keys}\n  k7: again\n`);
    const doc = file.docs[0]!;
    for (let i = 0; i < 20_000; i += 397) expect(doc.locate(["data", `k${i}`]).line).toBe(i + 2);
    expect((doc.value as { data: Record<string, string> }).data.k7).toBe("again");
    expect(doc.locate(["data", "k7"]).line).toBe(20_002);
  });
});
