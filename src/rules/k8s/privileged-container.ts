import { defineRule } from "../../core/rule.js";
import { containers, type ContainerRef } from "../../parse/workloads.js";
import { asObj, containerLabel, isTemplatedValue } from "./_pod-context.js";

const FIX = "Remove `privileged: true`; grant only the specific capabilities the process needs under `securityContext.capabilities.add`.";

/** `sh`, `/bin/bash` …: a shell whose `-c` argument is the script. */
const SHELL = /^(?:\/usr)?(?:\/bin\/)?(?:sh|bash|ash|dash)$/;
/** `sysctl -w vm.max_map_count=262144` (one or more `key=value`, any flags). */
const SYSCTL_WRITE = /^(?:\/usr)?(?:\/s?bin\/)?sysctl(?:\s+-[a-zA-Z]+)*((?:\s+[\w./-]+=\S+)+)$/;
/** `echo 262144 > /proc/sys/vm/max_map_count`: the same write through procfs. */
const PROC_SYS_WRITE = /^echo\s+\S+\s*>\s*\/proc\/sys\/([\w/]+)$/;
/** Script steps that change nothing: `set -e`, `true`, `:`, an `echo` without redirection. */
const NO_OP = /^(?:set\s+[-+]\w+|true|:|echo(?:\s[^>]*)?)$/;

/** The argv of a container (`command` then `args`), or null when a part is not a plain string. */
function argv(container: Record<string, unknown>): string[] | null {
  const parts: string[] = [];
  for (const field of [container.command, container.args]) {
    if (field === undefined || field === null) continue;
    if (!Array.isArray(field) || field.some((a) => typeof a !== "string" || isTemplatedValue(a))) return null;
    parts.push(...(field as string[]));
  }
  return parts;
}

/** What the container runs as shell text: the script of `sh -c "<script>"`, else its argv joined. */
function scriptOf(container: Record<string, unknown>): string | null {
  const args = argv(container);
  if (!args || args.length === 0) return null;
  const flag = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
  return SHELL.test(args[0]!) && flag > 0 && flag + 1 < args.length ? args[flag + 1]! : args.join(" ");
}

/**
 * The kernel parameters an init container sets when setting them is all it does (`sysctl -w vm.max_map_count=…`,
 * the Elasticsearch/OpenSearch init container, or `echo … > /proc/sys/…`); null when it does anything else.
 */
function sysctlsOnlySet(c: ContainerRef): string[] | null {
  if (containerLabel(c) !== "Init container") return null;
  const script = scriptOf(asObj(c.container));
  if (script === null) return null;
  const names: string[] = [];
  for (const step of script.split(/&&|\|\||;|\n/).map((s) => s.trim())) {
    const sysctl = SYSCTL_WRITE.exec(step);
    const proc = PROC_SYS_WRITE.exec(step);
    if (sysctl) names.push(...sysctl[1]!.trim().split(/\s+/).map((kv) => kv.slice(0, kv.indexOf("="))));
    else if (proc) names.push(proc[1]!.replaceAll("/", "."));
    else if (step !== "" && !NO_OP.test(step)) return null;
  }
  return names.length > 0 ? names : null;
}

/** The fix for an init container that only sets sysctls: tune the nodes, not a privileged pod. */
function sysctlFix(names: readonly string[]): string {
  const mmap = names.includes("vm.max_map_count") ? " Elasticsearch and OpenSearch can also run without it (`node.store.allow_mmap: false`)." : "";
  return (
    `This init container only sets kernel parameters (${names.join(", ")}), which are the node's, not the pod's: set them on the nodes instead, ` +
    "in the node's own configuration (a sysctl.d file in the node image, the cloud provider's node configuration) or with a node-tuning DaemonSet the platform team owns, " +
    `and remove the init container; if it must stay, waive this finding with that reason.${mmap}`
  );
}

/**
 * The mount paths of a container's `volumeMounts` with `mountPropagation: Bidirectional`, which Kubernetes accepts in a
 * privileged container only (a CSI node plugin publishing volumes to the kubelet): there `privileged` cannot go.
 */
function bidirectionalMounts(c: ContainerRef): string[] {
  const mounts = c.container.volumeMounts;
  if (!Array.isArray(mounts)) return [];
  return mounts.flatMap((m) => {
    const mount = asObj(m);
    return mount.mountPropagation === "Bidirectional" ? [typeof mount.mountPath === "string" ? mount.mountPath : typeof mount.name === "string" ? mount.name : "?"] : [];
  });
}

/** The fix for a container that propagates mounts back to the host: privileged is required, accept it on the record. */
function bidirectionalFix(paths: readonly string[]): string {
  return (
    `This container mounts ${paths.map((p) => JSON.stringify(p)).join(", ")} with \`mountPropagation: Bidirectional\`, which Kubernetes accepts only in a privileged container ` +
    "(a CSI node plugin or storage agent mounting volumes for the node): removing `privileged: true` makes the pod invalid. " +
    "If it must propagate its mounts to the host, keep it privileged and accept the risk on the record: a reviewed suppression on the workload " +
    "(`gitops-guard.io/ignore: \"k8s/privileged-container -- CSI node plugin: Bidirectional mount propagation\"`) or a waiver with that reason; " +
    "if it only needs to see the host's mounts, use `HostToContainer` and remove `privileged: true`."
  );
}

export default defineRule({
  meta: {
    id: "k8s/privileged-container",
    title: "Privileged container",
    severity: "critical",
    description:
      "A container, init container or ephemeral container with `securityContext.privileged: true`. An init container that only sets kernel parameters (`sysctl -w vm.max_map_count=…`, as Elasticsearch, OpenSearch and Wazuh charts do) is told to tune the nodes instead: granting capabilities would not let it write a node-wide sysctl. A container with a `mountPropagation: Bidirectional` volume mount (a CSI node plugin) must be privileged, as Kubernetes requires: it is told so, and to record the accepted risk with a reviewed suppression or waiver.",
    rationale:
      "A privileged container has every capability and full access to the host's devices: escaping to the node is trivial, and from the node to the cluster. Pod Security Standards baseline forbids it.",
    fix: FIX,
    example: {
      bad: "containers:\n  - name: app\n    securityContext:\n      privileged: true\n",
      good: "containers:\n  - name: app\n    securityContext:\n      privileged: false\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const sc = c.container.securityContext;
      if (typeof sc === "object" && sc !== null && (sc as Record<string, unknown>).privileged === true) {
        const sysctls = sysctlsOnlySet(c);
        const bidirectional = bidirectionalMounts(c);
        const fix = sysctls ? sysctlFix(sysctls) : bidirectional.length > 0 ? bidirectionalFix(bidirectional) : undefined;
        report({
          path: [...c.path, "securityContext", "privileged"],
          message: `${containerLabel(c)} "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}" runs privileged.`,
          ...(fix !== undefined ? { fix } : {}),
        });
      }
    }
  },
});
