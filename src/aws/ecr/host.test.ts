import { describe, expect, it } from "@jest/globals";
import { parseImageRef } from "../../parse/image-ref.js";
import { ecrImageOf, parseEcrHost } from "./host.js";

describe("parseEcrHost", () => {
  it.each([
    ["111122223333.dkr.ecr.eu-central-1.amazonaws.com", { registryId: "111122223333", region: "eu-central-1", fips: false, dualStack: false, domain: "amazonaws.com" }],
    ["111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com", { registryId: "111122223333", region: "us-gov-west-1", fips: true, dualStack: false }],
    ["111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn", { region: "cn-north-1", domain: "amazonaws.com.cn" }],
    ["111122223333.dkr-ecr.eu-west-1.on.aws", { region: "eu-west-1", dualStack: true, domain: "on.aws" }],
    ["111122223333.dkr-ecr-fips.us-east-1.on.aws", { region: "us-east-1", dualStack: true, fips: true }],
    ["111122223333.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn", { region: "cn-northwest-1", dualStack: true }],
    ["111122223333.dkr.ecr.us-iso-east-1.c2s.ic.gov", { region: "us-iso-east-1", domain: "c2s.ic.gov" }],
    ["111122223333.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", { region: "us-isob-east-1" }],
    ["111122223333.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk", { region: "eu-isoe-west-1" }],
    ["111122223333.dkr.ecr.us-isof-south-1.csp.hci.ic.gov", { region: "us-isof-south-1" }],
    ["111122223333.dkr.ecr.eusc-de-east-1.amazonaws.eu", { region: "eusc-de-east-1", domain: "amazonaws.eu" }],
    ["111122223333.DKR.ECR.EU-CENTRAL-1.AMAZONAWS.COM", { region: "eu-central-1" }],
  ])("%s is an ECR private registry", (host, expected) => {
    expect(parseEcrHost(host)).toMatchObject(expected);
  });

  it.each([
    "111122223333.dkr.ecr.eu-central-1.amazonaws.com.evil.example",
    "evil.example/111122223333.dkr.ecr.eu-central-1.amazonaws.com",
    "x111122223333.dkr.ecr.eu-central-1.amazonaws.com",
    "11112222333.dkr.ecr.eu-central-1.amazonaws.com",
    "111122223333.dkr.ecr.eu-central-1.amazonaws.com:443",
    "111122223333.dkr.ecr.eu-central-1.amazonaws.co",
    "111122223333.dkr.ecr..amazonaws.com",
    "111122223333.dkrXecr.eu-central-1.amazonaws.com",
    "111122223333.dkr.ecr.eu-central-1.amazonaws.com.cn.evil.example",
    "111122223333.dkr.ecr.eu-central-1.on.aws.evil.example",
    "public.ecr.aws",
    "ecr-public.aws.com",
    "docker.io",
    "ghcr.io",
  ])("%s is not", (host) => {
    expect(parseEcrHost(host)).toBeNull();
  });
});

describe("ecrImageOf", () => {
  const R = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
  const D = `sha256:${"0a".repeat(32)}`;

  it.each([
    [`${R}/payments/api:v2.14.0`, { repository: "payments/api", tag: "v2.14.0", digest: null }],
    [`${R}/payments/api`, { repository: "payments/api", tag: "latest", digest: null }],
    [`${R}/payments/api@${D}`, { repository: "payments/api", tag: null, digest: D }],
    [`${R}/payments/api:v2@${D}`, { repository: "payments/api", tag: "v2", digest: D }],
    [`${R}/a/b/c/deeply-nested_repo.name:1`, { repository: "a/b/c/deeply-nested_repo.name", tag: "1" }],
  ])("%s", (raw, expected) => {
    const r = ecrImageOf(parseImageRef(raw));
    expect(r?.ok).toBe(true);
    if (r?.ok) expect(r.id).toMatchObject({ registryId: "111122223333", region: "eu-central-1", ...expected });
  });

  it("names what ECR cannot hold", () => {
    expect(ecrImageOf(parseImageRef(`${R}/Payments/API:v1`))).toMatchObject({ ok: false, problem: '"Payments/API" is not a valid ECR repository name' });
    expect(ecrImageOf(parseImageRef(`${R}/api@sha256:abc`))).toMatchObject({ ok: false, problem: 'digest "sha256:abc" is malformed (expected sha256:<64 hex>)' });
  });

  it("does not cover other registries, ECR Public included", () => {
    expect(ecrImageOf(parseImageRef("public.ecr.aws/nginx/nginx:1.27"))).toBeNull();
    expect(ecrImageOf(parseImageRef(`${R}.evil.example/payments/api:v1`))).toBeNull();
  });
});
