import { formatPath, type JsonPath } from "../core/path.js";
import { isPlainObject } from "./classify.js";
import { getIn } from "./workloads.js";

/**
 * The Argo CD Operator's (and OpenShift GitOps') `ArgoCD` custom resource (`argoproj.io/v1alpha1` or `v1beta1`) as
 * the ConfigMaps and the argocd-server Deployment the operator writes from it, so that the Argo CD rules judge it as
 * they judge argocd-cm, argocd-rbac-cm and the argocd-server container, at the CR's own lines (and report it as the
 * CR, at its fields: see `DerivedDoc.reportedAs`). Field names as the operator reads them (argoproj-labs/argocd-operator
 * `api/v1beta1/argocd_types.go`, `controllers/argocd/configmap.go`):
 * - argocd-rbac-cm: `spec.rbac.policy` → `policy.csv`, `spec.rbac.defaultPolicy` → `policy.default`,
 *   `spec.rbac.scopes` → `scopes`, `spec.rbac.policyMatcherMode` → `policy.matchMode`;
 * - argocd-cm: `spec.usersAnonymousEnabled` → `users.anonymous.enabled`, `spec.kustomizeBuildOptions` →
 *   `kustomize.buildOptions`, and every `spec.extraConfig` key as it is (it takes precedence over the fields);
 * - the argocd-server container (`controllers/argocd/deployment.go`): `spec.server.extraCommandArgs` appended to its
 *   `argocd-server` command, `spec.server.env` as its environment.
 * Only what the CR writes: the operator's defaults for what it leaves out (`policy.default: role:readonly`) are not
 * added. Pure.
 */

type Obj = Record<string, unknown>;

/** One object the operator writes from a CR, with the CR path each of its paths comes from. */
export interface OperatorObject {
  value: Obj;
  /** The CR path a path of the object is written at (the CR's `spec` for anything else). */
  toCr: (path: JsonPath) => JsonPath;
  /** For messages: `ArgoCD "openshift-gitops"`. */
  label: string;
  /** How a finding at a path of the object comes about, for its message. */
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

/**
 * argocd-rbac-cm and argocd-cm as the operator writes them from a CR (those it writes something into), and the
 * argocd-server Deployment when the CR gives its container arguments or environment.
 */
export function operatorObjects(cr: unknown): OperatorObject[] {
  if (!isArgoCdOperatorCr(cr)) return [];
  const name = isPlainObject(cr.metadata) && typeof cr.metadata.name === "string" ? cr.metadata.name : "";
  const label = `ArgoCD "${name}"`;
  const extra = cr.spec.extraConfig;
  const extraFields: Field[] = isPlainObject(extra) ? Object.keys(extra).map((key) => ({ key, at: ["spec", "extraConfig", key] })) : [];
  const out: OperatorObject[] = [];
  for (const [cmName, fields] of [
    ["argocd-rbac-cm", RBAC_FIELDS],
    ["argocd-cm", [...CM_FIELDS, ...extraFields]],
  ] as const) {
    const cm = configMap(cr, cmName, fields, label);
    if (cm) out.push(cm);
  }
  const server = serverDeployment(cr, name, label);
  if (server) out.push(server);
  return out;
}

/** Where the operator's argocd-server Deployment keeps its container. */
const SERVER_CONTAINER: JsonPath = ["spec", "template", "spec", "containers", 0];

/**
 * The argocd-server Deployment (`<name>-server`) as far as the CR writes it: the container's command (`argocd-server`
 * and `spec.server.extraCommandArgs`, which the operator appends to the arguments it passes itself) and its `env`
 * (`spec.server.env`). Null when the CR gives neither.
 */
function serverDeployment(cr: Obj & { spec: Obj }, name: string, label: string): OperatorObject | null {
  const args = getIn(cr, ["spec", "server", "extraCommandArgs"]);
  const env = getIn(cr, ["spec", "server", "env"]);
  if (!Array.isArray(args) && !Array.isArray(env)) return null;
  const container: Obj = { name: "argocd-server", command: ["argocd-server", ...(Array.isArray(args) ? (args as unknown[]) : [])] };
  if (Array.isArray(env)) container.env = env;
  const toCr = (path: JsonPath): JsonPath => {
    if (SERVER_CONTAINER.some((seg, i) => path[i] !== seg)) return ["spec", "server"];
    const [field, index, ...rest] = path.slice(SERVER_CONTAINER.length);
    if (field === "command" && typeof index === "number" && index > 0) return ["spec", "server", "extraCommandArgs", index - 1, ...rest];
    if (field === "env" && index !== undefined) return ["spec", "server", "env", index, ...rest];
    return ["spec", "server"];
  };
  return {
    value: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `${name}-server` }, spec: { template: { spec: { containers: [container] } } } },
    toCr,
    label,
    explain: (path) => {
      const at = toCr(path);
      const field = at[2] === "extraCommandArgs" ? "passes its spec.server.extraCommandArgs to the argocd-server command" : "gives its spec.server.env to the argocd-server container";
      return at.length > 3 ? `The Argo CD Operator ${field}` : "The Argo CD Operator writes the argocd-server Deployment from it";
    },
  };
}

/** One ConfigMap of the fields the CR writes (a later field writing the same key wins, as `extraConfig` does). */
function configMap(cr: Obj, name: string, fields: readonly Field[], label: string): OperatorObject | null {
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
