/**
 * The "Images" part of every report: the container images a change introduces on a registry a facts provider
 * covers (Amazon ECR), with their scan status, critical/high counts (fixable) and top CVEs. One row type, rendered
 * as a Markdown table (PR comment, check run, CLI markdown), a few compact lines (CLI text) and a JSON array (CLI
 * JSON, additive). Pure; the rows are built by the provider's rules (src/rules/ecr/image-rows.ts), which apply the
 * same policy as the findings (allowlist, `ignoreUnfixed`, `blockExploitable`).
 */
import type { ExtraSection } from "./finding-sections.js";
import { code, escapeText } from "./markdown-blocks.js";
import { clip, oneLine, plural } from "./wording.js";

/** Where an image stands: found and scanned, scan pending or absent, scan unusable, not found, or no answer. */
export type ImageScanState = "complete" | "pending" | "missing" | "unusable" | "not-found" | "unavailable";

export interface ImageVulnerabilityRow {
  id: string;
  severity: string;
  package: string | null;
  version: string | null;
  fixedIn: string | null;
  exploit: boolean;
}

export interface ImageCount {
  count: number;
  /** Of `count`, those whose fix is known to exist. */
  fixable: number;
}

export interface ImageRow {
  /** The reference as written. */
  image: string;
  /** Registry host, and the image inside it (`payments/api:v2`) for display. */
  registry: string;
  name: string;
  /** The digest the reference resolved to (or was pinned to); null when it was not found. */
  digest: string | null;
  state: ImageScanState;
  /** ECR's scan status (`COMPLETE`, `ACTIVE`, `IN_PROGRESS`, `FAILED`, …) when it gave one. */
  status: string | null;
  /** Why there is no usable scan (not found, access denied, …); null when there is one. */
  reason: string | null;
  /** Platforms scanned (a multi-arch image has several); 0 when none was. */
  platforms: number;
  /** Null when no complete scan exists. Counted as the ecr/* rules count (allowlisted CVEs left out). */
  critical: ImageCount | null;
  high: ImageCount | null;
  /** The most important CVEs first (known exploit, then fixable), critical before high. */
  top: ImageVulnerabilityRow[];
}

/** Display order: not found, critical vulnerabilities, no answer or unusable scan, no scan, pending, high only, clean. */
function rank(r: ImageRow): number {
  if (r.state === "not-found") return 0;
  if ((r.critical?.count ?? 0) > 0) return 1;
  if (r.state === "unavailable" || r.state === "unusable") return 2;
  if (r.state === "missing") return 3;
  if (r.state === "pending") return 4;
  if ((r.high?.count ?? 0) > 0) return 5;
  return 6;
}

export function sortImageRows(rows: readonly ImageRow[]): ImageRow[] {
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || (b.critical?.count ?? 0) - (a.critical?.count ?? 0) || (b.high?.count ?? 0) - (a.high?.count ?? 0) || (a.image < b.image ? -1 : a.image > b.image ? 1 : 0),
  );
}

/** `sha256:5f1e0c3b7a9d`: enough to recognise a digest. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return digest.slice(0, colon + 13);
}

const STATE_LABEL: Record<ImageScanState, string> = {
  complete: "scanned",
  pending: "scan pending",
  missing: "no scan",
  unusable: "scan unusable",
  "not-found": "not found",
  unavailable: "unavailable",
};

const STATE_ICON: Record<ImageScanState, string> = {
  complete: "✅",
  pending: "⏳",
  missing: "❔",
  unusable: "⚠️",
  "not-found": "⛔",
  unavailable: "⚠️",
};

/** `scanned (ACTIVE)`, `scan pending (IN_PROGRESS)`, `not found`, … */
export function stateText(r: ImageRow): string {
  const status = r.status && r.state !== "not-found" && r.state !== "unavailable" ? ` (${r.status})` : "";
  const platforms = r.platforms > 1 ? `, ${r.platforms} platforms` : "";
  return `${STATE_LABEL[r.state]}${status}${platforms}`;
}

function countText(c: ImageCount | null): string {
  if (c === null) return "–";
  return c.count === 0 ? "0" : `${c.count} (${c.fixable} fixable)`;
}

/** `CVE-2026-1000 openssl 3.0.1 → 3.0.15` (`no fix` when none is known; `exploit` when one is public). */
export function vulnerabilityText(v: ImageVulnerabilityRow): string {
  const pkg = v.package ? ` ${v.package}${v.version ? ` ${v.version}` : ""}${v.fixedIn ? ` → ${v.fixedIn}` : ""}` : "";
  return `${v.id}${pkg}${v.exploit ? " (exploit)" : ""}`;
}

/** A code span usable inside a table cell (GFM splits cells on `|` even inside code spans). */
function cellCode(s: string): string {
  return code(s).replace(/\|/g, "\\|");
}

/** `111122223333 eu-central-1` for an ECR host (FIPS and dual-stack forms say so), else the host itself. */
export function registryLabel(host: string): string {
  const m = /^(\d{12})\.dkr([.-])ecr(-fips)?\.([a-z0-9-_]+)\./i.exec(host);
  if (!m) return host;
  const forms = [m[3] ? "FIPS" : "", m[2] === "-" ? "dual-stack" : ""].filter(Boolean);
  return `${m[1]} ${m[4]!.toLowerCase()}${forms.length ? ` (${forms.join(", ")})` : ""}`;
}

/** A package as a table shows it: the artifact of a Maven `group:artifact`, clipped. */
function shortPackage(name: string): string {
  const colon = name.lastIndexOf(":");
  return clip(colon > 0 && colon < name.length - 1 ? name.slice(colon + 1) : name, 40);
}

function countCell(c: ImageCount | null): string {
  if (c === null) return "–";
  return c.count === 0 ? "0" : `**${c.count}**<br><sub>${c.fixable} fixable</sub>`;
}

function vulnerabilityCell(v: ImageVulnerabilityRow): string {
  const pkg = v.package ? `${shortPackage(v.package)}${v.version ? ` ${clip(v.version, 30)}` : ""}${v.fixedIn ? ` → ${clip(v.fixedIn, 30)}` : ""}` : "";
  const exploit = v.exploit ? " · exploit" : "";
  return `${escapeText(clip(v.id, 40))}${pkg || exploit ? `<br><sub>${escapeText(pkg)}${exploit}</sub>` : ""}`;
}

function tableRow(r: ImageRow, showRegistry: boolean): string {
  const under = [r.digest ? shortDigest(r.digest) : "", showRegistry ? registryLabel(r.registry) : ""].filter(Boolean).join(" · ");
  const image = `${cellCode(clip(oneLine(r.name), 100))}${under ? `<br><sub>${escapeText(under)}</sub>` : ""}`;
  // Why there is no scan, when the findings' own words are needed to act (not found is said by its finding).
  const why = r.reason && r.state !== "not-found" ? `<br><sub>${escapeText(clip(r.reason, 120))}</sub>` : "";
  const scan = `${STATE_ICON[r.state]} ${escapeText(stateText(r))}${why}`;
  const top = r.top.length ? r.top.slice(0, 3).map(vulnerabilityCell).join("<br>") : "–";
  return `| ${image} | ${scan} | ${countCell(r.critical)} | ${countCell(r.high)} | ${top} |`;
}

/** The one registry every row is in, or null when they span several. */
function commonRegistry(rows: readonly ImageRow[]): string | null {
  const first = rows[0]?.registry;
  return first !== undefined && rows.every((r) => r.registry === first) ? first : null;
}

/** `2 images: 1 with critical vulnerabilities, 1 scan pending` — the section's one-line summary. */
export function imagesSummary(rows: readonly ImageRow[]): string {
  const parts: string[] = [];
  const n = (pred: (r: ImageRow) => boolean) => rows.filter(pred).length;
  const add = (count: number, what: string) => {
    if (count > 0) parts.push(`${count} ${what}`);
  };
  add(n((r) => r.state === "not-found"), "not found");
  add(n((r) => (r.critical?.count ?? 0) > 0), "with critical vulnerabilities");
  add(n((r) => (r.critical?.count ?? 0) === 0 && (r.high?.count ?? 0) > 0), "with high vulnerabilities only");
  add(n((r) => r.state === "pending"), "scan pending");
  add(n((r) => r.state === "missing"), "without a scan");
  add(n((r) => r.state === "unusable" || r.state === "unavailable"), "without a usable answer");
  add(n((r) => r.state === "complete" && (r.critical?.count ?? 0) === 0 && (r.high?.count ?? 0) === 0), "clean");
  const registry = commonRegistry(rows);
  const where = registry ? ` (registry ${registryLabel(registry)})` : "";
  return `${plural(rows.length, "image")} this change introduces on Amazon ECR${where}${parts.length ? `: ${parts.join(", ")}` : ""}.`;
}

/** Between the blocking findings (10) and the other new findings (30). */
export const IMAGES_SECTION_PRIORITY = 20;

/** More rows than this are collapsed in the PR comment (the check run shows them open). */
export const OPEN_IMAGE_ROWS = 5;

/** The "Images" section of the PR comment and the check run (and the CLI's markdown). Rows are cut to fit, worst first. */
export function imagesSection(rows: readonly ImageRow[]): ExtraSection {
  const sorted = sortImageRows(rows);
  const summary = imagesSummary(rows);
  const showRegistry = commonRegistry(rows) === null;
  return {
    title: `Images (${rows.length})`,
    markdown: escapeText(summary),
    ...(sorted.length
      ? {
          itemsHead: "| Image | Scan | Critical | High | Top CVEs |\n|---|---|---|---|---|\n",
          items: sorted.map((r) => tableRow(r, showRegistry)),
        }
      : {}),
    ...(sorted.length > OPEN_IMAGE_ROWS ? { collapse: summary } : {}),
    priority: IMAGES_SECTION_PRIORITY,
  };
}

/** Lines shown in the CLI's text output at most (the rest are counted). */
export const MAX_TEXT_IMAGES = 20;

/** The compact form for the terminal: one line per image, worst first, at most MAX_TEXT_IMAGES. */
export function imagesText(rows: readonly ImageRow[]): string[] {
  if (rows.length === 0) return [];
  const sorted = sortImageRows(rows);
  const lines = [`images: ${imagesSummary(rows)}`];
  for (const r of sorted.slice(0, MAX_TEXT_IMAGES)) {
    const parts = [oneLine(r.image), r.digest ? shortDigest(r.digest) : "-", stateText(r)];
    if (r.critical) parts.push(`critical ${countText(r.critical)}`);
    if (r.high) parts.push(`high ${countText(r.high)}`);
    // Not found is said by its finding; why there is no usable answer is worth a line here too.
    if (r.reason && r.state !== "not-found") parts.push(clip(oneLine(r.reason), 160));
    if (r.top.length) parts.push(r.top.slice(0, 2).map((v) => oneLine(vulnerabilityText(v))).join(", "));
    lines.push(`  ${parts.join("  ")}`);
  }
  if (sorted.length > MAX_TEXT_IMAGES) lines.push(`  … and ${sorted.length - MAX_TEXT_IMAGES} more (--format json lists every image)`);
  return lines;
}

/** One image in the CLI's JSON report (`images`, an additive field). */
export interface JsonImage {
  image: string;
  registry: string;
  name: string;
  digest: string | null;
  scan: ImageScanState;
  status: string | null;
  reason: string | null;
  platforms: number;
  critical: ImageCount | null;
  high: ImageCount | null;
  vulnerabilities: ImageVulnerabilityRow[];
}

/** At most this many CVEs per image in JSON (the top ones; the counts count them all). */
export const MAX_JSON_VULNERABILITIES = 10;

export function imagesJson(rows: readonly ImageRow[]): JsonImage[] {
  return sortImageRows(rows).map((r) => ({
    image: r.image,
    registry: r.registry,
    name: r.name,
    digest: r.digest,
    scan: r.state,
    status: r.status,
    reason: r.reason,
    platforms: r.platforms,
    critical: r.critical ? { ...r.critical } : null,
    high: r.high ? { ...r.high } : null,
    vulnerabilities: r.top.slice(0, MAX_JSON_VULNERABILITIES).map((v) => ({ ...v })),
  }));
}
