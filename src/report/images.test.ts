import { describe, expect, it } from "@jest/globals";
import { marked } from "marked";
import { checkRunOutput } from "./check-run-output.js";
import { imagesJson, imagesSection, imagesText, MAX_TEXT_IMAGES, registryLabel, type ImageRow } from "./images.js";
import { toJsonReport } from "./json.js";
import { renderMarkdown } from "./pr-comment.js";
import { renderText } from "./text.js";
import { finding, result } from "./test-helpers.js";

const EU = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
const US = "111122223333.dkr.ecr.us-east-1.amazonaws.com";
const DIGEST = `sha256:${"5f1e0c3b7a9d".padEnd(64, "0")}`;

function row(over: Partial<ImageRow> = {}): ImageRow {
  return {
    image: `${EU}/payments/api:v2`,
    registry: EU,
    name: "payments/api:v2",
    digest: DIGEST,
    state: "complete",
    status: "ACTIVE",
    reason: null,
    platforms: 1,
    critical: { count: 0, fixable: 0 },
    high: { count: 0, fixable: 0 },
    top: [],
    ...over,
  };
}

const critical = row({
  image: `${EU}/payments/api:v3`,
  name: "payments/api:v3",
  critical: { count: 2, fixable: 1 },
  high: { count: 1, fixable: 1 },
  top: [
    { id: "CVE-2026-1000", severity: "CRITICAL", package: "openssl", version: "3.0.1", fixedIn: "3.0.15", exploit: true },
    { id: "CVE-2026-1001", severity: "CRITICAL", package: "com.fasterxml.jackson.core:jackson-databind", version: "2.13.0", fixedIn: null, exploit: false },
  ],
});
const missing = row({ image: `${EU}/payments/api:v9`, name: "payments/api:v9", digest: null, state: "not-found", status: null, reason: 'tag "v9" does not exist', critical: null, high: null });
const denied = row({ image: `${US}/audit:v1`, registry: US, name: "audit:v1", digest: null, state: "unavailable", status: null, reason: "access denied: not authorized to perform ecr:DescribeImages", critical: null, high: null });
const pending = row({ image: `${EU}/web:1.1`, name: "web:1.1", state: "pending", status: "IN_PROGRESS", critical: null, high: null });

/** The table rows of a rendered section, cells trimmed. */
function tableRows(md: string): string[][] {
  return md
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Image"))
    .map((l) => l.slice(2, -2).split(" | "));
}

describe("the Images section", () => {
  it("lists the worst first: not found, critical vulnerabilities, no answer, pending, clean", () => {
    const md = renderMarkdown(result([finding()]), { sections: [imagesSection([row(), pending, denied, critical, missing])] });
    expect(tableRows(md).map((cells) => cells[0]!.split("<br>")[0])).toEqual(["`payments/api:v9`", "`payments/api:v3`", "`audit:v1`", "`web:1.1`", "`payments/api:v2`"]);
    const [, crit] = tableRows(md);
    expect(crit).toEqual([
      // Rows span two registries: each names its own.
      "`payments/api:v3`<br><sub>sha256:5f1e0c3b7a9d · 111122223333 eu-central-1</sub>",
      "✅ scanned (ACTIVE)",
      "**2**<br><sub>1 fixable</sub>",
      "**1**<br><sub>1 fixable</sub>",
      "CVE-2026-1000<br><sub>openssl 3.0.1 → 3.0.15 · exploit</sub><br>CVE-2026-1001<br><sub>jackson-databind 2.13.0</sub>",
    ]);
    // Why there is no answer is in the row; a missing image's reason is its finding's to say.
    expect(tableRows(md)[2]![1]).toBe("⚠️ unavailable<br><sub>access denied: not authorized to perform ecr:DescribeImages</sub>");
    expect(tableRows(md)[0]![1]).toBe("⛔ not found");
  });

  it("names a registry shared by every row once, in the summary", () => {
    const md = renderMarkdown(result([]), { sections: [imagesSection([row(), critical])] });
    expect(md).toContain("#### Images (2)\n\n2 images this change introduces on Amazon ECR (registry 111122223333 eu-central-1): 1 with critical vulnerabilities, 1 clean.");
    expect(tableRows(md)[0]![0]).toBe("`payments/api:v3`<br><sub>sha256:5f1e0c3b7a9d</sub>");
  });

  it("is one table GitHub renders (a `|` in a name does not split a cell), before the non-blocking findings", () => {
    const odd = row({ name: "weird|name:v1", image: `${EU}/weird|name:v1` });
    const md = renderMarkdown(result([finding({ severity: "low" }), finding()]), { sections: [imagesSection([odd, critical])] });
    const html = marked.parse(md, { gfm: true }) as string;
    expect(html.match(/<table>/g)).toHaveLength(1);
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).toContain("<code>weird|name:v1</code>");
    expect(md.indexOf("#### Images")).toBeGreaterThan(md.indexOf("Blocking the merge"));
    expect(md.indexOf("#### Images")).toBeLessThan(md.indexOf("Not blocking"));
  });

  it("collapses more than five rows in the PR comment (the summary stands in for the intro); the check run shows them open", () => {
    const rows = Array.from({ length: 6 }, (_, i) => row({ image: `${EU}/svc-${i}:v1`, name: `svc-${i}:v1` }));
    const md = renderMarkdown(result([]), { sections: [imagesSection(rows)] });
    expect(md).toContain("#### Images (6)\n\n<details><summary>6 images this change introduces on Amazon ECR (registry 111122223333 eu-central-1): 6 clean.</summary>\n\n| Image |");
    const check = checkRunOutput(result([]), { sections: [imagesSection(rows)] });
    expect(check.summary).toContain("#### Images (6)\n\n6 images this change introduces on Amazon ECR");
    expect(check.summary).not.toContain("<details><summary>6 images");
  });

  it("stays within the comment's size with thousands of images, saying how many rows were left out", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row({ image: `${EU}/team-${i}/service:v${i}`, name: `team-${i}/service:v${i}`, critical: { count: i % 7, fixable: i % 3 }, top: critical.top }));
    const max = 60_000;
    const md = renderMarkdown(result([finding()]), { maxChars: max, sections: [imagesSection(rows)] });
    expect(Buffer.byteLength(md, "utf8")).toBeLessThanOrEqual(max);
    const shown = tableRows(md).length;
    expect(shown).toBeGreaterThan(5);
    expect(md).toContain(`_… and ${3000 - shown} more not shown: the full list is in the gitops-guard check run._`);
    const check = checkRunOutput(result([finding()]), { sections: [imagesSection(rows)] });
    expect(Buffer.byteLength(check.summary, "utf8")).toBeLessThanOrEqual(65_535);
  });
});

describe("the Images part of text and JSON output", () => {
  it("text: a summary line and one compact line per image, worst first, at most MAX_TEXT_IMAGES", () => {
    const text = renderText(result([]), { color: false, images: [row(), critical, missing] });
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.startsWith("images: "));
    expect(lines.slice(at, at + 4)).toEqual([
      "images: 3 images this change introduces on Amazon ECR (registry 111122223333 eu-central-1): 1 not found, 1 with critical vulnerabilities, 1 clean.",
      `  ${EU}/payments/api:v9  -  not found`,
      `  ${EU}/payments/api:v3  sha256:5f1e0c3b7a9d  scanned (ACTIVE)  critical 2 (1 fixable)  high 1 (1 fixable)  CVE-2026-1000 openssl 3.0.1 → 3.0.15 (exploit), CVE-2026-1001 com.fasterxml.jackson.core:jackson-databind 2.13.0`,
      `  ${EU}/payments/api:v2  sha256:5f1e0c3b7a9d  scanned (ACTIVE)  critical 0  high 0`,
    ]);
    const many = imagesText(Array.from({ length: 25 }, (_, i) => row({ image: `${EU}/s${i}:v1` })));
    expect(many).toHaveLength(1 + MAX_TEXT_IMAGES + 1);
    expect(many.at(-1)).toBe("  … and 5 more (--format json lists every image)");
    expect(renderText(result([]), { color: false })).not.toContain("images:");
  });

  it("JSON: an additive top-level `images` array only when the ECR checks ran (empty when they found no image)", () => {
    expect(Object.keys(toJsonReport(result([])))).toEqual(["version", "conclusion", "summary", "findings", "notes"]);
    expect(toJsonReport(result([]), { images: [] }).images).toEqual([]);
    const [first] = toJsonReport(result([]), { images: [row(), missing] }).images!;
    expect(first).toEqual({
      image: `${EU}/payments/api:v9`,
      registry: EU,
      name: "payments/api:v9",
      digest: null,
      scan: "not-found",
      status: null,
      reason: 'tag "v9" does not exist',
      platforms: 1,
      critical: null,
      high: null,
      vulnerabilities: [],
    });
    expect(imagesJson([critical])[0]!.vulnerabilities[0]).toEqual(critical.top[0]);
  });

  it("labels ECR registries by account and region, saying FIPS and dual-stack", () => {
    expect(registryLabel(EU)).toBe("111122223333 eu-central-1");
    expect(registryLabel("111122223333.dkr-ecr-fips.us-gov-west-1.on.aws")).toBe("111122223333 us-gov-west-1 (FIPS, dual-stack)");
    expect(registryLabel("registry.example.com")).toBe("registry.example.com");
  });
});
