import picomatch from "picomatch";
import { z } from "zod";
import { configProblems, unknownRuleProblem } from "./config-problems.js";
import type { Rule } from "./rule.js";
import { SEVERITIES } from "./types.js";

/** The config file's name in the repository's `.github/` folder (Probot's `context.config` takes the name). */
export const CONFIG_FILE_NAME = "gitops-guard.yml";
/** Where the repository config lives, read from the base branch only. */
export const CONFIG_PATH = `.github/${CONFIG_FILE_NAME}`;
/** The slash-command prefix when `commands.prefix` does not say otherwise. */
export const DEFAULT_COMMAND_PREFIX = "/guard";

/** The repository config, `.github/gitops-guard.yml`. Every key is optional. Unknown keys are errors. */
const SeverityName = z.enum(SEVERITIES);

/** The picomatch options every path glob of the config is compiled with (`Policy` uses the same). */
export const GLOB_OPTIONS = { dot: true } as const;

/**
 * Why a glob cannot work, or null when it can. picomatch quietly turns a glob it cannot compile into a pattern that
 * matches nothing (`**\/*.{yaml` with its `}` missing, `[z-a]`): compiled in debug mode it throws instead, and with
 * strict brackets an opening bracket without its closing one is reported too.
 */
export function globProblem(glob: string): string | null {
  for (const extra of [{ strictBrackets: true }, { debug: true }]) {
    try {
      picomatch.makeRe(glob, { ...GLOB_OPTIONS, ...extra });
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      if (/^Missing closing/.test(message)) return `not a valid glob: ${message.replace(/ - use .*$/, "")}`;
      if (extra.debug) return `not a valid glob: ${message.slice(message.lastIndexOf(": ") + 2) || message}`;
    }
  }
  return null;
}

const Glob = z
  .string()
  .min(1)
  .superRefine((glob, ctx) => {
    const problem = globProblem(glob);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A slash-command prefix people can type at the start of a comment line: 1–32 characters, no whitespace. */
export const COMMAND_PREFIX_MAX = 32;
const CommandPrefix = z
  .string()
  .regex(/^\S+$/, "must be a word people can type at the start of a comment line, with no spaces (e.g. /guard)")
  .max(COMMAND_PREFIX_MAX, `must be at most ${COMMAND_PREFIX_MAX} characters`);
const DateLike = z.union([z.string().min(1), z.date()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: `expected a date like 2026-12-31, got "${String(v)}"` });
    return z.NEVER;
  }
  return d.toISOString();
});

const RuleSetting = z.union([
  z.literal("off"),
  SeverityName,
  z.strictObject({
    severity: z.union([SeverityName, z.literal("off")]).optional(),
    paths: z.array(Glob).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

export const ConfigWaiver = z.strictObject({
  rule: z.string().min(1),
  path: Glob.optional(),
  /** `Kind/name` or `Kind/namespace/name`. */
  resource: z.string().min(1).optional(),
  reason: z.string().trim().min(1, "a waiver needs a reason"),
  expires: DateLike,
});

export const Config = z.strictObject({
  _extends: z.string().optional(),
  failOn: SeverityName.default("high"),
  onError: z.enum(["failure", "neutral"]).default("failure"),
  rules: z.record(z.string(), RuleSetting).default({}),
  production: z.array(Glob).optional(),
  paths: z
    .strictObject({ include: z.array(Glob).default([]), exclude: z.array(Glob).default([]), excludeDefaults: z.boolean().default(true) })
    .prefault({}),
  images: z
    .strictObject({ allowedRegistries: z.array(z.string()).default([]), productionRegistries: z.array(z.string()).default([]) })
    .default({ allowedRegistries: [], productionRegistries: [] }),
  ecr: z
    .strictObject({
      /** Unset: on whenever AWS credentials or AWS_ENDPOINT_URL_ECR are present (see aws/ecr/enabled.ts). */
      enabled: z.boolean().optional(),
      region: z.string().optional(),
      roles: z.record(z.string(), z.string()).default({}),
      thresholds: z.strictObject({ critical: z.number().int().min(1).default(1), high: z.number().int().min(1).default(5) }).default({ critical: 1, high: 5 }),
      ignoreUnfixed: z.boolean().default(true),
      blockExploitable: z.boolean().default(true),
      allowlist: z.array(z.strictObject({ cve: z.string().min(1), reason: z.string().min(1), expires: DateLike })).default([]),
      requireSignature: z.boolean().default(false),
    })
    .prefault({}),
  argocd: z
    .strictObject({ namespace: z.string().min(1).default("argocd"), platformProjects: z.array(z.string()).default([]) })
    .prefault({}),
  waivers: z.array(ConfigWaiver).default([]),
  commands: z
    .strictObject({
      prefix: CommandPrefix.default(DEFAULT_COMMAND_PREFIX),
      waiveRequires: z.enum(["read", "triage", "write", "maintain", "admin"]).default("write"),
      overrideTeams: z.array(z.string()).default([]),
      allowSelfOverride: z.boolean().default(false),
    })
    .prefault({}),
});

export type Config = z.output<typeof Config>;
export type ConfigWaiver = z.output<typeof ConfigWaiver>;
export type RuleSetting = z.output<typeof RuleSetting>;

/**
 * "Production paths" by default. Also regional production directories and files named `prod-…` (`prod-eu/`,
 * `prod-us-east-1.yaml`, `production-eu/`); not `…-prod` directories, which include `non-prod` and `pre-prod`.
 * Every `prod` spelling has its `production` twin (`web-production.yaml` as `web-prod.yaml`); `prd` has none.
 */
export const DEFAULT_PRODUCTION_GLOBS: readonly string[] = [
  "**/prod/**",
  "**/production/**",
  "**/prd/**",
  "**/prod-*/**",
  "**/production-*/**",
  "**/*-prod.{yaml,yml}",
  "**/*.prod.{yaml,yml}",
  "**/prod-*.{yaml,yml}",
  "**/*-production.{yaml,yml}",
  "**/*.production.{yaml,yml}",
  "**/production-*.{yaml,yml}",
];

/**
 * Test fixtures of GitOps repositories: purpose-made bad manifests (policy tests, e2e steps, Go testdata) that are
 * never applied. Not reviewed unless `paths.excludeDefaults: false`, or a file matches `paths.include`.
 * `tests/` (plural: helm-unittest suites, conftest and kuttl inputs) is a fixture name; `test/`, `e2e/`, `testing/`
 * are also environment names and stay reviewed, as do `examples/`, `hack/` and `docs/` (an Application may deploy
 * them, and a manifest kept there is still applied by someone).
 */
export const DEFAULT_EXCLUDE_GLOBS: readonly string[] = [
  "**/.chainsaw-test/**",
  "**/.kyverno-test/**",
  "**/testdata/**",
  "**/__fixtures__/**",
  "**/fixtures/**",
  "**/__snapshots__/**",
  "**/tests/**",
  "**/test/e2e/**",
  "**/kuttl/**",
  "**/chainsaw/**",
  "**/kuttl-test.{yaml,yml}",
  "**/[0-9][0-9]-{assert,errors}.{yaml,yml}",
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid gitops-guard configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates raw config (already parsed from YAML). The rules (or their ids) make unknown rule ids an error, so a
 * typo cannot silently disable nothing. Throws ConfigError listing each problem with its key path.
 */
export function parseConfig(raw: unknown, rules: ReadonlySet<string> | readonly Rule[]): Config {
  const knownRules: ReadonlySet<string> = isIdSet(rules) ? rules : new Set(rules.map((r) => r.meta.id));
  const input = raw === null || raw === undefined ? {} : raw;
  const result = Config.safeParse(input);
  if (!result.success) {
    const unknownIds = isPlainObject(input) && isPlainObject(input.rules) ? Object.keys(input.rules).filter((id) => !knownRules.has(id)) : [];
    throw new ConfigError([...unknownIds.map((id) => unknownRuleProblem(`rules.${id}`, id, knownRules)), ...configProblems(result.error.issues, Config, input)]);
  }
  const problems: string[] = [];
  for (const id of Object.keys(result.data.rules)) {
    if (!knownRules.has(id)) problems.push(unknownRuleProblem(`rules.${id}`, id, knownRules));
  }
  if (!isIdSet(rules)) {
    const byId = new Map(rules.map((r) => [r.meta.id, r]));
    for (const [id, setting] of Object.entries(result.data.rules)) {
      const rule = byId.get(id);
      if (rule && typeof setting === "object") {
        const parsed = parseRuleOptions(rule, setting.options);
        if (!parsed.ok) problems.push(...parsed.problems);
      }
    }
  }
  result.data.waivers.forEach((w, i) => {
    if (!knownRules.has(w.rule)) problems.push(unknownRuleProblem(`waivers.${i}.rule`, w.rule, knownRules));
  });
  if (problems.length) throw new ConfigError(problems);
  return result.data;
}

/** `rules.<id>.options` parsed with the rule's schema (defaults applied); each problem names its key path. */
export function parseRuleOptions(rule: Rule, raw: unknown): { ok: true; value: Readonly<Record<string, unknown>> } | { ok: false; problems: string[] } {
  const id = rule.meta.id;
  if (!rule.options) return raw === undefined ? { ok: true, value: {} } : { ok: false, problems: [`rules.${id}.options: ${id} takes no options`] };
  const result = rule.options.safeParse(raw ?? {});
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: configProblems(result.error.issues, rule.options, raw ?? {}, `rules.${id}.options`) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIdSet(rules: ReadonlySet<string> | readonly Rule[]): rules is ReadonlySet<string> {
  return !Array.isArray(rules);
}

export function defaultConfig(): Config {
  return Config.parse({});
}
