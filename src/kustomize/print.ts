/** The build as YAML, the way `kubectl kustomize` prints it: objects in build order, keys sorted (as go-yaml sorts them), `---` between. */
import { Document, isScalar, Scalar, stringify, visit, type Pair } from "yaml";

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

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isLetter = (c: string): boolean => /\p{L}/u.test(c);

/**
 * go-yaml v3's order of string map keys (its `keyList.Less`), which kubectl prints in: runs of digits compare as
 * numbers (`item2` before `item10`, `v2` before `v10`), a letter after a run of digits sorts first, else by code point.
 */
export function goKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) {
      digits = isDigit(x);
      continue;
    }
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return x < y;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (x === "0" || y === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

function compareKeys(a: Pair, b: Pair): number {
  const x = String(isScalar(a.key) ? a.key.value : a.key);
  const y = String(isScalar(b.key) ? b.key.value : b.key);
  return goKeyLess(x, y) ? -1 : goKeyLess(y, x) ? 1 : 0;
}

export function printYaml(values: readonly Record<string, unknown>[]): string {
  const styles = new Map<string, Scalar.Type | undefined>();
  return values
    .map((v) => {
      const doc = new Document(v, { sortMapEntries: compareKeys, aliasDuplicateObjects: false });
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
