import { defineRule } from "../../core/rule.js";
import { workloadName } from "./_pod-context.js";
import { hostPathVolumes, isRuntimeSocketPath } from "./_pod-host-paths.js";

/** A host path as the node resolves it for identity: `//` runs collapsed, a trailing `/` dropped (`/var/log/` is `/var/log`). */
function normalizedHostPath(p: string): string {
  const collapsed = p.trim().replace(/\/{2,}/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

export default defineRule({
  meta: {
    id: "k8s/host-path-volume",
    title: "hostPath volume",
    severity: "high",
    description:
      "A pod volume of type `hostPath`. A hostPath that exposes a container runtime socket is reported by k8s/container-runtime-socket instead (one finding per volume).",
    rationale:
      "A hostPath volume mounts a directory or file of the node into the container: writable host paths allow tampering with the node, and even read-only ones leak node credentials, logs and other pods' data. Pod Security Standards baseline forbids hostPath volumes.",
    fix: "Replace the hostPath volume with an emptyDir, configMap, secret, projected or persistentVolumeClaim volume; if node access is truly needed, mount the narrowest path read-only and run the workload in a dedicated, restricted namespace.",
    example: {
      bad: "volumes:\n  - name: logs\n    hostPath:\n      path: /var/log\n",
      good: "volumes:\n  - name: logs\n    emptyDir: {}\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const v of hostPathVolumes(doc)) {
      // A runtime socket: k8s/container-runtime-socket reports the volume and stands for this finding.
      const socket = v.hostPath !== null && isRuntimeSocketPath(v.hostPath);
      const where = v.hostPath !== null ? `host path ${v.hostPath}` : "a host path";
      // At the path's value when it is written (an overlay that widens it is shown where it does), under the volume and
      // the host path it mounts: moving the value from a base to an overlay keeps the finding (and the waivers recorded
      // against it), while mounting another host path is another risk — a waiver for `/var/lib/kubelet/pods` does not
      // cover `/etc`.
      const identity = v.hostPath !== null ? [...v.path, "path", normalizedHostPath(v.hostPath)] : v.path;
      report({ path: v.hostPath !== null ? [...v.path, "path"] : v.path, identity, message: `Volume "${v.name}" of ${workloadName(doc)} mounts ${where} from the node.`, ...(socket ? { deferredTo: "k8s/container-runtime-socket" } : {}) });
    }
  },
});
