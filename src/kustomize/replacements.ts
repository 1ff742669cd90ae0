/**
 * kustomize's ReplacementTransformer (api/filters/replacement, Kustomize v5.5.0): the last builtin transformer of a
 * kustomization. Each replacement reads one value from exactly one source resource and writes it into the fields of
 * every target resource, in order, each seeing what the ones before it wrote.
 *
 * Selection is by ResId fields compared exactly (not as patterns), against a resource's current id and every
 * previous one (before namePrefix/namespace/renames), a selector's namespace "" meaning "default" for every kind;
 * `select`/`reject` label and annotation selectors go by the current metadata. A reject entry rejects on its ResId
 * fields or on its label/annotation selectors, each on its own.
 *
 * Origins: a value a replacement writes points where the source value was written — a scalar (also when a
 * delimiter puts only part of it into the target's text), or a whole map or list copied with every origin inside
 * it. Keys, list items and containers that `create` adds point at the target's field path in the replacement.
 */
import { BuildFailure } from "./failure.js";
import { decodeAs, scalarText, tagOf, type GoTag } from "./go-yaml-scalar.js";
import { isOMap, oscalar, type ONode } from "./onode.js";
import { lookupSource, writeTarget } from "./replacement-path.js";
import { readReplacementFile, type FieldOptions, type Replacement, type ReplacementEntry, type ReplacementId, type ReplacementSelector, type ReplacementTarget } from "./replacement-spec.js";
import { addFile, curId, prevIds, stringMap, withNode, type Res } from "./res.js";
import { effectiveNamespace, gvkSelected, idString, type ResId } from "./resid.js";
import { matchesLabels, parseLabelSelector } from "./selector.js";

/** Reads a replacements file named by `path:` (with the build's load restrictions): its path and YAML 1.1 documents. */
export type ReplacementFileLoader = (rel: string) => { path: string; docs: readonly ONode[] };

/** kustomize's ReplacementTransformer Config: inline entries as they are, `path:` entries replaced by their file's. */
export function loadReplacements(entries: readonly ReplacementEntry[], load: ReplacementFileLoader): Replacement[] {
  return entries.flatMap((e) => {
    if (e.kind === "inline") return [e.replacement];
    try {
      const file = load(e.path.value);
      return readReplacementFile(file.docs, file.path);
    } catch (err) {
      if (err instanceof BuildFailure) throw new BuildFailure(`${e.where}: ${err.message}`);
      throw err;
    }
  });
}

/** A failure of writing the value (not of finding the field): reported without the field-path prefix. */
class WriteFailure extends BuildFailure {}

/** The value a replacement carries: the source node and go-yaml's text and tag of it (no tag for a map or list). */
interface Carried {
  node: ONode;
  text: string;
  tag: GoTag | null;
}

const DEFAULT_FIELD_PATH = "metadata.name";

/** resid.ResId.String(): `Kind.version.group/name.namespace`, with kustomize's placeholders. */
function idText(id: ReplacementId): string {
  return `${id.kind || "[noKind]"}.${id.version || "[noVer]"}.${id.group || "[noGrp]"}/${id.name || "[noName]"}.${id.namespace || "[noNs]"}`;
}

/** resid.ResId.IsSelectedBy for the ids replacements build (no kind is known cluster-scoped there). */
function idSelectedBy(id: ResId, sel: ReplacementId): boolean {
  const ns = (n: string) => (n === "" ? "default" : n);
  return (sel.name === "" || sel.name === id.name) && (sel.namespace === "" || ns(sel.namespace) === ns(id.namespace)) && gvkSelected(id, sel);
}

function isEmptyId(s: ReplacementId): boolean {
  return s.group === "" && s.version === "" && s.kind === "" && s.name === "" && s.namespace === "";
}

function ids(r: Res): ResId[] {
  return [curId(r), ...prevIds(r)];
}

type Requirements = ReturnType<typeof parseLabelSelector>;

/** A selector's label and annotation selectors, parsed once (null: none given). */
interface MetaSelector {
  labels: Requirements | null;
  annotations: Requirements | null;
}

function metaSelector(s: ReplacementSelector, what: string): MetaSelector {
  const parse = (text: string, kind: string): Requirements | null => {
    if (text === "") return null;
    try {
      return parseLabelSelector(text);
    } catch {
      throw new BuildFailure(`${what}: invalid ${kind} selector ${JSON.stringify(text)}`);
    }
  };
  return { labels: parse(s.labelSelector, "label"), annotations: parse(s.annotationSelector, "annotation") };
}

function metaMatches(r: Res, m: MetaSelector): boolean {
  return (m.annotations === null || matchesLabels(m.annotations, stringMap(r, "annotations"))) && (m.labels === null || matchesLabels(m.labels, stringMap(r, "labels")));
}

/** A target's select and reject, ready to test resources against (kustomize's order of checks). */
function targetSelector(select: ReplacementSelector, reject: readonly ReplacementSelector[], what: string): (r: Res) => boolean {
  const selectMeta = metaSelector(select, what);
  const rejectMeta = reject.filter((x) => x.labelSelector !== "" || x.annotationSelector !== "").map((x) => metaSelector(x, what));
  const rejectIds = reject.filter((x) => !isEmptyId(x));
  return (r) => {
    if (!metaMatches(r, selectMeta) || rejectMeta.some((m) => metaMatches(r, m))) return false;
    const all = ids(r);
    if (rejectIds.some((x) => all.some((id) => idSelectedBy(id, x)))) return false;
    return all.some((id) => idSelectedBy(id, select));
  };
}

function isNilOrEmpty(n: ONode | undefined): boolean {
  if (n === undefined) return true;
  if (n.t === "s") return n.v === null;
  return n.t === "m" ? n.entries.size === 0 : n.items.length === 0;
}

/** getReplacement: the one source resource, the value at the source field path, refined by the options. */
function sourceValue(list: readonly Res[], r: Replacement & { source: NonNullable<Replacement["source"]> }): Carried {
  const matches = list.filter((x) => ids(x).some((id) => idSelectedBy(id, r.source.id)));
  if (matches.length > 1) throw new BuildFailure(`${r.where}: multiple matches for selector ${idText(r.source.id)}`);
  if (matches.length === 0) throw new BuildFailure(`${r.where}: nothing selected by ${idText(r.source.id)}`);
  const fieldPath = r.source.fieldPath || DEFAULT_FIELD_PATH;
  let node: ONode | undefined;
  try {
    node = lookupSource(matches[0]!.node, fieldPath);
  } catch (err) {
    if (err instanceof BuildFailure) throw new BuildFailure(`${r.where}: error looking up replacement source: ${err.message}`);
    throw err;
  }
  if (node === undefined || isNilOrEmpty(node)) throw new BuildFailure(`${r.where}: fieldPath \`${fieldPath}\` is missing for replacement source ${idText(r.source.id)}`);
  const carried: Carried = node.t === "s" ? { node, text: scalarText(node), tag: tagOf(node) } : { node, text: "", tag: null };
  const opts = r.source.options;
  if (opts === null || opts.delimiter === "") return carried;
  if (carried.tag === null) throw new BuildFailure(`${r.where}: delimiter option can only be used with scalar nodes`);
  const parts = carried.text.split(opts.delimiter);
  if (opts.index >= parts.length || opts.index < 0) throw new BuildFailure(`${r.where}: options.index ${opts.index} is out of bounds for value ${carried.text}`);
  return { ...carried, text: parts[opts.index]! };
}

/** The node written over a map or list target (or where a map or list is created): the carried value itself. */
function asNode(v: Carried): ONode {
  if (v.tag === null) return v.node;
  const value = decodeAs(v.text, v.tag);
  return v.node.t === "s" && v.node.v === value ? v.node : oscalar(value, v.node.src);
}

/** setFieldValue: a scalar target keeps its tag and takes the text (spliced in with a delimiter); others take the node. */
function setFieldValue(target: ONode, created: boolean, v: Carried, opts: FieldOptions | null): ONode {
  let text = v.text;
  if (opts !== null && opts.delimiter !== "") {
    if (target.t !== "s") throw new BuildFailure("delimiter option can only be used with scalar nodes");
    const parts = scalarText(target).split(opts.delimiter);
    if (opts.index < 0) parts.unshift(text);
    else if (opts.index >= parts.length) parts.push(text);
    else parts[opts.index] = text;
    text = parts.join(opts.delimiter);
  }
  if (target.t !== "s") return asNode(v);
  return oscalar(decodeAs(text, created ? "plain" : tagOf(target)), v.node.src);
}

function applyTarget(list: readonly Res[], v: Carried, t: ReplacementTarget, what: string, note: (message: string) => void): Res[] {
  const select = t.select;
  if (select === null) throw new BuildFailure(`${what}: target must specify resources to select`);
  const selects = targetSelector(select, t.reject, what);
  const fieldPaths = t.fieldPaths.length > 0 ? t.fieldPaths : [{ value: DEFAULT_FIELD_PATH, at: t.at }];
  const create = t.options?.create === true;
  let hits = 0;
  const out = list.map((r) => {
    if (!selects(r)) return r;
    hits++;
    let node: ONode = r.node;
    for (const fp of fieldPaths) {
      let written: number;
      try {
        ({ node, written } = writeTarget(node, fp.value, {
          create: create ? v.node.t : null,
          at: fp.at ?? t.at,
          write: (found, created) => {
            try {
              return setFieldValue(found, created, v, t.options);
            } catch (err) {
              throw err instanceof BuildFailure ? new WriteFailure(err.message) : err;
            }
          },
        }));
      } catch (err) {
        if (err instanceof WriteFailure) throw new BuildFailure(`${what}: ${err.message}`);
        if (err instanceof BuildFailure) throw new BuildFailure(`${what}: ${fieldError(fp.value, create)}: ${err.message}`);
        throw err;
      }
      if (written === 0) throw new BuildFailure(`${what}: ${fieldError(fp.value, create)}`);
    }
    if (node === r.node) return r;
    if (!isOMap(node)) throw new BuildFailure(`${what}: the replacement did not leave an object`);
    const changed = withNode(r, node, v.node.src?.f.path);
    return addFile(changed, (fieldPaths[0]!.at ?? t.at)?.f.path);
  });
  if (hits === 0) note(`${what}: the select matches no resource`);
  return out;
}

function fieldError(fieldPath: string, create: boolean): string {
  return `unable to find ${create ? "or create " : ""}field ${JSON.stringify(fieldPath)} in replacement target`;
}

/** Runs the replacements over the resources of a kustomization, in order. */
export function applyReplacements(list: readonly Res[], replacements: readonly Replacement[], file: string, note: (message: string) => void): Res[] {
  let out = [...list];
  for (const r of replacements) {
    const { source, targets } = r;
    if (source === null || targets === null) throw new BuildFailure(`${r.where}: replacements must specify a source and at least one target`);
    const v = sourceValue(out, { ...r, source });
    targets.forEach((t, j) => {
      out = applyTarget(out, v, t, `${r.where}.targets[${j}]`, note);
    });
  }
  // kustomize makes a new resource map of the result: a replacement that renamed a resource onto another fails.
  const seen = new Set<string>();
  for (const r of out) {
    const id = curId(r);
    const key = [id.group, id.version, id.kind, id.name, effectiveNamespace(id)].join("\0");
    if (seen.has(key)) throw new BuildFailure(`${file}: replacements: may not add resource with an already registered id: ${idString(id)}`);
    seen.add(key);
  }
  return out;
}
