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

const podCache = new WeakMap<ParsedDoc, PodSpecRef[]>();
const containerCache = new WeakMap<ParsedDoc, ContainerRef[]>();

/** The pod spec of a workload document (any kind listed in RULES.md), or none. Memoised per document. */
export function podSpecs(doc: ParsedDoc): PodSpecRef[] {
  let hit = podCache.get(doc);
  if (!hit) {
    hit = findPodSpecs(doc);
    podCache.set(doc, hit);
  }
  return hit;
}

function findPodSpecs(doc: ParsedDoc): PodSpecRef[] {
  if (doc.class !== "kubernetes" && doc.class !== "argocd") return [];
  const kind = doc.resource.kind ?? "";
  const path = POD_SPEC_PATHS[kind];
  if (!path) return [];
  if (kind === "Rollout" && !doc.resource.apiVersion?.startsWith("argoproj.io/")) return [];
  const spec = getIn(doc.value, path);
  if (!isPlainObject(spec)) return [];
  const metadataPath = kind === "Pod" ? ["metadata"] : [...path.slice(0, -1), "metadata"];
  const metadata = getIn(doc.value, metadataPath);
  return [{ spec, path, metadataPath, metadata: isPlainObject(metadata) ? metadata : {} }];
}

/** Every container, init container and ephemeral container of every pod spec in the document. Memoised. */
export function containers(doc: ParsedDoc): ContainerRef[] {
  let hit = containerCache.get(doc);
  if (!hit) {
    hit = findContainers(doc);
    containerCache.set(doc, hit);
  }
  return hit;
}

function findContainers(doc: ParsedDoc): ContainerRef[] {
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
