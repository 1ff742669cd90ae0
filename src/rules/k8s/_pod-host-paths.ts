/** Host paths that expose a container runtime's API socket (Docker, containerd, CRI-O, Podman). */
import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import { podSpecs } from "../../parse/workloads.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

const SOCKET_FILES = new Set(["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock", "podman.sock"]);

/**
 * Directories that exist only to hold a runtime's sockets (and state), or that hold them as they are: mounting them
 * exposes the socket. The node's root `/` holds `/run` itself (not `/var`: its `run` is a relative symbolic link, which
 * resolves inside the container).
 */
const SOCKET_DIRS = new Set([
  "/",
  "/run",
  "/var/run",
  "/run/containerd",
  "/var/run/containerd",
  "/run/crio",
  "/var/run/crio",
  "/run/docker",
  "/var/run/docker",
  "/run/k3s/containerd",
  "/run/podman",
  "/var/run/podman",
  "/run/cri-dockerd",
  "/var/run/cri-dockerd",
]);

/** Windows named pipes of the Docker engine and containerd. */
const WINDOWS_PIPES = /^\\\\\.\\pipe\\(docker_engine|containerd-containerd)$/i;

/** `/var//run/` → `/var/run`. */
export function normalizeHostPath(p: string): string {
  const collapsed = p.trim().replace(/\/+/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

/**
 * Whether a hostPath gives access to a container runtime socket: the socket file itself (in any
 * directory) or a Windows runtime pipe ("socket"), a runtime's socket directory or all of `/run` /
 * `/var/run` ("directory"); null otherwise.
 */
export function runtimeSocketKind(raw: string): "socket" | "directory" | null {
  if (WINDOWS_PIPES.test(raw.trim())) return "socket";
  const p = normalizeHostPath(raw);
  if (SOCKET_DIRS.has(p)) return "directory";
  const base = p.slice(p.lastIndexOf("/") + 1);
  return SOCKET_FILES.has(base) ? "socket" : null;
}

export function isRuntimeSocketPath(raw: string): boolean {
  return runtimeSocketKind(raw) !== null;
}

/** A pod volume of type hostPath (a `hostPath: null` patch that removes one is not). */
export interface HostPathVolume {
  /** Path of the volume's `hostPath` key in the document. */
  path: JsonPath;
  name: string;
  /** The host path, when it is a literal string. */
  hostPath: string | null;
}

export function hostPathVolumes(doc: ParsedDoc): HostPathVolume[] {
  const out: HostPathVolume[] = [];
  for (const pod of podSpecs(doc)) {
    const volumes = pod.spec.volumes;
    if (!Array.isArray(volumes)) continue;
    volumes.forEach((v, i) => {
      if (!isPlainObject(v) || v.hostPath === undefined || v.hostPath === null) return;
      const p = isPlainObject(v.hostPath) ? v.hostPath.path : undefined;
      out.push({ path: [...pod.path, "volumes", i, "hostPath"], name: typeof v.name === "string" ? v.name : `#${i}`, hostPath: typeof p === "string" ? p : null });
    });
  }
  return out;
}
