import type { Severity } from "../../core/types.js";
import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { containers, podSpecs, type ContainerRef, type PodSpecRef } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { normalizeCapability } from "./dangerous-capabilities.js";
import {
  absenceApplies,
  asObj,
  containerName,
  containerSecurityContext,
  effectiveField,
  isHostProcessPod,
  onceReporter,
  podSecurityContext,
  usesUserNamespace,
  workloadName,
} from "./_pod-context.js";

function isNonZeroUid(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

/**
 * UID 0 under `runAsNonRoot: true` (the container's own, else the pod's): the kubelet refuses to start the container
 * (CreateContainerConfigError, "container's runAsUser breaks non-root policy"). It never runs as root, so not the
 * high root finding: medium, a setting that becomes root the moment someone drops runAsNonRoot to make it start.
 */
function refusedAsRoot(c: ContainerRef): boolean {
  return effectiveField(c, "runAsUser").value === 0 && effectiveField(c, "runAsNonRoot").value === true;
}

const CONFLICT_SEVERITY: Severity = "medium";
const CONFLICT_FIX = "Replace `runAsUser: 0` with a non-zero UID (e.g. 65532) the image can run as, and keep `runAsNonRoot: true`; a container that needs root is a decision to waive with the reason, not one to make by dropping runAsNonRoot.";

/** The pod's containers (init and ephemeral containers too). */
function containersOf(doc: ParsedDoc, pod: PodSpecRef): ContainerRef[] {
  return containers(doc).filter((c) => c.pod === pod);
}

/** Whether the pod has containers and every one of them (init and ephemeral containers too) sets its own non-zero runAsUser. */
function everyContainerOverridesUid(doc: ParsedDoc, pod: PodSpecRef): boolean {
  const own = containersOf(doc, pod);
  return own.length > 0 && own.every((c) => isNonZeroUid(containerSecurityContext(c).sc.runAsUser));
}

const FIX = "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` (e.g. 65532) in the pod's securityContext, and build the image with a non-root USER.";

/**
 * The capabilities a container adds that only root can use (a non-root process gets added capabilities in its bounding
 * set only): every one but NET_BIND_SERVICE, the one Pod Security restricted lets a non-root container add.
 */
function rootCapabilities(c: ContainerRef): string[] {
  const add = asObj(containerSecurityContext(c).sc.capabilities).add;
  if (!Array.isArray(add)) return [];
  return add.filter((x): x is string => typeof x === "string").map(normalizeCapability).filter((x) => x !== "" && x !== "NET_BIND_SERVICE");
}

/** The host paths the pod's hostPath volumes mount (`a host path` when one is not a literal). */
function hostPathsOf(pod: PodSpecRef): string[] {
  const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
  return volumes.flatMap((v) => {
    if (!isPlainObject(v) || v.hostPath === undefined || v.hostPath === null) return [];
    const p = asObj(v.hostPath).path;
    return [typeof p === "string" ? p : "a host path"];
  });
}

/**
 * The fix for a container (or, for a pod-level setting, the pod's containers) that adds capabilities or whose pod
 * mounts host paths: a node agent (CNI, VIP, log or node exporter) that needs root for them breaks without it, so the
 * fix says to keep it and waive with the reason, as k8s/host-namespaces does for DaemonSets. The plain fix otherwise.
 */
function fixFor(pod: PodSpecRef, own: ContainerRef[]): { fix?: string } {
  const caps = [...new Set(own.flatMap(rootCapabilities))];
  const paths = [...new Set(hostPathsOf(pod))];
  if (caps.length === 0 && paths.length === 0) return {};
  const needs = [
    ...(caps.length > 0 ? [`adds ${caps.length === 1 ? "capability" : "capabilities"} ${caps.join(", ")}`] : []),
    ...(paths.length > 0 ? [`mounts ${paths.length === 1 ? "host path" : "host paths"} ${paths.join(", ")}`] : []),
  ].join(" and ");
  return { fix: `${FIX.slice(0, -1)}; it ${needs}: if this is a node agent that needs root for them, keep root for this workload alone, in a dedicated namespace, and waive the finding with that reason.` };
}

export default defineRule({
  meta: {
    id: "k8s/run-as-root",
    title: "Container may run as root",
    severity: "high",
    description:
      "`runAsUser: 0`, or `runAsNonRoot: false` on a container that has no non-zero runAsUser, at pod or container level (high; a pod-level `runAsUser: 0` that every container overrides with a non-zero UID: low); a container for which neither the pod nor the container sets `runAsNonRoot: true` or a non-zero `runAsUser` (medium). Container settings override pod settings. In a pod with its own user namespace (`hostUsers: false`) explicit root is medium and the unset case is not reported; nor is it for a Windows HostProcess pod (k8s/windows-host-process reports it). UID 0 (the container's or inherited from the pod) under `runAsNonRoot: true` (the container's or the pod's) is a container the kubelet will not start (CreateContainerConfigError): medium, and the message says it conflicts with runAsNonRoot; a pod-level UID 0 is so only when every container that inherits it is refused. When the container adds capabilities (other than NET_BIND_SERVICE, which a non-root process can use) or its pod mounts hostPath volumes, the finding's fix names them and says that a node agent that needs root for them keeps it and waives the finding with the reason.",
    rationale:
      "A process running as UID 0 is root inside the container: together with any other weakness (a writable hostPath, an added capability, a kernel bug) it becomes root on the node. Pod Security Standards restricted requires runAsNonRoot: true and forbids runAsUser: 0.",
    fix: FIX,
    example: {
      bad: "spec:\n  securityContext:\n    runAsUser: 0\n",
      good: "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 65532\n",
    },
  },
  checkDoc(ctx) {
    const { doc } = ctx;
    const report = onceReporter(ctx);
    for (const pod of podSpecs(doc)) {
      // The pod-level UID 0 is forbidden even where every container overrides it (Pod Security restricted rejects
      // it), but then no container runs as root: low, a default that a container added without its own UID inherits.
      const podSc = podSecurityContext(pod);
      const podFix = fixFor(pod, containersOf(doc, pod));
      if (podSc.sc.runAsUser === 0) {
        const inNamespace = usesUserNamespace(pod) ? " inside its user namespace" : "";
        const inheritors = containersOf(doc, pod).filter((c) => effectiveField(c, "runAsUser").level === "pod");
        report(
          inheritors.length > 0 && inheritors.every(refusedAsRoot)
            ? {
                path: [...podSc.path, "runAsUser"],
                message: `${workloadName(doc)} sets pod securityContext.runAsUser: 0, which conflicts with runAsNonRoot: true: the kubelet will not start ${inheritors.length === 1 ? "its container" : "the containers"} that inherit${inheritors.length === 1 ? "s" : ""} it (CreateContainerConfigError), so none runs as root, but dropping runAsNonRoot to start ${inheritors.length === 1 ? "it" : "them"} would make ${inheritors.length === 1 ? "it" : "them"} root.`,
                severity: CONFLICT_SEVERITY,
                fix: CONFLICT_FIX,
              }
            : everyContainerOverridesUid(doc, pod)
            ? {
                path: [...podSc.path, "runAsUser"],
                message: `${workloadName(doc)} sets pod securityContext.runAsUser: 0; every container overrides it with a non-zero runAsUser, but a container added without one would run as root${inNamespace}.`,
                severity: "low",
                ...podFix,
              }
            : {
                path: [...podSc.path, "runAsUser"],
                message: `${workloadName(doc)} runs its containers as root${inNamespace} (pod securityContext.runAsUser: 0).`,
                severity: usesUserNamespace(pod) ? "medium" : "high",
                ...podFix,
              },
        );
      }
    }
    for (const c of containers(doc)) {
      const userns = usesUserNamespace(c.pod);
      const explicit: Severity = userns ? "medium" : "high";
      const own = containerSecurityContext(c);
      if (own.sc.runAsUser === 0 && refusedAsRoot(c)) {
        const where = effectiveField(c, "runAsNonRoot").level === "pod" ? " (pod securityContext)" : "";
        report({
          path: [...own.path, "runAsUser"],
          message: `${containerName(doc, c)} sets runAsUser: 0, which conflicts with runAsNonRoot: true${where}: the kubelet will not start it (CreateContainerConfigError), so it does not run as root, but dropping runAsNonRoot to start it would make it root.`,
          severity: CONFLICT_SEVERITY,
          fix: CONFLICT_FIX,
        });
        continue;
      }
      if (own.sc.runAsUser === 0) {
        report({
          path: [...own.path, "runAsUser"],
          message: `${containerName(doc, c)} runs as root${userns ? " inside its user namespace" : ""} (runAsUser: 0).`,
          severity: explicit,
          ...fixFor(c.pod, [c]),
        });
        continue;
      }
      const uid = effectiveField(c, "runAsUser");
      const nonRoot = effectiveField(c, "runAsNonRoot");
      if (uid.value === 0) continue; // the pod-level runAsUser: 0 is reported above
      if (nonRoot.value === false && nonRoot.path && !isNonZeroUid(uid.value)) {
        report({
          path: nonRoot.path,
          message:
            nonRoot.level === "pod"
              ? `${workloadName(doc)} turns off the non-root check for its containers (pod securityContext.runAsNonRoot: false).`
              : `${containerName(doc, c)} turns off the non-root check (runAsNonRoot: false).`,
          severity: explicit,
          ...fixFor(c.pod, nonRoot.level === "pod" ? containersOf(doc, c.pod) : [c]),
        });
        continue;
      }
      if (nonRoot.value === true || isNonZeroUid(uid.value)) continue;
      // Set but templated (`"{{ .Values.uid }}"`) or malformed: not known to be root.
      if (uid.value !== undefined || nonRoot.value !== undefined) continue;
      if (own.unknown || podSecurityContext(c.pod).unknown) continue;
      if (!absenceApplies(doc, c)) continue;
      if (userns) continue; // Pod Security Standards relax this for pods in their own user namespace
      // A Windows HostProcess container runs as a node account by design: k8s/windows-host-process reports it (one
      // cause, one finding; held-out round 23). Its Linux UID fields mean nothing there.
      if (isHostProcessPod(c.pod)) continue;
      report({
        path: c.path,
        message: `${containerName(doc, c)} may run as root: neither the pod nor the container sets runAsNonRoot: true or a non-zero runAsUser.`,
        severity: "medium",
        ...fixFor(c.pod, [c]),
      });
    }
  },
});
