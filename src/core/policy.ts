import picomatch from "picomatch";
import { ConfigError, DEFAULT_EXCLUDE_GLOBS, DEFAULT_PRODUCTION_GLOBS, GLOB_OPTIONS, parseRuleOptions, type Config } from "./config.js";
import type { Rule, RuleSettings } from "./rule.js";
import type { Severity } from "./types.js";

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

/** The directory of a repository-relative path ("" for the root). */
function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

const join = (dir: string, name: string): string => (dir === "" ? name : `${dir}/${name}`);

/** Test manifests whose directory holds the test's inputs: the Kyverno CLI's and chainsaw's. */
const SUITE_MARKERS = ["kyverno-test.yaml", "kyverno-test.yml", "chainsaw-test.yaml", "chainsaw-test.yml"];
/** A kuttl test case's assert or errors file (`00-assert.yaml`): its directory's `NN-*` files are the case's steps. */
const KUTTL_CHECK = /^(\d\d)-(?:assert|errors)\.ya?ml$/;
const KUTTL_STEP = /^\d\d-/;
/** A Kustomize root: its directory is what Argo CD applies (through the kustomization), never a test's inputs. */
const KUSTOMIZATION_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
/**
 * A Gatekeeper policy directory (gatekeeper-library layout): the ConstraintTemplate's `template.yaml` beside the gator
 * `suite.yaml` (library/) or the Artifact Hub package's `artifacthub-pkg.yml` (artifacthub/), examples in `samples/`.
 */
const GATOR_SUITES = ["suite.yaml", "artifacthub-pkg.yml"];
const GATOR_TEMPLATE = "template.yaml";
const GATOR_SAMPLES = "samples";
/** The first characters of every name above (and of kuttl's digits). */
const MARKER_FIRST = new Set([..."kcKsat0123456789"].map((ch) => ch.charCodeAt(0)));

/**
 * Test inputs found from a tree listing (paths only, so the CLI and the App decide alike, whichever files a change
 * touches). These are the resources a suite feeds a policy or a test cluster, bad by design (`example_disallowed.yaml`,
 * `pod-bad.yaml`, `resource.yaml`, `00-install.yaml`):
 * - the files beside a Kyverno CLI test (`kyverno-test.yaml`) or a chainsaw test (`chainsaw-test.yaml`): no cluster
 *   serves `cli.kyverno.io` or `chainsaw.kyverno.io` Test, so Argo CD could not sync such a directory as written;
 * - everything under `samples/` beside a Gatekeeper policy (its ConstraintTemplate's `template.yaml` with the gator
 *   `suite.yaml` or the Artifact Hub `artifacthub-pkg.yml`), the gatekeeper-library layout;
 * - the `NN-*` steps of a kuttl test case: a directory with an `NN-assert.yaml` or `NN-errors.yaml` (a partial object
 *   and the state to wait for, never applied; a GitOps directory's `00-namespace.yaml` has none beside it).
 * A kustomization in the directory says it is applied after all: then nothing there is a test's input.
 */
export class TestSuiteInputs {
  private readonly suiteDirs = new Set<string>();
  private readonly gatorDirs = new Set<string>();
  private readonly kuttlDirs = new Set<string>();

  constructor(paths: Iterable<string>) {
    const kustomized = new Set<string>();
    const suites: string[] = [];
    const kuttl: string[] = [];
    const gatorSuites = new Set<string>();
    const templates = new Set<string>();
    for (const path of paths) {
      // Every file of a tree passes here: most are ruled out by their name's first character, without a copy.
      const start = path.lastIndexOf("/") + 1;
      if (!MARKER_FIRST.has(path.charCodeAt(start))) continue;
      const name = path.slice(start);
      if (SUITE_MARKERS.includes(name)) suites.push(dirOf(path));
      else if (KUSTOMIZATION_NAMES.includes(name)) kustomized.add(dirOf(path));
      else if (GATOR_SUITES.includes(name)) gatorSuites.add(dirOf(path));
      else if (name === GATOR_TEMPLATE) templates.add(dirOf(path));
      else if (KUTTL_CHECK.test(name)) kuttl.push(dirOf(path));
    }
    for (const dir of suites) if (!kustomized.has(dir)) this.suiteDirs.add(dir);
    for (const dir of kuttl) if (!kustomized.has(dir)) this.kuttlDirs.add(dir);
    for (const dir of gatorSuites) if (templates.has(dir)) this.gatorDirs.add(dir);
  }

  /** Whether any test suite was found (most repositories have none: nothing to ask per file). */
  get empty(): boolean {
    return this.suiteDirs.size === 0 && this.gatorDirs.size === 0 && this.kuttlDirs.size === 0;
  }

  /** Whether a file is one of the inputs of a suite found in the listing. */
  holds(path: string): boolean {
    if (this.empty) return false;
    const dir = dirOf(path);
    if (this.suiteDirs.has(dir)) return true;
    if (this.kuttlDirs.has(dir) && KUTTL_STEP.test(path.slice(dir === "" ? 0 : dir.length + 1))) return true;
    if (this.gatorDirs.size === 0 || !`/${dir}/`.includes(`/${GATOR_SAMPLES}/`)) return false;
    for (let d = dir; d !== ""; d = dirOf(d)) {
      if (d.slice(d.lastIndexOf("/") + 1) === GATOR_SAMPLES && this.gatorDirs.has(dirOf(d))) return true;
    }
    return false;
  }

  /**
   * The paths whose presence decides whether `path` is a suite's input: what a caller holding only some of a tree's
   * files (`scan` of files named on the command line) looks up before building TestSuiteInputs.
   */
  static markersFor(path: string): string[] {
    const dir = dirOf(path);
    const out = [...SUITE_MARKERS, ...KUSTOMIZATION_NAMES].map((n) => join(dir, n));
    // A kuttl step's own index: `01-pod.yaml` is a step when `01-assert.yaml` or `01-errors.yaml` sits beside it.
    const step = /^(\d\d)-/.exec(path.slice(path.lastIndexOf("/") + 1));
    if (step) out.push(...["assert.yaml", "assert.yml", "errors.yaml", "errors.yml"].map((n) => join(dir, `${step[1]}-${n}`)));
    for (let d = dir; d !== ""; d = dirOf(d)) {
      if (d.slice(d.lastIndexOf("/") + 1) === GATOR_SAMPLES) out.push(...[...GATOR_SUITES, GATOR_TEMPLATE].map((n) => join(dirOf(d), n)));
    }
    return out;
  }
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

  /** Whether a file is reviewed at all: YAML files and `paths.include`, minus `paths.exclude`. */
  reviews(path: string): boolean {
    return (isYamlPath(path) || this.include(path)) && !this.exclude(path);
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
