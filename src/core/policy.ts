import picomatch from "picomatch";
import { ConfigError, DEFAULT_EXCLUDE_GLOBS, DEFAULT_PRODUCTION_GLOBS, GLOB_OPTIONS, parseRuleOptions, type Config } from "./config.js";
import type { Rule, RuleSettings } from "./rule.js";
import type { Severity } from "./types.js";
import type { TestSuiteInputs } from "./test-suites.js";
import { isJsonPath } from "../parse/json-manifest.js";

export type Matcher = (path: string) => boolean;

/**
 * Compiled glob lists, kept for the life of the process: the CLI and the engine each build a Policy from the same
 * config (and the App one per review), and compiling the same globs again is not free. Keyed by the list itself.
 */
const compiled = new Map<string, Matcher>();
const COMPILED_MAX = 256;

export function globMatcher(globs: readonly string[]): Matcher {
  if (globs.length === 0) return () => false;
  const key = JSON.stringify(globs);
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = picomatch([...globs], GLOB_OPTIONS);
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, matcher);
  }
  return matcher;
}

const YAML_FILE = /\.ya?ml$/i;

/** A path with a YAML extension (`.yaml`, `.yml`, any case). */
export function isYamlPath(path: string): boolean {
  return YAML_FILE.test(path);
}

const ENV_FILE = /(?:^|\/)[^/]*\.env$/i;

/**
 * A dotenv file (`.env`, `prod.env`, `secrets.env`): what a Kustomize generator's `envs:` reads, and where a
 * credential is committed as often as in YAML. Not YAML: its text is read by the rules that judge committed content
 * (raw text only), never parsed as YAML.
 */
export function isEnvPath(path: string): boolean {
  return ENV_FILE.test(path);
}

interface ActiveRule {
  rule: Rule;
  severity: Severity | null;
  inScope: Matcher | null;
  settings: RuleSettings;
}

/** The config turned into fast answers: which rules run on which file, at what severity. */
export class Policy {
  readonly failOn: Severity;
  private readonly isProd: Matcher;
  private readonly include: Matcher;
  private readonly exclude: Matcher;
  private readonly defaultExclude: Matcher;
  private readonly excludeDefaults: boolean;
  private readonly active = new Map<string, ActiveRule>();
  /** Per-path answers: a review asks about each file several times, and glob matching is not free. */
  private readonly prodCache = new Map<string, boolean>();
  private readonly rulesCache = new Map<string, ActiveRule[]>();

  constructor(readonly config: Config, rules: readonly Rule[]) {
    this.failOn = config.failOn;
    this.isProd = globMatcher(config.production ?? DEFAULT_PRODUCTION_GLOBS);
    this.include = globMatcher(config.paths.include);
    this.exclude = globMatcher(config.paths.exclude);
    this.excludeDefaults = config.paths.excludeDefaults !== false;
    this.defaultExclude = globMatcher(this.excludeDefaults ? DEFAULT_EXCLUDE_GLOBS : []);
    for (const rule of rules) {
      const setting = config.rules[rule.meta.id];
      let enabled = rule.meta.enabledByDefault !== false;
      let severity: Severity | null = null;
      let paths: string[] | undefined;
      let rawOptions: unknown;
      if (setting === "off") enabled = false;
      else if (typeof setting === "string") {
        enabled = true;
        severity = setting;
      } else if (setting) {
        if (setting.severity === "off") enabled = false;
        else {
          enabled = true;
          severity = setting.severity ?? null;
        }
        paths = setting.paths;
        rawOptions = setting.options;
      }
      if (!enabled) continue;
      const options = parseRuleOptions(rule, rawOptions);
      if (!options.ok) throw new ConfigError(options.problems);
      this.active.set(rule.meta.id, {
        rule,
        severity,
        inScope: paths && paths.length ? globMatcher(paths) : null,
        settings: {
          argocdNamespace: config.argocd.namespace,
          platformProjects: config.argocd.platformProjects,
          allowedRegistries: config.images.allowedRegistries,
          productionRegistries: config.images.productionRegistries,
          options: options.value,
          ecr: config.ecr,
        },
      });
    }
  }

  /**
   * Whether a file is reviewed at all: YAML files, `.env` files (their committed text: see `isEnvPath`) and
   * `paths.include`, minus `paths.exclude`. The App's file selection and the CLI's ask this same question.
   */
  reviews(path: string): boolean {
    return (isYamlPath(path) || isEnvPath(path) || this.include(path)) && !this.exclude(path);
  }

  /**
   * Whether a file may be reviewed, its content deciding: every file `reviews` takes, and a `.json` file that
   * `paths.exclude` leaves in, reviewed when it is a Kubernetes manifest (`isJsonManifest`). What to read.
   */
  mayReview(path: string): boolean {
    return this.reviews(path) || (isJsonPath(path) && !this.exclude(path));
  }

  /**
   * A test fixture left out by default (DEFAULT_EXCLUDE_GLOBS, or an input of a test suite that `suites`, built from the
   * tree listing, found), unless `paths.include` names it or `paths.excludeDefaults` is false.
   */
  excludedByDefault(path: string, suites?: TestSuiteInputs): boolean {
    return (this.defaultExclude(path) || (this.excludeDefaults && suites !== undefined && suites.holds(path))) && !this.include(path);
  }

  /** Whether `paths.exclude` leaves a file out (whatever its type: a rendered value may come from a `.env` file). */
  excludes(path: string): boolean {
    return this.exclude(path);
  }

  isProduction(path: string): boolean {
    let hit = this.prodCache.get(path);
    if (hit === undefined) {
      hit = this.isProd(path);
      this.prodCache.set(path, hit);
    }
    return hit;
  }

  enabled(ruleId: string): boolean {
    return this.active.has(ruleId);
  }

  /** The settings an enabled rule runs with (argocd, registry lists, its options); undefined when it is off. */
  settingsFor(ruleId: string): RuleSettings | undefined {
    return this.active.get(ruleId)?.settings;
  }

  /** The rule with this id, when it is enabled. */
  rule(ruleId: string): Rule | undefined {
    return this.active.get(ruleId)?.rule;
  }

  /** The rules that run on a file, honouring per-rule path scopes and production-only rules. */
  rulesFor(path: string): ActiveRule[] {
    const cached = this.rulesCache.get(path);
    if (cached) return cached;
    const prod = this.isProduction(path);
    const out: ActiveRule[] = [];
    for (const a of this.active.values()) {
      if (a.inScope && !a.inScope(path)) continue;
      if (a.rule.meta.productionOnly && !prod) continue;
      out.push(a);
    }
    this.rulesCache.set(path, out);
    return out;
  }

  /** Severity after config overrides: a configured severity replaces whatever the rule reported. */
  severity(ruleId: string, reported: Severity): Severity {
    return this.active.get(ruleId)?.severity ?? reported;
  }

  /** Whether an engine-level rule (guard/*, argocd/app-deleted) applies to a file. */
  appliesTo(ruleId: string, path: string): boolean {
    const a = this.active.get(ruleId);
    if (!a) return false;
    if (a.inScope && !a.inScope(path)) return false;
    if (a.rule.meta.productionOnly && !this.isProduction(path)) return false;
    return true;
  }
}
