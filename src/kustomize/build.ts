/**
 * The build: kustomize's KustTarget (accumulate resources → generators → components → transformers, then at the
 * top: hash suffixes, name references, sort) over a `Session`. Pure: all reads go through the session's tree.
 */
import type { KustomizationEdit } from "./argocd-overrides.js";
import { BuildFailure } from "./failure.js";
import { generate, generatorInputs, type FileLoader, type LoadedFile } from "./generators.js";
import { readKustomization, UNSUPPORTED, type GeneratorSpec, type PluginList, type Kustomization, type PatchSpec, type StrItem } from "./kustomization.js";
import { builtinAsKustomization, isBuiltinConfig } from "./builtin-configs.js";
import { get, isOMap, isOSeq, omap, oscalar, str, withEntry, type DuplicateKeys, type OEntry, type OMap, type ONode } from "./onode.js";
import { fixNameReferences } from "./nameref.js";
import { applyPatch, classifyPatchAsRead, patchObjects, select, stringValues } from "./patches.js";
import { isWithin, joinPath, looksRemote, relativePath } from "./paths.js";
import { toOrigin, type Src } from "./source.js";
import { curId, prevIds, storePrevId, type Res } from "./res.js";
import { compareLegacy, idKey, idString, sameId, typeOrders } from "./resid.js";
import { inlineSource, parseSource, type Session } from "./session.js";
import { encodeForHash, kustomizeHash } from "./hash.js";
import { applyAffix, applyAnnotations, applyImages, applyLabels, applyNamespace, applyReplicas } from "./transformers.js";
import { applyReplacements, loadReplacements } from "./replacements.js";
import { readConfiguration, targetConfig } from "./configurations.js";
import { EMPTY_CONFIG, mergeConfig, type TransformerConfig } from "./transformer-config.js";
import { DEFAULT_BUILD_LIMITS, type BuildLimits, type BuildOptions } from "./types.js";
import { mergeVars, resolveVars, VarSet } from "./vars.js";
import { schemaFor, type MergeSchemas } from "./merge-schema.js";
import { readOpenApiSchema } from "./openapi.js";
import { readCrdConfig } from "./crds.js";

/** The OpenAPI schema kustomize's built-in version of which `openapi: version:` may name (kyaml v0.18's only one). */
const BUILTIN_OPENAPI_VERSION = "v1.21.2";

/**
 * The merge schema of a build, as kyaml's global openapi setting has it: chosen by the root kustomization before
 * anything is merged (its `openapi:` path replaces the built-in schema for every kustomization of the build, a
 * `version:` keeps the built-in one), and then fixed (`set`: a base's or component's `openapi:` is ignored).
 */
interface SchemaChoice {
  schemas: MergeSchemas;
  /** Tells builds of a directory under different choices apart in the session's cache ("" for the built-in one, not set). */
  key: string;
  set: boolean;
}

const BUILTIN_SCHEMA: SchemaChoice = { schemas: schemaFor, key: "", set: false };
const BUILTIN_SCHEMA_SET: SchemaChoice = { schemas: schemaFor, key: "openapi-version", set: true };

/** What a lenient build (`skipPlugins`) says of each plugin list it leaves out, given "one plugin"/"N plugins". */
const PLUGIN_LEFT_OUT: Record<PluginList["key"], (n: string) => string> = {
  generators: (n) => `its generators (${n}, e.g. ksops decrypting SOPS files) were left out: what they generate is not judged`,
  transformers: (n) => `its transformers (${n}) were left out: the objects are judged as built without them`,
  validators: (n) => `its validators (${n}) were not run (a validator changes nothing)`,
};

/** A built (not yet finalised) directory: its resources and every kustomization root it visited. */
interface DirBuild {
  resources: readonly Res[];
  files: ReadonlySet<string>;
  roots: ReadonlySet<string>;
  notes: readonly string[];
  kind: "Kustomization" | "Component";
  vars: VarSet;
  config: TransformerConfig;
  /** What a lenient build left out of it that a patch may aim at (see `Builder.leftOut`), or null. */
  leftOut: string | null;
  /** Whether it left out more than Helm charts (see `Builder.leftOutOnlyHelmCharts`). */
  leftOutBeyondCharts: boolean;
}

export class Builder {
  readonly files = new Set<string>();
  readonly notes: string[] = [];
  /** The `vars:` of this directory's build so far (its own, its resources' and its components'). */
  private readonly vars = new VarSet();
  /** The accumulator's transformer config: the defaults, with the `configurations:` of this build so far merged in. */
  private config: TransformerConfig = EMPTY_CONFIG;
  private bytes = 0;
  private readonly limits: BuildLimits;
  private readonly restrict: boolean;
  private readonly skipMissingInputs: boolean;
  private readonly skipPlugins: boolean;
  private readonly skipRemote: boolean;
  private readonly skipHelm: boolean;
  private readonly skipMissingResources: boolean;
  /**
   * What this build (or a directory it uses) left out whose objects the root would apply, or null: a remote resource
   * or component (see `withoutRemote`), a resource file not in the repository (see `withoutMissingFiles`), a Helm
   * chart (see `leaveOutHelmCharts`).
   */
  private leftOutObjects: string | null = null;
  /** Whether what it left out holds more than Helm charts: a remote resource or component, a missing resource file. */
  private leftOutBeyondCharts = false;
  /** Whether this lenient build left out objects the root applies (a remote resource, a missing resource file). */
  get leftOut(): boolean {
    return this.leftOutObjects !== null;
  }
  /**
   * Whether all it left out is Helm charts: a chart only adds objects (a patch aimed at one fails the build), so the
   * objects the repository's files define are rendered whole.
   */
  get leftOutOnlyHelmCharts(): boolean {
    return this.leftOut && !this.leftOutBeyondCharts;
  }
  private readonly generatorsAlone: boolean;

  constructor(
    private readonly session: Session,
    options: BuildOptions,
    private readonly dirCache: Map<string, DirBuild | BuildFailure>,
    private schema: SchemaChoice = BUILTIN_SCHEMA,
    /** With the root's buildMetadata: [originAnnotations], the root's directory (origins are relative to it). */
    private originRoot: string | null = null,
  ) {
    this.limits = { ...DEFAULT_BUILD_LIMITS, ...options.limits };
    this.restrict = (options.loadRestrictions ?? "rootOnly") === "rootOnly";
    this.skipMissingInputs = options.skipMissingGeneratorInputs === true;
    this.skipPlugins = options.skipPlugins === true;
    this.skipRemote = options.skipRemoteResources === true;
    this.skipHelm = options.skipHelmCharts === true;
    this.skipMissingResources = options.skipMissingResourceFiles === true;
    this.generatorsAlone = options.generatorsAlone === true;
  }

  /**
   * Builds the kustomization in `dir` to kustomize's final output; with `edit`, of the kustomization as changed
   * first (Argo CD's overrides, see argocd-overrides.ts), built apart from the session's shared build of `dir`.
   */
  buildRoot(dir: string, edit?: KustomizationEdit): Res[] {
    const rootK = this.kustomization(dir, edit);
    this.schema = this.rootSchema(rootK);
    // Only the root's buildMetadata counts: kustomize gives every base and component the root's.
    for (const option of ["managedByLabel", "transformerAnnotations"]) {
      if (rootK.buildMetadata.includes(option)) throw new BuildFailure(`${rootK.file}: buildMetadata: ${option} is not supported by the in-process render`);
    }
    this.originRoot = rootK.buildMetadata.includes("originAnnotations") ? dir : null;
    // With an edit, the root builder accumulates the edited kustomization itself, so its vars are this builder's.
    const sub = edit ? { resources: this.accumulateTarget(rootK, [], [dir], new Set([dir])), vars: this.vars, config: this.config } : this.buildDir(dir, []);
    let list = [...sub.resources];
    list = list.map((r) => {
      if (!r.needsHash && !asksForHash(r)) return r;
      const kind = curId(r).kind;
      if (!r.needsHash && kind !== "ConfigMap" && kind !== "Secret") {
        // kustomize hashes such an object with its own build annotations inside: not reproduced.
        throw new BuildFailure(`${idString(curId(r))}: the internal.config.kubernetes.io/needsHashSuffix annotation on a ${kind} is not supported`);
      }
      const h = kustomizeHash(encodeForHash(r.node, kind));
      const res = storePrevId(r);
      const meta = get(res.node, "metadata") as OMap;
      const name = meta.entries.get("name")!;
      const renamed = { ...name.value, v: `${(name.value as { v: unknown }).v}-${h}` } as ONode;
      return { ...res, node: withEntry(res.node, "metadata", withEntry(meta, "name", renamed, name.key), res.node.entries.get("metadata")?.key) };
    });
    list = resolveVars(fixNameReferences(list, sub.config.nameReference), sub.vars, this.notes, sub.config.varReference).map((r) => normalizeAnnotations(r, this.originRoot !== null));
    if (this.originRoot !== null) {
      for (const r of list) {
        // kustomize then records the transformer that left the object without one: not reproduced.
        if (str(get(get(r.node, "metadata"), "annotations"), ORIGIN_ANNOTATION) === undefined) {
          throw new BuildFailure(`${idString(curId(r))}: buildMetadata: originAnnotations: a transformer removed the object's origin annotation; not supported by the in-process render`);
        }
      }
    }
    // kustomize's IgnoreLocal, last: an object marked local-config (e.g. the values a replacement reads) is not output.
    list = list.filter((r) => !isLocalConfig(r));
    const sort = rootK.sortOptions;
    if (sort?.order === "fifo") return list;
    const orders = sort?.orderFirst || sort?.orderLast ? typeOrders(sort.orderFirst ?? [], sort.orderLast ?? []) : undefined;
    return list
      .map((r) => ({ r, id: curId(r) }))
      .sort((a, b) => compareLegacy(a.id, b.id, orders))
      .map((x) => x.r);
  }

  /** kustomize's `openapi.SetSchema(root's openapi, …, reset)` before the build: the schema every merge uses. */
  private rootSchema(k: Kustomization): SchemaChoice {
    const o = k.openapi;
    if (o === null) return BUILTIN_SCHEMA;
    if (o.path !== null) {
      if (o.version !== null) throw new BuildFailure(`${k.file}: openapi: builtin version and custom schema provided, cannot use both`);
      const file = this.read(k, o.path.value, "openapi schema");
      const entry = this.session.file(file.path)!;
      const text = typeof entry.content === "string" ? entry.content : null;
      const schemas = readOpenApiSchema(entry, text, () => this.session.yamlDocs(entry, "1.2"), file.path);
      return { schemas, key: `openapi:${file.path}`, set: true };
    }
    const version = o.version?.value ?? "";
    if (version === "") return BUILTIN_SCHEMA;
    if (version !== BUILTIN_OPENAPI_VERSION) throw new BuildFailure(`${k.file}: openapi: the specified OpenAPI version is not built in`);
    return BUILTIN_SCHEMA_SET;
  }

  /**
   * `openapi.SetSchema(…, reset=false)` for a base or component: kustomize loads its schema file, and ignores it once
   * the root chose. A base's schema taking effect in the middle of a build (it would then join or replace the
   * built-in one depending on what was merged before) is not reproduced: such a build is refused.
   */
  private subSchema(k: Kustomization): void {
    const o = k.openapi;
    if (o === null || (o.path === null && o.version === null)) return;
    if (o.path !== null) this.read(k, o.path.value, "openapi schema");
    if (this.schema.set) return;
    if (o.path !== null && o.version !== null) throw new BuildFailure(`${k.file}: openapi: builtin version and custom schema provided, cannot use both`);
    if (o.path !== null) {
      throw new BuildFailure(`${k.file}: openapi in a kustomization other than the one built (a base's or component's schema) is not supported by the in-process render`);
    }
    const version = o.version?.value ?? "";
    if (version === "") return;
    if (version !== BUILTIN_OPENAPI_VERSION) throw new BuildFailure(`${k.file}: openapi: the specified OpenAPI version is not built in`);
    this.schema = BUILTIN_SCHEMA_SET;
  }

  private touch(path: string, bytes: number): void {
    if (this.files.has(path)) return;
    this.files.add(path);
    this.bytes += bytes;
    if (this.files.size > this.limits.maxFiles) throw new BuildFailure(`the build reads more than ${this.limits.maxFiles} files`);
    if (this.bytes > this.limits.maxBytes) throw new BuildFailure(`the build reads more than ${this.limits.maxBytes} bytes`);
  }

  private kustomization(dir: string, edit?: KustomizationEdit): Kustomization {
    const file = this.session.kustomizationFile(dir);
    const entry = this.session.file(file);
    if (entry === null) throw new BuildFailure(`${file}: cannot be read`);
    this.touch(file, entry.bytes);
    // sigs.k8s.io/yaml reads a kustomization: a key written twice (two `commonLabels:`) is the last one.
    const docs = this.session.yamlDocs(entry, "1.1", "last");
    if (docs.length === 0) throw new BuildFailure(`${file} is empty`);
    if (docs.length > 1) throw new BuildFailure(`${file}: a kustomization file must hold one YAML document`);
    const node = edit && isOMap(docs[0]) ? edit.apply(docs[0], { dir, isDirectory: (p) => this.session.isDirectory(p) }) : docs[0]!;
    const k = readKustomization(node, file, dir, this.skipPlugins, this.skipHelm);
    this.builtinConfigs.set(k, this.pluginEntries(k, file));
    return k;
  }

  /**
   * A kustomization's `generators:`/`transformers:` entries: Kustomize's own configurations (`apiVersion: builtin`) as
   * the kustomizations that do the same (see builtin-configs.ts), run after its own generators and transformers as
   * Kustomize runs them; a plugin is refused (`… (plugins) is not supported`), or in a lenient build left out with a
   * note (its config file still counts as read). Lenient `validators:` are left out too (a validator changes nothing).
   */
  private pluginEntries(k: Kustomization, file: string): { generators: Kustomization[]; transformers: Kustomization[] } {
    const out = { generators: [] as Kustomization[], transformers: [] as Kustomization[] };
    for (const { key, items } of k.pluginLists) {
      let plugins = 0;
      for (const item of items) {
        const configs = key === "validators" ? null : this.builtinConfigsAt(k, item, key);
        if (configs === null) plugins++;
        else out[key as "generators" | "transformers"].push(...configs);
      }
      if (plugins === 0) continue;
      if (!this.skipPlugins) throw new BuildFailure(`${file}: ${UNSUPPORTED[key]} is not supported by the in-process render`);
      const note = `${file}: ${PLUGIN_LEFT_OUT[key](plugins === 1 ? "one plugin" : `${plugins} plugins`)}`;
      if (!this.notes.includes(note)) this.notes.push(note);
    }
    return out;
  }

  /**
   * The built-in configurations one `generators:`/`transformers:` entry holds, as kustomizations; null for a plugin
   * (a config of another `apiVersion`, an inline entry, a directory, a remote or missing file).
   */
  private builtinConfigsAt(k: Kustomization, item: ONode, key: string): Kustomization[] | null {
    if (item.t !== "s" || typeof item.v !== "string" || item.v.includes("\n")) return null;
    let loaded: LoadedFile;
    try {
      loaded = this.read(k, item.v, key);
    } catch {
      return null;
    }
    const docs = this.session.yamlDocs(this.session.file(loaded.path)!, "1.1");
    if (docs.length === 0 || !docs.every(isBuiltinConfig)) return null;
    return docs.map((doc) => builtinAsKustomization(doc as OMap, loaded.path, k.dir));
  }

  /** The built-in configurations of each kustomization read (see `pluginEntries`). */
  private readonly builtinConfigs = new WeakMap<Kustomization, { generators: Kustomization[]; transformers: Kustomization[] }>();

  /**
   * Reads a file named by a kustomization (`by`), with kustomize's load restrictions. A missing file's reason names
   * that kustomization (`mid/kustomization.yaml: patch "q.yaml" (mid/q.yaml) does not exist`): a broken build is
   * reported at its entry, also when it is a base's (render-stage.ts `withEntryLine`).
   */
  private read(by: NamingKustomization, rel: string, what: string): LoadedFile {
    if (looksRemote(rel)) throw new BuildFailure(`${what} "${rel}" is remote; remote files are not supported by the in-process render`);
    const path = joinPath(by.dir, rel);
    if (path === null) throw new BuildFailure(`${what} "${rel}" (from ${by.dir || "."}) is outside the repository`);
    return this.readAt(by, rel, path, what);
  }

  /** `read` of a name already known to be local, at `path` (`joinPath(by.dir, rel)`, not null). */
  private readAt(by: NamingKustomization, rel: string, path: string, what: string): LoadedFile {
    const dir = by.dir;
    if (this.restrict && !isWithin(path, dir)) {
      throw new BuildFailure(`${what} "${rel}": security; file '${path}' is not in or below '${dir || "."}' (kustomize's default load restrictions)`);
    }
    if (this.restrict) this.checkLinkedWithin(path, dir, rel, what);
    const entry = this.session.file(path);
    if (entry === null) {
      if (this.session.isDirectory(path)) throw new BuildFailure(`${what} "${rel}" is a directory, not a file`);
      throw new BuildFailure(`${by.file}: ${what} "${rel}" (${path}) does not exist`);
    }
    if (entry.bytes > this.limits.maxFileBytes) throw new BuildFailure(`${path} is larger than ${this.limits.maxFileBytes} bytes`);
    this.touch(path, entry.bytes);
    return { path, content: entry.content, source: entry.source };
  }

  /** A file that is a symbolic link (or under one) must really be in or below `dir` too, as kustomize resolves it. */
  private checkLinkedWithin(path: string, dir: string, rel: string, what: string): void {
    const real = this.session.realPath(path);
    if (real === null || real === path) return;
    const realDir = this.session.realPath(dir) ?? dir;
    if (!isWithin(real, realDir)) {
      throw new BuildFailure(
        `${what} "${rel}": security; file '${path}' is a symbolic link to '${real}', which is not in or below '${dir || "."}' (kustomize's default load restrictions)`,
      );
    }
  }

  /** Whether a local file a kustomization in `dir` names is absent from the tree (neither a file nor a directory). */
  private isMissing(dir: string, rel: string): boolean {
    if (looksRemote(rel)) return false;
    const path = joinPath(dir, rel);
    return path !== null && this.session.file(path) === null && !this.session.isDirectory(path);
  }

  private loader(k: NamingKustomization): FileLoader {
    return { read: (rel, what) => this.read(k, rel, what) };
  }

  /** AccumulateTarget of a directory used as a resource: built once per session, then shared. */
  private buildDir(dir: string, chain: readonly string[]): DirBuild {
    if (chain.length >= this.limits.maxDepth) throw new BuildFailure(`kustomizations nest deeper than ${this.limits.maxDepth} levels at ${dir}`);
    const cacheKey = [this.schema.key, this.originRoot === null ? "" : `origin:${this.originRoot}`, dir].join("\0");
    const cached = this.dirCache.get(cacheKey);
    let result: DirBuild;
    if (cached instanceof BuildFailure) throw cached;
    if (cached) result = cached;
    else {
      const inner = new Builder(this.session, { limits: this.limits, loadRestrictions: this.restrict ? "rootOnly" : "none", skipMissingGeneratorInputs: this.skipMissingInputs, skipPlugins: this.skipPlugins, skipRemoteResources: this.skipRemote, skipHelmCharts: this.skipHelm, skipMissingResourceFiles: this.skipMissingResources, generatorsAlone: this.generatorsAlone }, this.dirCache, this.schema, this.originRoot);
      try {
        const k = inner.kustomization(dir);
        inner.subSchema(k);
        const roots = new Set<string>([dir]);
        const resources = inner.accumulateTarget(k, [], [...chain, dir], roots);
        result = { resources, files: inner.files, roots, notes: inner.notes, kind: k.kind, vars: inner.vars, config: inner.config, leftOut: inner.leftOutObjects, leftOutBeyondCharts: inner.leftOutBeyondCharts };
      } catch (err) {
        const failure = err instanceof BuildFailure ? err : new BuildFailure(String(err));
        for (const f of inner.files) this.files.add(f);
        // Failures that depend on the caller's chain (cycles) are not cached.
        if (!/cycle/.test(failure.message)) this.dirCache.set(cacheKey, failure);
        throw failure;
      }
      this.dirCache.set(cacheKey, result);
    }
    if (chain.length > 0 && result.kind === "Component") {
      throw new BuildFailure(`${dir || "."}: a Component is listed as a resource (expected kind != 'Component')`);
    }
    for (const root of result.roots) {
      for (const visited of chain) {
        if (isWithin(visited, root)) throw new BuildFailure(`cycle detected: candidate root '${root || "."}' contains visited root '${visited || "."}'`);
      }
    }
    for (const f of result.files) {
      const entry = this.session.file(f);
      this.touch(f, entry?.bytes ?? 0);
    }
    for (const n of result.notes) if (!this.notes.includes(n)) this.notes.push(n);
    if (result.leftOut !== null) this.leftOutObjects ??= result.leftOut;
    if (result.leftOutBeyondCharts) this.leftOutBeyondCharts = true;
    // ResAccumulator.MergeAccumulator: a base's transformer config joins this accumulator's.
    this.config = mergeConfig(this.config, result.config);
    return result;
  }

  private accumulateTarget(k: Kustomization, ra: Res[], chain: readonly string[], roots: Set<string>): Res[] {
    let list = this.accumulateResources(k, ra, chain, roots);
    // MakeTransformerConfig + ra.MergeConfig: this kustomization's files join the config its transformers (and,
    // through the accumulator, its parents' transformers and the final name references and vars) use.
    const files = k.configurations.map((item) => this.loadConfiguration(k, item));
    // LoadConfigFromCRDs + ra.MergeConfig: the field specs of this kustomization's `crds:` files join it too.
    const crds = k.crds.map((item) => {
      const file = this.read(k, item.value, "crds file");
      return readCrdConfig(this.session.yamlDocs(this.session.file(file.path)!, "1.1"), file.path);
    });
    try {
      this.config = mergeConfig(this.config, targetConfig(files));
      for (const c of crds) this.config = mergeConfig(this.config, c);
    } catch (err) {
      throw err instanceof BuildFailure ? new BuildFailure(`${k.file}: ${err.message}`) : err;
    }
    const builtins = this.builtinConfigs.get(k);
    list = this.runGenerators(k, list);
    // Kustomize inflates helmCharts after the ConfigMap and Secret generators, before the generator plugins.
    this.leaveOutHelmCharts(k);
    for (const g of builtins?.generators ?? []) list = this.runGenerators(g, list);
    list = this.accumulateComponents(k, list, chain, roots);
    list = this.runTransformers(k, list);
    for (const t of builtins?.transformers ?? []) list = this.runTransformers(t, list);
    list = mergeVars(list, k.vars, this.vars);
    if (list.length > this.limits.maxResources) throw new BuildFailure(`the build has more than ${this.limits.maxResources} resources`);
    return list;
  }

  /**
   * A patch or replacement that finds nothing to act on: a note, as in kustomize — unless a remote resource, a missing
   * resource file or a Helm chart was left out (a lenient build, see `withoutRemote`, `withoutMissingFiles`): what it aims at is then
   * likely one of its objects, so the build fails as the strict one did, and the root's files are reviewed one by one
   * (a risky patch of a remote Deployment is judged there, not lost).
   */
  private matchesNothing(note: string): void {
    if (this.leftOutObjects !== null) throw new BuildFailure(`${note} (${this.leftOutObjects} was left out)`);
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  /**
   * A lenient build's Helm charts (`skipHelmCharts`, read into `helmChartsLeftOut`): left out, with one note — what
   * they make is not judged, and a patch aimed at it fails the build (see `matchesNothing`).
   */
  private leaveOutHelmCharts(k: Kustomization): void {
    const names = k.helmChartsLeftOut;
    if (names.length === 0) return;
    this.leftOutObjects ??= `a Helm chart (helmCharts: ${names[0]})`;
    const shown = names.length > 3 ? [...names.slice(0, 3), "…"] : names;
    const counted = names.length === 1 ? "one chart" : `${names.length} charts`;
    const note =
      `${k.file}: helmCharts (${counted}: ${shown.join(", ")}) were left out (the in-process render does not inflate Helm charts; ` +
      `Argo CD does with --enable-helm): their objects are not judged`;
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  /** A lenient build's remote resources or components (`skipRemoteResources`): left out, with one note. */
  private withoutRemote(k: Kustomization, items: readonly StrItem[], what: "resource" | "component"): readonly StrItem[] {
    if (!this.skipRemote) return items;
    const remote = items.filter((item) => looksRemote(item.value));
    if (remote.length === 0) return items;
    this.leftOutObjects ??= `a remote ${what}`;
    this.leftOutBeyondCharts = true;
    const n = remote.length;
    const named = `"${remote[0]!.value}"${n > 1 ? ` and ${n - 1} more` : ""}`;
    const note = `${k.file}: ${n === 1 ? `remote ${what} ${named} was` : `${n} remote ${what}s (${named}) were`} left out (the in-process render reads no network): ${n === 1 ? "its" : "their"} objects are not judged`;
    if (!this.notes.includes(note)) this.notes.push(note);
    return items.filter((item) => !looksRemote(item.value));
  }

  /**
   * A lenient build's `resources:` files that are not in the repository (`skipMissingResourceFiles`: a local path
   * named like a YAML or JSON file, neither a file nor a directory of the tree — a gitignored `secret.yaml`): left out,
   * with a note each.
   */
  private withoutMissingFiles(k: Kustomization, items: readonly StrItem[]): readonly StrItem[] {
    if (!this.skipMissingResources) return items;
    const missing = items.filter((item) => /\.(?:ya?ml|json)$/i.test(item.value) && this.isMissing(k.dir, item.value));
    if (missing.length === 0) return items;
    this.leftOutObjects ??= "a resource file not in the repository";
    this.leftOutBeyondCharts = true;
    for (const item of missing) {
      const note =
        `${k.file}: resource "${item.value}" is not in the repository (gitignored? made by the deploy?): Argo CD cannot build ` +
        `${k.dir || "."} as committed (ComparisonError); the rest was judged as built without it (its objects are not judged)`;
      if (!this.notes.includes(note)) this.notes.push(note);
    }
    return items.filter((item) => !missing.includes(item));
  }

  private subdir(k: Kustomization, item: StrItem, what: string, chain: readonly string[]): string {
    if (looksRemote(item.value)) throw new BuildFailure(`${k.file}: remote ${what} "${item.value}" is not supported by the in-process render`);
    const path = joinPath(k.dir, item.value);
    if (path === null) throw new BuildFailure(`${k.file}: ${what} "${item.value}" is outside the repository`);
    if (!this.session.isDirectory(path)) throw new BuildFailure(`${k.file}: ${what} "${item.value}" (${path}) does not exist`);
    for (const visited of chain) {
      if (isWithin(visited, path)) throw new BuildFailure(`${k.file}: cycle detected: candidate root '${path || "."}' contains visited root '${visited || "."}'`);
    }
    return path;
  }

  private accumulateResources(k: Kustomization, ra: Res[], chain: readonly string[], roots: Set<string>): Res[] {
    if (k.resources.length === 0) return ra;
    const list = new Appended(ra);
    for (const item of this.withoutMissingFiles(k, this.withoutRemote(k, k.resources, "resource"))) {
      const path = looksRemote(item.value) ? null : joinPath(k.dir, item.value);
      if (path !== null && !this.session.isDirectory(path) && this.session.file(path) !== null) {
        // The path (and that it is not remote) is known: not worked out again for each file of a long list.
        const file = this.readAt(k, item.value, path, "resource");
        list.append(this.resourcesFromFile(file), k.file);
        continue;
      }
      const dir = this.subdir(k, item, "resource", chain);
      const sub = this.buildDir(dir, chain);
      for (const r of sub.roots) roots.add(r);
      list.append(sub.resources, k.file);
      this.vars.addAll(sub.vars);
    }
    return list.list;
  }

  private resourcesFromFile(file: LoadedFile): Res[] {
    const entry = this.session.file(file.path)!;
    const queue = [...this.session.yamlDocs(entry, "1.2")];
    const out: Res[] = [];
    while (queue.length) {
      const node = queue.shift()!;
      if (!isOMap(node)) throw new BuildFailure(`${file.path}: a resource document must be a map`);
      if (node.entries.size === 0) continue;
      const kind = str(node, "kind");
      if (!kind) throw new BuildFailure(`${file.path}: missing kind in object`);
      if (kind.endsWith("List")) {
        const items = get(node, "items");
        if (items !== undefined) {
          if (items.t === "s" && items.v === null) continue;
          if (!isOSeq(items)) throw new BuildFailure(`${file.path}: expected array in ${kind}/items`);
          queue.push(...items.items);
          continue;
        }
      } else if (!str(get(node, "metadata"), "name")) throw new BuildFailure(`${file.path}: missing metadata.name in a ${kind}`);
      out.push({ node, prevIds: [], prefixes: [], suffixes: [], needsHash: false, behavior: null, definedAt: node.src, files: [file.path] });
    }
    // kustomize annotates an object's origin as it loads it: patches, selectors and replacements see the annotation.
    const root = this.originRoot;
    return root === null ? out : out.map((r) => withOriginAnnotation(r, root));
  }

  private runGenerators(k: Kustomization, ra: Res[]): Res[] {
    let list = ra;
    const gens: GeneratorSpec[] = [...k.configMapGenerator, ...k.secretGenerator];
    for (const spec of gens) {
      const missing = this.skipMissingInputs ? generatorInputs(spec).find((rel) => this.isMissing(k.dir, rel)) : undefined;
      if (missing !== undefined) {
        this.notes.push(`${k.file}: ${spec.kind === "Secret" ? "secretGenerator" : "configMapGenerator"} "${spec.name.value}" was left out: its input "${missing}" is not in the repository (a file the deploy makes?), so what it generates is not judged`);
        continue;
      }
      const generated = generate(spec, k.generatorOptions, this.loader(k), k.file);
      const res = this.originRoot === null ? generated : withOriginAnnotation(generated, this.originRoot);
      list = absorb(list, res, k.file, this.generatorsAlone);
    }
    return list;
  }

  private accumulateComponents(k: Kustomization, ra: Res[], chain: readonly string[], roots: Set<string>): Res[] {
    let list = ra;
    for (const item of this.withoutRemote(k, k.components, "component")) {
      const dir = this.subdir(k, item, "component", chain);
      if (chain.length + 1 >= this.limits.maxDepth) throw new BuildFailure(`kustomizations nest deeper than ${this.limits.maxDepth} levels at ${dir}`);
      const ck = this.kustomization(dir);
      if (ck.kind !== "Component") throw new BuildFailure(`${ck.file}: expected kind 'Component' for a component`);
      this.subSchema(ck);
      roots.add(dir);
      list = this.accumulateTarget(ck, list, [...chain, dir], roots);
    }
    return list;
  }

  private loadPatch(k: Kustomization, spec: PatchSpec, what: string) {
    if ((spec.patch === null || spec.patch.value.trim() === "") === (spec.path === null)) {
      throw new BuildFailure(`${k.file}: ${what} must have exactly one of "patch" and "path"`);
    }
    if (spec.path) {
      const file = this.read(k, spec.path.value, "patch");
      const entry = this.session.file(file.path)!;
      const read = (duplicateKeys: DuplicateKeys) => this.session.yamlDocs(entry, "1.2", duplicateKeys);
      return classifyPatchAsRead(read, `${what} (${file.path})`, file.path);
    }
    const at = spec.patchNode?.src;
    const outer = at?.f;
    const source = outer ? inlineSource(outer, spec.patch!.value, at!.s) : null;
    if (source === null) throw new BuildFailure(`${k.file}: ${what} has no source position`);
    return classifyPatchAsRead((duplicateKeys) => parseSource(source, "1.2", duplicateKeys), `${what} (${k.file})`, k.file);
  }

  private loadConfiguration(k: Kustomization, item: StrItem): TransformerConfig {
    const file = this.read(k, item.value, "configurations file");
    return readConfiguration(this.session.yamlDocs(this.session.file(file.path)!, "1.1"), file.path);
  }

  private runTransformers(k: Kustomization, ra: Res[]): Res[] {
    let list = ra;
    const tc = this.config;
    k.patchesStrategicMerge.forEach((item, i) => {
      const what = `patchesStrategicMerge[${i}]`;
      const path = looksRemote(item.value) ? null : joinPath(k.dir, item.value);
      const isFile = path !== null && this.session.file(path) !== null;
      let docs: ONode[];
      let file: string;
      if (isFile) {
        const loaded = this.read(k, item.value, "patch");
        docs = this.session.yamlDocs(this.session.file(loaded.path)!, "1.2", "first");
        file = loaded.path;
      } else {
        const at = item.at!;
        docs = parseSource(inlineSource(at.f, item.value, at.s), "1.2", "first");
        file = k.file;
        if (!docs.every(isOMap)) throw new BuildFailure(`${k.file}:${toOrigin(at).line}: ${what}: ${notAPatch(item.value, path)}`);
      }
      if (!docs.every(isOMap)) throw new BuildFailure(`${k.file}: ${what}: a strategic merge patch must be a map`);
      const objects = patchObjects(docs as OMap[], `${k.file}: ${what}`);
      if (objects.length === 0) throw new BuildFailure(`${k.file}: ${what}: patch appears to be empty`);
      list = applyPatch(list, { kind: "smp", docs: objects, file }, null, {}, `${k.file}: ${what}`, this.schema.schemas);
    });
    k.patches.forEach((spec, i) => {
      const what = `patches[${i}]`;
      const patch = this.loadPatch(k, spec, what);
      // A patch that matches nothing, or that cannot apply, fails at its entry (a component's or a base's, shared by
      // several overlays: one place for all of them).
      atEntry(spec.at, () => {
        // One an Argo CD Application's `kustomize.patches` added (written in another file): named where it is written
        // (held-out round 25: the note blamed the kustomization, which has no patches).
        const from = spec.at && spec.at.f.path !== k.file ? toOrigin(spec.at) : null;
        const where = from ? `${from.file}:${from.line}: an Application's kustomize.patches entry for ${k.file}` : `${k.file}: ${what}`;
        if (spec.target && select(list, spec.target).length === 0) this.matchesNothing(`${where}: the target matches no resource`);
        list = applyPatch(list, patch, spec.target, spec.options, `${k.file}: ${what}`, this.schema.schemas);
      });
    });
    if (k.namespace) list = applyNamespace(list, k.namespace, tc.namespace);
    if (k.namePrefix && k.namePrefix.value !== "") list = applyAffix(list, k.namePrefix, "prefix", tc.namePrefix);
    if (k.nameSuffix && k.nameSuffix.value !== "") list = applyAffix(list, k.nameSuffix, "suffix", tc.nameSuffix);
    for (const l of k.labels) list = applyLabels(list, l, tc);
    if (k.commonAnnotations.length) list = applyAnnotations(list, k.commonAnnotations, k.node.entries.get("commonAnnotations")?.key ?? null, tc.commonAnnotations);
    k.patchesJson6902.forEach((spec, i) => {
      const what = `patchesJson6902[${i}]`;
      const patch = this.loadPatch(k, spec, what);
      if (patch.kind !== "json") throw new BuildFailure(`${k.file}: ${what}: not a JSON 6902 patch`, spec.at);
      atEntry(spec.at, () => {
        list = applyPatch(list, patch, spec.target, spec.options, `${k.file}: ${what}`, this.schema.schemas);
      });
    });
    if (k.replicas.length) list = applyReplicas(list, k.replicas, tc.replicas);
    if (k.images.length) list = applyImages(list, k.images, tc.images);
    if (k.replacements.length) {
      const load = (rel: string) => {
        const file = this.read(k, rel, "replacements file");
        return { path: file.path, docs: this.session.yamlDocs(this.session.file(file.path)!, "1.1") };
      };
      list = applyReplacements(list, loadReplacements(k.replacements, load), k.file, (note) => (/ matches no resource$/.test(note) ? this.matchesNothing(note) : this.notes.push(note)));
    }
    return list;
  }
}

/**
 * Annotations kustomize keeps for itself and removes from its output (its `BuildAnnotations`, kyaml's reader
 * annotations and their legacy names, and the origin/transformation annotations of `buildMetadata`, which only
 * kustomize writes — originAnnotations' are set at the end, see withOriginAnnotation): written in an input file, they
 * are dropped as kubectl kustomize drops them. Others under the same
 * prefixes (`internal.config.kubernetes.io/foo`, `kustomize.config.k8s.io/id`) stay.
 */
const BUILD_ANNOTATIONS: ReadonlySet<string> = new Set([
  ...["previousKinds", "previousNames", "previousNamespaces", "prefixes", "suffixes", "allowNameChange", "allowKindChange", "refBy"],
  ...["generatorBehavior", "needsHashSuffix", "path", "index", "seqindent", "id", "annotations-migration-resource-id"],
].map((name) => `internal.config.kubernetes.io/${name}`).concat([
  "config.kubernetes.io/path",
  "config.kubernetes.io/index",
  "config.k8s.io/id",
  "config.kubernetes.io/origin",
  "alpha.config.kubernetes.io/transformations",
]));

/**
 * buildMetadata: [originAnnotations]: where an object comes from, relative to the root kustomization — its file
 * (`path:`), or the kustomization whose generator made it (`configuredIn:`, `configuredBy:`), as kustomize writes it
 * when it loads or generates the object (replacing one written in the file).
 */
function withOriginAnnotation(r: Res, root: string): Res {
  const from = r.files[0];
  if (from === undefined) throw new BuildFailure(`${idString(curId(r))}: buildMetadata: no origin known for the originAnnotations`);
  const rel = relativePath(root, from);
  // kustomize writes the origin as YAML: a path YAML would quote or read as another type is left to it.
  if (!/^[A-Za-z0-9._/-]+$/.test(rel) || !/[A-Za-z]/.test(rel) || /^(?:y|n|yes|no|on|off|true|false|null)$/i.test(rel)) {
    throw new BuildFailure(`${from}: buildMetadata: an origin annotation for this path is not supported by the in-process render`);
  }
  const text = r.generatedBy ? `configuredIn: ${rel}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${r.generatedBy}\n` : `path: ${rel}\n`;
  const meta = get(r.node, "metadata");
  if (!isOMap(meta)) return r;
  const old = meta.entries.get("annotations");
  const entries = new Map(isOMap(old?.value) ? old.value.entries : []);
  entries.set(ORIGIN_ANNOTATION, { key: r.definedAt, value: oscalar(text, r.definedAt) });
  const annotations = omap(entries, isOMap(old?.value) ? old.value.src : r.definedAt);
  return { ...r, node: withEntry(r.node, "metadata", withEntry(meta, "annotations", annotations, old?.key ?? r.definedAt), r.node.entries.get("metadata")?.key) };
}

const ORIGIN_ANNOTATION = "config.kubernetes.io/origin";

/** kustomize's own "add a hash suffix" mark, honoured on any object that carries it (a generator sets it). */
function asksForHash(r: Res): boolean {
  return str(get(get(r.node, "metadata"), "annotations"), "internal.config.kubernetes.io/needsHashSuffix") === "enabled";
}

/** Where kustomize keeps an object's earlier ids: written in an input object, they make kubectl panic or rename. */
const PREVIOUS_ID_ANNOTATIONS: ReadonlySet<string> = new Set(["previousKinds", "previousNames", "previousNamespaces"].map((n) => `internal.config.kubernetes.io/${n}`));

function withoutBuildAnnotations(m: OMap, r: Res, keepOrigin: boolean): OMap {
  let kept: Map<string, OEntry> | null = null;
  for (const name of m.entries.keys()) {
    if (!BUILD_ANNOTATIONS.has(name) || (keepOrigin && name === ORIGIN_ANNOTATION)) continue;
    if (PREVIOUS_ID_ANNOTATIONS.has(name)) throw new BuildFailure(`${idString(curId(r))}: kustomize's internal annotation ${name} in an input object is not supported`);
    kept ??= new Map(m.entries);
    kept.delete(name);
  }
  return kept === null ? m : omap(kept, m.src);
}

/** The kustomization that names a file (its path and directory): a reason that the file is missing names it. */
type NamingKustomization = Pick<Kustomization, "file" | "dir">;

/** A patch file's name as people write one: it can be named in a reason (any other text might be a credential). */
const PATCH_FILE_NAME = /^[\w.\/-]{1,200}\.(?:ya?ml|json)$/;

/**
 * Why a `patchesStrategicMerge` entry is no patch. An entry that looks like a file name names the missing file
 * (kubectl: "evalsymlink failure on '…/nginx-patch.yaml': no such file or directory"); other text is not quoted.
 */
function notAPatch(value: string, path: string | null): string {
  const name = value.trim();
  if (path === null || !PATCH_FILE_NAME.test(name)) return "neither a file nor an inline patch";
  return `the patch file "${name}" (${path}) does not exist`;
}

/** kustomize rewrites annotations as map[string]string at the end: values become strings, its own go, an empty map goes. */
function normalizeAnnotations(r: Res, keepOrigin: boolean): Res {
  const meta = get(r.node, "metadata");
  if (!isOMap(meta)) return r;
  const a = meta.entries.get("annotations");
  if (a === undefined) return r;
  const value = isOMap(a.value) ? withoutBuildAnnotations(a.value, r, keepOrigin) : a.value;
  if (isOMap(value) && value.entries.size > 0) {
    const s = stringValues(value);
    if (value === a.value && [...s.entries].every(([k, e]) => e.value === value.entries.get(k)?.value)) return r;
    return { ...r, node: withEntry(r.node, "metadata", withEntry(meta, "annotations", s, a.key), r.node.entries.get("metadata")?.key) };
  }
  if (!isOMap(value) && !(value.t === "s" && value.v === null)) return r;
  const entries = new Map(meta.entries);
  entries.delete("annotations");
  return { ...r, node: withEntry(r.node, "metadata", omap(entries, meta.src), r.node.entries.get("metadata")?.key) };
}

/**
 * ResMap.AppendAll, for each entry of a `resources:` list in turn: ids must be unique. The ids already in the list are
 * collected once for the whole list, not again for every entry appended (a long list of files was quadratic).
 */
class Appended {
  readonly list: Res[];
  private readonly seen = new Set<string>();

  constructor(start: readonly Res[]) {
    this.list = [...start];
    for (const r of this.list) this.seen.add(idKey(curId(r)));
  }

  append(more: readonly Res[], file: string): void {
    for (const r of more) {
      const id = curId(r);
      const key = idKey(id);
      if (this.seen.has(key)) throw new BuildFailure(`${file}: may not add resource with an already registered id: ${idString(id)}`);
      this.seen.add(key);
      this.list.push(r);
    }
  }
}


function mergeKV(oldNode: OMap, newNode: OMap, path: readonly string[]): OMap {
  const o = path.reduce<ONode | undefined>((n, k) => get(n, k), oldNode);
  const n = path.reduce<ONode | undefined>((x, k) => get(x, k), newNode);
  if (!isOMap(o)) return newNode;
  const entries = new Map<string, OEntry>(o.entries);
  if (isOMap(n)) for (const [k, e] of n.entries) entries.set(k, e);
  const merged = omap(entries, isOMap(n) ? n.src : o.src);
  if (path.length === 1) return withEntry(newNode, path[0]!, merged, newNode.entries.get(path[0]!)?.key ?? oldNode.entries.get(path[0]!)?.key);
  const meta = (get(newNode, "metadata") as OMap | undefined) ?? omap(new Map(), null);
  return withEntry(newNode, "metadata", withEntry(meta, path[1]!, merged, meta.entries.get(path[1]!)?.key ?? (get(oldNode, "metadata") as OMap).entries.get(path[1]!)?.key), newNode.entries.get("metadata")?.key);
}

/** ResMap.AbsorbAll for a generated resource: create, or merge/replace one with the same id. */
function absorb(list: readonly Res[], res: Res, file: string, alone = false): Res[] {
  const id = curId(res);
  const hits = list.map((r, i) => ({ r, i })).filter(({ r }) => [curId(r), ...prevIds(r)].some((x) => sameId(x, id)));
  if (hits.length === 0) {
    if (res.behavior === "merge" || res.behavior === "replace") {
      if (!alone) throw new BuildFailure(`${file}: ${idString(id)} does not exist; cannot merge or replace`);
      // Standing for what it writes into an object the build does not have (a remote base's `argocd-cm`, written
      // without a hash suffix as installs write it): it keeps that object's name.
      return [...list, { ...res, needsHash: false }];
    }
    return [...list, res];
  }
  if (hits.length > 1) throw new BuildFailure(`${file}: found multiple objects that could accept merge of ${idString(id)}`);
  const { r: old, i } = hits[0]!;
  if (res.behavior !== "merge" && res.behavior !== "replace") throw new BuildFailure(`${file}: ${idString(id)} exists; behavior must be merge or replace`);
  let node = mergeKV(old.node, res.node, ["metadata", "labels"]);
  node = mergeKV(old.node, node, ["metadata", "annotations"]);
  // The object keeps the origin it was loaded or generated with (buildMetadata: [originAnnotations]).
  const origin = (get(get(old.node, "metadata"), "annotations") as OMap | undefined)?.entries.get(ORIGIN_ANNOTATION);
  if (origin !== undefined) {
    const meta = get(node, "metadata") as OMap;
    const annotations = get(meta, "annotations") as OMap;
    node = withEntry(node, "metadata", withEntry(meta, "annotations", withEntry(annotations, ORIGIN_ANNOTATION, origin.value, origin.key), meta.entries.get("annotations")?.key), node.entries.get("metadata")?.key);
  }
  if (res.behavior === "merge") {
    node = mergeKV(old.node, node, ["data"]);
    node = mergeKV(old.node, node, ["binaryData"]);
  }
  const oldMeta = get(old.node, "metadata") as OMap;
  let meta = get(node, "metadata") as OMap;
  for (const key of ["name", "namespace"]) {
    const e = oldMeta.entries.get(key);
    if (e) meta = withEntry(meta, key, e.value, e.key);
    else if (meta.entries.has(key)) {
      const m = new Map(meta.entries);
      m.delete(key);
      meta = omap(m, meta.src);
    }
  }
  node = withEntry(node, "metadata", meta, node.entries.get("metadata")?.key);
  const merged: Res = {
    ...res,
    node,
    prevIds: old.prevIds,
    prefixes: old.prefixes,
    suffixes: old.suffixes,
    // Either side's generator options turning the hash off win (kubectl kustomize: a base generated without the
    // hash stays without it when an overlay merges into it, and an overlay's disableNameSuffixHash drops the base's).
    needsHash: old.needsHash && res.needsHash,
    definedAt: old.definedAt,
    generatedBy: old.generatedBy,
    files: [...new Set([...old.files, ...res.files])],
    refVars: old.refVars,
  };
  return list.map((r, j) => (j === i ? merged : r));
}

const LOCAL_CONFIG = "config.kubernetes.io/local-config";

/** Marked `config.kubernetes.io/local-config` with any value but "false" (kustomize drops these from its output). */
function isLocalConfig(r: Res): boolean {
  const v = get(get(get(r.node, "metadata"), "annotations"), LOCAL_CONFIG);
  return v !== undefined && !(v.t === "s" && v.v === "false");
}

/** Runs `f`; a build failure it throws that does not say where it is, is at `at` (a kustomization's entry). */
function atEntry(at: Src | null, f: () => void): void {
  try {
    f();
  } catch (err) {
    if (err instanceof BuildFailure && err.at === null && at !== null) throw new BuildFailure(err.message, at);
    throw err;
  }
}
