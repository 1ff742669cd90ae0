import { defineRule } from "../../core/rule.js";
import { containers, podSpecs } from "../../parse/workloads.js";
import { asObj, containerName, containerSecurityContext, podSecurityContext, workloadName } from "./_pod-context.js";

export default defineRule({
  meta: {
    id: "k8s/windows-host-process",
    title: "Windows HostProcess container",
    severity: "high",
    description: "`windowsOptions.hostProcess: true` in the pod or a container securityContext (one finding per offending node).",
    rationale:
      "A Windows HostProcess container runs directly on the node, in the host's network and with access to its file system, as a node account: it is the Windows equivalent of a privileged container. Pod Security Standards baseline forbids it.",
    fix: "Remove `windowsOptions.hostProcess: true`; run node management tasks through a reviewed, dedicated node-management process instead of a workload.",
    example: {
      bad: "securityContext:\n  windowsOptions:\n    hostProcess: true\n",
      good: "securityContext:\n  windowsOptions:\n    runAsUserName: ContainerUser\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const pod of podSpecs(doc)) {
      const { sc, path } = podSecurityContext(pod);
      if (asObj(sc.windowsOptions).hostProcess === true) {
        report({
          path: [...path, "windowsOptions", "hostProcess"],
          message: `${workloadName(doc)} runs its containers as Windows HostProcess containers on the node (pod windowsOptions.hostProcess: true).`,
        });
      }
    }
    for (const c of containers(doc)) {
      const { sc, path } = containerSecurityContext(c);
      if (asObj(sc.windowsOptions).hostProcess !== true) continue;
      report({
        path: [...path, "windowsOptions", "hostProcess"],
        message: `${containerName(doc, c)} runs as a Windows HostProcess container on the node (windowsOptions.hostProcess: true).`,
      });
    }
  },
});
