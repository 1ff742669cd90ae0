import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../core/config.js";
import { scan } from "../core/review.js";
import type { Rule } from "../core/rule.js";
import { ALL_RULES } from "../rules/index.js";
import { artifactUri, FINGERPRINT_KEY, MAX_SARIF_RESULTS, toSarif, type SarifLog } from "./sarif.js";
import { finding, mixedResult, result } from "./test-helpers.js";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => typeof v === "string" && v.trim().length > 0;
const posInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 1;

/** Only keys the SARIF 2.1.0 schema defines for the object (it sets additionalProperties: false). */
const ALLOWED: Record<string, string[]> = {
  log: ["$schema", "version", "runs", "inlineExternalProperties", "properties"],
  run: ["tool", "invocations", "results", "columnKind", "properties", "automationDetails", "artifacts", "originalUriBaseIds"],
  toolComponent: ["name", "version", "semanticVersion", "informationUri", "rules", "fullName", "organization", "properties"],
  reportingDescriptor: ["id", "name", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration", "properties"],
  result: ["ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "suppressions", "properties"],
  physicalLocation: ["artifactLocation", "region"],
  region: ["startLine", "startColumn", "endLine", "endColumn"],
  suppression: ["kind", "status", "justification"],
  invocation: ["executionSuccessful", "toolExecutionNotifications"],
};

function keysOk(o: Json, kind: string, problems: string[], where: string): void {
  for (const k of Object.keys(o)) if (!ALLOWED[kind]!.includes(k)) problems.push(`${where}: unexpected ${kind} property ${k}`);
}

/** The properties GitHub's "SARIF support for code scanning" marks required, and its documented limits. */
function githubProblems(log: SarifLog): string[] {
  const p: string[] = [];
  const l = log as unknown as Json;
  keysOk(l, "log", p, "log");
  if (!nonEmpty(l.$schema)) p.push("$schema");
  if (l.version !== "2.1.0") p.push("version");
  if (!Array.isArray(l.runs) || l.runs.length < 1 || l.runs.length > 20) return [...p, "runs"];
  for (const [ri, run] of (l.runs as Json[]).entries()) {
    keysOk(run, "run", p, `runs[${ri}]`);
    const driver = (run.tool as Json | undefined)?.driver as Json | undefined;
    if (!isObj(driver) || !nonEmpty(driver.name)) p.push("tool.driver.name");
    if (!isObj(driver)) continue;
    keysOk(driver, "toolComponent", p, "driver");
    const rules = driver.rules as Json[];
    if (!Array.isArray(rules) || rules.length > 25_000) p.push("tool.driver.rules");
    const ids = new Set<string>();
    for (const [i, r] of rules.entries()) {
      const w = `rules[${i}]`;
      keysOk(r, "reportingDescriptor", p, w);
      if (!nonEmpty(r.id) || ids.has(r.id as string)) p.push(`${w}.id`);
      ids.add(r.id as string);
      if (r.name !== undefined && (!nonEmpty(r.name) || (r.name as string).length > 255)) p.push(`${w}.name`);
      for (const d of ["shortDescription", "fullDescription"]) {
        const t = (r[d] as Json | undefined)?.text;
        if (!nonEmpty(t) || (t as string).length > 1024) p.push(`${w}.${d}.text`);
      }
      if (!nonEmpty((r.help as Json | undefined)?.text)) p.push(`${w}.help.text`);
      const lvl = (r.defaultConfiguration as Json | undefined)?.level;
      if (lvl !== undefined && !["note", "warning", "error"].includes(lvl as string)) p.push(`${w}.defaultConfiguration.level`);
      const props = r.properties as Json | undefined;
      if (props) {
        const tags = props.tags as string[];
        if (!Array.isArray(tags) || tags.length > 20 || new Set(tags).size !== tags.length) p.push(`${w}.properties.tags`);
        const sev = Number(props["security-severity"]);
        if (typeof props["security-severity"] !== "string" || !(sev >= 0 && sev <= 10)) p.push(`${w}.security-severity`);
      }
      if (r.helpUri !== undefined && !/^https?:\/\//.test(r.helpUri as string)) p.push(`${w}.helpUri`);
    }
    const results = run.results as Json[];
    if (!Array.isArray(results) || results.length > 25_000) p.push("results");
    for (const [i, res] of results.entries()) {
      const w = `results[${i}]`;
      keysOk(res, "result", p, w);
      if (!nonEmpty((res.message as Json | undefined)?.text)) p.push(`${w}.message.text`);
      if (typeof res.ruleIndex === "number" && rules[res.ruleIndex]?.id !== res.ruleId) p.push(`${w}.ruleIndex`);
      if (res.level !== undefined && !["none", "note", "warning", "error"].includes(res.level as string)) p.push(`${w}.level`);
      const locs = res.locations as Json[];
      if (!Array.isArray(locs) || locs.length < 1 || locs.length > 10) {
        p.push(`${w}.locations`);
        continue;
      }
      const phys = locs[0]!.physicalLocation as Json;
      keysOk(phys, "physicalLocation", p, w);
      const uri = (phys.artifactLocation as Json).uri as string;
      if (!nonEmpty(uri) || /\s/.test(uri) || /^[a-z]+:/i.test(uri)) p.push(`${w}.artifactLocation.uri`);
      const reg = phys.region as Json;
      keysOk(reg, "region", p, w);
      if (![reg.startLine, reg.startColumn, reg.endLine, reg.endColumn].every(posInt)) p.push(`${w}.region`);
      if ((reg.endLine as number) < (reg.startLine as number)) p.push(`${w}.region.endLine`);
      if (reg.endLine === reg.startLine && (reg.endColumn as number) < (reg.startColumn as number)) p.push(`${w}.region.endColumn`);
      const fp = res.partialFingerprints as Json;
      if (!isObj(fp) || Object.values(fp).length === 0 || !Object.values(fp).every(nonEmpty)) p.push(`${w}.partialFingerprints`);
      for (const s of (res.suppressions as Json[] | undefined) ?? []) {
        keysOk(s, "suppression", p, w);
        if (!["inSource", "external"].includes(s.kind as string)) p.push(`${w}.suppressions.kind`);
        if (!nonEmpty(s.justification)) p.push(`${w}.suppressions.justification`);
      }
    }
    for (const inv of (run.invocations as Json[] | undefined) ?? []) {
      keysOk(inv, "invocation", p, "invocation");
      if (typeof inv.executionSuccessful !== "boolean") p.push("invocations.executionSuccessful");
    }
  }
  return p;
}

const opts = { toolVersion: "1.2.3" };

describe("toSarif", () => {
  it("produces a log GitHub code scanning accepts", () => {
    const log = toSarif(mixedResult(), ALL_RULES, opts);
    expect(githubProblems(log)).toEqual([]);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: "gitops-guard", version: "1.2.3" });
    expect(driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(ALL_RULES.map((r) => r.meta.id)));
  });

  it("describes each rule with texts, level and security-severity by severity", () => {
    const rule = ALL_RULES.find((r) => r.meta.id === "k8s/privileged-container")!;
    const log = toSarif(result([]), [rule], { ...opts, rulesHelpUri: "https://example.test/docs/rules.md", informationUri: "https://example.test/" });
    const [d] = log.runs[0].tool.driver.rules;
    expect(d).toMatchObject({
      id: "k8s/privileged-container",
      name: "PrivilegedContainer",
      shortDescription: { text: "Privileged container" },
      fullDescription: { text: rule.meta.description },
      helpUri: "https://example.test/docs/rules.md#k8sprivileged-container",
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "9.5", tags: ["security", "gitops", "k8s"], rule: "k8s/privileged-container", severity: "critical" },
    });
    expect(d!.help.text).toContain(rule.meta.fix);
    expect(d!.help.markdown).toContain("**Fix:**");
    expect(log.runs[0].tool.driver.informationUri).toBe("https://example.test/");

    const sev = (s: Rule["meta"]["severity"]) => {
      const r: Rule = { meta: { ...rule.meta, id: `x/${s}`, severity: s } };
      const x = toSarif(result([]), [r], opts).runs[0].tool.driver.rules[0]!;
      return [x.defaultConfiguration.level, x.properties["security-severity"]];
    };
    expect(sev("critical")).toEqual(["error", "9.5"]);
    expect(sev("high")).toEqual(["error", "8.0"]);
    expect(sev("medium")).toEqual(["warning", "5.5"]);
    expect(sev("low")).toEqual(["note", "3.0"]);
    expect(sev("info")).toEqual(["note", "0.0"]);
  });

  it("makes results of new and existing findings only, with location, level and fingerprint", () => {
    const r = mixedResult();
    const run = toSarif(r, ALL_RULES, opts).runs[0];
    const expected = r.findings.filter((f) => f.status !== "fixed");
    expect(run.results).toHaveLength(expected.length);
    expect(run.results.map((x) => x.ruleId)).not.toContain("argocd/project-destination-wildcard");
    const priv = run.results.find((x) => x.ruleId === "k8s/privileged-container")!;
    expect(priv.level).toBe("error");
    // the finding's own fix differs from the rule's, so it is part of the message
    expect(priv.message.text).toBe('Container "app" in Deployment "web" runs privileged. Fix: Remove `privileged: true`.');
    expect(priv.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "apps/web/deploy.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 21, startColumn: 23, endLine: 21, endColumn: 27 },
    });
    expect(Object.keys(priv.partialFingerprints)).toEqual([FINGERPRINT_KEY]);
    const source = r.findings.find((f) => f.ruleId === "k8s/privileged-container")!;
    expect(priv.partialFingerprints[FINGERPRINT_KEY]).toBe(source.fingerprint);
    expect(run.tool.driver.rules[priv.ruleIndex]!.id).toBe("k8s/privileged-container");
    expect(run.results.find((x) => x.ruleId === "argocd/app-default-project")!).toMatchObject({ level: "warning", properties: { status: "existing" } });
    expect(run.results.find((x) => x.ruleId === "k8s/missing-resources")!.level).toBe("note");
  });

  it("shows each finding at its own severity: a finding below or above its rule's default gets a descriptor of that severity", () => {
    const rule = ALL_RULES.find((r) => r.meta.id === "k8s/seccomp-unconfined")!;
    expect(rule.meta.severity).not.toBe("low");
    const r = result([
      finding({ ruleId: rule.meta.id, severity: rule.meta.severity, line: 5 }),
      finding({ ruleId: rule.meta.id, severity: "low", line: 9 }),
      finding({ ruleId: rule.meta.id, severity: "low", line: 12 }),
      finding({ ruleId: "x/not-given", severity: "critical", line: 1 }),
    ]);
    const log = toSarif(r, ALL_RULES, { ...opts, rulesHelpUri: "https://example.test/docs/rules.md" });
    expect(githubProblems(log)).toEqual([]);
    const run = log.runs[0];
    const byLine = new Map(run.results.map((x) => [x.locations[0]!.physicalLocation.region.startLine, x]));
    const atDefault = byLine.get(5)!;
    const low = byLine.get(9)!;
    expect(atDefault.ruleId).toBe("k8s/seccomp-unconfined");
    expect(low.ruleId).toBe("k8s/seccomp-unconfined/low");
    expect(byLine.get(12)!.ruleIndex).toBe(low.ruleIndex);
    expect(low.properties).toMatchObject({ rule: "k8s/seccomp-unconfined", severity: "low" });
    const d = run.tool.driver.rules[low.ruleIndex]!;
    // What code scanning reads: the descriptor's security-severity and level, and its name in the rule filter.
    expect(d).toMatchObject({
      id: "k8s/seccomp-unconfined/low",
      name: `${run.tool.driver.rules[atDefault.ruleIndex]!.name}Low`,
      defaultConfiguration: { level: "note" },
      properties: { "security-severity": "3.0", rule: "k8s/seccomp-unconfined", severity: "low" },
      helpUri: "https://example.test/docs/rules.md#k8sseccomp-unconfined",
    });
    expect(d.help).toEqual(run.tool.driver.rules[atDefault.ruleIndex]!.help);
    expect(run.tool.driver.rules.filter((x) => x.id.startsWith("k8s/seccomp-unconfined"))).toHaveLength(2);
    // A rule it was not given keeps its id at the finding's severity.
    expect(run.tool.driver.rules[byLine.get(1)!.ruleIndex]).toMatchObject({ id: "x/not-given", properties: { "security-severity": "9.5" } });
  });

  it("leaves the rule's default fix to the rule help", () => {
    const rule = ALL_RULES.find((r) => r.meta.id === "k8s/privileged-container")!;
    const r = result([finding({ ruleId: rule.meta.id, message: "Runs privileged.", fix: rule.meta.fix })]);
    expect(toSarif(r, ALL_RULES, opts).runs[0].results[0]!.message.text).toBe("Runs privileged.");
  });

  it("records suppressions with their justification", () => {
    const r = result([
      finding({ suppressed: { by: "waiver", reason: "migration window", expires: "2026-12-31T00:00:00.000Z", actor: "alice" } }),
      finding({ line: 20, suppressed: { by: "annotation", reason: "legacy", expires: null, actor: null } }),
      finding({ line: 30 }),
    ]);
    const results = toSarif(r, ALL_RULES, opts).runs[0].results;
    expect(results.map((x) => x.suppressions)).toEqual([
      [{ kind: "external", status: "accepted", justification: "waived by @alice: migration window (expires 2026-12-31)" }],
      [{ kind: "inSource", status: "accepted", justification: "ignored by annotation: legacy" }],
      undefined,
    ]);
  });

  it("adds a descriptor for a rule it was not given, so every ruleIndex is valid", () => {
    const log = toSarif(result([finding({ ruleId: "guard/parse-error" }), finding({ ruleId: "guard/parse-error", line: 30 })]), [], opts);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(["guard/parse-error"]);
    expect(log.runs[0].results.map((x) => x.ruleIndex)).toEqual([0, 0]);
    expect(githubProblems(log)).toEqual([]);
  });

  it("encodes artifact URIs as relative URI references", () => {
    expect(artifactUri("apps/my app/#1.yaml")).toEqual({ uri: "apps/my%20app/%231.yaml", uriBaseId: "%SRCROOT%" });
    expect(artifactUri("./a.yaml")).toEqual({ uri: "a.yaml", uriBaseId: "%SRCROOT%" });
    expect(artifactUri("/abs/x.yaml")).toEqual({ uri: "file:///abs/x.yaml" });
  });

  it("keeps regions valid for degenerate ranges", () => {
    const run = toSarif(result([finding({ line: 0, column: 0, endLine: 0, endColumn: 0 })]), ALL_RULES, opts).runs[0];
    expect(run.results[0]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
  });

  it("puts review notes into tool execution notifications", () => {
    const inv = toSarif(mixedResult(), ALL_RULES, opts).runs[0].invocations[0]!;
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications).toEqual([{ level: "note", message: { text: "charts/web/templates/deploy.yaml: skipped — Helm template" } }]);
  });

  it("caps results at GitHub's per-run limit, most severe first", () => {
    const findings = Array.from({ length: MAX_SARIF_RESULTS + 10 }, (_, i) => finding({ severity: i < 10 ? "low" : "high", line: i + 1 }));
    findings.push(finding({ severity: "critical", line: 99_999 }));
    const log = toSarif(result(findings), ALL_RULES, opts);
    const run = log.runs[0];
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(run.results[0]!.locations[0]!.physicalLocation.region.startLine).toBe(99_999);
    expect(run.results.some((x) => x.level === "note")).toBe(false);
    expect(run.properties.omittedResults).toBe(11);
    expect(run.invocations[0]!.toolExecutionNotifications.at(-1)!.level).toBe("warning");
  });

  it("converts a real scan", () => {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";
    const r = scan([{ path: "k8s/pod.yaml", content: pod }], { config: defaultConfig(), rules: ALL_RULES, now: new Date("2026-01-01T00:00:00Z") });
    const log = toSarif(r, ALL_RULES, opts);
    expect(githubProblems(log)).toEqual([]);
    const res = log.runs[0].results.find((x) => x.ruleId === "k8s/privileged-container")!;
    expect(res.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 10, startColumn: 21 });
  });

  it("marks a finding at a base version's line (side: base) in its properties and message, in the head file that replaced its file", () => {
    const deleted = finding({ ruleId: "argocd/app-deleted", file: "apps/payments.yaml", line: 6, side: "base", message: 'Application "payments" is deleted by this change.' });
    const renamed = finding({ ruleId: "argocd/app-deleted", file: "apps/old-name.yaml", line: 4, side: "base", message: 'Application "web" is deleted by this change.' });
    const head = finding({ file: "apps/projects/team-a.yaml" });
    const log = toSarif(result([deleted, renamed, head]), ALL_RULES, { ...opts, replacedAtHead: new Map([["apps/old-name.yaml", "apps/new-name.yaml"]]) });
    expect(githubProblems(log)).toEqual([]);
    const byMessage = (m: string) => log.runs[0].results.find((r) => r.message.text.includes(m))!;
    // A deleted file: the base location is kept (nothing replaced it), marked as the base version's.
    const gone = byMessage('"payments"');
    expect(gone.message.text).toMatch(/^\(base version's line\) Application "payments" is deleted by this change\./);
    expect(gone.locations[0]!.physicalLocation.artifactLocation.uri).toBe("apps/payments.yaml");
    expect(gone.locations[0]!.physicalLocation.region.startLine).toBe(6);
    expect(gone.properties).toMatchObject({ side: "base", basePath: "apps/payments.yaml" });
    // A renamed file: placed in the head file, the base path kept in the message and properties.
    const moved = byMessage('"web"');
    expect(moved.locations[0]!.physicalLocation.artifactLocation.uri).toBe("apps/new-name.yaml");
    expect(moved.message.text).toMatch(/^\(base version's line, in apps\/old-name\.yaml\) /);
    expect(moved.properties).toMatchObject({ side: "base", basePath: "apps/old-name.yaml" });
    // A head finding has neither.
    const other = log.runs[0].results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === "apps/projects/team-a.yaml")!;
    expect(other.properties.side).toBeUndefined();
    expect(other.properties.basePath).toBeUndefined();
    expect(other.message.text).not.toContain("base version");
  });
});
