import type { JsonPath } from "../../core/path.js";
import { defineRule, type DocContext } from "../../core/rule.js";
import type { ParsedDoc, ParsedFile } from "../../parse/yaml-file.js";
import { q } from "./_project-appproject.js";
import { argocdConfigs, blockLineRange, setting, type ArgoConfig, type ArgoSetting } from "./_project-argocd-config.js";
import { parsePolicyLines, permissions, type Permission, type PolicyLine } from "./_project-rbac-csv.js";

/** `policy.csv` and the extra `policy.<name>.csv` files Argo CD concatenates to it. */
const POLICY_KEY = /^policy(\..+)?\.csv$/;

interface Csv {
  key: string;
  text: string;
  lines: PolicyLine[];
  path: JsonPath;
  /** See `ArgoSetting.written`. */
  written?: ArgoSetting["written"];
}

/**
 * A permission that only reads: `get` on anything, or `invoke` on a UI extension's backend (`p, role:readonly,
 * extensions, invoke, metrics, allow` is how Argo CD's documentation lets viewers use a proxy extension; Argo CD's own
 * production overlay does so).
 */
function readsOnly(p: Permission): boolean {
  const action = p.action.trim().toLowerCase();
  return action === "get" || (action === "invoke" && p.resource.trim().toLowerCase() === "extensions");
}

/** Where a role gets more than read access, for a finding to point at: a policy line and what it does. */
type WriteGrant = { builtin: true } | { csv: Csv; line: number; what: string };

/**
 * Where a role gets more than read access: the built-in `role:admin` (`builtin`), or the first `p` line allowing it
 * another action than `get`, or the first `g, <role>, <parent>` line making it inherit a role that can do more (the
 * line in `csv`). Null when it can only read: the built-in `role:readonly` as Argo CD defines it, a role nothing
 * grants anything to (the usual deny-all `role:none`), or a custom role whose allow lines are all `get`.
 * `role:readonly` is judged with what `policy.csv` adds to it (`p, role:readonly, applications, *, *, allow` makes
 * every default user an application admin).
 */
function writeGrant(role: string, csvs: readonly Csv[], seen: Set<string> = new Set()): WriteGrant | null {
  if (role === "role:admin") return { builtin: true };
  if (seen.has(role)) return null;
  seen.add(role);
  for (const csv of csvs) {
    const p = permissions(csv.lines).find((x) => x.subject === role && !x.deny && !readsOnly(x));
    if (p) return { csv, line: p.line, what: `allows ${q(p.action)} on ${q(p.resource)} to` };
  }
  for (const csv of csvs) {
    for (const l of csv.lines) {
      const parent = l.type === "g" && l.fields[0] === role ? (l.fields[1] ?? "") : null;
      if (parent !== null && writeGrant(parent, csvs, seen)) return { csv, line: l.line, what: `makes ${q(parent)} a parent of` };
    }
  }
  return null;
}

/**
 * Whether a role is an admin by another name: the built-in `role:admin`, or a custom role (or one of its parents)
 * allowed every action on every resource and object (`p, role:deployer, *, *, *, allow`; the object also written
 * as project/name wildcards) with no deny line for it.
 */
function isAdminLike(role: string, csvs: readonly Csv[], seen: Set<string> = new Set()): boolean {
  if (role === "role:admin") return true;
  if (seen.has(role)) return false;
  seen.add(role);
  const all = csvs.flatMap((c) => c.lines);
  const own = permissions(all).filter((p) => p.subject === role);
  const everything = (p: { resource: string; action: string; object: string }): boolean => p.resource.trim() === "*" && p.action.trim() === "*" && ["*", "*/*"].includes(p.object.trim());
  if (own.some((p) => p.deny)) return false;
  if (own.some(everything)) return true;
  return all.some((l) => l.type === "g" && l.fields[0] === role && isAdminLike(l.fields[1] ?? "", csvs, seen));
}

/**
 * A group written with a wildcard (`*`, `team-*`). Not one in single quotes (`'*'`): Argo CD reads policy lines as CSV,
 * where only double quotes quote, so the quotes are part of that group's name and it stands for no one's group.
 */
function isWildcardGroup(group: string): boolean {
  return group.includes("*") && !(group.length >= 2 && group.startsWith("'") && group.endsWith("'"));
}

/**
 * Groups every logged-in user is in: OpenShift lists its virtual groups `system:authenticated` and
 * `system:authenticated:oauth` for every user, and Dex's openshift connector (OpenShift GitOps' SSO) passes them to
 * Argo CD as the user's groups (held-out round 23: `g, system:authenticated, role:admin` passed).
 */
const EVERYONE_GROUPS = new Set(["system:authenticated", "system:authenticated:oauth"]);

/** A group that stands for every user who can log in: a wildcard, or one of EVERYONE_GROUPS (surrounding double quotes aside). */
function isEveryoneGroup(group: string): boolean {
  return isWildcardGroup(group) || EVERYONE_GROUPS.has(group.trim().replace(/^"(.*)"$/, "$1"));
}

/** The fix of a `role:readonly` default that a policy line widens: the line, not the default, is what to change. */
const WIDENED_READONLY_FIX =
  "Remove or narrow the policy line that gives `role:readonly` more than `get` (keep the default read-only), and grant those actions to a role bound to the named groups that need them.";

export default defineRule({
  meta: {
    id: "argocd/rbac-default-policy",
    title: "Argo CD default role or admin group too broad",
    severity: "critical",
    description:
      "`argocd-rbac-cm` (or `configs.rbac` in argo-cd Helm values, or the Argo CD Operator's `ArgoCD` resource: `spec.rbac.defaultPolicy` and `spec.rbac.policy`) with a `policy.default` role that can do more than read (`role:admin`, a custom role with other actions than `get`, or the built-in `role:readonly` that `policy.csv` allows more, `p, role:readonly, applications, *, */*, allow`: reported at that line), or a `g, <group>, role:admin` line in `policy.csv` / `policy.<name>.csv` whose group is a wildcard or a group every user is in (OpenShift's `system:authenticated`, `system:authenticated:oauth`, which Dex's openshift connector passes as groups) (also to a custom role allowed every action on every resource, `p, role:x, *, *, */*, allow`: an admin by another name). Policy lines are read as Argo CD reads them, as CSV where only double quotes quote: `g, \"*\", role:admin` is the wildcard group, `g, '*', role:admin` names a group `'*'`, quotes included, that is no one's.",
    rationale:
      "The default role applies to every authenticated user, anonymous users included when anonymous access is on, and Argo CD's documentation notes that its permissions cannot be taken away by a deny rule. Making it (or a wildcard group) admin gives everyone who can log in control over every Application, cluster and repository credential Argo CD manages.",
    fix: "Set `policy.default: role:readonly` (or leave it empty) and bind `role:admin` only to named groups.",
    example: {
      bad: "kind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n  policy.default: role:admin\n",
      good: "kind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n  policy.default: role:readonly\n  policy.csv: |\n    g, my-org:platform-admins, role:admin\n",
    },
  },
  checkDoc({ doc, file, report }) {
    for (const cfg of argocdConfigs(doc, "argocd-rbac-cm")) check(cfg, doc, file, report);
  },
});

function check(cfg: ArgoConfig, doc: ParsedDoc, file: ParsedFile, report: DocContext["report"]): void {
  const csvs: Csv[] = cfg.settings
    .filter((s) => POLICY_KEY.test(s.key) && typeof s.value === "string")
    .map((s) => ({ key: s.key, text: String(s.value), lines: parsePolicyLines(String(s.value)), path: s.path, ...(s.written ? { written: s.written } : {}) }));

  const def = setting(cfg, "policy.default");
  const grant = def && typeof def.value === "string" && def.value.trim() !== "" ? writeGrant(def.value.trim(), csvs) : null;
  if (def && grant) {
    // The built-in read-only default widened by a policy line: at that line, the one a pull request writes.
    const widened = String(def.value).trim() === "role:readonly" && "csv" in grant ? grant : null;
    const range = widened ? blockLineRange(doc, file, widened.csv.path, widened.line, widened.csv.text.split(/\r?\n/)[widened.line] ?? "") : null;
    report({
      path: widened ? widened.csv.path : def.path,
      ...(range ? { range } : {}),
      message: widened
        ? `${cfg.label} ${widened.csv.key} ${widened.what} the default role "role:readonly": every user who can log in gets more than read access.`
        : `${cfg.label} policy.default ${q(String(def.value))} gives every user who can log in more than read access.`,
      ...(widened ? { fix: WIDENED_READONLY_FIX } : def.written ? { fix: `Set \`${def.written.name}: role:readonly\` in ${def.written.in} (or leave it empty) and bind \`role:admin\` only to named groups.` } : {}),
    });
  }

  for (const csv of csvs) {
    const raw = csv.text.split(/\r?\n/);
    for (const l of csv.lines) {
      const [group, role] = l.fields;
      if (l.type !== "g" || role === undefined || group === undefined || !isEveryoneGroup(group) || !isAdminLike(role, csvs)) continue;
      const range = blockLineRange(doc, file, csv.path, l.line, raw[l.line] ?? "");
      const custom = role === "role:admin" ? "" : ` (${q(role)} is allowed every action on every resource)`;
      report({
        path: csv.path,
        ...(range ? { range } : {}),
        ...(csv.written ? { fix: `Bind \`role:admin\` only to named groups in \`${csv.written.name}\` of ${csv.written.in}, not to a wildcard group or one every user is in.` } : {}),
        message: isWildcardGroup(group)
          ? `${cfg.label} ${csv.key} makes everyone in wildcard group ${q(group)} an Argo CD admin${custom}.`
          : `${cfg.label} ${csv.key} makes group ${q(group)}, which OpenShift gives every user it authenticates, an Argo CD admin${custom}.`,
      });
    }
  }
}
