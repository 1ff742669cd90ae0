/**
 * SARIF 2.1.0 for GitHub code scanning (docs.github.com "SARIF support for code scanning"): one run, every rule as a
 * reportingDescriptor, new and existing findings as results (fixed ones are gone from the code, so they are not results).
 *
 * Severity: code scanning takes an alert's severity from its rule's `properties.security-severity`, never from the
 * result. A finding whose severity differs from its rule's default (a rule that reports some cases lower, or a
 * severity set in the config) therefore gets a descriptor of its own, id `<rule id>/<severity>` (e.g.
 * `k8s/seccomp-unconfined/low`), whose name, level and security-severity are that severity's; its result points at
 * it (`ruleId`, `ruleIndex`) and names the rule in `properties.rule`. Findings at the default severity keep the
 * rule's own id, so the common case reads exactly as `gitops-guard rules` and docs/rules.md name it.
 */
import type { ReviewResult } from "../core/review.js";
import type { Rule } from "../core/rule.js";
import { severityRank, type Finding, type Severity } from "../core/types.js";
import { clip, oneLine, suppressionText } from "./wording.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "gitopsGuard/v1";
/** GitHub rejects a run with more results than this. */
export const MAX_SARIF_RESULTS = 25_000;

export type SarifLevel = "error" | "warning" | "note";

export interface SarifMessage {
  text: string;
}

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { "security-severity": string; tags: string[]; rule: string; severity: Severity };
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: SarifRegion;
    };
  }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: "inSource" | "external"; status: "accepted"; justification: string }>;
  /**
   * `side: "base"` (with `basePath`, the file in the base version): the location is a line of the base version (a
   * rule that compares the sides reports on what the pull request removes, e.g. a deleted Application), as in JSON.
   */
  properties: { status: "new" | "existing"; severity: Severity; rule: string; path: string; resource: string; side?: "base"; basePath?: string };
}

export interface SarifNotification {
  level: "note" | "warning";
  message: SarifMessage;
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifReportingDescriptor[] } };
  columnKind: "utf16CodeUnits";
  results: SarifResult[];
  invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }>;
  properties: { conclusion: string; failOn: Severity; omittedResults: number };
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [SarifRun];
}

export interface SarifOptions {
  toolVersion: string;
  /** Absolute URI of the tool's home page (`tool.driver.informationUri`); omitted when not given. */
  informationUri?: string;
  /** Absolute URI of the rule reference (docs/rules.md); each rule's `helpUri` is this plus `#<anchor>`. */
  rulesHelpUri?: string;
  /**
   * Base paths the head does not have, each with the head file that replaced it (a rename): a finding at a base
   * version's line there is placed in that file, which code scanning can show at the head commit. A base path that is
   * not here keeps its location.
   */
  replacedAtHead?: ReadonlyMap<string, string>;
}

const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };

export function sarifLevel(s: Severity): SarifLevel {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "note";
}

/** "Privileged container" → "PrivilegedContainer" (SARIF `name` is an identifier a person can read). */
function ruleName(title: string, id: string): string {
  const words = title.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return clip(name || id, 255);
}

/** GitHub shows descriptions up to 1024 characters and rejects empty required strings. */
function text(s: string, fallback: string, max = 1024): string {
  const t = oneLine(s).trim();
  return clip(t || fallback, max);
}

function anchor(id: string): string {
  return id.replace(/[^a-z0-9-]/g, "");
}

function descriptor(rule: Rule, opts: SarifOptions): SarifReportingDescriptor {
  const m = rule.meta;
  const domain = m.id.split("/")[0] ?? "";
  const example = m.example
    ? `\n\nFlagged:\n\n\`\`\`yaml\n${m.example.bad.trimEnd()}\n\`\`\`\n\nPasses:\n\n\`\`\`yaml\n${m.example.good.trimEnd()}\n\`\`\``
    : "";
  return {
    id: m.id,
    name: ruleName(m.title, m.id),
    shortDescription: { text: text(m.title, m.id) },
    fullDescription: { text: text(m.description, m.title || m.id) },
    help: {
      text: `${m.description}\n\nWhy: ${m.rationale}\n\nFix: ${m.fix}`,
      markdown: `**${m.title}**\n\n${m.description}\n\n**Why:** ${m.rationale}\n\n**Fix:** ${m.fix}${example}`,
    },
    ...(opts.rulesHelpUri ? { helpUri: `${opts.rulesHelpUri}#${anchor(m.id)}` } : {}),
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties: { "security-severity": SECURITY_SEVERITY[m.severity], tags: ["security", "gitops", domain].filter(Boolean), rule: m.id, severity: m.severity },
  };
}

/** The descriptor of a rule's findings at another severity than its default: same help, that severity everywhere. */
function atSeverity(base: SarifReportingDescriptor, severity: Severity): SarifReportingDescriptor {
  const word = severity[0]!.toUpperCase() + severity.slice(1);
  return {
    ...base,
    id: `${base.properties.rule}/${severity}`,
    name: clip(`${base.name}${word}`, 255),
    shortDescription: { text: text(`${base.shortDescription.text} (${severity})`, base.id) },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { ...base.properties, "security-severity": SECURITY_SEVERITY[severity], severity },
  };
}

/** A descriptor for a finding whose rule was not passed in (so that every result has a valid ruleIndex). */
function unknownDescriptor(f: Finding): SarifReportingDescriptor {
  return {
    id: f.ruleId,
    name: ruleName(f.ruleId, f.ruleId),
    shortDescription: { text: text(f.ruleId, "gitops-guard rule") },
    fullDescription: { text: text(f.ruleId, "gitops-guard rule") },
    help: { text: text(f.fix, f.ruleId, 10_000), markdown: text(f.fix, f.ruleId, 10_000) },
    defaultConfiguration: { level: sarifLevel(f.severity) },
    properties: { "security-severity": SECURITY_SEVERITY[f.severity], tags: ["security", "gitops"], rule: f.ruleId, severity: f.severity },
  };
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `?`, `%`, `:`). */
export function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  const posix = path.replace(/\\/g, "/");
  const encoded = posix.split("/").map(encodeURIComponent).join("/");
  if (posix.startsWith("/")) return { uri: `file://${encoded}` };
  return { uri: encoded.replace(/^(\.\/)+/, ""), uriBaseId: "%SRCROOT%" };
}

function region(f: Finding): SarifRegion {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, f.endColumn) : Math.max(1, f.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function resourceLabel(f: Finding): string {
  const r = f.resource;
  if (!r.kind && !r.name) return "";
  return [r.kind ?? "?", r.namespace, r.name ?? "?"].filter((x) => x !== null).join("/");
}

export function toSarif(result: ReviewResult, rules: readonly Rule[], opts: SarifOptions): SarifLog {
  const descriptors: SarifReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const metaFix = new Map<string, string>();
  const add = (d: SarifReportingDescriptor): number => {
    index.set(d.id, descriptors.length);
    descriptors.push(d);
    return descriptors.length - 1;
  };
  for (const rule of rules) {
    if (index.has(rule.meta.id)) continue;
    add(descriptor(rule, opts));
    metaFix.set(rule.meta.id, rule.meta.fix);
  }
  /** The descriptor for a finding's rule at the finding's severity (created the first time it is needed). */
  const descriptorFor = (f: Finding): number => {
    const own = index.get(f.ruleId) ?? add(unknownDescriptor(f));
    const base = descriptors[own]!;
    if (base.properties.severity === f.severity) return own;
    const variant = `${f.ruleId}/${f.severity}`;
    return index.get(variant) ?? add(atSeverity(base, f.severity));
  };

  // Most severe first, so that a cut at GitHub's limit keeps what matters.
  const candidates = result.findings
    .filter((f) => f.status !== "fixed")
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.status === b.status ? 0 : a.status === "new" ? -1 : 1));
  const kept = candidates.slice(0, MAX_SARIF_RESULTS);

  const results: SarifResult[] = kept.map((f) => {
    const ruleIndex = descriptorFor(f);
    const fix = f.fix && f.fix !== metaFix.get(f.ruleId) ? ` Fix: ${oneLine(f.fix)}` : "";
    const base = f.side === "base";
    const file = (base ? opts.replacedAtHead?.get(f.file) : undefined) ?? f.file;
    // Its line is in the base version (a deleted Application), as the text output says: not a line of the head's file.
    const where = base ? (file === f.file ? "(base version's line) " : `(base version's line, in ${oneLine(f.file)}) `) : "";
    const out: SarifResult = {
      ruleId: descriptors[ruleIndex]!.id,
      ruleIndex,
      level: sarifLevel(f.severity),
      message: { text: text(`${where}${f.message}${fix}`, f.ruleId, 10_000) },
      locations: [{ physicalLocation: { artifactLocation: artifactUri(file), region: region(f) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
      properties: {
        status: f.status as "new" | "existing",
        severity: f.severity,
        rule: f.ruleId,
        path: f.path,
        resource: resourceLabel(f),
        ...(base ? { side: "base" as const, basePath: f.file } : {}),
      },
    };
    if (f.suppressed) {
      out.suppressions = [{ kind: f.suppressed.by === "annotation" ? "inSource" : "external", status: "accepted", justification: text(suppressionText(f.suppressed), f.suppressed.by, 10_000) }];
    }
    return out;
  });

  const notifications: SarifNotification[] = result.notes.map((n) => ({ level: "note", message: { text: text(n, "note", 10_000) } }));
  const omitted = candidates.length - kept.length;
  if (omitted > 0) {
    notifications.push({ level: "warning", message: { text: `${omitted} less severe results were left out: GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} results per run.` } });
  }

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "gitops-guard",
            version: opts.toolVersion || "0.0.0",
            ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
            rules: descriptors,
          },
        },
        columnKind: "utf16CodeUnits",
        results,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        properties: { conclusion: result.conclusion, failOn: result.failOn, omittedResults: omitted },
      },
    ],
  };
}
