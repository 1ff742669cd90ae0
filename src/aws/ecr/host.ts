import { isDigest, type ImageRef } from "../../parse/image-ref.js";

/**
 * ECR private registry hosts, anchored (the regex of awslabs/amazon-ecr-credential-helper): account id, FIPS,
 * region and partition domain, including the dual-stack `dkr-ecr…on.aws` form, China and the isolated
 * partitions. `…amazonaws.com.evil.example` does not match; neither does ECR Public (`public.ecr.aws`).
 */
const ECR_HOST =
  /^(\d{12})\.dkr[.-]ecr(-fips)?\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\.(amazonaws\.(?:com(?:\.cn)?|eu)|on\.(?:aws|amazonwebservices\.com\.cn)|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/** Repository names ECR accepts (2–256 characters). */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export interface EcrRegistry {
  registryId: string;
  region: string;
  fips: boolean;
  /** The `dkr-ecr…` (IPv6) endpoint form. */
  dualStack: boolean;
  /** Partition domain, e.g. `amazonaws.com`, `amazonaws.com.cn`. */
  domain: string;
}

export function parseEcrHost(host: string): EcrRegistry | null {
  const m = ECR_HOST.exec(host.toLowerCase());
  if (!m) return null;
  return { registryId: m[1]!, fips: m[2] !== undefined, region: m[3]!, domain: m[4]!, dualStack: host.toLowerCase().includes(".dkr-ecr") };
}

export interface EcrImageId extends EcrRegistry {
  repository: string;
  tag: string | null;
  digest: string | null;
}

export type EcrRefParse = { ok: true; id: EcrImageId } | { ok: false; registry: EcrRegistry; repository: string; problem: string } | null;

/**
 * An image reference as an ECR image id; null when the host is not an ECR private registry. A reference on an
 * ECR host that ECR cannot hold (bad repository name, malformed digest) is `ok: false` with the problem: the
 * pull would fail, which is a finding, not silence.
 */
export function ecrImageOf(ref: ImageRef): EcrRefParse {
  const registry = parseEcrHost(ref.registry);
  if (!registry) return null;
  const repository = ref.repository;
  if (repository.length < 2 || repository.length > 256 || !REPOSITORY_NAME.test(repository)) {
    return { ok: false, registry, repository, problem: `"${repository}" is not a valid ECR repository name` };
  }
  if (ref.digest !== null && !(isDigest(ref.digest) && ref.digest.startsWith("sha256:"))) {
    return { ok: false, registry, repository, problem: `digest "${ref.digest}" is malformed (expected sha256:<64 hex>)` };
  }
  // The runtime uses the digest when both are given; a bare reference means :latest.
  const tag = ref.digest === null ? (ref.tag ?? "latest") : ref.tag;
  return { ok: true, id: { ...registry, repository, tag, digest: ref.digest } };
}

/**
 * Whether a file's text can hold a reference to an ECR private registry (a host written `….dkr.ecr…` or
 * `….dkr-ecr…`, in any case). A cheap test on raw text: files without it are not read for images at all.
 */
export function mentionsEcrRegistry(text: string): boolean {
  return /\.dkr[.-]ecr/i.test(text);
}

/** `<account>.dkr.ecr.<region>`: one name per registry whatever host form (FIPS, dual-stack) was written. */
export function registryName(r: Pick<EcrRegistry, "registryId" | "region">): string {
  return `${r.registryId}.dkr.ecr.${r.region}`;
}
