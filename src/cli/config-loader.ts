import { parse } from "yaml";
import { ConfigError, parseConfig, type Config } from "../core/config.js";
import { SEVERITIES, type Severity } from "../core/types.js";
import { readTextFile } from "../local/files.js";
import { RULE_IDS } from "../rules/index.js";
import { UsageError } from "./io.js";

export const CONFIG_PATH = ".github/gitops-guard.yml";

/** Parses config text (YAML) into a validated Config; YAML or schema problems are ConfigErrors naming the source. */
export function configFromText(text: string, source: string): Config {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 50 });
  } catch (err) {
    throw new ConfigError([`${source}: not valid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`]);
  }
  try {
    return parseConfig(raw, RULE_IDS);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.problems.map((p) => `${source}: ${p}`));
    throw err;
  }
}

export async function configFromFile(path: string, required: boolean): Promise<Config | null> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch {
    if (required) throw new UsageError(`config file not found: ${path}`);
    return null;
  }
  return configFromText(text, path);
}

export function applyFailOn(config: Config, failOn: string | undefined): Config {
  if (failOn === undefined) return config;
  if (!(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")} (got "${failOn}")`);
  }
  return { ...config, failOn: failOn as Severity };
}
