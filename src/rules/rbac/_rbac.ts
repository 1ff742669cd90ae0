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

/** Per list of documents (a file's, a render's): its Roles and ClusterRoles by kind, namespace and name. */
const rolesByName = new WeakMap<readonly ParsedDoc[], Map<string, RoleDoc>>();

const roleKey = (kind: string, namespace: string | null, name: string): string => `${kind}\u0000${namespace ?? ""}\u0000${name}`;

function rolesOf(docs: readonly ParsedDoc[]): Map<string, RoleDoc> {
  let roles = rolesByName.get(docs);
  if (!roles) {
    roles = new Map();
    for (const d of docs) {
      const role = roleDoc(d);
      if (role && d.resource.name !== null) roles.set(roleKey(role.kind, role.kind === "Role" ? d.resource.namespace : null, d.resource.name), role);
    }
    rolesByName.set(docs, roles);
  }
  return roles;
}

/** A rule that grants every verb on every resource of every API group (`*` in all three, no `resourceNames`). */
export function grantsEverything(rule: PolicyRule): boolean {
  return has(rule.apiGroups, "*") && has(rule.resources, "*") && has(rule.verbs, "*") && rule.resourceNames.length === 0;
}

/**
 * The Role or ClusterRole a binding's `roleRef` names among `docs` (the same file, or the same render: where the binding
 * is), when one of its rules grants everything (see `grantsEverything`): bound, it is cluster-admin under another name.
 * A Role is looked for in the binding's namespace (`namespace`; either unset matches). Null when it grants less, or is
 * not among `docs` (a role defined in another file is not looked for).
 */
export function allPowerfulRoleBound(binding: BindingDoc, namespace: string | null, docs: readonly ParsedDoc[]): RoleDoc | null {
  const { kind, name } = binding.roleRef;
  if ((kind !== "ClusterRole" && kind !== "Role") || typeof name !== "string" || (kind === "ClusterRole" && name === "cluster-admin")) return null;
  const roles = rolesOf(docs);
  const role = roles.get(roleKey(kind, kind === "Role" ? namespace : null, name)) ?? (kind === "Role" ? roleInAnyNamespace(roles, name, namespace) : undefined);
  return role && role.rules.some(grantsEverything) ? role : null;
}

/** A Role of that name when the binding's namespace or the Role's is unset (a kustomization may set both later). */
function roleInAnyNamespace(roles: ReadonlyMap<string, RoleDoc>, name: string, namespace: string | null): RoleDoc | undefined {
  for (const [key, role] of roles) {
    const [kind, ns, n] = key.split("\u0000");
    if (kind === "Role" && n === name && (namespace === null || ns === "")) return role;
  }
  return undefined;
}
