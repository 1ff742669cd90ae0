/**
 * Byte order marks, as Kustomize reads them: a generator's `files:` value keeps the file's mark (and its hash covers
 * it), an `.env` file's leading mark is not part of its first key, and a mark at the start of a YAML document in the
 * middle of a stream (files concatenated from several saved with one) is skipped as go-yaml skips it. The objects are
 * checked against kubectl by the differential test (fixtures/bom); here, values and origins.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildKustomization, memoryTree, printYaml } from "../../src/kustomize/index.js";
import { at, ok } from "./render-helpers.js";

const FIXTURE = "test/kustomize/fixtures/bom";
const NAMES = ["kustomization.yaml", "objects.yaml", "crlf.yaml", "bom.txt", "inner.txt", "bom.env"];

function render(asBytes: boolean) {
  const files = Object.fromEntries(NAMES.map((n) => [`b/${n}`, asBytes ? new Uint8Array(readFileSync(join(FIXTURE, n))) : readFileSync(join(FIXTURE, n), "utf8")]));
  return ok(buildKustomization(memoryTree(files), "b"));
}

const named = (r: ReturnType<typeof render>, prefix: string) => r.resources.find((x) => x.resource.name?.startsWith(prefix))!;

describe.each([
  ["bytes", true],
  ["text", false],
])("byte order marks (files given as %s)", (_how, asBytes) => {
  const r = render(asBytes);

  it("keeps a generator file's mark in its value and its hash, as kubectl does", () => {
    expect((named(r, "files-").value as { data: Record<string, string> }).data).toEqual({ "bom.txt": "\uFEFFbom file\n", "inner.txt": "in\uFEFFside\n" });
    expect(named(r, "files-").resource.name).toBe("files-f4752bcbb5");
    expect((named(r, "secret-").value as { data: Record<string, string> }).data["bom.txt"]).toBe("77u/Ym9tIGZpbGUK");
  });

  it("reads an env file's first key without the mark, at its line", () => {
    const env = named(r, "env-");
    expect((env.value as { data: unknown }).data).toEqual({ FIRST: "1", SECOND: "2" });
    expect(at(env, ["data", "FIRST"])).toBe("b/bom.env:1:7");
    expect(at(env, ["data", "SECOND"])).toBe("b/bom.env:2:8");
  });

  it("reads a document that starts with a mark in the middle of a stream, with its lines", () => {
    const second = named(r, "second");
    expect(second.resource).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", name: "second" });
    expect(at(second, ["data", "b"])).toBe("b/objects.yaml:13:6");
    const fourth = named(r, "fourth");
    expect(fourth.resource).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", name: "fourth" });
    expect(at(fourth, ["metadata", "name"])).toBe("b/crlf.yaml:9:9");
    expect(at(named(r, "first"), ["data", "a"])).toBe("b/objects.yaml:6:6");
  });

  it("prints a string with a mark as kubectl does (go-yaml escapes all of a string that starts with one)", () => {
    const printed = printYaml([named(r, "files-").value]);
    expect(printed).toContain('  bom.txt: "\\uFEFF\\x62\\x6F\\x6D\\x20\\x66\\x69\\x6C\\x65\\n"\n');
    expect(printed).toContain('  inner.txt: "in\\uFEFFside\\n"\n');
  });
});
