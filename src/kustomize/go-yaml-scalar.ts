/**
 * Scalars as kustomize's YAML library (go-yaml v3) holds them: a text and a tag. A replacement copies the text of
 * its source into a target scalar that keeps its own tag, so `"5"` written into `replicas: 1` is the int 5, `5`
 * written into `value: "1"` is the string "5", and `nginx` written into `replicas: 1` fails the build the way
 * kustomize fails it ("cannot decode !!str `nginx` as a !!int"). A scalar a replacement creates has no tag: its
 * text is resolved as if written plain (`"true"` becomes the boolean true).
 *
 * The render keeps parsed values, not texts: a number's or boolean's text is read back from its source span when
 * that span reads as the same value (`0x10`, `1.50`, `True` keep their spelling), else it is the value printed.
 */
import { yaml11Boolean } from "../parse/yaml-file.js";
import { BuildFailure } from "./failure.js";
import type { OScalar, Scalar } from "./onode.js";

/** go-yaml's tags of plain data; `plain` is an untagged (created) node, resolved from its text. */
export type GoTag = "str" | "int" | "float" | "bool" | "null" | "merge";

interface Resolved {
  tag: GoTag;
  value: Scalar;
}

const MAP: Record<string, Resolved> = {};
for (const t of ["true", "True", "TRUE"]) MAP[t] = { tag: "bool", value: true };
for (const t of ["false", "False", "FALSE"]) MAP[t] = { tag: "bool", value: false };
for (const t of ["", "~", "null", "Null", "NULL"]) MAP[t] = { tag: "null", value: null };
for (const t of [".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"]) {
  MAP[t] = { tag: "float", value: t.includes("nan") || t.includes("NaN") || t.includes("NAN") ? NaN : t.startsWith("-") ? -Infinity : Infinity };
}
MAP["<<"] = { tag: "merge", value: "<<" };

/** go-yaml's resolve table: the first character says which resolutions to try. */
function hint(text: string): "M" | "." | "D" | "S" | null {
  if (text === "") return "M";
  const c = text[0]!;
  if (c === "+" || c === "-") return "S";
  if (c >= "0" && c <= "9") return "D";
  if (c === ".") return ".";
  if ("yYnNtTfFoO~<".includes(c)) return "M";
  return null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) (sign, 0x/0o/0b prefixes, a leading 0 for octal), or null. */
function parseGoInt(s: string, signed: boolean): bigint | null {
  let body = s;
  let negative = false;
  if (signed && (body.startsWith("+") || body.startsWith("-"))) {
    negative = body.startsWith("-");
    body = body.slice(1);
  }
  let digits: RegExp;
  let prefix = "";
  const p = body.slice(0, 2).toLowerCase();
  if (p === "0x") [prefix, digits] = ["0x", /^[0-9a-fA-F]+$/];
  else if (p === "0o") [prefix, digits] = ["0o", /^[0-7]+$/];
  else if (p === "0b") [prefix, digits] = ["0b", /^[01]+$/];
  else if (body.length > 1 && body.startsWith("0")) [prefix, digits] = ["0o", /^[0-7]+$/];
  else digits = /^[0-9]+$/;
  const rest = prefix === "" ? body : body.slice(p === "0x" || p === "0o" || p === "0b" ? 2 : 1);
  if (!digits.test(rest)) return null;
  let n = BigInt(prefix === "" ? rest : `${prefix}${rest}`);
  if (negative) n = -n;
  if (signed ? n < INT64_MIN || n > INT64_MAX : n > UINT64_MAX) return null;
  return n;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml's resolution of an untagged plain text (timestamps left out: see `decodeAs`). */
export function resolvePlain(text: string): Resolved {
  const h = hint(text);
  if (h === null) return { tag: "str", value: text };
  const mapped = MAP[text];
  if (mapped) return mapped;
  if (h === ".") {
    // strconv.ParseFloat: a float too large for a float64 (`.5e400`) is an error, and the text a string.
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && Number.isFinite(Number(text))) return { tag: "float", value: Number(text) };
  } else if (h === "D" || h === "S") {
    const plain = text.replace(/_/g, "");
    const int = parseGoInt(plain, true) ?? parseGoInt(plain, false);
    if (int !== null) return { tag: "int", value: Number(int) };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: "float", value: f };
    }
  }
  return { tag: "str", value: text };
}

/**
 * The value go-yaml v2 gives a plain, untagged text decoded into an `interface{}`, as kustomize reads a kustomization
 * (and its configurations, crds and replacements files) through sigs.k8s.io/yaml: YAML 1.1's `yes`/`on`/`y` and
 * `no`/`off`/`n` are booleans; numbers are read as go-yaml v3 reads them (`0755` and `0o755` are 493, `1_000` is
 * 1000); a timestamp keeps its text (go-yaml v2 gives an `interface{}` the text of a timestamp, not a time, so
 * `2024-01-01` is the string "2024-01-01"); a float too large for a float64 (`8e48351`, a short git SHA; `1e400`)
 * and a YAML 1.1 sexagesimal (`12:30`, which go-yaml never reads as a number) are strings. `.inf` and `.nan` are
 * the non-finite numbers they name: kustomize then fails to turn the kustomization into JSON, and so must the caller.
 */
export function goV2PlainValue(text: string): Scalar {
  const bool = yaml11Boolean(text);
  return bool ?? resolvePlain(text).value;
}

/** The text of a scalar as go-yaml holds it (its `Value`). */
export function scalarText(n: OScalar): string {
  if (typeof n.v === "string") return n.v;
  const raw = sourceText(n);
  if (raw !== null) return raw;
  return n.v === null ? "" : String(n.v);
}

/** The scalar's own spelling in its source, when the span holds exactly that scalar. */
function sourceText(n: OScalar): string | null {
  const at = n.src;
  if (at === null || at.e - at.s > 64) return null;
  const raw = at.f.text.slice(at.s, at.e);
  if (raw.includes("\n")) return null;
  const r = resolvePlain(raw);
  return r.tag !== "str" && (r.value === n.v || (Number.isNaN(r.value) && Number.isNaN(n.v))) ? raw : null;
}

/** The tag go-yaml gives a scalar. */
export function tagOf(n: OScalar): GoTag {
  if (typeof n.v === "string") return "str";
  if (typeof n.v === "boolean") return "bool";
  if (n.v === null) return "null";
  const raw = sourceText(n);
  if (raw !== null) return resolvePlain(raw).tag;
  return Number.isInteger(n.v) ? "int" : "float";
}

/**
 * How a scalar text reads under a tag, as go-yaml decodes it: a string under !!str; else resolved, and it must
 * resolve to the tag (an int is a fine !!float). `plain` (a created node) takes whatever the text resolves to.
 */
export function decodeAs(text: string, tag: GoTag | "plain"): Scalar {
  if (tag === "str") return text;
  const r = resolvePlain(text);
  if (tag === "plain" && r.tag === "str" && TIMESTAMP_LED.test(text)) return timestamp(text);
  const ok = tag === "plain" || r.tag === tag || (tag === "float" && r.tag === "int");
  if (!ok) throw new BuildFailure(`cannot decode !!${r.tag} \`${text}\` as a !!${tag}`);
  if (typeof r.value === "number" && !Number.isFinite(r.value)) {
    throw new BuildFailure(`the value ${JSON.stringify(text)} (${r.value}) is not supported by the in-process render`);
  }
  return r.value;
}

/** A plain date (`2001-12-14`): go-yaml v3 reads it as a timestamp, go-yaml v2 and annotations keep its text. */
export const PLAIN_DATE = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/;

/** What may be one of go-yaml's timestamps: four digits and a dash. */
export const TIMESTAMP_LED = /^[0-9]{4}-/;

/**
 * go-yaml v3's timestamp layouts as Go's time.Parse reads them: `2006-1-2T15:4:5.999999999Z07:00` (or a lower-case
 * `t`), `2006-1-2 15:4:5.999999999` (one or more spaces, no zone: UTC) and `2006-1-2`. A fraction may follow a comma.
 */
const GO_TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2}))|(?: +([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]+))?))?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

function daysIn(month: number, year: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A zone as Go's RFC 3339 formatting writes it: `Z` for a zero offset, else `±hh:mm`; null when time.Parse refuses it. */
function goZone(zone: string | undefined): string | null {
  if (zone === undefined || zone === "Z") return "Z";
  const [hh, mm] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
  if (hh > 24 || mm > 60) return null;
  const minutes = hh * 60 + mm;
  return minutes === 0 ? "Z" : `${zone[0]}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * A plain text go-yaml v3 reads as a timestamp, as kustomize prints it (Go's RFC 3339 with nanoseconds:
 * `2001-12-14t21:59:43.10-05:00` is `2001-12-14T21:59:43.1-05:00`, a date is midnight UTC); null when it is not one.
 */
export function goTimestamp(text: string): string | null {
  const m = GO_TIMESTAMP.exec(text);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return null;
  const spaced = m[9] !== undefined;
  const [h, mi, sec, frac] = spaced ? [m[9], m[10], m[11], m[12]] : [m[4], m[5], m[6], m[7]];
  const date = `${m[1]}-${pad(month)}-${pad(day)}`;
  if (h === undefined) return `${date}T00:00:00Z`;
  const [hour, minute, second] = [Number(h), Number(mi), Number(sec)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const zone = goZone(spaced ? undefined : m[8]);
  if (zone === null) return null;
  const nanos = (frac ?? "").slice(0, 9).replace(/0+$/, "");
  return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${nanos === "" ? "" : `.${nanos}`}${zone}`;
}

/**
 * The value kustomize (go-yaml v3, through kyaml) gives a plain, untagged scalar of a resource or patch file where
 * the `yaml` package's YAML 1.2 reading (`read`) differs: an octal with a leading 0 (`defaultMode: 0755` is 493),
 * `0b101`, `1_000`, and a timestamp (`2001-12-14` is printed as 2001-12-14T00:00:00Z). Anything else is `read`.
 */
export function goPlainValue(text: string, read: Scalar): Scalar {
  if (typeof read === "number" ? String(read) === text : typeof read !== "string") return read;
  const number = goNumber(text);
  if (number !== null) return number;
  if (typeof read === "string" && TIMESTAMP_LED.test(text)) return goTimestamp(text) ?? read;
  return read;
}

/** The finite number go-yaml reads a plain text as (`0755` is 493, `1_000`, `0b101`, `0x1F`), or null. */
export function goNumber(text: string): number | null {
  const r = resolvePlain(text);
  return (r.tag === "int" || r.tag === "float") && typeof r.value === "number" && Number.isFinite(r.value) ? r.value : null;
}

/** An untagged text go-yaml reads as a timestamp: a date prints as RFC 3339 midnight UTC; anything else is refused. */
function timestamp(text: string): string {
  if (PLAIN_DATE.test(text)) return goTimestamp(text) ?? text;
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ]/.test(text)) {
    throw new BuildFailure(`a created field would hold the timestamp ${JSON.stringify(text)}; not supported by the in-process render`);
  }
  return text;
}
