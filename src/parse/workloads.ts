import type { JsonPath } from "../core/path.js";
import { isPlainObject } from "./classify.js";
import type { ParsedDoc } from "./yaml-file.js";

export type Obj = Record<string, unknown>;

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, JsonPath> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  Rollout: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

export interface PodSpecRef {
  spec: Obj;
  /** Path of the pod spec inside the document. */
  path: JsonPath;
  /** Path of the pod's metadata (the template's metadata, or the Pod's own). */
  metadataPath: JsonPath;
  metadata: Obj;
}

export type ContainerGroup = "containers" | "initContainers" | "ephemeralContainers";
export const CONTAINER_GROUPS: readonly ContainerGroup[] = ["containers", "initContainers", "ephemeralContainers"];

export interface ContainerRef {
  container: Obj;
  path: JsonPath;
  group: ContainerGroup;
  index: number;
  name: string;
  pod: PodSpecRef;
}

const GROUP_LABEL: Record<ContainerGroup, string> = {
  containers: "Container",
  initContainers: "Init container",
  ephemeralContainers: "Ephemeral container",
};

/**
 * What a container is called in every message: `Container`, `Init container`, `Sidecar container` (an init container
 * with `restartPolicy: Always`, a native sidecar), `Ephemeral container` — one name for one container everywhere.
 */
export function containerLabel(c: ContainerRef): string {
  return c.group === "initContainers" && c.container.restartPolicy === "Always" ? "Sidecar container" : GROUP_LABEL[c.group];
}

export function getIn(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === "number") {
      if (!Array.isArray(v)) return undefined;
      v = v[seg];
    } else {
      if (!isPlainObject(v)) return undefined;
      v = v[seg];
    }
  }
  return v;
}

const podCache = new WeakMap<ParsedDoc, readonly PodSpecRef[]>();
const containerCache = new WeakMap<ParsedDoc, readonly ContainerRef[]>();
const NO_PODS: readonly PodSpecRef[] = [];
const NO_CONTAINERS: readonly ContainerRef[] = [];

/** Where a document of this class and kind keeps its pod spec, or undefined for a document that is no workload. */
function podSpecPath(doc: ParsedDoc): JsonPath | undefined {
  if (doc.class !== "kubernetes" && doc.class !== "argocd") return undefined;
  const kind = doc.resource.kind ?? "";
  if (kind === "Rollout" && !doc.resource.apiVersion?.startsWith("argoproj.io/")) return undefined;
  return Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
}

/**
 * The pod spec of a workload document (any kind listed in RULES.md), or none. Memoised per document; most documents
 * are no workload, and every pod rule asks about each: they are told so by their kind, before any lookup.
 */
export function podSpecs(doc: ParsedDoc): readonly PodSpecRef[] {
  const path = podSpecPath(doc);
  if (path === undefined) return NO_PODS;
  let hit = podCache.get(doc);
  if (!hit) {
    hit = findPodSpecs(doc, path);
    podCache.set(doc, hit);
  }
  return hit;
}

function findPodSpecs(doc: ParsedDoc, path: JsonPath): readonly PodSpecRef[] {
  const kind = doc.resource.kind ?? "";
  const spec = getIn(doc.value, path);
  if (!isPlainObject(spec)) return NO_PODS;
  const metadataPath = kind === "Pod" ? ["metadata"] : [...path.slice(0, -1), "metadata"];
  const metadata = getIn(doc.value, metadataPath);
  return [{ spec, path, metadataPath, metadata: isPlainObject(metadata) ? metadata : {} }];
}

/** Every container, init container and ephemeral container of every pod spec in the document. Memoised. */
export function containers(doc: ParsedDoc): readonly ContainerRef[] {
  if (podSpecPath(doc) === undefined) return NO_CONTAINERS;
  let hit = containerCache.get(doc);
  if (!hit) {
    hit = findContainers(doc);
    containerCache.set(doc, hit);
  }
  return hit;
}

function findContainers(doc: ParsedDoc): readonly ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const pod of podSpecs(doc)) {
    for (const group of CONTAINER_GROUPS) {
      const list = pod.spec[group];
      if (!Array.isArray(list)) continue;
      list.forEach((c, index) => {
        if (!isPlainObject(c)) return;
        out.push({ container: c, path: [...pod.path, group, index], group, index, name: typeof c.name === "string" ? c.name : `#${index}`, pod });
      });
    }
  }
  return out;
}
