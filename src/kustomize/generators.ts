/**
 * configMapGenerator / secretGenerator: literals, `envs` (.env files), `files` (whole files, `key=path`), options
 * merged with `generatorOptions` as kustomize does (a local map wins per key, a global `true` wins). Each data
 * value keeps its origin: the literal's line in kustomization.yaml, the `.env` line, or the data file.
 */
import { BuildFailure } from "./failure.js";
import { omap, oscalar, type OEntry, type OMap, type ONode } from "./onode.js";
import type { GeneratorOptionsSpec, GeneratorSpec, KV, StrItem } from "./kustomization.js";
import type { Res } from "./res.js";
import { src, toOrigin, type SourceFile, type Src } from "./source.js";

export interface LoadedFile {
  path: string;
  content: string | Uint8Array;
  source: SourceFile | null;
}

export interface FileLoader {
  read(rel: string, what: string): LoadedFile;
}

interface Pair {
  key: string;
  value: string | Uint8Array;
  keyAt: Src | null;
  valueAt: Src | null;
}

export function mergeOptions(local: GeneratorOptionsSpec | null, global: GeneratorOptionsSpec | null): GeneratorOptionsSpec {
  const out: GeneratorOptionsSpec = {
    labels: local?.labels ? [...local.labels] : null,
    annotations: local?.annotations ? [...local.annotations] : null,
    disableNameSuffixHash: local?.disableNameSuffixHash ?? false,
    immutable: local?.immutable ?? false,
  };
  if (!global) return out;
  const over = (mine: KV[] | null, theirs: KV[] | null): KV[] | null => {
    if (mine === null) return theirs ? [...theirs] : null;
    for (const kv of theirs ?? []) if (!mine.some((m) => m.key === kv.key)) mine.push(kv);
    return mine;
  };
  out.labels = over(out.labels, global.labels);
  out.annotations = over(out.annotations, global.annotations);
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

/**
 * Where a generator input was written, for messages: `file:line`. A message never quotes the input itself — a
 * literal or an env line that does not parse is often a credential written the wrong way (`DB_PASSWORD:s3cret`).
 */
function where(at: Src | null, fallback: string): string {
  if (!at) return fallback;
  const o = toOrigin(at);
  return `${o.file}:${o.line}`;
}

function parseLiteral(lit: StrItem): Pair {
  const s = lit.value;
  const eq = s.indexOf("=");
  if (eq <= 0) throw new BuildFailure(`${where(lit.at, "a literal")}: invalid literal source (no key before "="), expected key=value`);
  let value = s.slice(eq + 1);
  if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) value = value.slice(1, -1);
  return { key: s.slice(0, eq), value, keyAt: lit.at, valueAt: lit.at };
}

function envPairs(file: LoadedFile): Pair[] {
  if (typeof file.content !== "string") throw new BuildFailure(`${file.path}: env file is not valid UTF-8`);
  // The source's text: offsets are into it (a leading byte order mark is not part of it; kustomize drops it too).
  const text = file.source?.text ?? file.content;
  const pairs: Pair[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset <= text.length) {
    const nl = text.indexOf("\n", offset);
    const end = nl < 0 ? text.length : nl;
    if (nl < 0 && offset === text.length) break;
    let line = text.slice(offset, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    let start = offset;
    if (lineNo === 0 && line.startsWith("\uFEFF")) {
      line = line.slice(1);
      start += 1;
    }
    const trimmed = line.replace(/^\s+/, "");
    start += line.length - trimmed.length;
    if (trimmed !== "" && !trimmed.startsWith("#")) {
      const eq = trimmed.indexOf("=");
      const key = eq < 0 ? trimmed : trimmed.slice(0, eq);
      if (eq < 0) {
        throw new BuildFailure(`${file.path}:${lineNo + 1}: a name with no "=": kustomize would take its value from the environment`);
      }
      const s = file.source;
      pairs.push({
        key,
        value: trimmed.slice(eq + 1),
        keyAt: s ? src(s, start, start + key.length) : null,
        valueAt: s ? src(s, start + eq + 1, start + trimmed.length) : null,
      });
    }
    lineNo++;
    if (nl < 0) break;
    offset = nl + 1;
  }
  return pairs;
}

/** The paths (as written, relative to the kustomization) of a generator's `envs` and `files` inputs. */
export function generatorInputs(spec: GeneratorSpec): string[] {
  const files = spec.files.map((f) => (f.value.split("=").length === 2 ? f.value.slice(f.value.indexOf("=") + 1) : f.value));
  return [...spec.envs.map((e) => e.value), ...files];
}

function filePair(loader: FileLoader, item: StrItem): Pair {
  const s = item.value;
  const n = s.split("=").length - 1;
  let key: string;
  let path: string;
  if (n === 0) {
    path = s;
    key = s.slice(s.lastIndexOf("/") + 1);
  } else if (n > 1) throw new BuildFailure(`key names or file paths cannot contain '=' (${s})`);
  else if (s.startsWith("=")) throw new BuildFailure(`missing key name for file path in source "${s}"`);
  else if (s.endsWith("=")) throw new BuildFailure(`missing file path for key name in source "${s}"`);
  else [key, path] = s.split("=") as [string, string];
  const file = loader.read(path, "generator file");
  const text = file.source;
  const whole = text ? src(text, 0, text.text.length) : item.at;
  return { key, value: file.content, keyAt: item.at, valueAt: whole };
}

/** kustomize's encodeBase64: 70-character lines, each ending in a newline, once the encoding reaches 70. */
function toBase64(v: string | Uint8Array): string {
  const enc = Buffer.from(typeof v === "string" ? Buffer.from(v, "utf8") : v).toString("base64");
  if (enc.length < 70) return enc;
  let out = "";
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

function kvMap(kvs: readonly KV[], at: Src | null): OMap {
  const entries = new Map<string, OEntry>();
  for (const kv of kvs) entries.set(kv.key, { key: kv.keyAt ?? at, value: oscalar(kv.value, kv.valueAt ?? at) });
  return omap(entries, at);
}

/** Generates the ConfigMap or Secret of one generator entry. */
export function generate(spec: GeneratorSpec, global: GeneratorOptionsSpec | null, loader: FileLoader, kustFile: string): Res {
  const at = spec.at;
  const options = mergeOptions(spec.options, global);
  const pairs: Pair[] = [];
  for (const env of spec.envs) pairs.push(...envPairs(loader.read(env.value, "env file")));
  for (const lit of spec.literals) pairs.push(parseLiteral(lit));
  for (const f of spec.files) pairs.push(filePair(loader, f));

  const seen = new Set<string>();
  for (const p of pairs) {
    // Kustomize v5.5 takes any key (`export KEY`, `a b`, `a/b`); the API server judges them when Argo CD applies.
    if (seen.has(p.key)) throw new BuildFailure(`${spec.kind.toLowerCase()} ${spec.name.value} illegally repeats the key \`${p.key}\``);
    seen.add(p.key);
  }
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const data = new Map<string, OEntry>();
  const binary = new Map<string, OEntry>();
  for (const p of pairs) {
    const entry = (v: string): OEntry => ({ key: p.keyAt ?? at, value: oscalar(v, p.valueAt ?? at) });
    if (spec.kind === "Secret") data.set(p.key, entry(toBase64(p.value)));
    else if (typeof p.value === "string") data.set(p.key, entry(p.value));
    else binary.set(p.key, entry(toBase64(p.value)));
  }

  const meta = new Map<string, OEntry>();
  meta.set("name", { key: spec.name.at ?? at, value: oscalar(spec.name.value, spec.name.at ?? at) });
  if (spec.namespace && spec.namespace.value !== "") meta.set("namespace", { key: spec.namespace.at, value: oscalar(spec.namespace.value, spec.namespace.at) });
  if (options.labels && options.labels.length) meta.set("labels", { key: at, value: kvMap(options.labels, at) });
  if (options.annotations && options.annotations.length) meta.set("annotations", { key: at, value: kvMap(options.annotations, at) });

  const top = new Map<string, OEntry>();
  const fixed = (v: string): OEntry => ({ key: at, value: oscalar(v, at) });
  top.set("apiVersion", fixed("v1"));
  top.set("kind", fixed(spec.kind));
  top.set("metadata", { key: at, value: omap(meta, at) });
  if (spec.kind === "Secret") top.set("type", spec.type && spec.type.value !== "" ? { key: spec.type.at, value: oscalar(spec.type.value, spec.type.at) } : fixed("Opaque"));
  if (data.size) top.set("data", { key: at, value: omap(data, at) });
  if (binary.size) top.set("binaryData", { key: at, value: omap(binary, at) });
  if (options.immutable) top.set("immutable", { key: at, value: oscalar(true, at) as ONode });

  return {
    node: omap(top, at),
    prevIds: [],
    prefixes: [],
    suffixes: [],
    needsHash: !options.disableNameSuffixHash,
    behavior: spec.behavior,
    generatedBy: spec.kind === "Secret" ? "SecretGenerator" : "ConfigMapGenerator",
    definedAt: at,
    files: [kustFile, ...new Set(pairs.map((p) => p.valueAt?.f.path).filter((f): f is string => f !== undefined && f !== kustFile))],
  };
}
