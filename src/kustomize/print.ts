/** The build as YAML, the way `kubectl kustomize` prints it: objects in build order, keys sorted, `---` between. */
import { Document, isScalar, Scalar, stringify, visit } from "yaml";

/**
 * The implicit tags (bool, int, float, null, timestamp …) of YAML 1.1 and of the YAML 1.2 core schema: a plain scalar
 * matching one of them is not read back as a string by a reader of that version. (The 1.1 merge key `<<` is left
 * out, as kubectl leaves it plain.)
 */
const NOT_IMPLICIT = new Set(["tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"]);
const IMPLICIT: readonly RegExp[] = (["1.1", "1.2"] as const).flatMap((version) =>
  new Document(null, { version }).schema.tags.flatMap((t) => (t.default && t.test && !NOT_IMPLICIT.has(t.tag) ? [t.test] : [])),
);

/** Control characters kubectl writes as escapes inside double quotes (a tab too). */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

/**
 * How kubectl (go-yaml v3) writes a one-line string: double-quoted when a YAML 1.1 or 1.2 reader would take it
 * for something else (`"yes"`, `"on"`, `"2001-12-14"`, `"1:20"`, `"1_000"`, `"0777"`, `""`) or when it holds a
 * control character; single-quoted when only the syntax needs quotes (`'a: b'`, `'# x'`, `' lead'`); else plain.
 * A printed build piped into a YAML 1.1 reader (kubectl apply reads YAML 1.1) must read back the same strings.
 */
function styleOf(s: string): Scalar.Type | undefined {
  // A multi-line string is a literal block unless a block cannot hold it as it is: a space before a line break or
  // at the end (`" \n"` would read back as `"\n"`), or a tab or control character — then double-quoted, as go-yaml does.
  if (s.includes("\n")) return CONTROL.test(s.replaceAll("\n", "")) || s.includes(" \n") || s.endsWith(" ") ? Scalar.QUOTE_DOUBLE : undefined;
  if (s === "" || CONTROL.test(s) || IMPLICIT.some((re) => re.test(s))) return Scalar.QUOTE_DOUBLE;
  const plain = stringify(s, { lineWidth: 0 });
  return plain.startsWith('"') || plain.startsWith("'") ? Scalar.QUOTE_SINGLE : Scalar.PLAIN;
}

export function printYaml(values: readonly Record<string, unknown>[]): string {
  const styles = new Map<string, Scalar.Type | undefined>();
  return values
    .map((v) => {
      const doc = new Document(v, { sortMapEntries: true, aliasDuplicateObjects: false });
      visit(doc, {
        Scalar(_key, node) {
          if (!isScalar(node) || typeof node.value !== "string") return;
          const s = node.value;
          if (!styles.has(s)) styles.set(s, styleOf(s));
          const type = styles.get(s);
          if (type !== undefined) node.type = type;
        },
      });
      return doc.toString({ indentSeq: false, lineWidth: 0 });
    })
    .join("---\n");
}
