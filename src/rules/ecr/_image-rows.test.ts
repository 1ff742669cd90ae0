import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../core/config.js";
import { noFacts } from "../../facts/build.js";
import { AS_OF, complete, DIGEST_A, DIGEST_B, ecrFacts, foundFact, vuln } from "../../../test/helpers/facts.js";
import { ecrImageRows, ecrRan } from "./_image-rows.js";

const R = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
const ECR = defaultConfig().ecr;

describe("ecrImageRows", () => {
  it("counts as the rules bucket them: unfixed CVEs counted but not fixable, allowlisted ones left out, exploitable ones critical", () => {
    const facts = ecrFacts({
      [`${R}/payments/api:v2`]: foundFact({
        scan: complete([
          vuln("CVE-1", "CRITICAL"),
          vuln("CVE-2", "CRITICAL", { fix: "no", packages: [{ name: "glibc", version: "2.36", fixedIn: null }] }),
          vuln("CVE-3", "HIGH", { exploit: true }),
          vuln("CVE-4", "HIGH"),
          vuln("CVE-5", "HIGH"),
        ]),
      }),
    });
    const ecr = { ...ECR, allowlist: [{ cve: "CVE-5", reason: "not reachable", expires: "2099-01-01T00:00:00.000Z" }] };
    const [r] = ecrImageRows(facts, ecr);
    expect(r).toMatchObject({
      image: `${R}/payments/api:v2`,
      registry: R,
      name: "payments/api:v2.14.0",
      digest: DIGEST_A,
      state: "complete",
      status: "COMPLETE",
      reason: null,
      critical: { count: 3, fixable: 2 },
      high: { count: 1, fixable: 1 },
    });
    expect(r!.top.map((v) => v.id)).toEqual(["CVE-3", "CVE-1", "CVE-4"]);
    expect(r!.top[1]).toEqual({ id: "CVE-1", severity: "CRITICAL", package: "openssl", version: "3.0.1", fixedIn: "3.0.15", exploit: false });
  });

  it("a multi-arch image shows its worst platform; not found, unavailable and pending images have no counts", () => {
    const facts = ecrFacts({
      [`${R}/web:1.1`]: foundFact({
        repository: "web",
        tag: "1.1",
        image: { found: true, digest: DIGEST_A, mediaType: "application/vnd.oci.image.index.v1+json", index: true },
        platforms: [
          { digest: DIGEST_A, platform: "linux/amd64", scan: complete([vuln("CVE-9", "CRITICAL")]) },
          { digest: DIGEST_B, platform: "linux/arm64", scan: { state: "pending", status: "IN_PROGRESS" } },
        ],
      }),
      [`${R}/gone:v1`]: foundFact({ repository: "gone", tag: "v1", image: { found: false, missing: "image", detail: 'tag "v1" does not exist' }, platforms: [] }),
      [`${R}/denied:v1`]: "access denied: not authorized to perform ecr:DescribeImages",
    });
    const rows = ecrImageRows(facts, ECR);
    expect(rows.map((r) => [r.name, r.state, r.status, r.platforms, r.critical, r.reason])).toEqual([
      ["web:1.1", "pending", "IN_PROGRESS", 2, { count: 1, fixable: 1 }, null],
      ["gone:v1", "not-found", null, 0, null, 'tag "v1" does not exist'],
      ["denied:v1", "unavailable", null, 0, null, "access denied: not authorized to perform ecr:DescribeImages"],
    ]);
  });

  it("only when the ECR provider ran", () => {
    expect(ecrRan(ecrFacts({}))).toBe(true);
    expect(ecrRan(noFacts(new Date(AS_OF)))).toBe(false);
    expect(ecrImageRows(noFacts(), ECR)).toEqual([]);
  });
});
