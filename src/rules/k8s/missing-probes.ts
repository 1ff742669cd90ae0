import { z } from "zod";
import { defineRule, ruleOptions } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { containers, type ContainerRef } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { isWorkloadFragment } from "./_manifest-fragments.js";
import { containerLabel } from "./_pod-context.js";

/** Kinds whose pods run to completion. */
const RUN_TO_COMPLETION = new Set(["Job", "CronJob"]);

function longRunning(doc: ParsedDoc, c: ContainerRef): boolean {
  const kind = doc.resource.kind ?? "";
  if (RUN_TO_COMPLETION.has(kind)) return false;
  const restart = c.pod.spec.restartPolicy;
  if (kind === "Pod" && (restart === "Never" || restart === "OnFailure")) return false;
  if (c.group === "containers") return true;
  // A sidecar: an init container with `restartPolicy: Always` runs for the pod's whole life.
  return c.group === "initContainers" && c.container.restartPolicy === "Always";
}

const PROBES = ["readiness", "liveness"] as const;

const Options = z.strictObject({
  required: z
    .array(z.enum(PROBES))
    .min(1)
    .default([...PROBES])
    .describe("Which probes a long-running container must have: `readiness`, `liveness` or both (e.g. `[readiness]` where restarts are left to the process supervisor)."),
});

export default defineRule({
  meta: {
    id: "k8s/missing-probes",
    title: "Long-running container without probes",
    severity: "low",
    description:
      "A long-running container without a readiness probe or without a liveness probe; one finding per container, at the container, naming what is missing. Long-running means the regular containers and sidecar init containers (`restartPolicy: Always`) of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Argo Rollouts and Pods that restart always; Jobs, CronJobs, run-once Pods, init containers and ephemeral containers are skipped. A startup probe replaces neither. Fragments such as Kustomize patches (no `spec.selector`, a container without an image) are skipped.",
    rationale:
      "Without a readiness probe a pod receives traffic as soon as its process starts, and keeps receiving it while it cannot serve, so rollouts drop requests. Without a liveness probe a deadlocked process is never restarted.",
    fix: "Add a `readinessProbe` that checks the container can serve and a `livenessProbe` that checks it is not stuck (cheaper and more tolerant than readiness, e.g. a higher failureThreshold).",
    example: {
      bad: "containers:\n  - name: web\n    image: nginx:1.27.3\n",
      good: "containers:\n  - name: web\n    image: nginx:1.27.3\n    readinessProbe:\n      httpGet: { path: /ready, port: 8080 }\n    livenessProbe:\n      httpGet: { path: /healthz, port: 8080 }\n",
    },
  },
  options: Options,
  checkDoc({ doc, report, settings }) {
    if (isWorkloadFragment(doc)) return;
    const list = containers(doc);
    if (list.length === 0) return; // most documents are no workload: no set of required probes is made for them
    const required = new Set(ruleOptions(Options, settings).required);
    for (const c of list) {
      if (!longRunning(doc, c)) continue;
      const missing: string[] = [];
      if (required.has("readiness") && !isPlainObject(c.container.readinessProbe)) missing.push("readiness");
      if (required.has("liveness") && !isPlainObject(c.container.livenessProbe)) missing.push("liveness");
      if (missing.length === 0) continue;
      report({
        path: c.path,
        message: `${containerLabel(c)} "${c.name}" in ${doc.resource.kind} "${doc.resource.name ?? "?"}" has no ${missing.join(" or ")} probe.`,
      });
    }
  },
});
