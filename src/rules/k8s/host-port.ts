import { defineRule } from "../../core/rule.js";
import { containers } from "../../parse/workloads.js";
import { asObj, containerName } from "./_pod-context.js";

export default defineRule({
  meta: {
    id: "k8s/host-port",
    title: "Container binds a host port",
    severity: "medium",
    description: "A container, init container or ephemeral container with a non-zero `ports[].hostPort`.",
    rationale:
      "A host port opens the port on every node the pod lands on, bypassing Services and NetworkPolicies that select on pod traffic, and limits scheduling to one such pod per node. Pod Security Standards baseline forbids host ports.",
    fix: "Remove `hostPort` and expose the container through a Service (ClusterIP, or a LoadBalancer/Ingress for outside traffic).",
    example: {
      bad: "ports:\n  - containerPort: 8080\n    hostPort: 8080\n",
      good: "ports:\n  - containerPort: 8080\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const ports = c.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        const hostPort = asObj(p).hostPort;
        if (typeof hostPort !== "number" || hostPort === 0) return;
        report({
          path: [...c.path, "ports", i, "hostPort"],
          message: `${containerName(doc, c)} binds host port ${hostPort} on the node.`,
        });
      });
    }
  },
});
