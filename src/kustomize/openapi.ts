/**
 * A kustomization's `openapi:` schema, read the way kyaml's openapi package reads it for strategic merge: the
 * file (JSON or YAML, a Swagger document's `definitions`) replaces the built-in Kubernetes schema for the whole
 * build — a type it does not define has no merge keys at all, so its lists are replaced — and a definition is the
 * schema of the resource types its `x-kubernetes-group-version-kind` names. A list merges by key when its schema's
 * `x-kubernetes-patch-strategy` includes `merge`: by `x-kubernetes-list-map-keys` when set, else by
 * `x-kubernetes-patch-merge-key`, else by value. A `$ref` (`#/definitions/…`) stands for the definition it names
 * (its own extensions beside the `$ref` are lost, as in kyaml), a map's values follow `additionalProperties`, and
 * an array's items are read only when its `type` is `array`.
 */
import { BuildFailure } from "./failure.js";
import type { MergeSchemas, SchemaNode } from "./merge-schema.js";
import { toJS, type ONode } from "./onode.js";
import { apiVersionOf, isClusterScoped, type Gvk } from "./resid.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const parsed = new WeakMap<object, MergeSchemas>();

/**
 * The merge schemas of an openapi file, cached per `key` (the session's entry of the file). `text` is read as JSON
 * when it is JSON (fast: such files are often megabytes, and their values need no origins), else `docs()` as YAML.
 */
export function readOpenApiSchema(key: object, text: string | null, docs: () => readonly ONode[], file: string): MergeSchemas {
  const cached = parsed.get(key);
  if (cached) return cached;
  let data: unknown;
  if (text !== null && /^\s*\{/.test(text)) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (data === undefined) {
    const d = docs();
    if (d.length !== 1) throw new BuildFailure(`${file}: invalid schema file: expected one document`);
    data = toJS(d[0]!);
  }
  const schemas = build(data, file);
  parsed.set(key, schemas);
  return schemas;
}

function build(data: unknown, file: string): MergeSchemas {
  if (!isObject(data)) throw new BuildFailure(`${file}: invalid schema file: expected a map`);
  refuseScopeChanges(data.paths, file);
  const definitions = data.definitions === undefined || data.definitions === null ? {} : data.definitions;
  if (!isObject(definitions)) throw new BuildFailure(`${file}: invalid schema file: definitions must be a map`);

  const byName = new Map<string, SchemaNode | undefined>();
  const pending: [SchemaNode, Json][] = [];
  // The name a `$ref` points at; null when it is not one of this document's definitions.
  const refName = (ref: string): string | null => {
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    return m ? m[1]!.replace(/~1/g, "/").replace(/~0/g, "~") : null;
  };
  // The node of a definition, filled later (definitions may refer to each other, or to themselves).
  const definition = (name: string, seen: ReadonlySet<string> = new Set()): SchemaNode | undefined => {
    if (byName.has(name)) return byName.get(name);
    const d = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
    let node: SchemaNode | undefined;
    if (isObject(d) && typeof d.$ref === "string" && d.$ref !== "") {
      const target = refName(d.$ref);
      node = target === null || seen.has(target) ? undefined : definition(target, new Set([...seen, name]));
    } else if (isObject(d)) {
      node = {};
      pending.push([node, d]);
    }
    byName.set(name, node);
    return node;
  };
  const convert = (s: unknown): SchemaNode => {
    if (!isObject(s)) return {};
    if (typeof s.$ref === "string" && s.$ref !== "") {
      const target = refName(s.$ref);
      return (target === null ? undefined : definition(target)) ?? {};
    }
    const node: SchemaNode = {};
    fill(node, s);
    return node;
  };
  const fill = (node: SchemaNode, s: Json): void => {
    if (isObject(s.properties)) {
      const fields = Object.create(null) as Record<string, SchemaNode>;
      for (const [k, v] of Object.entries(s.properties)) fields[k] = convert(v);
      node.fields = fields;
    }
    if (isObject(s.additionalProperties)) node.additional = convert(s.additionalProperties);
    const type = s.type;
    const isArray = type === "array" || (Array.isArray(type) && type.length === 1 && type[0] === "array");
    if (isArray && isObject(s.items)) node.items = convert(s.items);
    const strategy = s["x-kubernetes-patch-strategy"];
    if (typeof strategy === "string" && strategy.split(",").includes("merge")) {
      const mapKeys = s["x-kubernetes-list-map-keys"];
      const mergeKey = s["x-kubernetes-patch-merge-key"];
      if (Array.isArray(mapKeys)) node.mergeKeys = mapKeys.map(String);
      else node.mergeKeys = typeof mergeKey === "string" ? [mergeKey] : [];
    }
  };

  const byType = new Map<string, SchemaNode>();
  for (const [name, d] of Object.entries(definitions)) {
    if (!isObject(d)) continue;
    const gvks = d["x-kubernetes-group-version-kind"];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks) {
      if (!isObject(g)) continue;
      const group = typeof g.group === "string" ? g.group : "";
      const version = typeof g.version === "string" ? g.version : "";
      const kind = typeof g.kind === "string" ? g.kind : "";
      // kyaml uses the definition as it is: one that is only a `$ref` has no fields.
      const node = typeof d.$ref === "string" && d.$ref !== "" ? {} : definition(name);
      if (node) byType.set(`${apiVersionOf({ group, version, kind })} ${kind}`, node);
    }
  }
  // Fill the definitions reached (and the ones they reach): every node is complete before the first merge.
  while (pending.length) {
    const [node, d] = pending.pop()!;
    fill(node, d);
  }
  return (g: Gvk) => byType.get(`${apiVersionOf(g)} ${g.kind}`) ?? null;
}

/**
 * kyaml also reads from a schema's paths (a `kustomize openapi fetch` of a cluster has them) which types are
 * cluster-scoped: a type with a GET path under `namespaces/{namespace}` is namespaced, one with only other GET paths
 * is not.
 * For the built-in types kyaml keeps its own table; for others the schema decides, and the namespace transformer
 * then leaves a cluster-scoped custom resource alone. The render reads scopes from the built-in table only: a schema
 * that makes some other type cluster-scoped is refused.
 */
function refuseScopeChanges(paths: unknown, file: string): void {
  if (!isObject(paths)) return;
  const namespaced = new Set<string>();
  const clusterWide = new Map<string, Gvk>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    // kyaml reads the GET operation of each path only.
    const g = isObject(item.get) ? item.get["x-kubernetes-group-version-kind"] : undefined;
    if (!isObject(g)) continue;
    const gvk = { group: typeof g.group === "string" ? g.group : "", version: typeof g.version === "string" ? g.version : "", kind: typeof g.kind === "string" ? g.kind : "" };
    const key = `${apiVersionOf(gvk)} ${gvk.kind}`;
    if (path.includes("namespaces/{namespace}")) namespaced.add(key);
    else clusterWide.set(key, gvk);
  }
  for (const [key, gvk] of clusterWide) {
    if (!namespaced.has(key) && !isClusterScoped(gvk)) {
      throw new BuildFailure(`${file}: the openapi schema makes ${key} cluster-scoped, which the in-process render does not read from a schema`);
    }
  }
}
