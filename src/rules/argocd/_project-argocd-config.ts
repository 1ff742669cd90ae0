import { formatPath, type JsonPath } from "../../core/path.js";
import type { SourceRange } from "../../core/types.js";
import { isPlainObject } from "../../parse/classify.js";
import { isDerivedDoc } from "../../parse/helm-argocd-values.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";
import { containerLabel, containers, getIn, type ContainerRef } from "../../parse/workloads.js";
import type { Obj } from "./_project-appproject.js";

export type ArgoConfigMapName = "argocd-cm" | "argocd-rbac-cm" | "argocd-cmd-params-cm";

export interface ArgoSetting {
  key: string;
  value: unknown;
  /** Where the value is written: `data.<key>`, a `configMapGenerator` literal, an argocd-server argument or variable. */
  path: JsonPath;
  /**
   * How the setting is written, when not as its key in a ConfigMap (or the chart's values of one), for the message
   * and the fix to name what to change: the ArgoCD resource's field (`spec.rbac.defaultPolicy` in `the ArgoCD
   * resource`), an argocd-server flag (`--disable-auth` in `` `spec.server.extraCommandArgs` of the ArgoCD resource ``)
   * or environment variable (`ARGOCD_SERVER_DISABLE_AUTH`).
   */
  written?: { name: string; in: string };
}

export interface ArgoConfig {
  /** For messages: `ConfigMap "argocd-cm"`, `Helm values configs.cm` or `configMapGenerator "argocd-cm"`. */
  label: string;
  settings: ArgoSetting[];
}

function fromMap(data: Obj, path: JsonPath, label: string): ArgoConfig {
  return { label, settings: Object.entries(data).map(([key, value]) => ({ key, value, path: [...path, key] })) };
}

/** `key=value` literals of a Kustomize configMapGenerator (surrounding quotes removed, as Kustomize does). */
function fromLiterals(literals: unknown, path: JsonPath, label: string): ArgoConfig {
  const settings: ArgoSetting[] = [];
  if (Array.isArray(literals)) {
    literals.forEach((lit: unknown, i) => {
      if (typeof lit !== "string") return;
      const eq = lit.indexOf("=");
      if (eq <= 0) return;
      const raw = lit.slice(eq + 1);
      const value = raw.length >= 2 && /^(["']).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
      settings.push({ key: lit.slice(0, eq).trim(), value, path: [...path, i] });
    });
  }
  return { label, settings };
}

/**
 * Argo CD settings of one of its ConfigMaps: the ConfigMap itself (`metadata.name`) — also as declared in values of
 * the argo-cd Helm chart (`configs.cm`, `configs.rbac`, `configs.params`: a derived document located in the values
 * file, see parse/helm-argocd-values.ts) — or the literals of a Kustomize `configMapGenerator` of that name.
 */
export function argocdConfigs(doc: ParsedDoc, name: ArgoConfigMapName): ArgoConfig[] {
  const v = doc.value;
  if (!isPlainObject(v)) return [];
  if (doc.class === "kubernetes") {
    if (name === "argocd-cmd-params-cm" && doc.resource.kind !== "ConfigMap") return serverParams(doc);
    if (doc.resource.kind !== "ConfigMap" || doc.resource.name !== name || !isPlainObject(v.data)) return [];
    const cfg = fromMap(v.data, ["data"], isDerivedDoc(doc) ? doc.derivedFrom : `ConfigMap "${name}"`);
    const as = isDerivedDoc(doc) ? doc.reportedAs : undefined;
    // Written by the Argo CD Operator from an ArgoCD resource's field: named as that field.
    if (as) for (const s of cfg.settings) s.written = { name: formatPath(as.path(s.path)), in: `the ${String(as.doc.resource.kind)} resource` };
    return [cfg];
  }
  if (doc.class === "kustomization" && Array.isArray(v.configMapGenerator)) {
    const out: ArgoConfig[] = [];
    v.configMapGenerator.forEach((gen: unknown, i) => {
      if (isPlainObject(gen) && gen.name === name) out.push(fromLiterals(gen.literals, ["configMapGenerator", i, "literals"], `configMapGenerator "${name}"`));
    });
    return out;
  }
  return [];
}

/**
 * argocd-cmd-params-cm keys argocd-server also reads as a flag, whose default is an environment variable (Argo CD's
 * `cmd/argocd-server/commands/argocd_server.go`: `--disable-auth`, default `ARGOCD_SERVER_DISABLE_AUTH`, which its
 * manifests set from argocd-cmd-params-cm's `server.disable.auth`).
 */
const SERVER_PARAMS: ReadonlyArray<{ key: string; flag: string; env: string }> = [{ key: "server.disable.auth", flag: "--disable-auth", env: "ARGOCD_SERVER_DISABLE_AUTH" }];

/** The argocd-server container: named so (Argo CD's manifests, the operator), or running `argocd-server` (the chart's `server`). */
function isArgoCdServer(c: ContainerRef): boolean {
  const first = (list: unknown): unknown => (Array.isArray(list) ? (list as unknown[])[0] : undefined);
  const runs = (cmd: unknown): boolean => typeof cmd === "string" && /(?:^|\/)argocd-server$/.test(cmd.trim());
  return c.name === "argocd-server" || runs(first(c.container.command)) || runs(first(c.container.args));
}

/**
 * The argocd-cmd-params-cm settings an argocd-server container gives itself (`SERVER_PARAMS`): its environment
 * variables with a literal `value` (one read from a ConfigMap is judged there), then its flags in `command` and `args`
 * (`--disable-auth` is true, `--disable-auth=<value>` that value): in the order argocd-server takes them, a flag over
 * the variable and the last of each, for `setting` to find the one it uses.
 */
function serverParams(doc: ParsedDoc): ArgoConfig[] {
  const out: ArgoConfig[] = [];
  for (const c of containers(doc)) {
    if (!isArgoCdServer(c)) continue;
    const settings: ArgoSetting[] = [];
    const env = c.container.env;
    if (Array.isArray(env)) {
      env.forEach((e: unknown, i) => {
        const p = isPlainObject(e) ? SERVER_PARAMS.find((x) => x.env === e.name) : undefined;
        if (p && isPlainObject(e) && e.value !== undefined) settings.push({ key: p.key, value: e.value, path: [...c.path, "env", i, "value"], written: writtenIn(doc, c, [...c.path, "env", i], p.env) });
      });
    }
    for (const field of ["command", "args"]) {
      const list = c.container[field];
      if (!Array.isArray(list)) continue;
      list.forEach((arg: unknown, i) => {
        if (typeof arg !== "string") return;
        for (const p of SERVER_PARAMS) {
          const value = arg === p.flag ? true : arg.startsWith(`${p.flag}=`) ? arg.slice(p.flag.length + 1) : undefined;
          if (value !== undefined) settings.push({ key: p.key, value, path: [...c.path, field, i], written: writtenIn(doc, c, [...c.path, field, i], p.flag) });
        }
      });
    }
    if (settings.length === 0) continue;
    const label = isDerivedDoc(doc) ? doc.derivedFrom : `${containerLabel(c)} "${c.name}" of ${String(doc.resource.kind)} "${String(doc.resource.name)}"`;
    out.push({ label, settings });
  }
  return out;
}

/** Where an argocd-server flag or variable (the list item at `item`) is written, for a fix: the list that holds it. */
function writtenIn(doc: ParsedDoc, c: ContainerRef, item: JsonPath, name: string): { name: string; in: string } {
  const as = isDerivedDoc(doc) ? doc.reportedAs : undefined;
  if (as) return { name, in: `\`${formatPath(as.path(item).slice(0, -1))}\` of the ${String(as.doc.resource.kind)} resource` };
  if (isDerivedDoc(doc)) return { name, in: doc.derivedFrom };
  return { name, in: `the ${c.name} container's \`${String(item[item.length - 2])}\`` };
}

/** The setting `key` of a config, if written. */
export function setting(cfg: ArgoConfig, key: string): ArgoSetting | undefined {
  return cfg.settings.findLast((s) => s.key === key);
}

/**
 * An argocd-cm switch Argo CD reads as on: it compares the string with "true" exactly. A YAML boolean
 * `true` (Helm values; the chart renders it as "true") counts too.
 */
export function isSwitchOn(v: unknown): boolean {
  return v === true || v === "true";
}

/**
 * The source range of one line of a literal block scalar (`key: |`), so a finding about one policy line
 * points at that line; null when the value is not written as a literal block (the caller then points at
 * the whole value).
 */
export function blockLineRange(doc: ParsedDoc, file: ParsedFile, path: JsonPath, lineIndex: number, expected: string): SourceRange | null {
  if (file.text === null) return null;
  const node = doc.locate(path);
  const lines = file.text.split(/\r?\n/);
  // A value that is a whole file (a Kustomize generator's `files:` input, `policy.csv`, judged on that file's text):
  // its lines are the file's, from the first.
  const wholeFile = node.line === 1 && node.column === 1 && getIn(doc.value, path) === file.text;
  const header = lines[node.line - 1]?.slice(node.column - 1) ?? "";
  if (!wholeFile && !/^(?:[!&][^\s]*\s+)*\|/.test(header)) return null;
  const lineNo = wholeFile ? 1 + lineIndex : node.line + 1 + lineIndex;
  const src = lines[lineNo - 1];
  if (src === undefined || src.trim() !== expected.trim() || src.trim() === "") return null;
  const start = src.length - src.trimStart().length;
  return { line: lineNo, column: start + 1, endLine: lineNo, endColumn: src.trimEnd().length + 1 };
}
