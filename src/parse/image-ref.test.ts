import { describe, expect, it } from "@jest/globals";
import { isDigest, parseImageRef } from "./image-ref.js";

const D = `sha256:${"a".repeat(64)}`;

describe("parseImageRef", () => {
  it.each([
    ["nginx", "docker.io", "library/nginx", null, null],
    ["nginx:1.27", "docker.io", "library/nginx", "1.27", null],
    ["index.docker.io/nginx:1.27", "docker.io", "library/nginx", "1.27", null],
    ["bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", null],
    ["ghcr.io/acme/web:1.2.3", "ghcr.io", "acme/web", "1.2.3", null],
    ["localhost:5000/app", "localhost:5000", "app", null, null],
    ["registry.example.com:5000/team/app:v1", "registry.example.com:5000", "team/app", "v1", null],
    [`123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0@${D}`, "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "web", "1.0", D],
    [`quay.io/prometheus/node-exporter@${D}`, "quay.io", "prometheus/node-exporter", null, D],
  ])("%s", (raw, registry, repository, tag, digest) => {
    expect(parseImageRef(raw)).toMatchObject({ registry, repository, tag, digest, templated: false });
  });

  it("marks templated references", () => {
    expect(parseImageRef("{{ .Values.image }}").templated).toBe(true);
    expect(parseImageRef("${REGISTRY}/app:1").templated).toBe(true);
  });
});

describe("isDigest", () => {
  it("requires the full length for known algorithms", () => {
    expect(isDigest(D)).toBe(true);
    expect(isDigest(`sha256:${"a".repeat(32)}`)).toBe(false);
    expect(isDigest(`sha256:${"A".repeat(64)}`)).toBe(false);
    expect(isDigest(`sha512:${"b".repeat(128)}`)).toBe(true);
    expect(isDigest(null)).toBe(false);
  });
});
