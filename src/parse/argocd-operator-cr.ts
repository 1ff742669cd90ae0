import { formatPath, type JsonPath } from "../core/path.js";
import { isPlainObject } from "./classify.js";
import { getIn } from "./workloads.js";

/**
 * The Argo CD Operator's (and OpenShift GitOps') `ArgoCD` custom resource (`argoproj.io/v1alpha1` or `v1beta1`) as
 * the ConfigMaps the operator writes from it, so that the Argo CD rules judge it as they judge argocd-cm and
 * argocd-rbac-cm, at the CR's own lines. Field names as the operator reads them (argoproj-labs/argocd-operator
 * `api/v1beta1/argocd_types.go`, `controllers/argocd/configmap.go`):
 * - argocd-rbac-cm: `spec.rbac.policy` → `policy.csv`, `spec.rbac.defaultPolicy` → `policy.default`,
 *   `spec.rbac.scopes` → `scopes`, `spec.rbac.policyMatcherMode` → `policy.matchMode`;
 * - argocd-cm: `spec.usersAnonymousEnabled` → `users.anonymous.enabled`, `spec.kustomizeBuildOptions` →
 *   `kustomize.buildOptions`, and every `spec.extraConfig` key as it is (it takes precedence over the fields).
 * Only what the CR writes: the operator's defaults for what it leaves out (`policy.default: role:readonly`) are not
 * added. Pure.
 */

type Obj = Record<string, unknown>;

/** One ConfigMap the operator writes from a CR, with the CR path each of its data keys comes from. */
export interface OperatorConfigMap {
  value: Obj;
  /** The CR path a path of the ConfigMap is written at (the CR's `spec` for anything else). */
  toCr: (path: JsonPath) => JsonPath;
  /** For messages: `ArgoCD "openshift-gitops"`. */
  label: string;
  /** How a finding at a path of the ConfigMap comes about, for its message. */
  explain: (path: JsonPath) => string;
}

/** A ConfigMap key and the CR field it is written from. */
interface Field {
  key: string;
  at: JsonPath;
  /** The ConfigMap's string for the CR's value (the operator writes Go's `fmt.Sprint` of a boolean). */
  text?: (v: unknown) => unknown;
}

const RBAC_FIELDS: readonly Field[] = [
  { key: "policy.csv", at: ["spec", "rbac", "policy"] },
  { key: "policy.default", at: ["spec", "rbac", "defaultPolicy"] },
  { key: "scopes", at: ["spec", "rbac", "scopes"] },
  { key: "policy.matchMode", at: ["spec", "rbac", "policyMatcherMode"] },
];

const CM_FIELDS: readonly Field[] = [
  { key: "users.anonymous.enabled", at: ["spec", "usersAnonymousEnabled"], text: (v) => (typeof v === "boolean" ? String(v) : v) },
  { key: "kustomize.buildOptions", at: ["spec", "kustomizeBuildOptions"] },
];

/** An Argo CD Operator `ArgoCD` resource. */
export function isArgoCdOperatorCr(value: unknown): value is Obj & { spec: Obj } {
  return (
    isPlainObject(value) &&
    value.kind === "ArgoCD" &&
    (value.apiVersion === "argoproj.io/v1beta1" || value.apiVersion === "argoproj.io/v1alpha1") &&
    isPlainObject(value.spec)
  );
}

/** argocd-rbac-cm and argocd-cm as the operator writes them from a CR (those it writes something into). */
export function operatorConfigMaps(cr: unknown): OperatorConfigMap[] {
  if (!isArgoCdOperatorCr(cr)) return [];
  const name = isPlainObject(cr.metadata) && typeof cr.metadata.name === "string" ? cr.metadata.name : "";
  const label = `ArgoCD "${name}"`;
  const extra = cr.spec.extraConfig;
  const extraFields: Field[] = isPlainObject(extra) ? Object.keys(extra).map((key) => ({ key, at: ["spec", "extraConfig", key] })) : [];
  const out: OperatorConfigMap[] = [];
  for (const [cmName, fields] of [
    ["argocd-rbac-cm", RBAC_FIELDS],
    ["argocd-cm", [...CM_FIELDS, ...extraFields]],
  ] as const) {
    const cm = configMap(cr, cmName, fields, label);
    if (cm) out.push(cm);
  }
  return out;
}

/** One ConfigMap of the fields the CR writes (a later field writing the same key wins, as `extraConfig` does). */
function configMap(cr: Obj, name: string, fields: readonly Field[], label: string): OperatorConfigMap | null {
  const data: Obj = {};
  const from = new Map<string, JsonPath>();
  for (const f of fields) {
    const v = getIn(cr, f.at);
    if (v === undefined || v === null) continue;
    data[f.key] = f.text ? f.text(v) : v;
    from.set(f.key, f.at);
  }
  if (from.size === 0) return null;
  const crPath = (path: JsonPath): JsonPath | undefined => (path[0] === "data" && typeof path[1] === "string" ? from.get(path[1]) : undefined);
  return {
    value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data },
    toCr: (path) => {
      const at = crPath(path);
      return at ? [...at, ...path.slice(2)] : ["spec"];
    },
    label,
    explain: (path) => {
      const at = crPath(path);
      return at ? `The Argo CD Operator writes its ${formatPath(at)} into ${name} as ${String(path[1])}` : `The Argo CD Operator writes ${name} from it`;
    },
  };
}
