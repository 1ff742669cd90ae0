/**
 * A kustomization's `crds:` files, read as kustomize's LoadConfigFromCRDs reads them: a map of OpenAPI definitions
 * (`{"<group path>.<Kind>": {"Schema": {...}}}`, JSON or YAML). Every definition whose properties hold `kind`,
 * `apiVersion` and `metadata` is a type of that kind (the last dotted part of its name; any group and version), and
 * its properties — and the properties of the definitions a property's `$ref` names, recursively — add field specs:
 * `x-kubernetes-object-ref-api-version` with `x-kubernetes-object-ref-kind` a name reference (at the property's
 * `x-kubernetes-object-ref-name-key`, `name` by default), `x-kubernetes-label-selector` a commonLabels field,
 * `x-kubernetes-annotation` a commonAnnotations field, `x-kubernetes-identity` a namePrefix field. Lists' items are not
 * followed. Nothing else (merge keys, schemas) comes from these files. A file Go cannot decode into that map (a CRD
 * manifest, a list, a definition or `Schema` that is no map, `Dependencies` no list) fails the build, as in kubectl.
 */
import { BuildFailure } from "./failure.js";
import type { FieldSpec } from "./fieldspec.js";
import { toJS, type ONode } from "./onode.js";
import { EMPTY_CONFIG, mergeConfig, sortedConfig, type NameBackRef, type TransformerConfig } from "./transformer-config.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** kustomize follows `$ref`s without a guard (a cycle crashes it); a chain this deep is refused instead. */
const MAX_DEPTH = 64;

/** The name Go's encoding/json gives a decoded value's JSON type in its errors. */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (isObject(v)) return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v === "number" || typeof v === "bigint" ? "number" : "string";
}

const cannotUnmarshal = (v: unknown, goType: string): string => `json: cannot unmarshal ${jsonType(v)} into Go value of type ${goType}`;

/**
 * Why a `spec.Schema` (kube-openapi) cannot be decoded from `schema`, if it cannot: it is no map, its `properties` is
 * no map of schemas, its `type` neither a string nor a list, its `required` no list. Other fields are not checked.
 */
function schemaProblem(schema: unknown): string | undefined {
  if (schema === null) return undefined;
  if (!isObject(schema)) return cannotUnmarshal(schema, "spec.Schema");
  const { properties, type, required } = schema;
  if (type !== undefined && type !== null && typeof type !== "string" && !Array.isArray(type)) {
    return `json: cannot unmarshal Go value of type spec.StringOrArray: expected string or array, not '${jsonType(type)}'`;
  }
  if (required !== undefined && required !== null && !Array.isArray(required)) return cannotUnmarshal(required, "[]string");
  if (properties === undefined || properties === null) return undefined;
  if (!isObject(properties)) return cannotUnmarshal(properties, "map[string]spec.Schema");
  for (const p of Object.values(properties)) {
    const problem = schemaProblem(p);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Why kustomize's `map[string]OpenAPIDefinition{Schema spec.Schema; Dependencies []string}` cannot be decoded from a
 * `crds:` file's map, if it cannot (encoding/json matches `Schema` and `Dependencies` case-insensitively; a scalar
 * dependency is converted to a string by sigs.k8s.io/yaml, a map or list is not).
 */
function definitionsProblem(data: Json): string | undefined {
  for (const def of Object.values(data)) {
    if (def === null) continue;
    if (!isObject(def)) return cannotUnmarshal(def, "accumulator.OpenAPIDefinition");
    for (const [key, value] of Object.entries(def)) {
      const field = key.toLowerCase();
      if (field === "schema") {
        const problem = schemaProblem(value);
        if (problem !== undefined) return problem;
      }
      if (field === "dependencies" && value !== null) {
        if (!Array.isArray(value)) return `json: cannot unmarshal ${jsonType(value)} into Go struct field OpenAPIDefinition.Dependencies of type []string`;
        const bad = value.find((d) => Array.isArray(d) || isObject(d));
        if (bad !== undefined) return cannotUnmarshal(bad, "string");
      }
    }
  }
  return undefined;
}

/** The transformer config of one `crds:` file (its YAML documents). */
export function readCrdConfig(docs: readonly ONode[], file: string): TransformerConfig {
  if (docs.length > 1) throw new BuildFailure(`${file}: unable to parse open API definition: expected one document`);
  const data = docs.length === 0 ? {} : toJS(docs[0]!);
  if (data === null) return EMPTY_CONFIG;
  const unparsable = (problem: string): BuildFailure => new BuildFailure(`unable to parse open API definition from '${file}': ${problem}`);
  if (!isObject(data)) throw unparsable(cannotUnmarshal(data, "accumulator.nameToApiMap"));
  const problem = definitionsProblem(data);
  if (problem !== undefined) throw unparsable(problem);
  // Go's encoding/json matches the field name "Schema" case-insensitively.
  const schemaOf = (def: unknown): Json | undefined => {
    if (!isObject(def)) return undefined;
    const key = Object.keys(def).find((k) => k.toLowerCase() === "schema");
    const s = key === undefined ? undefined : def[key];
    return isObject(s) ? s : undefined;
  };
  const propertiesOf = (name: string): Json => {
    const p = Object.hasOwn(data, name) ? schemaOf(data[name])?.properties : undefined;
    return isObject(p) ? p : {};
  };

  interface Specs {
    commonLabels: FieldSpec[];
    commonAnnotations: FieldSpec[];
    namePrefix: FieldSpec[];
    nameReference: NameBackRef[];
  }
  const walk = (own: Specs, kind: string, typeName: string, path: readonly string[]): void => {
    if (path.length > MAX_DEPTH) throw new BuildFailure(`${file}: the $ref chain of ${kind} is deeper than ${MAX_DEPTH} (a cycle?)`);
    for (const [prop, p] of Object.entries(propertiesOf(typeName))) {
      if (!isObject(p)) continue;
      const at = [...path, prop];
      if (typeof p["x-kubernetes-annotation"] === "string") own.commonAnnotations.push({ path: at.join("/"), kind });
      if (typeof p["x-kubernetes-label-selector"] === "string") own.commonLabels.push({ path: at.join("/"), kind });
      if (typeof p["x-kubernetes-identity"] === "string") own.namePrefix.push({ path: at.join("/"), kind });
      const version = p["x-kubernetes-object-ref-api-version"];
      const refKind = p["x-kubernetes-object-ref-kind"];
      if (typeof version === "string" && typeof refKind === "string") {
        const nameKey = typeof p["x-kubernetes-object-ref-name-key"] === "string" ? p["x-kubernetes-object-ref-name-key"] : "name";
        own.nameReference.push({ kind: refKind, ...(version ? { version } : {}), referrers: [{ path: [...at, nameKey].join("/"), kind }] });
      }
      if (typeof p.$ref === "string" && p.$ref !== "") walk(own, kind, p.$ref, at);
    }
  };

  let config: TransformerConfig = EMPTY_CONFIG;
  for (const name of Object.keys(data)) {
    const props = propertiesOf(name);
    if (!("kind" in props && "apiVersion" in props && "metadata" in props)) continue;
    const kind = name.split(".").pop()!;
    const own: Specs = { commonLabels: [], commonAnnotations: [], namePrefix: [], nameReference: [] };
    walk(own, kind, name, []);
    config = mergeConfig(config, sortedConfig({ ...EMPTY_CONFIG, ...own }));
  }
  return config;
}
