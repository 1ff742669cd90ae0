import { readFile } from "node:fs/promises";
import type { Config } from "../core/config.js";
import { loadConfigYaml } from "../core/config-loader.js";
import { SEVERITIES, type Severity } from "../core/types.js";
import { ALL_RULES } from "../rules/index.js";
import { UsageError } from "./io.js";

/** Reads a config file from disk and loads it with the one config loader; null when it is absent and not required. */
export async function configFromFile(path: string, required: boolean): Promise<Config | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    if (required) throw new UsageError(`config file not found: ${path}`);
    return null;
  }
  return loadConfigYaml(text, ALL_RULES, path);
}

export function applyFailOn(config: Config, failOn: string | undefined): Config {
  if (failOn === undefined) return config;
  if (!(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")} (got "${failOn}")`);
  }
  return { ...config, failOn: failOn as Severity };
}
