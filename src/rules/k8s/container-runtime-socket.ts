import { defineRule } from "../../core/rule.js";
import { workloadName } from "./_pod-context.js";
import { hostPathVolumes, normalizeHostPath, runtimeSocketKind } from "./_pod-host-paths.js";

export default defineRule({
  meta: {
    id: "k8s/container-runtime-socket",
    title: "Container runtime socket mounted",
    severity: "critical",
    description:
      "A hostPath volume that exposes the container runtime: docker.sock, containerd.sock, crio.sock (or cri-dockerd/dockershim/podman sockets), a runtime's socket directory such as /run/containerd, all of /run or /var/run, or the node's root filesystem `/`. It replaces k8s/host-path-volume for that volume.",
    rationale:
      "Whoever can talk to the container runtime socket can start a privileged container on the node and take it over; from there the node's kubelet credentials reach the rest of the cluster.",
    fix: "Remove the hostPath volume for the runtime socket; build images with a daemonless builder (BuildKit rootless, kaniko, buildah) and read container metadata through the Kubernetes API instead.",
    example: {
      bad: "volumes:\n  - name: docker\n    hostPath:\n      path: /var/run/docker.sock\n",
      good: "volumes:\n  - name: cache\n    emptyDir: {}\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const v of hostPathVolumes(doc)) {
      const kind = v.hostPath === null ? null : runtimeSocketKind(v.hostPath);
      if (kind === null) continue;
      report({
        path: [...v.path, "path"],
        message:
          kind === "socket"
            ? `Volume "${v.name}" of ${workloadName(doc)} mounts the node's container runtime socket ${v.hostPath}.`
            : `Volume "${v.name}" of ${workloadName(doc)} mounts the node's ${normalizeHostPath(v.hostPath!) === "/" ? "root filesystem /" : v.hostPath}, which holds the container runtime socket.`,
      });
    }
  },
});
