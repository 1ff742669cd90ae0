/**
 * Plain timestamps and explicitly tagged scalars as kustomize (go-yaml v3) reads them, and as kubectl prints them:
 * `2001-12-14t21:59:43.10-05:00` is the time `2001-12-14T21:59:43.1-05:00`, a text time.Parse refuses stays a string,
 * a JSON patch (go-yaml v2) keeps the text. The objects are checked against kubectl by the differential test
 * (fixtures/timestamps); here, the reading itself, origins and printing.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildKustomization, memoryTree, printYaml } from "../../src/kustomize/index.js";
import { goTimestamp } from "../../src/kustomize/go-yaml-scalar.js";
import { at, lines, ok } from "./render-helpers.js";

const FIXTURE = "test/kustomize/fixtures/timestamps";
const files = Object.fromEntries(["kustomization.yaml", "r.yaml"].map((n) => [`t/${n}`, readFileSync(join(FIXTURE, n), "utf8")]));

describe("goTimestamp: go-yaml v3's timestamps, printed as Go prints a time", () => {
  it.each([
    ["2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.1-05:00"],
    ["2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"],
    ["2001-12-14  21:59:43", "2001-12-14T21:59:43Z"],
    ["2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43Z"],
    ["2001-1-4T1:2:3.000Z", "2001-01-04T01:02:03Z"],
    ["2001-12-14T21:59:43.123456789123+01:30", "2001-12-14T21:59:43.123456789+01:30"],
    ["2001-12-14T21:59:43,5Z", "2001-12-14T21:59:43.5Z"],
    ["2024-02-29", "2024-02-29T00:00:00Z"],
  ])("%s is %s", (text, printed) => expect(goTimestamp(text)).toBe(printed));

  it.each(["2001-02-30T01:02:03Z", "2023-02-29", "2001-12-14T21:59:43", "2001-12-14T24:00:00Z", "2001-12-14T21:59:60Z", "2001-12-14T21:59:43-05", "2001-12-14T21:59:43+25:00", "2001-12-14 21:59:43Z", "2001-123-4"])(
    "%s is not a timestamp",
    (text) => expect(goTimestamp(text)).toBeNull(),
  );
});

describe("timestamps and tags in a render", () => {
  const r = ok(buildKustomization(memoryTree(files), "t"));
  const cm = r.resources.find((x) => x.resource.name === "a")!;
  const data = (cm.value as { data: Record<string, unknown> }).data;

  it("reads plain timestamps as go-yaml does, and keeps the text of what is not one", () => {
    expect(data).toMatchObject({ a: "2001-12-14T21:59:43.1-05:00", b: "2001-12-14T21:59:43.1Z", f: "2001-02-30T01:02:03Z", g: "2001-12-14T21:59:43" });
    // An annotation keeps its spelling (kustomize reads it as text), unless a JSON patch round-trips the object (not done here).
    expect((cm.value as { metadata: { annotations: unknown } }).metadata.annotations).toEqual({ t: "2001-12-14t21:59:43.10-05:00" });
  });

  it("a JSON patch's value keeps its text (go-yaml v2)", () => {
    expect((r.resources.find((x) => x.resource.name === "jp")!.value as { data: unknown }).data).toEqual({ x: "1", jp: "2001-12-14 21:59:43.10" });
  });

  it("tagged scalars and Go's integer spellings", () => {
    expect(data).toMatchObject({ tagged: "2001-12-14T00:00:00Z", "tagged-float": 1, "upper-hex": 31, "signed-hex": -1, "upper-octal": 7 });
  });

  it("a value read as a timestamp keeps its origin", () => {
    expect(at(cm, ["data", "a"])).toBe("t/r.yaml:8:6");
    expect(at(cm, ["metadata", "annotations", "t"])).toBe("t/r.yaml:6:8");
  });

  it("prints quotes where kubectl does: around a timestamp, not around a text time.Parse refuses", () => {
    const printed = printYaml([cm.value]);
    expect(printed).toContain('  a: "2001-12-14T21:59:43.1-05:00"\n');
    expect(printed).toContain("  f: 2001-02-30T01:02:03Z\n");
  });

  it("refuses collection tags the in-process YAML reads otherwise (!!set, !!omap)", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [r.yaml]\n", "k/r.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: s}", "data: !!set {a, b}") });
    expect(buildKustomization(tree, "k")).toMatchObject({ ok: false, reason: "k/r.yaml: the YAML tag !!set is not supported by the in-process render" });
  });
});

describe("what kustomize cannot write as JSON fails the render, as it fails kubectl", () => {
  const build = (doc: string) => buildKustomization(memoryTree({ "k/kustomization.yaml": "resources: [r.yaml]\n", "k/r.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", doc) }), "k");

  it.each([
    ["data:\n  9000: secret-ish", "k/r.yaml:5: a map key go-yaml reads as an int, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  true: secret-ish", "k/r.yaml:5: a map key go-yaml reads as a bool, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  ~: secret-ish", "k/r.yaml:5: a map key go-yaml reads as a null, not a string, fails kustomize's conversion to JSON"],
    ["data:\n  2001-01-01: secret-ish", "k/r.yaml:5: a map key go-yaml reads as a timestamp, not a string, fails kustomize's conversion to JSON"],
    ["spec:\n  max: .inf", "k/r.yaml:5: a value that is not a finite number (.inf, .nan) fails kustomize's conversion to JSON"],
  ])("%j", (doc, reason) => expect(build(doc)).toMatchObject({ ok: false, reason }));

  it("keys go-yaml reads as strings are fine: yes, quoted numbers, names", () => {
    const r = ok(build('data:\n  yes: a\n  "9000": b\n  name: c\n  no: d'));
    expect((r.resources[0]!.value as { data: unknown }).data).toEqual({ yes: "a", "9000": "b", name: "c", no: "d" });
  });
});

describe("a number too large for a float", () => {
  it("is the string go-yaml reads it as, not infinity (which would fail the build)", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [r.yaml]\n", "k/r.yaml": lines("apiVersion: example.com/v1", "kind: Thing", "metadata: {name: t}", "spec:", "  v: 1e400") });
    const r = ok(buildKustomization(tree, "k"));
    expect((r.resources[0]!.value as { spec: unknown }).spec).toEqual({ v: "1e400" });
    expect(at(r.resources[0]!, ["spec", "v"])).toBe("k/r.yaml:5:6");
  });
});

describe("a YAML directive in a resource file", () => {
  it("fails the render, as kustomize fails to read the file (the kustomization itself may have one)", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "%YAML 1.1\n---\nresources: [r.yaml]\n", "k/r.yaml": "%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n" });
    expect(buildKustomization(tree, "k")).toMatchObject({ ok: false, reason: expect.stringMatching(/^k\/r\.yaml: a YAML directive \(%YAML, %TAG\) fails kustomize's reading of the file/) });
  });
});

describe("a control character go-yaml's reader refuses", () => {
  it("fails the render at its position, without quoting the file; a generator's data file may hold one", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [r.yaml]\n", "k/r.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", 'data: {a: "s3cr3t\u000c"}') });
    const r = buildKustomization(tree, "k");
    expect(r).toMatchObject({ ok: false, reason: "k/r.yaml:4:18: a control character (U+000C) fails kustomize's reading of the file (control characters are not allowed)" });
    const gen = memoryTree({ "k/kustomization.yaml": "configMapGenerator:\n  - name: g\n    files: [bell.txt]\n", "k/bell.txt": "ring\u0007\n" });
    expect((ok(buildKustomization(gen, "k")).resources[0]!.value as { data: unknown }).data).toEqual({ "bell.txt": "ring\u0007\n" });
  });
});

describe("annotations of an object a JSON 6902 patch went through", () => {
  const dir = "test/kustomize/fixtures/json6902-annotations";
  const tree = memoryTree(Object.fromEntries(["kustomization.yaml", "r.yaml"].map((n) => [`j/${n}`, readFileSync(join(dir, n), "utf8")])));
  const r = ok(buildKustomization(tree, "j"));
  const annotations = (name: string) => (r.resources.find((x) => x.resource.name === name)!.value as { metadata: { annotations: Record<string, string> } }).metadata.annotations;

  it("hold the values as JSON printed them (kustomize patches the object as JSON), still at their lines", () => {
    expect(annotations("a")).toMatchObject({ oct: "420", ver: "1.1", b: "true", d: "2001-12-14T00:00:00Z", e: "1000", h: "31", small: "1e-05", mid: "1.2345675e+06", quoted: "0644", added: "420" });
    expect(at(r.resources.find((x) => x.resource.name === "a")!, ["metadata", "annotations", "oct"])).toBe("j/r.yaml:6:10");
  });

  it("an object no JSON patch touched keeps each annotation's spelling", () => {
    expect(annotations("b")).toMatchObject({ oct: "0644", ver: "1.10", b: "True", d: "2001-12-14", t: "2001-12-14t21:59:43.10-05:00" });
  });
});

describe("a folded block kept with >+", () => {
  it("reads one more trailing line break when it ends in blank lines, as kustomize reads it", () => {
    const tree = memoryTree({ "k/kustomization.yaml": "resources: [r.yaml]\n", "k/r.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", "data:", "  a: >+ # keep", "    x", "", "  b: >+", "    x", "  c: |+", "    x", "") });
    const r = ok(buildKustomization(tree, "k"));
    expect((r.resources[0]!.value as { data: unknown }).data).toEqual({ a: "x\n\n\n", b: "x\n", c: "x\n\n" });
    expect(at(r.resources[0]!, ["data", "a"])).toBe("k/r.yaml:5:6");
  });
});
