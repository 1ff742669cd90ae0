import { z } from "zod";
import { defineRule, ruleOptions } from "../../core/rule.js";
import { podSpecs } from "../../parse/workloads.js";
import { asObj, isTemplatedValue, podSecurityContext, workloadName } from "./_pod-context.js";

/**
 * Pod Security Standards baseline safe sysctls (pod-security-admission `sysctlsAllowedV1Dot32`):
 * the 1.0 set, ip_local_reserved_ports (1.27), the TCP keepalive/fin_timeout set (1.29), and
 * tcp_rmem/tcp_wmem (1.32).
 */
const SAFE = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

const Options = z.strictObject({
  allowedSysctls: z
    .array(z.string().trim().min(1))
    .default([])
    .describe(
      "Sysctls your nodes allow beyond the safe set (the kubelet's `--allowed-unsafe-sysctls`): exact names, or a prefix ending in `*` such as `net.core.*`; `/` separators are read as `.`.",
    ),
});

/** Whether a sysctl is in the allowed list (exact, or under a `prefix*`). */
function allowedBy(list: readonly string[]): (name: string) => boolean {
  if (list.length === 0) return () => false;
  const norm = (s: string) => s.trim().replace(/\//g, ".");
  const exact = new Set(list.filter((s) => !s.endsWith("*")).map(norm));
  const prefixes = list.filter((s) => s.endsWith("*")).map((s) => norm(s.slice(0, -1)));
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

export default defineRule({
  meta: {
    id: "k8s/unsafe-sysctls",
    title: "Unsafe sysctl",
    severity: "high",
    description:
      "A pod `securityContext.sysctls[].name` outside the Pod Security Standards safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem); `/` separators are read as `.`.",
    rationale:
      "Sysctls outside the safe set are not isolated per pod: they can change kernel behaviour for the whole node, weaken other pods' security or exhaust node resources. Pod Security Standards baseline forbids them; the kubelet refuses them unless the node allows them explicitly.",
    fix: "Remove the sysctl from the pod spec; tune node-level kernel parameters in the node configuration (or a reviewed node-tuning DaemonSet) instead.",
    example: {
      bad: "securityContext:\n  sysctls:\n    - name: kernel.msgmax\n      value: \"65536\"\n",
      good: "securityContext:\n  sysctls:\n    - name: net.ipv4.ip_local_port_range\n      value: \"1024 65535\"\n",
    },
  },
  options: Options,
  checkDoc({ doc, report, settings }) {
    const pods = podSpecs(doc);
    if (pods.length === 0) return; // most documents are no workload: no matcher is made for them
    const allowed = allowedBy(ruleOptions(Options, settings).allowedSysctls);
    for (const pod of pods) {
      const { sc, path } = podSecurityContext(pod);
      const sysctls = sc.sysctls;
      if (!Array.isArray(sysctls)) continue;
      sysctls.forEach((s, i) => {
        const name = asObj(s).name;
        if (typeof name !== "string" || name === "" || isTemplatedValue(name)) return;
        const normalized = name.trim().replace(/\//g, ".");
        if (SAFE.has(normalized) || allowed(normalized)) return;
        report({
          path: [...path, "sysctls", i, "name"],
          message: `${workloadName(doc)} sets the unsafe sysctl ${name}, which is not isolated from the node.`,
        });
      });
    }
  },
});
