import { defineRule } from "../../core/rule.js";
import { podSpecs } from "../../parse/workloads.js";
import { isHostProcessPod, workloadName } from "./_pod-context.js";

const NAMESPACES = [
  { field: "hostPID", what: "process (PID) namespace: it can see every process on the node" },
  { field: "hostIPC", what: "IPC namespace: it can reach the shared memory and IPC objects of processes on the node" },
  { field: "hostNetwork", what: "network namespace: it can bind node ports and reach node-local services" },
] as const;

export default defineRule({
  meta: {
    id: "k8s/host-namespaces",
    title: "Host namespaces shared",
    severity: "high",
    description: "A pod spec with `hostPID: true`, `hostIPC: true` or `hostNetwork: true` (one finding per field). A Windows HostProcess pod's `hostNetwork: true`, which the API requires of it, is k8s/windows-host-process' finding.",
    rationale:
      "Sharing the node's PID, IPC or network namespace removes the isolation between the pod and the node: processes, shared memory and node-local network services become visible to the container. Pod Security Standards baseline forbids it.",
    fix: "Remove `hostPID`, `hostIPC` and `hostNetwork` from the pod spec (or set them to false); expose network services through a Service instead.",
    example: {
      bad: "spec:\n  hostNetwork: true\n  containers:\n    - name: app\n",
      good: "spec:\n  containers:\n    - name: app\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const pod of podSpecs(doc)) {
      for (const ns of NAMESPACES) {
        if (pod.spec[ns.field] !== true) continue;
        // A HostProcess pod must set hostNetwork (the API refuses it otherwise): k8s/windows-host-process reports the cause.
        if (ns.field === "hostNetwork" && isHostProcessPod(pod)) continue;
        report({
          path: [...pod.path, ns.field],
          message: `${workloadName(doc)} shares the node's ${ns.what} (${ns.field}: true).`,
          fix:
            doc.resource.kind === "DaemonSet"
              ? `Remove \`${ns.field}: true\` from the pod spec; if this is a node agent that needs it (a CNI, a node or log exporter), keep it for this DaemonSet alone, in a dedicated namespace, and waive the finding with that reason.`
              : `Remove \`${ns.field}: true\` from the pod spec.`,
        });
      }
    }
  },
});
