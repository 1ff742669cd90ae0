/** The build as YAML, the way `kubectl kustomize` prints it: objects in build order, keys sorted (as go-yaml sorts them), `---` between. */
import { goTimestamp, resolvePlain, TIMESTAMP_LED } from "./go-yaml-scalar.js";
import { Document, isScalar, Scalar, stringify, visit, type Pair, type ScalarTag, type Tags } from "yaml";

/**
 * The implicit tags (bool, int, float, null, timestamp …) of YAML 1.1 and of the YAML 1.2 core schema: a plain scalar
 * matching one of them is not read back as a string by a reader of that version. (The 1.1 merge key `<<` is left
 * out, as kubectl leaves it plain.)
 */
const NOT_IMPLICIT = new Set(["tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"]);
const IMPLICIT: readonly RegExp[] = (["1.1", "1.2"] as const).flatMap((version) =>
  new Document(null, { version }).schema.tags.flatMap((t) => (t.default && t.test && !NOT_IMPLICIT.has(t.tag) ? [t.test] : [])),
);

/**
 * Characters go-yaml does not write as they are, so a string holding one is double-quoted: control characters (a tab
 * too), the byte order mark, characters beyond U+FFFF (surrogates here), U+FFFE/FFFF.
 */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\uFEFF\uD800-\uDFFF\uFFFE\uFFFF]/;

const BOM = "\uFEFF";

/** go-yaml's one-letter escapes inside double quotes. */
const GO_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x00, "0"], [0x07, "a"], [0x08, "b"], [0x09, "t"], [0x0a, "n"], [0x0b, "v"], [0x0c, "f"], [0x0d, "r"], [0x1b, "e"],
  [0x22, '"'], [0x5c, "\\"], [0x85, "N"], [0xa0, "_"], [0x2028, "L"], [0x2029, "P"],
]);

function goEscape(cp: number): string {
  const short = GO_ESCAPES.get(cp);
  if (short !== undefined) return `\\${short}`;
  const hex = cp.toString(16).toUpperCase();
  return cp <= 0xff ? `\\x${hex.padStart(2, "0")}` : cp <= 0xffff ? `\\u${hex.padStart(4, "0")}` : `\\U${hex.padStart(8, "0")}`;
}

/**
 * A string holding a byte order mark, double-quoted as go-yaml writes it: the mark as `\uFEFF`; and when the string
 * starts with one, every character escaped (go-yaml's `is_bom` looks at the string's first bytes whatever the
 * position, so it escapes them all: `"\uFEFF\x62\x6F\x6D\n"`).
 */
function goQuotedWithBom(s: string, libQuoted: () => string): string {
  if (!s.startsWith(BOM)) return libQuoted().replaceAll(BOM, "\\uFEFF");
  let out = '"';
  for (const ch of s) out += goEscape(ch.codePointAt(0)!);
  return `${out}"`;
}

/**
 * What go-yaml writes as it is inside double quotes (its `is_printable`, less line breaks): not C0/C1 controls, DEL,
 * surrogates (a character beyond U+FFFF is escaped as `\U0001F680`), U+FFFE/FFFF; line breaks (CR, LF, NEL, LS, PS),
 * `"` and `\` are escaped too.
 */
const GO_DOUBLE_QUOTED_ESCAPED = /[\x00-\x1f\x7f-\x9f\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF\u{10000}-\u{10FFFF}"\\]/u;

/**
 * A double-quoted string as go-yaml writes it: escapes only (`\n`, `\t`, `\e`, `\x7F`, `\U0001F680` …), on one line —
 * where the yaml library folds at line breaks and escapes spaces next to them (`"a\n\ \nb"`). (kubectl also folds
 * a double-quoted string longer than 80 columns at a space; this keeps it on one line, like every other string.)
 */
function goDoubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) out += GO_DOUBLE_QUOTED_ESCAPED.test(ch) ? goEscape(ch.codePointAt(0)!) : ch;
  return `${out}"`;
}

/**
 * A literal block of a string that starts with a line break, as go-yaml writes it: with the indentation indicator
 * (`|2-`) and the leading empty line empty, where the yaml library writes no indicator and indents that line.
 */
function goLeadingBreakBlock(out: string): string {
  const m = /^([|>])2?([-+]?)\n[ ]*(\n|$)/.exec(out);
  return m ? `${m[1]}2${m[2]}\n${m[3]}${out.slice(m[0].length)}` : out;
}

/** The schema's string tag, writing strings with a byte order mark (see goQuotedWithBom) or a leading break as go-yaml does. */
function withGoBomStrings(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== "object" || t.tag !== "tag:yaml.org,2002:str" || !t.stringify) return t;
    const stringify = t.stringify;
    return {
      ...t,
      stringify: (item, ctx, onComment, onChompKeep) => {
        const v = (item as { value?: unknown }).value;
        const lib = () => stringify(item, ctx, onComment, onChompKeep);
        if (typeof v === "string" && v.includes(BOM)) return goQuotedWithBom(v, lib);
        // The library quotes a number's shape whatever its size; go-yaml writes one too large for a float64 plain.
        if (typeof v === "string" && overflowsFloat64(v)) return v;
        if (typeof v === "string" && (item as Scalar).type === Scalar.QUOTE_DOUBLE) return goDoubleQuoted(v);
        return typeof v === "string" && v.startsWith("\n") ? goLeadingBreakBlock(lib()) : lib();
      },
    } as ScalarTag;
  });
}

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
  if (s === "" || CONTROL.test(s)) return Scalar.QUOTE_DOUBLE;
  // A timestamp's shape: quoted exactly when go-yaml reads it as one (`2001-02-30T01:02:03Z` is a plain string).
  if (overflowsFloat64(s)) return Scalar.PLAIN;
  if (TIMESTAMP_LED.test(s) ? goTimestamp(s) !== null : IMPLICIT.some((re) => re.test(s))) return Scalar.QUOTE_DOUBLE;
  // go-yaml never writes a string that starts like a document marker (`---`, `...`) plain.
  if (s.startsWith("---") || s.startsWith("...")) return Scalar.QUOTE_SINGLE;
  const plain = stringify(s, { lineWidth: 0 });
  return plain.startsWith('"') || plain.startsWith("'") ? Scalar.QUOTE_SINGLE : Scalar.PLAIN;
}

/**
 * A number's shape too large for a float64 (`8e48351`, a short git SHA; `1e400`): go-yaml reads it as a string (Go's
 * ParseFloat fails), so it writes it plain, and kubectl apply (go-yaml v2) reads it back as the same string.
 */
function overflowsFloat64(s: string): boolean {
  return resolvePlain(s).tag === "str" && Math.abs(Number(s)) === Infinity;
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
      const doc = new Document(v, { sortMapEntries: compareKeys, aliasDuplicateObjects: false, customTags: withGoBomStrings });
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
