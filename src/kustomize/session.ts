/**
 * A render session: one file tree, every file read and parsed at most once, and every base directory built at
 * most once, however many roots share them. Reads go through `FileTree`; nothing else is touched.
 */
import { attachDetachedBlockHeaders } from "../parse/detached-block-header.js";
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } from "yaml";
import { BuildFailure } from "./failure.js";
import { KUSTOMIZATION_FILE_NAMES } from "./graph.js";
import { fromYaml, type DuplicateKeys, type ONode } from "./onode.js";
import { embeddedSource, SourceFile } from "./source.js";
import { documentsTextOf, documentValue } from "../parse/yaml-file.js";
import type { BuildOptions, FileTree } from "./types.js";

export interface FileEntry {
  path: string;
  content: string | Uint8Array;
  bytes: number;
  /** Set when the content is text. */
  source: SourceFile | null;
}

const MAX_ALIASES = 100;

const BOM = "\uFEFF";

/** A file's bytes as text, a leading byte order mark kept (a generator's `files:` value keeps it, as in kustomize). */
function decode(content: string | Uint8Array): string | null {
  if (typeof content === "string") return content;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(content);
  } catch {
    return null;
  }
}

/** The text a person edits and the review parses: without a leading byte order mark. */
function sourceText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * go-yaml skips a byte order mark at the start of any line between tokens (a multi-document stream whose parts were
 * each saved with one); the `yaml` library reads it as part of the next key. Each such mark trades places with the
 * line break before it (`---\n<BOM>kind` → `--- \nkind`): every offset, and so every origin, stays as it was.
 */
function withoutLineStartBoms(text: string): string {
  let out = text;
  for (let i = text.indexOf(BOM, 1); i > 0; i = text.indexOf(BOM, i + 1)) {
    if (text[i - 1] !== "\n") continue;
    const crlf = i >= 2 && text[i - 2] === "\r";
    const from = crlf ? i - 2 : i - 1;
    out = `${out.slice(0, from)} ${crlf ? "\r\n" : "\n"}${out.slice(i + 1)}`;
  }
  return out;
}

/** The text to hand the YAML parser: the source itself, unless a byte order mark starts one of its lines. */
function yamlText(text: string): string {
  return text.includes(BOM) ? withoutLineStartBoms(text) : text;
}

export class Session {
  private readonly files = new Map<string, FileEntry | null>();
  /**
   * Documents by YAML version, then how a key written twice reads, then path (no key string built per look-up: the
   * build asks for a file many times).
   */
  private readonly docs = { "1.1": documentCaches(), "1.2": documentCaches() };

  constructor(
    readonly tree: FileTree,
    private readonly parsed: BuildOptions["parsedDocuments"] = undefined,
  ) {}

  /** The file, or null when it does not exist. Never throws for a missing file. */
  file(path: string): FileEntry | null {
    // One look-up (a missing file is remembered as null): the build asks for the same files many times.
    const known = this.files.get(path);
    if (known !== undefined) return known;
    let entry: FileEntry | null = null;
    let raw: string | Uint8Array | null;
    try {
      raw = this.tree.readFile(path);
    } catch (err) {
      throw new BuildFailure(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (raw !== null) {
      const text = decode(raw);
      const bytes = typeof raw === "string" ? Buffer.byteLength(raw, "utf8") : raw.byteLength;
      entry = { path, content: text ?? raw, bytes, source: text === null ? null : new SourceFile(path, sourceText(text)) };
    }
    this.files.set(path, entry);
    return entry;
  }

  isDirectory(path: string): boolean {
    return this.tree.isDirectory(path);
  }

  /** Where a path leads through symbolic links (see `FileTree.realPath`); the path itself when the tree has no links. */
  realPath(path: string): string | null {
    if (!this.tree.realPath) return path;
    try {
      return this.tree.realPath(path);
    } catch (err) {
      throw new BuildFailure(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The kustomization file of a directory (kustomize's three names; more than one is an error). */
  kustomizationFile(dir: string): string {
    const names = new Set(this.tree.listDirectory(dir));
    const found = KUSTOMIZATION_FILE_NAMES.filter((n) => names.has(n));
    if (found.length > 1) throw new BuildFailure(`found multiple kustomization files under ${dir || "."}`);
    if (found.length === 0) {
      throw new BuildFailure(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir || "."}'`);
    }
    return dir === "" ? found[0]! : `${dir}/${found[0]}`;
  }

  /**
   * Parsed YAML documents of a file (empty documents dropped); cached, failures too. `duplicateKeys`: how the reader
   * kustomize uses for the file treats a key written twice (see `YamlConvertLimits.duplicateKeys`).
   */
  yamlDocs(entry: FileEntry, version: "1.1" | "1.2", duplicateKeys: DuplicateKeys = "refuse"): ONode[] {
    const docs = this.docs[version][duplicateKeys];
    const cached = docs.get(entry.path);
    if (cached instanceof BuildFailure) throw cached;
    if (cached) return cached;
    try {
      if (entry.source === null) throw new BuildFailure(`${entry.path}: not valid UTF-8`);
      refuseControlCharacters(entry.source);
      // A parse offered for the text is of the text itself: not used when a byte order mark needs go-yaml's reading.
      const offered = this.parsed && !entry.source.text.includes(BOM) ? this.parsed(entry.path, entry.source.text) : null;
      // A kustomization is read as YAML 1.1 (like kustomize); a YAML 1.2 parse of it reads the same when nothing in
      // it is read differently under 1.1 (see readsAlikeAsYaml11).
      const given = offered && (version === "1.2" || readsAlikeAsYaml11(offered, entry.source.text)) ? offered : null;
      // Documents of the text as go-yaml reads it (a detached block scalar header) convert against that text.
      const attached = given ? documentsTextOf(given) : undefined;
      const converted = given
        ? convertDocuments(given, attached === undefined ? entry.source : entry.source.withText(attached.text, attached.toOriginal), { version, duplicateKeys }, version === "1.2")
        : parseSource(entry.source, version, duplicateKeys);
      docs.set(entry.path, converted);
      return converted;
    } catch (err) {
      const failure = err instanceof BuildFailure ? err : new BuildFailure(`${entry.path}: ${err instanceof Error ? err.message : String(err)}`);
      docs.set(entry.path, failure);
      throw failure;
    }
  }
}

type DocumentCache = Map<string, ONode[] | BuildFailure>;

function documentCaches(): Record<DuplicateKeys, DocumentCache> {
  return { refuse: new Map(), first: new Map(), last: new Map() };
}

/**
 * Parses YAML text (a file, or text embedded in one) into origin-tracked documents; empty ones dropped. A key written
 * twice is judged by the conversion (`duplicateKeys`), not the parser.
 */
export function parseSource(source: SourceFile, version: "1.1" | "1.2" = "1.2", duplicateKeys: DuplicateKeys = "refuse"): ONode[] {
  const parse = (text: string) => parseAllDocuments(yamlText(text), { version, logLevel: "error", uniqueKeys: false });
  const docs = parse(source.text);
  if (docs.some((d) => d.errors.length > 0)) {
    // A block scalar header on the line after its key, which go-yaml reads (see attachDetachedBlockHeaders): read
    // from the rewritten text, whose nodes' offsets are of that text (the same length and lines).
    const attached = attachDetachedBlockHeaders(source.text);
    const reparsed = attached === null ? null : parse(attached.text);
    if (attached && reparsed?.every((d) => d.errors.length === 0)) return convertDocuments(reparsed, source.withText(attached.text, attached.toOriginal), { version, duplicateKeys });
  }
  return convertDocuments(docs, source, { version, duplicateKeys });
}

interface ReadAs {
  version: "1.1" | "1.2";
  duplicateKeys: DuplicateKeys;
}

/** `reuseValues`: the documents are the review's parse, whose plain values the nodes may reuse (see `knownPlainValue`). */
function convertDocuments(docs: readonly Document.Parsed[], source: SourceFile, readAs: ReadAs, reuseValues = false): ONode[] {
  const { version, duplicateKeys } = readAs;
  const out: ONode[] = [];
  let ended = false;
  for (const doc of docs) {
    // kyaml splits a stream at its `---` lines and go-yaml decodes one document of each part: what follows a `...`
    // end marker without a `---` of its own is not read at all (kubectl kustomize drops it, as `kubectl apply` does).
    const afterEnd: boolean = ended && doc.directives.docStart !== true;
    ended = doc.directives.docEnd === true || afterEnd;
    if (version === "1.2" && afterEnd) continue;
    const err = doc.errors[0];
    if (err) {
      const o = source.origin(err.pos[0], err.pos[1]);
      throw new BuildFailure(`${o.file}:${o.line}:${o.column}: invalid YAML: ${err.message.split("\n")[0]}`);
    }
    if (version === "1.2" && hasDirective(doc)) {
      // kyaml splits a stream at its `---` lines and go-yaml then finds a directive with no document after it.
      throw new BuildFailure(`${source.path}: a YAML directive (%YAML, %TAG) fails kustomize's reading of the file (did not find expected <document start>)`);
    }
    if (doc.contents === null) continue;
    const limits = { maxAliases: MAX_ALIASES, yaml11: version === "1.1", duplicateKeys };
    const node = fromYaml(doc, source, limits, reuseValues ? documentValue(doc) : undefined);
    if (node.t === "s" && node.v === null) continue;
    out.push(node);
  }
  return out;
}

/** Characters go-yaml's reader refuses anywhere in a file ("control characters are not allowed"); tab, CR, LF and NEL pass. */
const GO_YAML_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/**
 * A double-quoted escape of one of those characters (DEL, the C1 controls but NEL, U+FFFE/FFFF): go-yaml reads it,
 * but kustomize writes the value back raw when it converts the object and then fails to read it ("control characters
 * are not allowed"), so kubectl kustomize fails. Matched in the text (a comment or single-quoted `\x7f` too).
 */
const FORBIDDEN_ESCAPE = /\\(?:x(?:7[fF]|8[0-46-9a-fA-F]|9[0-9a-fA-F])|u(?:00(?:7[fF]|8[0-46-9a-fA-F]|9[0-9a-fA-F])|[fF]{3}[eEfF])|U0000(?:00(?:7[fF]|8[0-46-9a-fA-F]|9[0-9a-fA-F])|[fF]{3}[eEfF]))/;

function refuseControlCharacters(source: SourceFile): void {
  const found = GO_YAML_FORBIDDEN.exec(source.text);
  if (found === null) {
    const escaped = FORBIDDEN_ESCAPE.exec(source.text);
    if (escaped === null) return;
    const at = source.origin(escaped.index, escaped.index);
    throw new BuildFailure(`${at.file}:${at.line}:${at.column}: the escape ${escaped[0]} is a control character kustomize cannot write back (control characters are not allowed)`);
  }
  const at = source.origin(found.index, found.index);
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
  throw new BuildFailure(`${at.file}:${at.line}:${at.column}: a control character (U+${code.padStart(4, "0")}) fails kustomize's reading of the file (control characters are not allowed)`);
}

/** A `%YAML` or `%TAG` directive before the document (the default `!!` handle is always there). */
function hasDirective(doc: Document.Parsed): boolean {
  return doc.directives?.yaml.explicit === true || Object.keys(doc.directives?.tags ?? {}).length > 1;
}

/** Text of an inline patch (a scalar in a kustomization), as a source mapped back into the kustomization file. */
export function inlineSource(outer: SourceFile, value: string, start: number): SourceFile {
  const c = outer.text[start];
  const type = c === "|" ? "BLOCK_LITERAL" : c === ">" ? "BLOCK_FOLDED" : c === '"' ? "QUOTE_DOUBLE" : c === "'" ? "QUOTE_SINGLE" : "PLAIN";
  return embeddedSource(outer, value, start, type);
}

/**
 * The tests by which the `yaml` library resolves an untagged plain scalar under YAML 1.1 (booleans y/yes/on/…,
 * octal, sexagesimal, timestamps, merge keys …): a plain scalar that YAML 1.2 left a string and none of them
 * matches is a string under 1.1 too.
 */
const YAML11_IMPLICIT: readonly RegExp[] = new Document(null, { version: "1.1" }).schema.tags.flatMap((t) =>
  t.default && t.test && t.tag !== "tag:yaml.org,2002:str" ? [t.test] : [],
);

/**
 * True when YAML 1.2 documents (parsed with duplicate keys allowed) convert exactly as a YAML 1.1 parse of the same
 * text would (the session's own, whose conversion judges duplicate keys): no tags, directives or merge keys in the text, no
 * number, no plain string that YAML 1.1 would resolve to something else, no duplicate or non-scalar key.
 * Conservative: anything else is parsed again as 1.1.
 */
function readsAlikeAsYaml11(docs: readonly Document.Parsed[], text: string): boolean {
  if (text.includes("!") || text.includes("%") || text.includes("<<")) return false;
  const stack: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) return false;
    stack.push(doc.contents);
  }
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined || isAlias(node)) continue;
    if (isScalar(node)) {
      if (node.type !== Scalar.PLAIN) continue;
      const v = node.value;
      if (typeof v === "number" || typeof v === "bigint") return false;
      if (typeof v === "string" && YAML11_IMPLICIT.some((test) => test.test(v))) return false;
      continue;
    }
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) return false;
        if (keys.has(pair.key.value)) return false;
        keys.add(pair.key.value);
        stack.push(pair.key, pair.value);
      }
      continue;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
      continue;
    }
    return false;
  }
  return true;
}
