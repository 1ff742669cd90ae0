import { describe, expect, it } from "@jest/globals";
import { ConfigError, CONFIG_PATH } from "./config.js";
import { CONFIG_MAX_ALIASES, loadConfig, loadConfigYaml, readConfigYaml } from "./config-loader.js";
import { ALL_RULES } from "../rules/index.js";

/** A valid config whose `production` list repeats one anchored glob through `n` aliases. */
function aliasedConfig(n: number): string {
  return `production:\n  - &g "**/prod/**"\n${"  - *g\n".repeat(n)}`;
}

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("the config loader", () => {
  it("loads YAML text into a validated config; an empty file is the default config", () => {
    expect(loadConfigYaml("failOn: medium\n", ALL_RULES, CONFIG_PATH).failOn).toBe("medium");
    expect(loadConfigYaml("", ALL_RULES, CONFIG_PATH).failOn).toBe("high");
  });

  it("names the source and the key path of every problem", () => {
    expect(problems(() => loadConfigYaml("failOn: extreme\nrules:\n  k8s/nope: off\n", ALL_RULES, "base:.github/gitops-guard.yml"))).toEqual([
      'base:.github/gitops-guard.yml: rules.k8s/nope: unknown rule id "k8s/nope" (see `gitops-guard rules`)',
      expect.stringMatching(/^base:\.github\/gitops-guard\.yml: failOn: expected one of critical, high, medium, low, info; got "extreme"$/),
    ]);
    expect(problems(() => loadConfig({ rules: { "k8s/nope": "off" } }, ALL_RULES))).toEqual(['rules.k8s/nope: unknown rule id "k8s/nope" (see `gitops-guard rules`)']);
    expect(problems(() => readConfigYaml("failOn: [high\n", CONFIG_PATH))).toEqual([expect.stringMatching(/^\.github\/gitops-guard\.yml:2:1: not valid YAML: /)]);
  });

  it(`caps alias expansions at ${CONFIG_MAX_ALIASES} (yaml's maxAliasCount): an alias bomb is a ConfigError`, () => {
    expect(loadConfigYaml(aliasedConfig(CONFIG_MAX_ALIASES - 1), ALL_RULES, CONFIG_PATH).production).toHaveLength(CONFIG_MAX_ALIASES);
    expect(problems(() => loadConfigYaml(aliasedConfig(CONFIG_MAX_ALIASES), ALL_RULES, CONFIG_PATH))).toEqual([expect.stringMatching(/not valid YAML: .*alias/i)]);
  });

  it("validates rules.<id>.options with the rule's own schema; a bad option is a problem naming its key", () => {
    const load = (options: unknown, id = "k8s/unsafe-sysctls") => problems(() => loadConfig({ rules: { [id]: { options } } }, ALL_RULES));
    expect(load({ allowedSysctls: ["net.core.somaxconn"] })).toEqual([]);
    expect(load({ allowedSysctls: "net.core.somaxconn" })).toEqual([expect.stringMatching(/^rules\.k8s\/unsafe-sysctls\.options\.allowedSysctls: /)]);
    expect(load({ allowedSysctl: [] })).toEqual(['rules.k8s/unsafe-sysctls.options.allowedSysctl: unknown key; did you mean "allowedSysctls"?']);
    expect(load({ required: ["startup"] }, "k8s/missing-probes")).toEqual([expect.stringMatching(/^rules\.k8s\/missing-probes\.options\.required\.0: /)]);
    expect(load({ anything: 1 }, "k8s/privileged-container")).toEqual(["rules.k8s/privileged-container.options: k8s/privileged-container takes no options"]);
  });

  it("suggests the key meant for an unknown key, at every depth, and lists the allowed keys when nothing is close", () => {
    expect(problems(() => loadConfig({ failon: "high" }, ALL_RULES))).toEqual(['failon: unknown key; did you mean "failOn"?']);
    expect(problems(() => loadConfig({ paths: { exclud: [] } }, ALL_RULES))).toEqual(['paths.exclud: unknown key; did you mean "exclude" or "excludeDefaults"?']);
    expect(problems(() => loadConfig({ ecr: { thresholds: { critcal: 1 } } }, ALL_RULES))).toEqual(['ecr.thresholds.critcal: unknown key; did you mean "critical"?']);
    expect(problems(() => loadConfig({ waivers: [{ rule: "k8s/run-as-root", reason: "r", expires: "2030-01-01", pth: "a/**" }] }, ALL_RULES))).toEqual([
      'waivers.0.pth: unknown key; did you mean "path"?',
    ]);
    expect(problems(() => loadConfig({ commands: { zzzzzzzz: 1 } }, ALL_RULES))).toEqual([
      "commands.zzzzzzzz: unknown key (allowed: prefix, waiveRequires, overrideTeams, allowSelfOverride)",
    ]);
  });

  it("says a required key is missing and what it takes", () => {
    expect(problems(() => loadConfig({ waivers: [{ rule: "k8s/run-as-root", reason: "r" }] }, ALL_RULES))).toEqual(["waivers.0.expires: required: the date the waiver ends, like 2026-12-31"]);
    expect(problems(() => loadConfig({ waivers: [{ rule: "k8s/run-as-root", expires: "2030-01-01" }] }, ALL_RULES))).toEqual(["waivers.0.reason: required: why the finding is accepted (recorded for audit)"]);
  });

  it("suggests the rule id meant, with or without its domain, in rules and waivers", () => {
    expect(problems(() => loadConfig({ rules: { "privileged-container": "off", "k8s/run-as-rot": "low" } }, ALL_RULES))).toEqual([
      'rules.privileged-container: unknown rule id "privileged-container"; did you mean "k8s/privileged-container"?',
      'rules.k8s/run-as-rot: unknown rule id "k8s/run-as-rot"; did you mean "k8s/run-as-root"?',
    ]);
    expect(problems(() => loadConfig({ waivers: [{ rule: "k8s/host-path", reason: "r", expires: "2030-01-01" }] }, ALL_RULES))).toEqual([
      expect.stringMatching(/^waivers\.0\.rule: unknown rule id "k8s\/host-path"; did you mean "k8s\/host-port" or "k8s\/host-path-volume"\?$/),
    ]);
  });

  it("says which values rules.<id> takes, and what is wrong inside a mapping", () => {
    const forms = "off, a severity (critical, high, medium, low, info) or a mapping {severity, paths, options}";
    expect(problems(() => loadConfig({ rules: { "k8s/run-as-root": "hgh" } }, ALL_RULES))).toEqual([`rules.k8s/run-as-root: expected ${forms}; got "hgh"; did you mean "high"?`]);
    expect(problems(() => loadConfig({ rules: { "k8s/run-as-root": true } }, ALL_RULES))).toEqual([`rules.k8s/run-as-root: expected ${forms}; got true`]);
    expect(problems(() => loadConfig({ rules: { "k8s/run-as-root": { severty: "low" } } }, ALL_RULES))).toEqual(['rules.k8s/run-as-root.severty: unknown key; did you mean "severity"?']);
    expect(problems(() => loadConfig({ rules: { "k8s/run-as-root": { severity: "lo" } } }, ALL_RULES))).toEqual([
      'rules.k8s/run-as-root.severity: expected one of critical, high, medium, low, info, off; got "lo"; did you mean "low"?',
    ]);
  });

  it("names the over-indented line too, not only the line above it where the yaml package's first error starts", () => {
    // The mistake is line 4; the parser's first error (BLOCK_AS_IMPLICIT_KEY) is at 3:23, its MULTILINE_IMPLICIT_KEY spans 3:23 → 4:19.
    const text = "failOn: high\nrules:\n  k8s/missing-probes: off\n   k8s/run-as-root: low\n";
    expect(problems(() => readConfigYaml(text, CONFIG_PATH))).toEqual([
      '.github/gitops-guard.yml:3:23: not valid YAML: Nested mappings are not allowed in compact mappings — lines 3–4: "  k8s/missing-probes: off" … "   k8s/run-as-root: low" (is line 4 indented too far?)',
    ]);
    expect(problems(() => readConfigYaml("failOn: high\na: 1\n  b: 2\n", CONFIG_PATH))).toEqual([
      '.github/gitops-guard.yml:2:4: not valid YAML: Nested mappings are not allowed in compact mappings — lines 2–3: "a: 1" … "  b: 2" (is line 3 indented too far?)',
    ]);
  });

  it("shows the offending line of a YAML error with its number, capped and without control characters", () => {
    expect(problems(() => readConfigYaml("failOn: high\na: [1]\nb: {}\n", CONFIG_PATH))).toEqual([]);
    expect(problems(() => readConfigYaml("failOn: high\nrules: {\n", CONFIG_PATH))).toEqual([expect.stringMatching(/^\.github\/gitops-guard\.yml:\d+:\d+: not valid YAML: .* — line 2: "rules: \{"$/)]);
    // An unclosed bracket is noticed past the end of the file: the last line written is the one shown.
    expect(problems(() => readConfigYaml("failOn: [high\n\n", CONFIG_PATH))[0]).toMatch(/ — line 1: "failOn: \[high"$/);
    const long = problems(() => readConfigYaml(`a: 1\n  b: ${"x".repeat(500)}\u0007\n`, CONFIG_PATH))[0]!;
    expect(long).toMatch(/— lines? \d(–\d)?: "/);
    expect(long.length).toBeLessThan(250);
    expect(long).not.toContain("\u0007");
  });

  it("refuses globs picomatch cannot compile (they would silently match nothing)", () => {
    expect(problems(() => loadConfig({ paths: { exclude: ["vendor/**", "**/*.{yaml"] } }, ALL_RULES))).toEqual(['paths.exclude.1: not a valid glob: Missing closing: "}"']);
    expect(problems(() => loadConfig({ production: ["envs/[prod/**"] }, ALL_RULES))).toEqual([expect.stringMatching(/^production\.0: not a valid glob: Missing closing: "\]"/)]);
    expect(problems(() => loadConfig({ rules: { "k8s/run-as-root": { paths: ["[z-a]/**"] } } }, ALL_RULES))).toEqual([expect.stringMatching(/^rules\.k8s\/run-as-root\.paths\.0: not a valid glob: /)]);
    expect(problems(() => loadConfig({ waivers: [{ rule: "k8s/run-as-root", path: "apps/(a", reason: "r", expires: "2030-01-01" }] }, ALL_RULES))).toEqual([
      expect.stringMatching(/^waivers\.0\.path: not a valid glob/),
    ]);
    expect(loadConfig({ paths: { include: ["**/*.{yaml,yml}.tmpl", "@(a|b)/**", "!vendor/**"] } }, ALL_RULES).paths.include).toHaveLength(3);
  });

  it("commands.prefix must be something a person can type: no whitespace, 1 to 32 characters", () => {
    for (const prefix of [" ", "", "/guard please", "\t/guard", "x".repeat(33)]) {
      expect(problems(() => loadConfig({ commands: { prefix } }, ALL_RULES))).toEqual([expect.stringMatching(/^commands\.prefix: /)]);
    }
    for (const prefix of ["/gg", "@gitops-guard", "x".repeat(32)]) expect(loadConfig({ commands: { prefix } }, ALL_RULES).commands.prefix).toBe(prefix);
  });
});
