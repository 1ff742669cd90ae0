import type { JsonPath } from "../core/path.js";
import { classifyDocument, isPlainObject, resourceOf } from "./classify.js";
import type { DerivedDoc } from "./helm-argocd-values.js";
import { isHelmTemplate, maskTemplateActions, templateActions } from "./helm-template.js";
import { isGoTemplateNote, parseYamlFile, type ParsedDoc, type ParsedFile } from "./yaml-file.js";
import { getIn } from "./workloads.js";
import { isMap, isPair, isScalar, visit, type Document } from "yaml";

/**
 * Argo CD objects written in a Helm chart's templates (`templates/argocd-projects.yaml`: an app-of-apps bootstrap
 * chart's AppProjects, a team chart's project), which the parser skips as templates. The file is read once more with
 * its template actions masked (`maskTemplateActions`: offsets, lines and columns kept), and each Argo CD object that
 * then parses is a derived, partial document: what the template writes literally is what Helm renders, so the Argo CD
 * rules judge it at its line and column in the template; what an action writes is unknown until rendered.
 * - A value an action writes (`name: {{ .Values.name }}`, `namespace: "{{ .ns }}-apps"`) reads as its own text, a
 *   `{{`-looking value the rules take as templated and do not judge; a key whose value is only actions on the lines
 *   below it (`labels:` then `{{- include "x.labels" . | nindent 4 }}`) reads as that action's text too.
 * - Blocks (`{{- if }}`, `{{- range }}`, `{{- with }}`) are read as written, once: a `range` body is one object.
 *   Both branches of an `if`/`else` that write the same key make a document with duplicate keys: not read (nor is a
 *   document that does not parse once masked). Nothing here is a parse error; the review's note for the file says it
 *   was read as Argo CD object templates when one was read (see `unreadFileNote` in review.ts), else `skipped`.
 * Workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, an Argo Rollout) and RBAC objects
 * (Role, ClusterRole, RoleBinding, ClusterRoleBinding) of such a template are read the same way, for what they write
 * literally (held-out round 21: `privileged: true` added to a chart's `templates/daemonset.yaml` was missed). An
 * `include` or `toYaml` action may write anything, so only the rules that report an explicit setting judge them
 * (`LITERAL_SETTING_RULES`), and only at a scalar the template writes as text (`writes`): never a "not set" finding,
 * never a value an action writes.
 * Pure: built from the file's text.
 */

/** An Argo CD object's `apiVersion` and `kind` written literally somewhere in the text (a cheap look before any parse). */
const ARGO_API_VERSION = /^[ \t-]*apiVersion:[ \t]*["']?argoproj\.io\//m;
const ARGO_KIND = /^[ \t-]*kind:[ \t]*["']?(?:Application|ApplicationSet|AppProject)["']?[ \t]*(?:#.*)?$/m;
const ARGO_KINDS = new Set(["Application", "ApplicationSet", "AppProject"]);
/** A workload's or RBAC object's `kind` written literally (the same cheap look). */
const LITERAL_KIND = /^[ \t-]*kind:[ \t]*["']?(?:Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Rollout|Role|ClusterRole|RoleBinding|ClusterRoleBinding)["']?[ \t]*(?:#.*)?$/m;
const LITERAL_KINDS = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Rollout", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

/**
 * The rules that judge a workload or RBAC object of a Helm template: those whose findings come only from a setting
 * written explicitly (`privileged: true`, `hostNetwork: true`, a `hostPort`, a `hostPath` volume's path, an added capability,
 * `procMount`, a sysctl's name, `hostProcess: true`, a `*` in a role's rules, a binding's `cluster-admin` or
 * `system:masters`, a literal env value under a secret's name). k8s/privilege-escalation and k8s/run-as-root also
 * report a field left out, at the container: `writes` keeps only their findings at a literal `true` / `0`. Rules
 * that report what is missing (probes, resources, capabilities not dropped, seccomp …) are not here: an action may
 * write it; nor the image rules (tags are nearly always templated).
 */
const LITERAL_SETTING_RULES: ReadonlySet<string> = new Set([
  "k8s/privileged-container",
  "k8s/host-namespaces",
  "k8s/host-port",
  "k8s/host-path-volume",
  "k8s/container-runtime-socket",
  "k8s/dangerous-capabilities",
  "k8s/privilege-escalation",
  "k8s/run-as-root",
  "k8s/unsafe-proc-mount",
  "k8s/unsafe-sysctls",
  "k8s/windows-host-process",
  "rbac/wildcard-permissions",
  "rbac/cluster-admin-binding",
  "secrets/literal-env-secret",
]);

/** The label of a document read from a template (`derivedFrom`). */
export const HELM_TEMPLATE_LABEL = "Helm template";

/** Whether a derived document was read from a Helm template, whose `{{ }}` values are Helm's (unknown until rendered). */
export function isHelmTemplateDoc(doc: ParsedDoc): boolean {
  return "derivedFrom" in doc && (doc as DerivedDoc).derivedFrom === HELM_TEMPLATE_LABEL;
}

/**
 * The Argo CD objects, workloads and RBAC objects of a file skipped as a Go/Helm template, as partial derived documents;
 * none for any other file.
 */
export function helmTemplateDocs(file: ParsedFile): DerivedDoc[] {
  const text = file.text;
  if (text === null || file.docs.length > 0 || !isGoTemplateNote(file.skipped)) return [];
  if (!(ARGO_API_VERSION.test(text) && ARGO_KIND.test(text)) && !LITERAL_KIND.test(text)) return [];
  const masked = parseYamlFile(file.path, maskTemplateActions(text));
  if (masked.skipped !== null || masked.text === null || masked.yamlDocuments === undefined) return [];
  const withDuplicates = masked.yamlDocuments.filter(hasDuplicateKeys).map((d) => d.range);
  const actions = templateActions(text);
  const read = { text, masked: masked.text, actions };
  // Workloads are read in a Helm chart's templates only: "written in the Helm template" is then true.
  const chart = isHelmTemplate(file.path, text, actions);
  const out: DerivedDoc[] = [];
  for (const doc of masked.docs) {
    if (withDuplicates.some(([start, , end]) => doc.span[0] >= start && doc.span[0] < end)) continue;
    const literal = chart && isLiteralObject(doc.value);
    if (!isArgoObject(doc.value) && !literal) continue;
    const value = restoreActions(doc, doc.value, [], read);
    out.push({
      ...doc,
      file: file.path,
      value,
      class: classifyDocument(value, file.path),
      resource: resourceOf(value),
      // Raw-text rules read the file itself, never an object derived from it.
      contains: () => false,
      derivedFrom: HELM_TEMPLATE_LABEL,
      partial: true,
      ...(literal ? literalSettingsOnly(doc, value, read) : {}),
    });
  }
  return out;
}

/** A workload or RBAC object whose kind the template writes literally. */
function isLiteralObject(v: unknown): boolean {
  return isPlainObject(v) && typeof v.kind === "string" && LITERAL_KINDS.has(v.kind);
}

/**
 * What makes a workload or RBAC object of a template judged for its literal settings only: the rules that report an
 * explicit setting, findings only at a scalar written as text, and a message saying where Helm writes it.
 */
function literalSettingsOnly(doc: ParsedDoc, value: unknown, read: Read): Pick<DerivedDoc, "judgedBy" | "writes" | "explain"> {
  return {
    judgedBy: LITERAL_SETTING_RULES,
    writes: (path) => isLiteralScalar(getIn(value, path)),
    explain: (path) => {
      const blocks = enclosingBlocks(read, doc.spanOf(path)[0]);
      if (blocks.includes("if") || blocks.includes("with")) return "Written in the Helm template; Helm renders it when the enclosing condition holds";
      return blocks.includes("range") ? "Written in the Helm template; Helm renders it for each item of the enclosing range" : "Written in the Helm template";
    },
  };
}

/** A scalar the template writes as text: a boolean, a number, a string no action writes (those read as `{{ … }}`). */
function isLiteralScalar(v: unknown): boolean {
  return typeof v === "boolean" || typeof v === "number" || (typeof v === "string" && !v.includes("{{"));
}

/** `{{- if .Values.x }}` → "if"; `{{ end }}` → "end"; the first word of an action. */
const ACTION_WORD = /^\{\{-?\s*([a-z]+)\b/;
const BLOCK_OPENERS = new Set(["if", "with", "range", "define", "block"]);

/** The blocks (`if`, `with`, `range`, `define`) open at an offset of the template, outermost first. */
function enclosingBlocks(read: Read, offset: number): string[] {
  const open: string[] = [];
  for (const [a, b] of read.actions) {
    if (a >= offset) break;
    const word = ACTION_WORD.exec(read.text.slice(a, b))?.[1];
    if (word === undefined) continue;
    if (BLOCK_OPENERS.has(word)) open.push(word);
    else if (word === "end") open.pop();
  }
  return open;
}

function isArgoObject(v: unknown): boolean {
  return isPlainObject(v) && typeof v.apiVersion === "string" && v.apiVersion.startsWith("argoproj.io/") && typeof v.kind === "string" && ARGO_KINDS.has(v.kind);
}

/** Whether some map of the document writes a key twice (both branches of an `if`/`else`, once masked). */
function hasDuplicateKeys(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const p of map.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const k = String(p.key.value);
        if (seen.has(k)) {
          found = true;
          return visit.BREAK;
        }
        seen.add(k);
      }
    },
  });
  return found;
}

interface Read {
  /** The template's text. */
  text: string;
  /** The same text with its actions masked. */
  masked: string;
  /** The template's actions, [start, end) offsets in order. */
  actions: ReadonlyArray<readonly [number, number]>;
}

/**
 * The value with each scalar an action writes (in part or whole) read as its text in the template, and each key whose
 * value is only an action on the lines below as that action's text: what Helm fills in is unknown.
 */
function restoreActions(doc: ParsedDoc, value: unknown, path: JsonPath, read: Read): unknown {
  if (typeof value === "string") {
    const [a, b] = doc.spanOf(path);
    return firstActionIn(read.actions, a, b) >= 0 ? sourceText(read.text.slice(a, b)) : value;
  }
  if (value === null && path.length > 0) {
    const i = actionAfterKey(doc, path, read);
    return i >= 0 ? read.text.slice(read.actions[i]![0], read.actions[i]![1]) : null;
  }
  if (Array.isArray(value)) return value.map((v, i) => restoreActions(doc, v, [...path, i], read));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = restoreActions(doc, v, [...path, k], read);
    return out;
  }
  return value;
}

/** The index of the first action that overlaps [start, end), or -1 (a binary search: actions are in order). */
function firstActionIn(actions: Read["actions"], start: number, end: number): number {
  let lo = 0;
  let hi = actions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (actions[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < actions.length && actions[lo]![0] < end ? lo : -1;
}

/**
 * For `key:` written with no value: the action on the blanked lines before the next thing written (`labels:` then
 * `{{- include "x.labels" . | nindent 4 }}`), or -1.
 */
function actionAfterKey(doc: ParsedDoc, path: JsonPath, read: Read): number {
  const [, keyEnd] = doc.spanOf(path, "key");
  let next = keyEnd;
  while (next < read.masked.length && /[\s:]/.test(read.masked[next]!)) next++;
  return firstActionIn(read.actions, keyEnd, next);
}

/** A scalar's text as written (its quotes off; a block scalar's lines without the header and the block's indent). */
function sourceText(source: string): string {
  const quote = source[0];
  if ((quote === '"' || quote === "'") && source.length >= 2 && source.endsWith(quote)) return source.slice(1, -1);
  if (quote !== "|" && quote !== ">") return source;
  const lines = source.split("\n").slice(1);
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
}
