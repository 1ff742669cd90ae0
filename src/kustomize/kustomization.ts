/**
 * Reading a kustomization file strictly, the way kustomize unmarshals it (unknown fields and wrongly typed values
 * are errors), keeping where each value was written. Deprecated spellings are folded in as kustomize's
 * `FixKustomization` does (`bases` → resources, `imageTags` → images, `env` → envs, commonLabels → a `labels`
 * entry with selectors).
 */
import { BuildFailure } from "./failure.js";
import { isOMap, isOScalar, isOSeq, type OMap, type ONode } from "./onode.js";
import { readReplacementEntries, type ReplacementEntry } from "./replacement-spec.js";
import type { Selector } from "./selector.js";
import type { Src } from "./source.js";
import { readVars, type VarSpec } from "./vars.js";

export interface StrItem {
  value: string;
  at: Src | null;
}

export interface KV {
  key: string;
  value: string;
  keyAt: Src | null;
  valueAt: Src | null;
}

export interface PatchSpec {
  path: StrItem | null;
  patch: StrItem | null;
  /** The node of an inline `patch:` (to map its embedded text back to this file). */
  patchNode: ONode | null;
  target: Selector | null;
  options: Record<string, boolean>;
  at: Src | null;
}

export interface LabelSpec {
  pairs: KV[];
  includeSelectors: boolean;
  includeTemplates: boolean;
  fields: FieldSpecArg[];
  at: Src | null;
  /** The folded `commonLabels:` (its own transformer in kustomize, which ignores a configuration's `labels` specs). */
  common?: true;
}

export interface FieldSpecArg {
  group: string;
  version: string;
  kind: string;
  path: string;
  create: boolean;
}

export interface ImageSpec {
  name: string;
  newName: StrItem | null;
  newTag: StrItem | null;
  digest: StrItem | null;
  tagSuffix: StrItem | null;
  at: Src | null;
}

export interface ReplicaSpec {
  name: string;
  count: number;
  countAt: Src | null;
  at: Src | null;
}

export interface GeneratorOptionsSpec {
  labels: KV[] | null;
  annotations: KV[] | null;
  disableNameSuffixHash: boolean;
  immutable: boolean;
}

export interface GeneratorSpec {
  kind: "ConfigMap" | "Secret";
  name: StrItem;
  namespace: StrItem | null;
  behavior: "create" | "merge" | "replace";
  literals: StrItem[];
  files: StrItem[];
  envs: StrItem[];
  type: StrItem | null;
  options: GeneratorOptionsSpec | null;
  at: Src | null;
}

export interface SortSpec {
  order: "legacy" | "fifo";
  orderFirst: string[] | null;
  orderLast: string[] | null;
}

export interface Kustomization {
  file: string;
  dir: string;
  kind: "Kustomization" | "Component";
  node: OMap;
  resources: StrItem[];
  components: StrItem[];
  patches: PatchSpec[];
  patchesStrategicMerge: StrItem[];
  patchesJson6902: PatchSpec[];
  namespace: StrItem | null;
  namePrefix: StrItem | null;
  nameSuffix: StrItem | null;
  labels: LabelSpec[];
  commonAnnotations: KV[];
  images: ImageSpec[];
  replacements: ReplacementEntry[];
  replicas: ReplicaSpec[];
  configMapGenerator: GeneratorSpec[];
  secretGenerator: GeneratorSpec[];
  generatorOptions: GeneratorOptionsSpec | null;
  sortOptions: SortSpec | null;
  vars: VarSpec[];
  /** Files of custom transformer field specs (read by the build, see configurations.ts). */
  configurations: StrItem[];
  /** `openapi:` (kustomize's map[string]string): a schema file (`path`) or a built-in schema `version`. */
  openapi: OpenApiSpec | null;
  /** Files of CRD OpenAPI definitions whose extensions add field specs (see crds.ts). */
  crds: StrItem[];
  /** `buildMetadata:` options (kustomize uses the root's only). */
  buildMetadata: string[];
  /**
   * The `generators:` and `transformers:` entries (each Kustomize's own configuration or a plugin's: the builder
   * tells them apart, see builtin-configs.ts), and, in a lenient read, the `validators:` left out.
   */
  pluginLists: PluginList[];
  /** Read leniently (`readKustomization`'s `skipPlugins`). */
  lenientPlugins: boolean;
  /**
   * In a lenient read (`readKustomization`'s `skipHelmCharts`), the charts of `helmCharts:` and
   * `helmChartInflationGenerator:` (by name), which the builder leaves out; empty otherwise.
   */
  helmChartsLeftOut: string[];
  /** Read leniently (`readKustomization`'s `skipHelmCharts`). */
  lenientHelm: boolean;
}

export interface OpenApiSpec {
  path: StrItem | null;
  version: StrItem | null;
}

/** Fields kustomize knows but this build does not do: the kustomization falls back to file-by-file review. */
export const UNSUPPORTED: Record<string, string> = {
  helmCharts: "helmCharts",
  helmChartInflationGenerator: "helmChartInflationGenerator",
  generators: "generators (plugins)",
  transformers: "transformers (plugins)",
  validators: "validators (plugins)",
};

const KNOWN = new Set([
  // Settings for helmCharts only (refused when there are charts); alone they change nothing, as in kustomize.
  "helmGlobals",
  "apiVersion",
  "kind",
  "metadata",
  "resources",
  "bases",
  "components",
  "patches",
  "patchesStrategicMerge",
  "patchesJson6902",
  "namespace",
  "namePrefix",
  "nameSuffix",
  "commonLabels",
  "labels",
  "commonAnnotations",
  "images",
  "imageTags",
  "replacements",
  "replicas",
  "configMapGenerator",
  "secretGenerator",
  "generatorOptions",
  "sortOptions",
  "vars",
  "configurations",
  "openapi",
  "crds",
  "buildMetadata",
  ...Object.keys(UNSUPPORTED),
]);

class Reader {
  constructor(private readonly file: string) {}

  /** `at`: the value that is not what the field takes, where the finding of a broken build is reported. */
  fail(field: string, expected: string, at: Src | null = null): never {
    throw new BuildFailure(`invalid Kustomization ${this.file}: ${field}: expected ${expected}`, at);
  }

  str(n: ONode | undefined, field: string): StrItem | null {
    if (n === undefined || (n.t === "s" && n.v === null)) return null;
    if (!isOScalar(n) || typeof n.v !== "string") this.fail(field, "a string", n.src);
    return { value: n.v, at: n.src };
  }

  bool(n: ONode | undefined, field: string): boolean {
    if (n === undefined || (n.t === "s" && n.v === null)) return false;
    if (!isOScalar(n) || typeof n.v !== "boolean") this.fail(field, "true or false", n.src);
    return n.v;
  }

  int(n: ONode | undefined, field: string): number {
    if (!isOScalar(n) || typeof n.v !== "number" || !Number.isInteger(n.v)) this.fail(field, "an integer", n?.src ?? null);
    return n.v;
  }

  list(n: ONode | undefined, field: string): ONode[] {
    if (n === undefined || (n.t === "s" && n.v === null)) return [];
    if (!isOSeq(n)) this.fail(field, "a list", n.src);
    return [...n.items];
  }

  strList(n: ONode | undefined, field: string): StrItem[] {
    return this.list(n, field).map((x, i) => {
      const s = this.str(x, `${field}[${i}]`);
      if (s === null) this.fail(`${field}[${i}]`, "a string");
      return s;
    });
  }

  map(n: ONode | undefined, field: string, allowed?: readonly string[]): OMap | null {
    if (n === undefined || (n.t === "s" && n.v === null)) return null;
    if (!isOMap(n)) this.fail(field, "a map", n.src);
    if (allowed) {
      for (const [k, e] of n.entries) {
        if (!allowed.includes(k)) throw new BuildFailure(`invalid Kustomization ${this.file}: unknown field "${field}.${k}"`, e.key);
      }
    }
    return n;
  }

  kvs(n: ONode | undefined, field: string): KV[] | null {
    const m = this.map(n, field);
    if (m === null) return null;
    const out: KV[] = [];
    for (const [key, e] of m.entries) {
      const v = e.value;
      if (v.t === "s" && v.v === null) {
        out.push({ key, value: "", keyAt: e.key, valueAt: e.key });
        continue;
      }
      if (!isOScalar(v) || typeof v.v !== "string") this.fail(`${field}.${key}`, "a string");
      out.push({ key, value: v.v, keyAt: e.key, valueAt: v.src });
    }
    return out;
  }
}

/** String fields of kustomize's Kustomization type: an empty string there is Go's zero value. */
const STRING_FIELDS = new Set(["namespace", "namePrefix", "nameSuffix"]);

/** Deprecated lists kustomize's FixKustomization appends to their successors (and then clears) before the empty check. */
const FOLDED = new Set(["bases", "imageTags", "helmChartInflationGenerator"]);

/**
 * Whether kustomize refuses the kustomization as empty ("kustomization.yaml is empty", checked before kind and
 * apiVersion are validated): apiVersion and kind aside, every field holds Go's zero value once decoded and fixed up —
 * absent or null, an empty string in a string field, or an empty deprecated list (`bases: []` folds into a null
 * `resources` and leaves it null). An empty list or map anywhere else (`resources: []`, `metadata: {}`) is not zero,
 * so such a kustomization builds (to nothing).
 */
export function isEmptyKustomization(node: OMap): boolean {
  for (const [key, { value }] of node.entries) {
    const scalar = isOScalar(value) ? value.v : undefined;
    if (key === "apiVersion" || key === "kind") {
      if (scalar === null || typeof scalar === "string") continue;
      return false;
    }
    if (scalar === null) continue;
    if (scalar === "" && STRING_FIELDS.has(key)) continue;
    // Its successor, when present and not null, is itself a field that is not zero.
    if (FOLDED.has(key) && isOSeq(value) && value.items.length === 0) continue;
    return false;
  }
  return true;
}

/**
 * Kustomizations already read, by their node (nodes are immutable): a root's kustomization is read by its build and
 * again by the session's shared build of its directory. Shared: read only.
 */
const readBefore = new WeakMap<ONode, Kustomization>();

/** A plugin list (`generators:`, `transformers:`, `validators:`) and its entries. */
export interface PluginList {
  key: PluginKey;
  items: ONode[];
}

type PluginKey = "generators" | "transformers" | "validators";
const PLUGIN_KEYS: ReadonlySet<string> = new Set<PluginKey>(["generators", "transformers", "validators"]);

/**
 * The kustomization `node` (of `file`, in `dir`) holds; throws a BuildFailure for an invalid one. `generators:` and
 * `transformers:` entries are listed in `pluginLists` for the builder; `validators:` (always plugins) are refused, or
 * with `skipPlugins` (the review's lenient build) listed too, to be left out. `helmCharts:` (and the deprecated
 * `helmChartInflationGenerator:`) are refused, as by Kustomize without `--enable-helm`, or with `skipHelmCharts` (the
 * review's lenient build) listed by chart name in `helmChartsLeftOut`, to be left out.
 */
export function readKustomization(node: ONode, file: string, dir: string, skipPlugins = false, skipHelmCharts = false): Kustomization {
  const hit = readBefore.get(node);
  if (hit !== undefined && hit.file === file && hit.dir === dir && hit.lenientPlugins === skipPlugins && hit.lenientHelm === skipHelmCharts) return hit;
  const k = readNewKustomization(node, file, dir, skipPlugins, skipHelmCharts);
  readBefore.set(node, k);
  return k;
}

/** Whether the map `node` has a non-empty `key` (null, `[]` and `{}` count as empty, as in kustomize). */
function hasEntries(node: ONode, key: string): boolean {
  if (!isOMap(node)) return false;
  const v = node.entries.get(key)?.value;
  if (v === undefined || (v.t === "s" && v.v === null)) return false;
  return !((isOSeq(v) && v.items.length === 0) || (isOMap(v) && v.entries.size === 0));
}

/** The `helmCharts:` keys and the field that names a chart in each of their entries. */
const HELM_KEYS: ReadonlyMap<string, string> = new Map([
  ["helmCharts", "name"],
  ["helmChartInflationGenerator", "chartName"],
]);

/** The names of the charts a `helmCharts:` (or `helmChartInflationGenerator:`) list holds, "unnamed" for one without. */
function helmChartNames(r: Reader, list: ONode | undefined, key: string): string[] {
  const nameField = HELM_KEYS.get(key) ?? "name";
  return r.list(list, key).map((x, i) => r.str(r.map(x, `${key}[${i}]`)?.entries.get(nameField)?.value, `${key}[${i}].${nameField}`)?.value || "unnamed");
}

function readNewKustomization(node: ONode, file: string, dir: string, skipPlugins: boolean, skipHelmCharts: boolean): Kustomization {
  const r = new Reader(file);
  if (!isOMap(node)) throw new BuildFailure(`invalid Kustomization ${file}: expected a map`);
  for (const key of node.entries.keys()) {
    if (!KNOWN.has(key)) throw new BuildFailure(`invalid Kustomization ${file}: unknown field "${key}"`);
  }
  if (isEmptyKustomization(node)) throw new BuildFailure(`${file} is empty`);
  const pluginLists: PluginList[] = [];
  const helmChartsLeftOut: string[] = [];
  for (const [key, what] of Object.entries(UNSUPPORTED)) {
    if (!hasEntries(node, key)) continue;
    if (HELM_KEYS.has(key) && skipHelmCharts) {
      helmChartsLeftOut.push(...helmChartNames(r, node.entries.get(key)!.value, key));
      continue;
    }
    // A plugin list is a list of strings (paths, or inline configs as text) in Go's Kustomization: anything else is
    // an invalid kustomization there, not a plugin a lenient build may leave out.
    if (PLUGIN_KEYS.has(key)) r.strList(node.entries.get(key)!.value, key);
    if (PLUGIN_KEYS.has(key) && (key !== "validators" || skipPlugins)) {
      const v = node.entries.get(key)!.value;
      pluginLists.push({ key: key as PluginKey, items: isOSeq(v) ? [...v.items] : [v] });
      continue;
    }
    throw new BuildFailure(`${file}: ${what} is not supported by the in-process render`);
  }
  const f = (k: string) => node.entries.get(k)?.value;
  const kind = r.str(f("kind"), "kind")?.value ?? "Kustomization";
  if (kind !== "Kustomization" && kind !== "Component") throw new BuildFailure(`invalid Kustomization ${file}: kind should be Kustomization or Component`);
  const apiVersion = r.str(f("apiVersion"), "apiVersion")?.value;
  const wanted = kind === "Component" ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
  if (apiVersion !== undefined && apiVersion !== wanted) throw new BuildFailure(`invalid Kustomization ${file}: apiVersion for ${kind} should be ${wanted}`);
  r.map(f("metadata"), "metadata");

  const labels = r.list(f("labels"), "labels").map((x, i) => readLabel(r, x, `labels[${i}]`));
  const common = r.kvs(f("commonLabels"), "commonLabels");
  if (common && common.length) {
    // After every `labels` entry (kustomize's LabelTransformer runs them first): a key both set takes commonLabels'
    // value wherever commonLabels writes (kustomize only refuses the pair in `kustomize edit fix`).
    labels.push({ pairs: common, includeSelectors: true, includeTemplates: false, fields: [], at: node.entries.get("commonLabels")?.key ?? null, common: true });
  }

  const images = [...r.list(f("images"), "images"), ...r.list(f("imageTags"), "imageTags")].map((x, i) => readImage(r, x, `images[${i}]`));
  const generatorOptions = readGeneratorOptions(r, f("generatorOptions"), "generatorOptions");
  const sort = r.map(f("sortOptions"), "sortOptions", ["order", "legacySortOptions"]);
  let sortOptions: SortSpec | null = null;
  if (sort) {
    const orderText = r.str(sort.entries.get("order")?.value, "sortOptions.order")?.value ?? "";
    if (orderText !== "legacy" && orderText !== "fifo") throw new BuildFailure(`invalid Kustomization ${file}: sortOptions.order: expected legacy or fifo`);
    const order: "legacy" | "fifo" = orderText;
    const legacy = r.map(sort.entries.get("legacySortOptions")?.value, "sortOptions.legacySortOptions", ["orderFirst", "orderLast"]);
    if (legacy && order !== "legacy") throw new BuildFailure(`${file}: legacySortOptions is only valid with order: legacy`);
    const first = legacy?.entries.get("orderFirst")?.value;
    const last = legacy?.entries.get("orderLast")?.value;
    sortOptions = {
      order,
      orderFirst: first === undefined ? null : r.strList(first, "orderFirst").map((s) => s.value),
      orderLast: last === undefined ? null : r.strList(last, "orderLast").map((s) => s.value),
    };
  }

  return {
    file,
    dir,
    kind,
    node,
    pluginLists,
    lenientPlugins: skipPlugins,
    lenientHelm: skipHelmCharts,
    helmChartsLeftOut,
    resources: [...r.strList(f("resources"), "resources"), ...r.strList(f("bases"), "bases")],
    components: r.strList(f("components"), "components"),
    patches: r.list(f("patches"), "patches").map((x, i) => readPatch(r, x, `patches[${i}]`, false)),
    patchesStrategicMerge: r.strList(f("patchesStrategicMerge"), "patchesStrategicMerge"),
    patchesJson6902: r.list(f("patchesJson6902"), "patchesJson6902").map((x, i) => readPatch(r, x, `patchesJson6902[${i}]`, true)),
    namespace: r.str(f("namespace"), "namespace"),
    namePrefix: r.str(f("namePrefix"), "namePrefix"),
    nameSuffix: r.str(f("nameSuffix"), "nameSuffix"),
    labels,
    commonAnnotations: r.kvs(f("commonAnnotations"), "commonAnnotations") ?? [],
    images,
    replacements: readReplacementEntries(f("replacements"), file),
    replicas: r.list(f("replicas"), "replicas").map((x, i) => {
      const m = r.map(x, `replicas[${i}]`, ["name", "count"])!;
      const countNode = m.entries.get("count")?.value;
      return {
        name: r.str(m.entries.get("name")?.value, `replicas[${i}].name`)?.value ?? "",
        count: countNode === undefined ? 0 : r.int(countNode, `replicas[${i}].count`),
        countAt: countNode?.src ?? null,
        at: m.src,
      };
    }),
    configMapGenerator: r.list(f("configMapGenerator"), "configMapGenerator").map((x, i) => readGenerator(r, x, `configMapGenerator[${i}]`, "ConfigMap")),
    secretGenerator: r.list(f("secretGenerator"), "secretGenerator").map((x, i) => readGenerator(r, x, `secretGenerator[${i}]`, "Secret")),
    generatorOptions,
    sortOptions,
    vars: readVars(f("vars"), file),
    configurations: r.strList(f("configurations"), "configurations"),
    openapi: readOpenApi(r, f("openapi")),
    crds: r.strList(f("crds"), "crds"),
    buildMetadata: r.strList(f("buildMetadata"), "buildMetadata").map((s) => s.value),
  };
}

function readOpenApi(r: Reader, n: ONode | undefined): OpenApiSpec | null {
  const m = r.map(n, "openapi");
  if (m === null) return null;
  for (const [k, e] of m.entries) r.str(e.value, `openapi.${k}`);
  const has = (k: string) => m.entries.has(k);
  // A key present with an empty or null value is still there for kustomize (it then loads the path "").
  const item = (k: string): StrItem | null => (has(k) ? (r.str(m.entries.get(k)!.value, `openapi.${k}`) ?? { value: "", at: m.entries.get(k)!.key }) : null);
  return { path: item("path"), version: item("version") };
}

const SELECTOR_FIELDS = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"] as const;

function readSelector(r: Reader, n: ONode | undefined, field: string): Selector | null {
  const m = r.map(n, field, SELECTOR_FIELDS);
  if (m === null) return null;
  const s: Selector = {};
  for (const k of SELECTOR_FIELDS) {
    const v = r.str(m.entries.get(k)?.value, `${field}.${k}`);
    if (v !== null && v.value !== "") s[k] = v.value;
  }
  return s;
}

function readPatch(r: Reader, n: ONode, field: string, json6902: boolean): PatchSpec {
  const m = r.map(n, field, ["path", "patch", "target", "options"]);
  if (m === null) r.fail(field, "a map");
  const optionsMap = r.map(m.entries.get("options")?.value, `${field}.options`);
  const options: Record<string, boolean> = {};
  for (const [k, e] of optionsMap?.entries ?? []) options[k] = r.bool(e.value, `${field}.options.${k}`);
  const patchNode = m.entries.get("patch")?.value ?? null;
  const spec: PatchSpec = {
    path: r.str(m.entries.get("path")?.value, `${field}.path`),
    patch: r.str(patchNode ?? undefined, `${field}.patch`),
    patchNode,
    target: readSelector(r, m.entries.get("target")?.value, `${field}.target`),
    options,
    at: m.src,
  };
  if (json6902 && spec.target === null) r.fail(`${field}.target`, "a target");
  return spec;
}

function readLabel(r: Reader, n: ONode, field: string): LabelSpec {
  const m = r.map(n, field, ["pairs", "includeSelectors", "includeTemplates", "fields"]);
  if (m === null) r.fail(field, "a map");
  return {
    pairs: r.kvs(m.entries.get("pairs")?.value, `${field}.pairs`) ?? [],
    includeSelectors: r.bool(m.entries.get("includeSelectors")?.value, `${field}.includeSelectors`),
    includeTemplates: r.bool(m.entries.get("includeTemplates")?.value, `${field}.includeTemplates`),
    fields: r.list(m.entries.get("fields")?.value, `${field}.fields`).map((x, i) => {
      const fm = r.map(x, `${field}.fields[${i}]`, ["group", "version", "kind", "path", "create"])!;
      const s = (k: string) => r.str(fm.entries.get(k)?.value, `${field}.fields[${i}].${k}`)?.value ?? "";
      return { group: s("group"), version: s("version"), kind: s("kind"), path: s("path"), create: r.bool(fm.entries.get("create")?.value, "create") };
    }),
    at: m.src,
  };
}

function readImage(r: Reader, n: ONode, field: string): ImageSpec {
  const m = r.map(n, field, ["name", "newName", "newTag", "digest", "tagSuffix"]);
  if (m === null) r.fail(field, "a map");
  const s = (k: string) => r.str(m.entries.get(k)?.value, `${field}.${k}`);
  return { name: s("name")?.value ?? "", newName: s("newName"), newTag: s("newTag"), digest: s("digest"), tagSuffix: s("tagSuffix"), at: m.src };
}

function readGeneratorOptions(r: Reader, n: ONode | undefined, field: string): GeneratorOptionsSpec | null {
  const m = r.map(n, field, ["labels", "annotations", "disableNameSuffixHash", "immutable"]);
  if (m === null) return null;
  return {
    labels: r.kvs(m.entries.get("labels")?.value, `${field}.labels`),
    annotations: r.kvs(m.entries.get("annotations")?.value, `${field}.annotations`),
    disableNameSuffixHash: r.bool(m.entries.get("disableNameSuffixHash")?.value, `${field}.disableNameSuffixHash`),
    immutable: r.bool(m.entries.get("immutable")?.value, `${field}.immutable`),
  };
}

const GENERATOR_FIELDS = ["name", "namespace", "behavior", "literals", "files", "envs", "env", "options"];

function readGenerator(r: Reader, n: ONode, field: string, kind: "ConfigMap" | "Secret"): GeneratorSpec {
  const m = r.map(n, field, kind === "Secret" ? [...GENERATOR_FIELDS, "type"] : GENERATOR_FIELDS);
  if (m === null) r.fail(field, "a map");
  const g = (k: string) => m.entries.get(k)?.value;
  const behavior = r.str(g("behavior"), `${field}.behavior`)?.value || "create";
  if (behavior !== "create" && behavior !== "merge" && behavior !== "replace") r.fail(`${field}.behavior`, "create, merge or replace");
  const env = r.str(g("env"), `${field}.env`);
  const name = r.str(g("name"), `${field}.name`) ?? { value: "", at: m.src };
  return {
    kind,
    name,
    namespace: r.str(g("namespace"), `${field}.namespace`),
    behavior,
    literals: r.strList(g("literals"), `${field}.literals`),
    files: r.strList(g("files"), `${field}.files`),
    envs: [...r.strList(g("envs"), `${field}.envs`), ...(env && env.value !== "" ? [env] : [])],
    type: kind === "Secret" ? r.str(g("type"), `${field}.type`) : null,
    options: readGeneratorOptions(r, g("options"), `${field}.options`),
    at: m.src,
  };
}
