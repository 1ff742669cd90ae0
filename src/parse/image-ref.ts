/** Container image references, parsed the way the container runtime resolves them. */
export interface ImageRef {
  raw: string;
  /** Registry host, `docker.io` when none is written. */
  registry: string;
  /** Repository path inside the registry (`library/nginx` for `nginx`). */
  repository: string;
  tag: string | null;
  digest: string | null;
  /** True when the reference contains template/variable syntax and cannot be judged. */
  templated: boolean;
}

/** Host names that all mean Docker Hub. */
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/** Registry hosts compare case-insensitively, and Docker Hub's host names are one registry. */
export function normalizeRegistry(host: string): string {
  const h = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? "docker.io" : h;
}

const TEMPLATE = /\{\{|\$\{|\$\(|<path:|<[A-Z_]+>/;

export function isTemplated(s: string): boolean {
  return TEMPLATE.test(s);
}

export function parseImageRef(raw: string): ImageRef {
  const value = raw.trim();
  let rest = value;
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry = "docker.io";
  const slash = rest.indexOf("/");
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  registry = normalizeRegistry(registry);
  let repository = rest;
  if (registry === "docker.io" && repository !== "" && !repository.includes("/")) repository = `library/${repository}`;
  return { raw, registry, repository, tag: tag === "" ? null : tag, digest: digest === "" ? null : digest, templated: isTemplated(value) };
}

const DIGEST_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** True for a well-formed digest: `sha256:<64 hex>`, `sha512:<128 hex>` (other algorithms: ≥ 32 hex). */
export function isDigest(d: string | null): boolean {
  if (d === null) return false;
  const m = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-f0-9]+)$/.exec(d);
  if (!m) return false;
  const want = DIGEST_LENGTH[m[1]!];
  return want === undefined ? m[2]!.length >= 32 : m[2]!.length === want;
}
