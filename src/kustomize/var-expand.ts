/**
 * `$(VAR)` expansion exactly as Kustomize's api/filters/refvar does it (DoReplacements, MakePrimitiveReplacer,
 * updateNodeValue), byte for byte on the UTF-8 text: `$$` is one `$`; `$(NAME)` of a known var is its value; an
 * unknown name, or a var whose value is a map or a list, stays `$(NAME)`; a string that is exactly one `$(NAME)`
 * takes the value with its type (`"$(PORT)"` becomes the number 8080); inside a string a value is printed like Go's
 * `%v`. Go copies `$` plus one *byte*: a `$` before a non-ASCII character yields invalid UTF-8, which go-yaml then
 * stores base64-encoded — reproduced too, since that is what `kubectl kustomize` prints.
 */

/** A var's value with the Go type kyaml's GetFieldValue gives it. */
export type VarValue =
  | { readonly kind: "string"; readonly value: string }
  /** `digits`: the decimal text Go prints (strconv.Atoi of the written text). */
  | { readonly kind: "int"; readonly value: number; readonly digits: string }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  /** A map or a list: Kustomize does not substitute it. */
  | { readonly kind: "complex" };

/** What a string becomes: still a string, or (written as exactly one `$(NAME)`) the var's typed value. */
export type Expansion = { readonly whole: false; readonly text: string } | { readonly whole: true; readonly name: string; readonly value: Exclude<VarValue, { kind: "complex" }> };

const DOLLAR = 0x24;
const OPEN = 0x28;
const CLOSE = 0x29;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Go's `%v` of a float64 (strconv `g`, shortest): exponent form below 1e-4 and from 1e6, with two exponent digits at least. */
export function goFloatV(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const digits = mantissa.replace(".", "");
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's `fmt.Sprintf("%v", value)` of a primitive var value. */
export function formatVarValue(v: Exclude<VarValue, { kind: "complex" }>): string {
  switch (v.kind) {
    case "string":
      return v.value;
    case "int":
      return v.digits;
    case "float":
      return goFloatV(v.value);
    case "bool":
      return String(v.value);
  }
}

/** go-yaml's encodeBase64 (what `Node.SetString` stores for text that is not valid UTF-8): 70-column lines. */
function encodeBase64(bytes: Uint8Array): string {
  const enc = Buffer.from(bytes).toString("base64");
  if (enc.length < 70) return enc;
  let out = "";
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

/** Go's string(rune(b)) of one byte, as UTF-8. */
function runeOfByte(b: number): number[] {
  return b < 0x80 ? [b] : [0xc0 | (b >> 6), 0x80 | (b & 0x3f)];
}

/**
 * Expands one string. `lookup` gives a declared var's value (undefined: not a var); `used` collects the names
 * that were substituted (Kustomize's replacement counts).
 */
export function expandVars(input: string, lookup: (name: string) => VarValue | undefined, used: Set<string>): Expansion {
  if (!input.includes("$")) return { whole: false, text: input };
  const b = encoder.encode(input);
  const out: number[] = [];
  const push = (from: number, to: number) => {
    for (let i = from; i < to; i++) out.push(b[i]!);
  };
  let checkpoint = 0;
  for (let cursor = 0; cursor < b.length; cursor++) {
    if (b[cursor] !== DOLLAR || cursor + 1 >= b.length) continue;
    push(checkpoint, cursor);
    const next = b[cursor + 1]!;
    let advance = 1;
    if (next === DOLLAR) out.push(DOLLAR);
    else if (next === OPEN) {
      const close = b.indexOf(CLOSE, cursor + 2);
      if (close < 0) out.push(DOLLAR, OPEN);
      else {
        advance = close - cursor;
        const name = decoder.decode(b.subarray(cursor + 2, close));
        const value = lookup(name);
        const primitive = value !== undefined && value.kind !== "complex" ? value : undefined;
        if (primitive) used.add(name);
        if (cursor === 0 && close === b.length - 1) {
          return primitive ? { whole: true, name, value: primitive } : { whole: false, text: input };
        }
        if (primitive) for (const x of encoder.encode(formatVarValue(primitive))) out.push(x);
        else push(cursor, close + 1);
      }
    } else out.push(DOLLAR, ...runeOfByte(next));
    cursor += advance;
    checkpoint = cursor + 1;
  }
  push(checkpoint, b.length);
  const bytes = Uint8Array.from(out);
  try {
    return { whole: false, text: decoder.decode(bytes) };
  } catch {
    return { whole: false, text: encodeBase64(bytes) };
  }
}
