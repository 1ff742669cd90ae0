/**
 * Where a kustomization writes the generator a build error names (`overlay/kustomization.yaml: Secret/db exists;
 * behavior must be merge or replace`): the line of that generator's `name:` in its `secretGenerator` or
 * `configMapGenerator` list; likewise the var one names (`… var 'SERVICE_NAME' (…) cannot be mapped …`), in `vars`.
 * Pure: reads only the text given.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

/** A generator error: the kustomization, the generated object's kind and name (`Kind/name` or `Kind/namespace/name`). */
const GENERATOR_ERROR = /^([^\s:"]+\.ya?ml): (ConfigMap|Secret)\/(?:[^/\s]+\/)?([^/\s;]+) (?:exists; behavior must be merge or replace|does not exist; cannot merge or replace)/;

/** The kustomization field that lists a kind's generators. */
const GENERATOR_FIELD: Record<string, string> = { ConfigMap: "configMapGenerator", Secret: "secretGenerator" };

/** The kustomization and the generator a build failure's reason names, or null when it names none. */
export function generatorNamedBy(reason: string): { file: string; field: string; name: string } | null {
  const m = GENERATOR_ERROR.exec(reason);
  return m ? { file: m[1]!, field: GENERATOR_FIELD[m[2]!]!, name: m[3]! } : null;
}

/**
 * A var error (kustomize/vars.ts: its target gone or matched twice, its field missing, declared twice): the
 * kustomization that declares it and its name.
 */
const VAR_ERROR = /^([^\s:"]+\.ya?ml): (?:field specified in |found \d+ resId matches for )?var '([^']+)'/;

/** The kustomization and the var a build failure's reason names (as `generatorNamedBy`: field `vars`), or null. */
export function varNamedBy(reason: string): { file: string; field: string; name: string } | null {
  const m = VAR_ERROR.exec(reason);
  return m ? { file: m[1]!, field: "vars", name: m[2]! } : null;
}

/**
 * The 1-based line and column of the `name:` value of the generator called `name` in a kustomization's `field` list
 * (the first such, as Kustomize absorbs them in order), or null when the text holds none (or does not parse).
 */
export function generatorNameAt(text: string, field: string, name: string): { line: number; column: number } | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, logLevel: "silent", uniqueKeys: false });
  const list = isMap(doc.contents) ? doc.contents.get(field, true) : undefined;
  if (!isSeq(list)) return null;
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const value = item.get("name", true);
    if (!isScalar(value) || String(value.value) !== name || !value.range) continue;
    const { line, col } = counter.linePos(value.range[0]);
    return { line, column: col };
  }
  return null;
}
