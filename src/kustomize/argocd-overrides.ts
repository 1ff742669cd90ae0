/**
 * An Argo CD Application's own Kustomize overrides (`spec.source.kustomize`, `spec.sources[i].kustomize`), applied to
 * the root kustomization before its build exactly as Argo CD's repo-server does (argo-cd util/kustomize/kustomize.go
 * `Build()`): it runs, in this order, `kustomize edit set nameprefix`, `set namesuffix`, `set image`, `set replicas`,
 * `add label [--force] [--without-selector] [--include-templates]`, `add annotation [--force]`, `set namespace`, then
 * appends `patches` to the kustomization and runs `edit add component`. Each step changes the kustomization as that
 * `kustomize edit` command would (kustomize/commands/edit/…), so the build that follows is the one Argo CD runs.
 *
 * Pure: the Application comes as origin-tracked nodes, and every value an override writes (a tag, a namespace, a
 * label, an inline patch) keeps the origin of the line in the Application where it was written.
 */
import { BuildFailure } from "./failure.js";
import { get, isNull, isOMap, isOScalar, isOSeq, omap, oscalar, oseq, str, toJS, withEntry, withoutEntry, type OEntry, type OMap, type ONode } from "./onode.js";
import { joinPath } from "./paths.js";
import { parseSource } from "./session.js";
import { SourceFile, type Src } from "./source.js";
import { argoCdReadSources } from "../parse/argocd-sources.js";

/** What an edit may ask of the repository: whether a directory exists (for `ignoreMissingComponents`). */
export interface EditContext {
  /** The kustomization's directory. */
  dir: string;
  isDirectory(path: string): boolean;
}

/** A change to a root kustomization before its build (the node of the kustomization file in, the edited node out). */
export interface KustomizationEdit {
  /** Identity of the edit's content (the same overrides written twice give the same key); origins left out. */
  readonly key: string;
  apply(kustomization: OMap, ctx: EditContext): OMap;
}

/** One source of an Argo CD Application that points at a directory. */
export interface ApplicationSource {
  /** The source's `path`, normalised (repository-relative). */
  path: string;
  /** The Application, for messages: `namespace/name` (or `name`). */
  application: string;
  /** Its `metadata.name` and `metadata.namespace` (which parameter-override file is its own, see argocd-source-files.ts). */
  name: string;
  namespace?: string;
  /** The file the Application is written in. */
  file: string;
  /** The source's `repoURL` as written, when it is a string (which repository the path is of). */
  repoURL?: string;
  /** Argo CD's edit of the kustomization, or null when the source has no `kustomize` override that changes the build. */
  edit: KustomizationEdit | null;
  /** The source's `kustomize` block as written (origin-tracked), for merging parameter-override files into it. */
  kustomize: OMap | null;
}

/** Fields of `ApplicationSourceKustomize` that change what is built. */
const APPLIED = ["namePrefix", "nameSuffix", "images", "replicas", "commonLabels", "commonAnnotations", "namespace", "patches", "components"] as const;
/** Flags that change how the applied fields are written. */
const FLAGS = ["forceCommonLabels", "forceCommonAnnotations", "labelWithoutSelector", "labelIncludeTemplates", "commonAnnotationsEnvsubst", "ignoreMissingComponents"] as const;

/** Cheap check on a file's text before parsing it for overrides. */
export function mayHoldKustomizeOverrides(text: string): boolean {
  return text.includes("kustomize:") && /kind:\s*["']?Application["']?\s*$/m.test(text);
}

/** The sources of the Argo CD Applications in a file's text that have a path (YAML that does not parse: none). */
export function applicationSources(file: string, text: string): ApplicationSource[] {
  let docs: ONode[];
  try {
    docs = parseSource(new SourceFile(file, text));
  } catch {
    return [];
  }
  return docs.flatMap((d) => applicationSourcesOf(d, file));
}

/** The sources with a path of one Application document (origin-tracked); [] for anything else. */
export function applicationSourcesOf(app: ONode, file: string): ApplicationSource[] {
  if (!isOMap(app) || str(app, "kind") !== "Application" || !(str(app, "apiVersion") ?? "").startsWith("argoproj.io/")) return [];
  const meta = get(app, "metadata");
  const name = str(meta, "name") ?? "?";
  const namespace = str(meta, "namespace");
  const application = namespace ? `${namespace}/${name}` : name;
  const spec = get(app, "spec");
  const sources = get(spec, "sources");
  const out: ApplicationSource[] = [];
  for (const { source } of argoCdReadSources(get(spec, "source"), isOSeq(sources) ? sources.items : null)) {
    const p = str(source, "path");
    const path = p === undefined ? null : joinPath("", p);
    if (path === null) continue;
    const k = get(source, "kustomize");
    const kustomize = isOMap(k) ? k : null;
    const repoURL = str(source, "repoURL");
    out.push({ path, application, name, ...(namespace ? { namespace } : {}), file, ...(repoURL !== undefined ? { repoURL } : {}), edit: kustomize ? kustomizeEdit(kustomize) : null, kustomize });
  }
  return out;
}

/**
 * The directories (repository paths) of the components a source's `kustomize.components` adds to its build, relative to
 * its path as `kustomize edit add component` resolves them; an entry that leaves the repository or is not a string is
 * left out. The build reads these components' files, though no kustomization of the repository names them.
 */
export function overrideComponentDirectories(source: Pick<ApplicationSource, "path" | "kustomize">): string[] {
  const list = source.kustomize ? get(source.kustomize, "components") : undefined;
  if (!isOSeq(list)) return [];
  const out: string[] = [];
  for (const item of list.items) {
    const rel = isOScalar(item) && typeof item.v === "string" ? item.v : null;
    const dir = rel === null || rel === "" ? null : joinPath(source.path, rel);
    if (dir !== null && !out.includes(dir)) out.push(dir);
  }
  return out;
}

/** The edit of one `kustomize:` block, or null when it changes nothing that is built. */
export function kustomizeEdit(block: OMap): KustomizationEdit | null {
  const applied = APPLIED.filter((f) => {
    const v = get(block, f);
    if (isNull(v)) return false;
    if (isOSeq(v)) return v.items.length > 0;
    if (isOMap(v)) return v.entries.size > 0;
    return !(isOScalar(v) && v.v === "");
  });
  if (applied.length === 0) return null;
  const content: Record<string, unknown> = {};
  for (const f of [...applied, ...FLAGS].sort()) {
    const v = get(block, f);
    if (v !== undefined) content[f] = toJS(v);
  }
  return { key: canonicalJson(content), apply: (k, ctx) => applyOverrides(k, block, ctx) };
}

/** An edit Argo CD refuses (e.g. a parameter-override file that does not parse): the render fails with `message`. */
export function refusedEdit(message: string): KustomizationEdit {
  return {
    key: `!${message}`,
    apply: () => {
      throw new BuildFailure(message);
    },
  };
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** A scalar override as text (Argo CD's types are strings; a YAML number or boolean is written as such). */
function text(n: ONode | undefined, field: string): string | null {
  if (isNull(n)) return null;
  if (!isOScalar(n!)) throw new BuildFailure(`Argo CD kustomize.${field}: expected a string`, n!.src);
  return String(n.v);
}

function flag(block: OMap, name: (typeof FLAGS)[number]): boolean {
  const v = get(block, name);
  return isOScalar(v) && v.v === true;
}

/** Argo CD runs `Envsubst` (ARGOCD_APP_REVISION, …) on these values: what they become depends on the sync, not on the repository. */
function noSubstitution(value: string, field: string, at: Src | null): string {
  if (value.includes("$")) throw new BuildFailure(`Argo CD kustomize.${field} "${value}" uses \${…} substitution, which Argo CD fills in at sync time`, at);
  return value;
}

/** Keeps the key's origin of an existing entry, or takes the override's. */
function keyOf(block: OMap, field: string): Src | null {
  return block.entries.get(field)?.key ?? null;
}

function setField(k: OMap, field: string, value: ONode, keySrc: Src | null): OMap {
  return withEntry(k, field, value, k.entries.get(field)?.key ?? keySrc);
}

function applyOverrides(kustomization: OMap, block: OMap, ctx: EditContext): OMap {
  let k = kustomization;
  for (const affix of ["namePrefix", "nameSuffix"] as const) {
    const n = get(block, affix);
    const v = text(n, affix);
    if (v !== null && v !== "") k = setField(k, affix, oscalar(v, n!.src), keyOf(block, affix));
  }
  k = setImages(k, block);
  k = setReplicas(k, block);
  k = addLabels(k, block);
  k = addAnnotations(k, block);
  const ns = get(block, "namespace");
  const nsValue = text(ns, "namespace");
  if (nsValue !== null && nsValue !== "") k = setField(k, "namespace", oscalar(nsValue, ns!.src), keyOf(block, "namespace"));
  k = appendPatches(k, block);
  k = addComponents(k, block, ctx);
  return k;
}

// ---- images: `kustomize edit set image` ----

interface ImageArg {
  name: string;
  newName: string;
  newTag: string;
  digest: string;
}

const TAG = /^(.*):([a-zA-Z0-9._-]*|\*)$/;
const INVALID_IMAGE = "invalid format of image, use one of <image>=<newimage>:<newtag>, <image>=<newimage>@<digest>, <image>=<newimage>, <image>:<newtag>, <image>@<digest>";

function parseOverwrite(arg: string, overwriteImage: boolean): { name: string; tag: string; digest: string } | null {
  const at = arg.split("@");
  if (at.length > 1) return { name: at[0]!, tag: "", digest: at[1]! };
  const t = TAG.exec(arg);
  if (t) return { name: t[1]!, tag: t[2]!, digest: "" };
  if (arg.length > 0 && overwriteImage) return { name: arg, tag: "", digest: "" };
  return null;
}

/** kustomize's `parse` of one `set image` argument. */
export function parseImageArg(arg: string): ImageArg | null {
  const eq = arg.split("=");
  if (eq.length === 2) {
    const p = parseOverwrite(eq[1]!, true);
    return p && { name: eq[0]!, newName: p.name, newTag: p.tag, digest: p.digest };
  }
  const p = parseOverwrite(arg, false);
  return p && { name: p.name, newName: "", newTag: p.tag, digest: p.digest };
}

const IMAGE_FIELDS = ["newName", "newTag", "digest"] as const;

function setImages(k: OMap, block: OMap): OMap {
  const list = get(block, "images");
  if (!isOSeq(list) || list.items.length === 0) return k;
  // The arguments, by name (a later one for the same name wins, as in kustomize's map).
  const args = new Map<string, { arg: ImageArg; at: Src | null }>();
  list.items.forEach((item, i) => {
    const raw = text(item, `images[${i}]`) ?? "";
    const arg = parseImageArg(noSubstitution(raw, `images[${i}]`, item.src));
    if (arg === null) throw new BuildFailure(`Argo CD kustomize.images[${i}] "${raw}": ${INVALID_IMAGE}`, item.src);
    args.set(arg.name, { arg, at: item.src });
  });
  // Existing entries (`imageTags` is read as `images`, as kustomize's reader does before an edit).
  const existing = [...seqItems(get(k, "images")), ...seqItems(get(k, "imageTags"))].filter(isOMap);
  const byName = new Map<string, OMap>();
  for (const e of existing) {
    const name = str(e, "name") ?? "";
    const given = args.get(name);
    if (!given) {
      byName.set(name, e);
      continue;
    }
    // `*` keeps the existing entry's value of that field.
    const fields: Partial<Record<(typeof IMAGE_FIELDS)[number], ONode>> = {};
    for (const f of IMAGE_FIELDS) {
      const v = given.arg[f];
      if (v === "*") {
        const old = e.entries.get(f)?.value;
        if (old !== undefined && !isNull(old) && String(isOScalar(old) ? old.v : "") !== "") fields[f] = old;
      } else if (v !== "") fields[f] = oscalar(v, given.at);
    }
    byName.set(name, imageEntry(name, fields, given.at));
    args.delete(name);
  }
  for (const [name, { arg, at }] of args) {
    const fields: Partial<Record<(typeof IMAGE_FIELDS)[number], ONode>> = {};
    for (const f of IMAGE_FIELDS) if (arg[f] !== "" && arg[f] !== "*") fields[f] = oscalar(arg[f], at);
    byName.set(name, imageEntry(name, fields, at));
  }
  const images = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  const out = withoutEntry(k, "imageTags");
  const old = get(k, "images") ?? get(k, "imageTags");
  return setField(out, "images", oseq(images, old?.src ?? list.src), k.entries.get("imageTags")?.key ?? keyOf(block, "images"));
}

function seqItems(n: ONode | undefined): readonly ONode[] {
  return isOSeq(n) ? n.items : [];
}

function imageEntry(name: string, fields: Partial<Record<(typeof IMAGE_FIELDS)[number], ONode>>, at: Src | null): OMap {
  const entries = new Map<string, OEntry>([["name", { key: at, value: oscalar(name, at) }]]);
  for (const f of IMAGE_FIELDS) {
    const v = fields[f];
    if (v) entries.set(f, { key: v.src, value: v });
  }
  return omap(entries, at);
}

// ---- replicas: `kustomize edit set replicas name=count` ----

function setReplicas(k: OMap, block: OMap): OMap {
  const list = get(block, "replicas");
  if (!isOSeq(list) || list.items.length === 0) return k;
  const byName = new Map<string, ONode>();
  for (const e of seqItems(get(k, "replicas"))) byName.set(str(e, "name") ?? "", e);
  list.items.forEach((item, i) => {
    if (!isOMap(item)) throw new BuildFailure(`Argo CD kustomize.replicas[${i}]: expected a map with name and count`, item.src);
    const name = text(get(item, "name"), `replicas[${i}].name`) ?? "";
    const countNode = get(item, "count");
    const raw = isOScalar(countNode) ? countNode.v : null;
    // `count` is an int-or-string; Argo CD reads a string with strconv.Atoi.
    const count = typeof raw === "number" ? raw : typeof raw === "string" && /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(count)) throw new BuildFailure(`Argo CD kustomize.replicas[${i}].count: expected an integer`, countNode?.src ?? item.src);
    const countAt = countNode!.src;
    byName.set(
      name,
      omap(
        new Map<string, OEntry>([
          ["name", { key: item.src, value: oscalar(name, get(item, "name")?.src ?? item.src) }],
          ["count", { key: countAt, value: oscalar(count, countAt) }],
        ]),
        item.src,
      ),
    );
  });
  const replicas = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return setField(k, "replicas", oseq(replicas, get(k, "replicas")?.src ?? list.src), keyOf(block, "replicas"));
}

// ---- labels and annotations: `kustomize edit add label|annotation [--force] [--without-selector]` ----

interface Pair {
  key: string;
  keyAt: Src | null;
  value: ONode;
}

function pairsOf(block: OMap, field: "commonLabels" | "commonAnnotations", substitute: boolean): Pair[] {
  const m = get(block, field);
  if (isNull(m)) return [];
  if (!isOMap(m)) throw new BuildFailure(`Argo CD kustomize.${field}: expected a map`, m!.src);
  const out: Pair[] = [];
  for (const [key, e] of [...m.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const v = text(e.value, `${field}.${key}`) ?? "";
    out.push({ key, keyAt: e.key, value: oscalar(substitute ? noSubstitution(v, `${field}.${key}`, e.value.src ?? e.key) : v, e.value.src ?? e.key) });
  }
  return out;
}

/** `writeToMap`: adds pairs to a map field, refusing an existing key unless forced. */
function writeToMap(k: OMap, field: string, pairs: readonly Pair[], force: boolean, kind: string, keySrc: Src | null): OMap {
  const old = get(k, field);
  let m: OMap = isOMap(old) ? old : omap(new Map(), keySrc);
  for (const p of pairs) {
    if (m.entries.has(p.key) && !force) throw new BuildFailure(`Argo CD kustomize: ${kind} ${p.key} already in kustomization file (set force${kind === "label" ? "CommonLabels" : "CommonAnnotations"})`, p.keyAt);
    m = withEntry(m, p.key, p.value, m.entries.get(p.key)?.key ?? p.keyAt);
  }
  return setField(k, field, m, keySrc);
}

function addLabels(k: OMap, block: OMap): OMap {
  const pairs = pairsOf(block, "commonLabels", true);
  if (pairs.length === 0) return k;
  const force = flag(block, "forceCommonLabels");
  const keySrc = keyOf(block, "commonLabels");
  if (!flag(block, "labelWithoutSelector")) return writeToMap(k, "commonLabels", pairs, force, "label", keySrc);
  // `writeToLabelsSlice`: a key already in some `labels` entry is set there (with force); a new key is a new entry.
  const includeTemplates = flag(block, "labelIncludeTemplates");
  let labels = [...seqItems(get(k, "labels"))];
  for (const p of pairs) {
    let present = false;
    labels = labels.map((entry) => {
      const pm = get(entry, "pairs");
      if (!isOMap(entry) || !isOMap(pm) || !pm.entries.has(p.key)) return entry;
      present = true;
      if (!force) throw new BuildFailure(`Argo CD kustomize: label ${p.key} already in kustomization file (set forceCommonLabels)`, p.keyAt);
      return withEntry(entry, "pairs", withEntry(pm, p.key, p.value, pm.entries.get(p.key)?.key));
    });
    if (present) continue;
    const entries = new Map<string, OEntry>([["pairs", { key: keySrc, value: omap(new Map([[p.key, { key: p.keyAt, value: p.value }]]), p.keyAt) }]]);
    if (includeTemplates) entries.set("includeTemplates", { key: p.keyAt, value: oscalar(true, p.keyAt) });
    labels.push(omap(entries, p.keyAt));
  }
  return setField(k, "labels", oseq(labels, get(k, "labels")?.src ?? keySrc), keySrc);
}

function addAnnotations(k: OMap, block: OMap): OMap {
  const pairs = pairsOf(block, "commonAnnotations", flag(block, "commonAnnotationsEnvsubst"));
  if (pairs.length === 0) return k;
  return writeToMap(k, "commonAnnotations", pairs, flag(block, "forceCommonAnnotations"), "annotation", keyOf(block, "commonAnnotations"));
}

// ---- patches: appended to the kustomization's `patches` ----

const PATCH_FIELDS = ["path", "patch", "target", "options"];
const TARGET_FIELDS = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"];

/** Only the fields of Argo CD's typed `KustomizePatch` (others are dropped when the Application is read). */
function only(n: ONode, fields: readonly string[]): ONode {
  if (!isOMap(n)) return n;
  const entries = new Map<string, OEntry>();
  for (const [key, e] of n.entries) if (fields.includes(key) && !isNull(e.value)) entries.set(key, key === "target" ? { key: e.key, value: only(e.value, TARGET_FIELDS) } : e);
  return omap(entries, n.src);
}

function appendPatches(k: OMap, block: OMap): OMap {
  const list = get(block, "patches");
  if (!isOSeq(list) || list.items.length === 0) return k;
  const old = get(k, "patches");
  if (old !== undefined && !isNull(old) && !isOSeq(old)) throw new BuildFailure(`Argo CD kustomize.patches: the kustomization's 'patches' is not a list`);
  return setField(k, "patches", oseq([...seqItems(old), ...list.items.map((p) => only(p, PATCH_FIELDS))], old?.src ?? list.src), keyOf(block, "patches"));
}

// ---- components: `kustomize edit add component` ----

function addComponents(k: OMap, block: OMap, ctx: EditContext): OMap {
  const list = get(block, "components");
  if (!isOSeq(list) || list.items.length === 0) return k;
  const ignoreMissing = flag(block, "ignoreMissingComponents");
  const items = [...seqItems(get(k, "components"))];
  const have = new Set(items.map((c) => str(c)));
  list.items.forEach((item, i) => {
    const path = text(item, `components[${i}]`) ?? "";
    if (ignoreMissing) {
      const dir = joinPath(ctx.dir, path);
      if (dir === null || !ctx.isDirectory(dir)) return;
    }
    if (have.has(path)) return;
    have.add(path);
    items.push(oscalar(path, item.src));
  });
  return setField(k, "components", oseq(items, get(k, "components")?.src ?? list.src), keyOf(block, "components"));
}
