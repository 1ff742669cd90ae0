import type { DescribeImageScanFindingsResponse } from "@aws-sdk/client-ecr";
import { describe, expect, it } from "@jest/globals";
import { fixture } from "../../../test/fakes/ecr/fixtures.js";
import { cosignSignatureTag, indexChildren, isSignatureArtifact, scanFromPages } from "./normalize.js";

/** Wire JSON → the SDK's shape for the fields read here (timestamps become Dates). */
function page(json: Record<string, unknown>): DescribeImageScanFindingsResponse {
  const f = json.imageScanFindings as Record<string, unknown> | undefined;
  const date = (v: unknown) => (typeof v === "number" ? new Date(v * 1000) : undefined);
  return { ...json, imageScanFindings: f && { ...f, imageScanCompletedAt: date(f.imageScanCompletedAt), vulnerabilitySourceUpdatedAt: date(f.vulnerabilitySourceUpdatedAt) } } as DescribeImageScanFindingsResponse;
}

describe("scanFromPages", () => {
  it("joins the findings of all pages and reads the summary once (it repeats on every page)", () => {
    const scan = scanFromPages([page(fixture("describe-image-scan-findings.basic-aws-native.page1")), page(fixture("describe-image-scan-findings.basic-aws-native.page2"))]);
    expect(scan).toMatchObject({ state: "complete", status: "COMPLETE", completedAt: "2023-10-27T03:14:38.000Z" });
    if (scan.state !== "complete") throw new Error("unreachable");
    expect(scan.severityCounts).toEqual({ HIGH: 125, MEDIUM: 188, LOW: 30, UNDEFINED: 13, INFORMATIONAL: 353, CRITICAL: 6 });
    // Only CRITICAL/HIGH (or exploitable) findings are kept; basic scans do not say whether a fix exists.
    expect(scan.vulnerabilities.map((v) => [v.id, v.severity, v.fix, v.packages[0]?.name])).toEqual([
      ["CVE-2023-45871", "CRITICAL", "unknown", "linux"],
      ["CVE-2023-38408", "CRITICAL", "unknown", "openssh"],
      ["CVE-2021-3177", "CRITICAL", "unknown", "python2.7"],
    ]);
  });

  it("reads enhanced findings: fixAvailable, exploitAvailable, fixed-in versions ('NotAvailable' is no fix)", () => {
    const scan = scanFromPages([page(fixture("describe-image-scan-findings.enhanced.fixable-exploitable"))]);
    if (scan.state !== "complete") throw new Error(`unexpected ${scan.state}`);
    expect(scan.status).toBe("ACTIVE");
    expect(scan.vulnerabilities).toEqual([
      { id: "CVE-2021-44228", severity: "CRITICAL", fix: "yes", exploit: true, packages: [{ name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", fixedIn: "2.17.1" }] },
      {
        id: "CVE-2023-44487",
        severity: "HIGH",
        fix: "partial",
        exploit: true,
        packages: [
          { name: "golang.org/x/net", version: "v0.15.0", fixedIn: "0.17.0" },
          { name: "nghttp2-libs", version: "1.57.0-1.amzn2023.0.1", fixedIn: null },
        ],
      },
    ]);
  });

  it("keeps open severity keys such as UNTRIAGED in the counts", () => {
    const scan = scanFromPages([page(fixture("describe-image-scan-findings.enhanced.moto-untriaged"))]);
    expect(scan).toMatchObject({ state: "complete", severityCounts: { MEDIUM: 1, UNTRIAGED: 1 }, vulnerabilities: [] });
  });

  it("maps an unfixed enhanced HIGH finding to fix 'no'", () => {
    const scan = scanFromPages([page(fixture("describe-image-scan-findings.enhanced.aws-apiref"))]);
    expect(scan).toMatchObject({ state: "complete", vulnerabilities: [{ id: "CVE-2022-49043", fix: "no", exploit: false }] });
  });

  it.each([
    ["IN_PROGRESS", "pending"],
    ["PENDING", "pending"],
    ["FAILED", "unusable"],
    ["UNSUPPORTED_IMAGE", "unusable"],
    ["SCAN_ELIGIBILITY_EXPIRED", "unusable"],
    ["FINDINGS_UNAVAILABLE", "unusable"],
    ["LIMIT_EXCEEDED", "unusable"],
    ["IMAGE_ARCHIVED", "unusable"],
    ["COMPLETE_NO_FINDINGS", "complete"],
  ])("status %s → %s", (variant, state) => {
    const variants = fixture("describe-image-scan-findings.status-variants");
    expect(scanFromPages([page(variants[variant] as Record<string, unknown>)]).state).toBe(state);
  });

  it("treats a response without status, or an unknown status, as unusable", () => {
    expect(scanFromPages([{}])).toMatchObject({ state: "unusable", status: "UNKNOWN" });
    expect(scanFromPages([{ imageScanStatus: { status: "SOMETHING_NEW" as never } }])).toMatchObject({ state: "unusable", status: "SOMETHING_NEW" });
  });
});

describe("indexChildren", () => {
  it("lists platform manifests and skips the buildx attestation manifest", () => {
    const images = fixture("batch-get-image.index-and-failure").images as Array<{ imageManifest: string }>;
    expect(indexChildren(images[0]!.imageManifest)).toEqual([
      { digest: `sha256:${"1".repeat(64)}`, platform: "linux/amd64" },
      { digest: `sha256:${"2".repeat(64)}`, platform: "linux/arm64" },
    ]);
  });

  it("returns null for text that is not an index", () => {
    expect(indexChildren("not json")).toBeNull();
    expect(indexChildren(JSON.stringify({ schemaVersion: 2, layers: [] }))).toBeNull();
  });
});

describe("signatures", () => {
  it("recognises Notation and Sigstore bundle artifact types, not attestations", () => {
    const types = (fixture("list-image-referrers").referrers as Array<{ artifactType: string }>).map((r) => isSignatureArtifact(r.artifactType));
    expect(types).toEqual([true, true, true]);
    expect(isSignatureArtifact("application/vnd.in-toto+json")).toBe(false);
    expect(isSignatureArtifact(undefined)).toBe(false);
  });

  it("derives the cosign signature tag", () => {
    expect(cosignSignatureTag(`sha256:${"5f".repeat(32)}`)).toBe(`sha256-${"5f".repeat(32)}.sig`);
  });
});
