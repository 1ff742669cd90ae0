import { hasGlobSyntax, isDeny, isWildcardOnly } from "./_project-glob.js";

/**
 * Hosts where anyone can create a repository (or push a chart/image): a wildcard owner there lets any
 * stranger's repository in.
 */
const PUBLIC_HOSTS = new Set([
  "github.com",
  "www.github.com",
  "gitlab.com",
  "bitbucket.org",
  "codeberg.org",
  "dev.azure.com",
  "ssh.dev.azure.com",
  "ghcr.io",
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "quay.io",
  "public.ecr.aws",
]);

interface UrlParts {
  host: string;
  segments: string[];
}

/** Splits `scheme://user@host:port/a/b`, `user@host:a/b` or `host/a/b` into host and path segments. */
function urlParts(pattern: string): UrlParts {
  let rest = pattern.trim();
  const scheme = /^([a-z][a-z0-9+.-]*|\*+):\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const at = rest.indexOf("@");
  const slash = rest.indexOf("/");
  if (at >= 0 && (slash < 0 || at < slash)) rest = rest.slice(at + 1);
  const hostEnd = rest.search(/[/:]/);
  const host = hostEnd < 0 ? rest : rest.slice(0, hostEnd);
  let path = hostEnd < 0 ? "" : rest.slice(hostEnd + 1);
  // `host:port/path` (URL) or `host:path` (scp-like ssh): drop a numeric port.
  if (hostEnd >= 0 && rest[hostEnd] === ":") path = path.replace(/^\d+\//, "");
  return { host: host.toLowerCase(), segments: path.split("/").filter((s) => s !== "") };
}

/** A host pattern that matches hosts anybody can register: `*`, `*.com`, `github.*`, `*github.com`. */
function isWildcardHost(host: string): boolean {
  if (!hasGlobSyntax(host)) return false;
  const literalLabels = host.split(".").filter((l) => l !== "" && !hasGlobSyntax(l));
  return literalLabels.length < 2;
}

/**
 * Why a `sourceRepos` entry admits repositories from anywhere, or null when it is scoped. Deny entries
 * (`!...`) never admit anything.
 */
export function wildcardRepoReason(entry: string): string | null {
  const pattern = entry.trim();
  if (pattern === "" || isDeny(pattern)) return null;
  if (isWildcardOnly(pattern)) return "any repository";
  const { host, segments } = urlParts(pattern);
  if (isWildcardHost(host)) return "repositories on any host";
  const owner = segments[0];
  if (PUBLIC_HOSTS.has(host) && owner !== undefined && isWildcardOnly(owner)) {
    // Argo CD matches sourceRepos with `/` as a separator: `github.com/*` alone matches no repository.
    if (segments.length > 1 || owner.includes("**")) return `any repository on ${host}, including strangers'`;
  }
  return null;
}
