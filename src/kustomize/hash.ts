/**
 * kustomize's content hash for generated ConfigMaps and Secrets (api/hasher): SHA-256 of a JSON encoding of
 * kind, (an always empty) name and data, written the way Go's encoding/json writes it (sorted keys, `<>&` escaped), first ten hex
 * digits with 0,1,3,a,e replaced so the suffix never looks like a number or a word.
 */
import { createHash } from "node:crypto";
import { get, toJS, type OMap } from "./onode.js";

function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go `json.Marshal` of a decoded JSON value (maps with sorted keys). */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goString(v);
  if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${goString(k)}:${goJson(o[k])}`).join(",")}}`;
}

function fieldValue(node: OMap, key: string): unknown {
  const v = get(node, key);
  if (v === undefined) return "";
  if (v.t === "s") return v.v === null ? "" : String(v.v);
  return toJS(v);
}

function isMapField(node: OMap, key: string): boolean {
  return get(node, key)?.t === "m";
}

export function encodeForHash(node: OMap, kind: string): string {
  // kustomize looks the name up as the single field "metadata/name", which never exists: the name is always "".
  const name = "";
  if (kind === "ConfigMap") {
    const m: Record<string, unknown> = { kind: "ConfigMap", name, data: fieldValue(node, "data") };
    if (isMapField(node, "binaryData")) m.binaryData = fieldValue(node, "binaryData");
    return goJson(m);
  }
  if (kind === "Secret") {
    const m: Record<string, unknown> = { kind: "Secret", type: fieldValue(node, "type"), name, data: fieldValue(node, "data") };
    if (isMapField(node, "stringData")) m.stringData = fieldValue(node, "stringData");
    return goJson(m);
  }
  return goJson(toJS(node));
}

export function kustomizeHash(encoded: string): string {
  const hex = createHash("sha256").update(encoded, "utf8").digest("hex").slice(0, 10);
  const map: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };
  return hex.replace(/[013ae]/g, (c) => map[c]!);
}
