import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";

type Obj = Record<string, unknown>;

const lower = (v: string): string => v.trim().toLowerCase();

/**
 * Annotations that make a cloud provider create an internal (VPC-only) load balancer, with the values that do.
 * Sources: the Kubernetes Service docs ("Internal load balancer") and each provider's controller docs.
 */
const INTERNAL_ANNOTATIONS: ReadonlyArray<readonly [string, (v: string) => boolean]> = [
  // AWS in-tree provider: any value but "false" (documented as "true", older docs "0.0.0.0/0"); also read by the AWS Load Balancer Controller.
  ["service.beta.kubernetes.io/aws-load-balancer-internal", (v) => lower(v) !== "" && lower(v) !== "false"],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", (v) => lower(v) === "internal"],
  ["networking.gke.io/load-balancer-type", (v) => lower(v) === "internal"],
  ["cloud.google.com/load-balancer-type", (v) => lower(v) === "internal"],
  ["service.beta.kubernetes.io/azure-load-balancer-internal", (v) => lower(v) === "true"],
  ["service.beta.kubernetes.io/oci-load-balancer-internal", (v) => lower(v) === "true"],
  ["oci-network-load-balancer.oraclecloud.com/internal", (v) => lower(v) === "true"],
  ["service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", (v) => lower(v) === "private"],
  ["service.beta.kubernetes.io/openstack-internal-load-balancer", (v) => lower(v) === "true"],
  ["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", (v) => lower(v) === "intranet"],
  ["service.kubernetes.io/qcloud-loadbalancer-internal-subnetid", (v) => lower(v) !== ""],
  ["service.beta.kubernetes.io/cce-load-balancer-internal-vpc", (v) => lower(v) === "true"],
  ["service.beta.kubernetes.io/do-loadbalancer-network", (v) => lower(v) === "internal"],
  ["load-balancer.hetzner.cloud/disable-public-network", (v) => lower(v) === "true"],
];

/** `spec.loadBalancerClass` values whose controller creates an internal load balancer by default. */
const INTERNAL_CLASSES = new Set(["networking.gke.io/l4-regional-internal"]);

/** Where bare-metal load balancers (Cilium LB IPAM, MetalLB, kube-vip) take a requested address. */
const IP_ANNOTATIONS = ["lbipam.cilium.io/ips", "io.cilium/lb-ipam-ips", "metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs", "kube-vip.io/loadbalancerIPs"];

/** RFC 1918, RFC 6598 (shared/CGNAT) and IPv6 unique-local addresses. */
function isPrivateAddress(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^f[cd][0-9a-f]{0,2}:/i.test(ip);
}

function str(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  return null;
}

/** True when something in the Service makes its load balancer internal (or restricts who can reach it). */
function isInternal(annotations: Obj, spec: Obj): boolean {
  for (const [key, internal] of INTERNAL_ANNOTATIONS) {
    const v = str(annotations[key]);
    if (v !== null && internal(v)) return true;
  }
  const lbClass = typeof spec.loadBalancerClass === "string" ? spec.loadBalancerClass : "";
  if (INTERNAL_CLASSES.has(lbClass)) return true;
  // The AWS Load Balancer Controller (v2.2+) provisions internal NLBs unless told `internet-facing`.
  const awsType = lower(str(annotations["service.beta.kubernetes.io/aws-load-balancer-type"]) ?? "");
  const awsScheme = lower(str(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]) ?? "");
  const awsInternal = lower(str(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]) ?? "");
  const awsController = awsType === "external" || awsType === "nlb-ip" || lbClass === "service.k8s.aws/nlb";
  if (awsController && awsScheme !== "internet-facing" && awsInternal !== "false") return true;
  const requested: string[] = [];
  const lbIp = str(spec.loadBalancerIP);
  if (lbIp) requested.push(lbIp);
  for (const key of IP_ANNOTATIONS) {
    const v = str(annotations[key]);
    if (v) requested.push(...v.split(","));
  }
  const ips = requested.map((s) => s.trim()).filter((s) => s !== "");
  if (ips.length > 0 && ips.every(isPrivateAddress)) return true;
  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges.map((r) => String(r).trim()) : [];
  if (ranges.length > 0 && !ranges.some((r) => r === "0.0.0.0/0" || r === "::/0")) return true;
  return false;
}

export default defineRule({
  meta: {
    id: "k8s/exposed-service",
    title: "Service exposed outside the cluster",
    severity: "medium",
    description:
      "A Service of `type: NodePort`, or of `type: LoadBalancer` with nothing that makes it internal, reported at `spec.type`. Internal means: an internal-load-balancer annotation (AWS `aws-load-balancer-internal` / `aws-load-balancer-scheme: internal`, GKE `networking.gke.io/load-balancer-type` or `cloud.google.com/load-balancer-type: Internal`, Azure, OCI LB and NLB, IBM, OpenStack, Alibaba, Tencent, Baidu, DigitalOcean, Hetzner), the GKE internal `loadBalancerClass`, the AWS Load Balancer Controller without `scheme: internet-facing` (its default is internal), requested addresses (`loadBalancerIP`, Cilium/MetalLB/kube-vip IP annotations) that are all private, or `loadBalancerSourceRanges` without `0.0.0.0/0`.",
    rationale:
      "A NodePort opens the port on every node's address, past Ingress TLS and authentication; a LoadBalancer without an internal annotation gets a public address from most cloud providers. Either puts the backend on the network edge, often unintentionally (Helm chart defaults).",
    fix: "Use `type: ClusterIP` behind an Ingress or Gateway, or make the load balancer internal with your provider's annotation (e.g. `service.beta.kubernetes.io/aws-load-balancer-scheme: internal`), or restrict it with `loadBalancerSourceRanges`.",
    example: {
      bad: "kind: Service\nspec:\n  type: LoadBalancer\n",
      good: "kind: Service\nmetadata:\n  annotations:\n    networking.gke.io/load-balancer-type: Internal\nspec:\n  type: LoadBalancer\n",
    },
  },
  checkDoc({ doc, report }) {
    if (doc.class !== "kubernetes" || doc.resource.kind !== "Service" || doc.resource.apiVersion !== "v1") return;
    const value = doc.value as Obj;
    const spec = isPlainObject(value.spec) ? value.spec : {};
    const meta = isPlainObject(value.metadata) ? value.metadata : {};
    const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
    const name = `Service "${doc.resource.name ?? "?"}"`;
    if (spec.type === "NodePort") {
      report({ path: ["spec", "type"], message: `${name} is type NodePort: its ports are open on every node's address.` });
    } else if (spec.type === "LoadBalancer" && !isInternal(annotations, spec)) {
      report({
        path: ["spec", "type"],
        message: `${name} is type LoadBalancer with no internal-load-balancer annotation or private address, so cloud providers give it a public address.`,
      });
    }
  },
});
