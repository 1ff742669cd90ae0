import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

const RBAC_GROUP = "rbac.authorization.k8s.io/";

/** One string entry of a list field, with its index (findings point at the entry itself). */
export interface Entry {
  value: string;
  index: number;
}

/** One entry of a Role's or ClusterRole's `rules[]`. */
export interface PolicyRule {
  index: number;
  /** Path of the rule inside the document (`["rules", i]`). */
  path: JsonPath;
  apiGroups: Entry[];
  resources: Entry[];
  verbs: Entry[];
  resourceNames: Entry[];
  nonResourceURLs: Entry[];
}

export interface RoleDoc {
  kind: "Role" | "ClusterRole";
  /** `ClusterRole "name"`, for messages. */
  label: string;
  rules: PolicyRule[];
}

function isRbacDoc(doc: ParsedDoc): boolean {
  return doc.class === "kubernetes" && (doc.resource.apiVersion ?? "").startsWith(RBAC_GROUP);
}

export function entries(v: unknown): Entry[] {
  if (!Array.isArray(v)) return [];
  const out: Entry[] = [];
  v.forEach((item, index) => {
    if (typeof item === "string") out.push({ value: item, index });
  });
  return out;
}

export function label(doc: ParsedDoc): string {
  return `${doc.resource.kind ?? "?"} "${doc.resource.name ?? "?"}"`;
}

/** The rules of a Role or ClusterRole (an aggregated ClusterRole with no `rules` has none). */
export function roleDoc(doc: ParsedDoc): RoleDoc | null {
  if (!isRbacDoc(doc)) return null;
  const kind = doc.resource.kind;
  if (kind !== "Role" && kind !== "ClusterRole") return null;
  const value = doc.value as Record<string, unknown>;
  const rules: PolicyRule[] = [];
  if (Array.isArray(value.rules)) {
    value.rules.forEach((r, index) => {
      if (!isPlainObject(r)) return;
      rules.push({
        index,
        path: ["rules", index],
        apiGroups: entries(r.apiGroups),
        resources: entries(r.resources),
        verbs: entries(r.verbs),
        resourceNames: entries(r.resourceNames),
        nonResourceURLs: entries(r.nonResourceURLs),
      });
    });
  }
  return { kind, label: label(doc), rules };
}

export interface BindingDoc {
  kind: "RoleBinding" | "ClusterRoleBinding";
  label: string;
  roleRef: Record<string, unknown>;
  subjects: Array<{ index: number; subject: Record<string, unknown> }>;
}

export function bindingDoc(doc: ParsedDoc): BindingDoc | null {
  if (!isRbacDoc(doc)) return null;
  const kind = doc.resource.kind;
  if (kind !== "RoleBinding" && kind !== "ClusterRoleBinding") return null;
  const value = doc.value as Record<string, unknown>;
  const subjects: BindingDoc["subjects"] = [];
  if (Array.isArray(value.subjects)) {
    value.subjects.forEach((subject, index) => {
      if (isPlainObject(subject)) subjects.push({ index, subject });
    });
  }
  return { kind, label: label(doc), roleRef: isPlainObject(value.roleRef) ? value.roleRef : {}, subjects };
}

export function has(list: readonly Entry[], ...values: string[]): boolean {
  return list.some((e) => values.includes(e.value));
}

/** True when the rule applies to the core API group (`""`), directly or through `*`. */
export function coversCoreGroup(rule: PolicyRule): boolean {
  return has(rule.apiGroups, "", "*");
}

/** A short list for messages: `pods, services, configmaps and 2 more`. */
export function summary(list: readonly Entry[], max = 3): string {
  const values = list.map((e) => (e.value === "" ? '""' : e.value));
  if (values.length <= max) return values.join(", ");
  return `${values.slice(0, max).join(", ")} and ${values.length - max} more`;
}

/** `the core API group`, `API groups apps, batch`, `every API group`, for messages. */
export function groupsText(list: readonly Entry[]): string {
  if (has(list, "*")) return "every API group";
  const names = list.map((e) => (e.value === "" ? "core" : e.value));
  if (names.length === 0) return "no API group";
  if (names.length === 1) return `the ${names[0]} API group`;
  return `API groups ${summary(list.map((e) => ({ ...e, value: e.value === "" ? "core" : e.value })))}`;
}

/** `every resource`, or the listed resources, narrowed to `resourceNames` when set: what a rule's resources cover. */
export function resourcesText(rule: PolicyRule): string {
  const what = has(rule.resources, "*") ? "every resource" : summary(rule.resources);
  return rule.resourceNames.length > 0 ? `${what} named ${summary(rule.resourceNames)}` : what;
}

/** `every verb`, `verb get` or `verbs get, list`, for messages. */
export function verbsText(rule: PolicyRule): string {
  if (has(rule.verbs, "*")) return "every verb";
  if (rule.verbs.length === 0) return "no verb";
  return `verb${rule.verbs.length === 1 ? "" : "s"} ${summary(rule.verbs)}`;
}
