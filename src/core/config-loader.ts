/**
 * The one config loader, for the CLI and the App alike: YAML text → raw object → validated Config. Pure: the
 * callers read the file (the CLI from disk or a git ref; the App through Probot's loader, which follows `_extends`
 * and the organisation's `.github` repository and parses with the same `yaml` package and the same alias cap).
 */
import { parse } from "yaml";
import { ConfigError, parseConfig, type Config } from "./config.js";
import type { Rule } from "./rule.js";

/**
 * The `yaml` package's `maxAliasCount` for config files (a scalar may be aliased at most 99 times). It is the
 * package's default, so Probot's config loader (which takes no parser options) applies the same cap; tests check the
 * CLI and the App accept and refuse the same files.
 */
export const CONFIG_MAX_ALIASES = 100;

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

/** YAML text → raw config. An empty file is an empty config; text that is not YAML is a ConfigError naming `source`. */
export function readConfigYaml(text: string, source: string): unknown {
  try {
    return parse(text, { maxAliasCount: CONFIG_MAX_ALIASES, logLevel: "error" }) ?? {};
  } catch (error) {
    throw new ConfigError([`${source}: not valid YAML: ${firstLine(error)}`]);
  }
}

/** Raw config → validated Config against the rule registry; each problem names its key path (and `source`, when given). */
export function loadConfig(raw: unknown, rules: readonly Rule[], source?: string): Config {
  try {
    return parseConfig(raw, rules);
  } catch (error) {
    if (error instanceof ConfigError && source) throw new ConfigError(error.problems.map((p) => `${source}: ${p}`));
    throw error;
  }
}

/** YAML text → validated Config. */
export function loadConfigYaml(text: string, rules: readonly Rule[], source: string): Config {
  return loadConfig(readConfigYaml(text, source), rules, source);
}
