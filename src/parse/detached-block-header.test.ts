import { describe, expect, it } from "@jest/globals";
import { parseAllDocuments } from "yaml";
import { attachDetachedBlockHeaders } from "./detached-block-header.js";
import { parseYamlFile } from "./yaml-file.js";

const lines = (...l: string[]): string => `${l.join("\n")}\n`;

describe("attachDetachedBlockHeaders: a block scalar header on the line after its key, as go-yaml reads it", () => {
  const detached = lines("data:", "  a.txt:", "  |", "    line1", "    line2", "  b: \"1\"", "  c.txt:", "  >-   # folded", "    f1", "    f2", "  d: two");

  it("reads the values kubectl kustomize prints (test/kustomize/kubectl-cases/block-header-next-line), keeping length and lines", () => {
    expect(parseAllDocuments(detached)[0]!.errors.length).toBeGreaterThan(0); // the `yaml` package alone refuses it
    const attached = attachDetachedBlockHeaders(detached)!;
    expect(attached.text.length).toBe(detached.length);
    expect(attached.text.split("\n").length).toBe(detached.split("\n").length);
    const [doc] = parseAllDocuments(attached.text);
    expect(doc!.errors).toEqual([]);
    expect(doc!.toJS()).toEqual({ data: { "a.txt": "line1\nline2\n", b: "1", "c.txt": "f1 f2", d: "two" } });
    // Every line from the header on starts where it did: the block's content keeps its offsets.
    const at = (t: string, s: string) => t.indexOf(s);
    for (const s of ["    line1", "  b: ", "    f1", "  d: two"]) expect(at(attached.text, s)).toBe(at(detached, s));
  });

  it("maps the moved key and header back to where they are written", () => {
    const attached = attachDetachedBlockHeaders(detached)!;
    const key = attached.text.indexOf("a.txt:");
    expect(attached.toOriginal(key)).toBe(detached.indexOf("a.txt:"));
    const header = attached.text.indexOf("|");
    expect(attached.toOriginal(header)).toBe(detached.indexOf("|"));
    const folded = attached.text.indexOf(">-");
    expect(attached.toOriginal(folded)).toBe(detached.indexOf(">-"));
    expect(attached.toOriginal(attached.text.indexOf("line1"))).toBe(detached.indexOf("line1"));
  });

  it("keeps CRLF line ends and list items (`- name:` / `config:` / `|`)", () => {
    const crlf = "users:\r\n  - name: a\r\n    config:\r\n    |\r\n      k: v\r\n";
    const attached = attachDetachedBlockHeaders(crlf)!;
    expect(attached.text.length).toBe(crlf.length);
    expect(parseAllDocuments(attached.text)[0]!.toJS()).toEqual({ users: [{ name: "a", config: "k: v\n" }] });
  });

  it("leaves other text alone: a header deeper than its key (the `yaml` package reads it), at column 0, or after a value", () => {
    for (const t of [lines("a:", "  k:", "    |", "    v"), lines("k:", "|", " v"), lines("a:", "  k: x", "  |", "    v"), lines("a: b")]) {
      expect([t, attachDetachedBlockHeaders(t)]).toEqual([t, null]);
    }
  });
});

describe("parseYamlFile on a detached block scalar header", () => {
  const secret = lines("apiVersion: v1", "kind: Secret", "metadata:", "  name: mqtt-users", "stringData:", "  users.txt:", "  |", "    admin:Tr0ub4dor-and-3");

  it("reads the file go-yaml reads (no parse problem), the value located at its lines in the file as written", () => {
    const f = parseYamlFile("secret.yaml", secret);
    expect(f.problems).toEqual([]);
    expect(f.docs[0]!.value).toEqual({ apiVersion: "v1", kind: "Secret", metadata: { name: "mqtt-users" }, stringData: { "users.txt": "admin:Tr0ub4dor-and-3\n" } });
    // The value starts at its header (line 7, column 3 of the file); its key is on line 6.
    expect(f.docs[0]!.locate(["stringData", "users.txt"])).toMatchObject({ line: 7, column: 3, endLine: 9 });
    expect(f.docs[0]!.locate(["stringData", "users.txt"], "key")).toMatchObject({ line: 6, column: 3, endLine: 6, endColumn: 12 });
  });

  it("still refuses what go-yaml refuses too", () => {
    expect(parseYamlFile("x.yaml", lines("a:", "  k:", "  |", "    v", " bad: [")).problems.length).toBe(1);
  });
});
