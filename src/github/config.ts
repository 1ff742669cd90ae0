import type { Context } from "probot";
import { CONFIG_FILE_NAME, CONFIG_PATH, ConfigError } from "../core/config.js";
import { readConfigYaml } from "../core/config-loader.js";
import { httpStatus } from "./client.js";

export type ConfigSource = Pick<Context, "config" | "octokit" | "repo">;

/**
 * Loads the raw repository config with Probot's loader: always the default branch of the repository
 * the event belongs to (the PR's base), never the PR head. With `_extends`, the repository's own values
 * win, and its lists replace (not extend) the inherited ones. A file that cannot be read as YAML, or a
 * bad `_extends`, is a ConfigError (the check run says so); an HTTP failure is an internal error.
 */
export async function loadRawConfig(source: ConfigSource): Promise<unknown> {
  try {
    return await source.config<Record<string, unknown>>(CONFIG_FILE_NAME, {}, { arrayMerge: (_inherited: unknown[], own: unknown[]) => own });
  } catch (error) {
    if (httpStatus(error) !== undefined || !(error instanceof Error)) throw error;
    if (isRawFormatQuirk(error)) return readAsJsonContents(source);
    throw new ConfigError([describeLoaderError(error)]);
  }
}

function describeLoaderError(error: Error): string {
  const message = error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
  const cause = error.cause instanceof Error ? error.cause.message.split("\n")[0] : null;
  return cause ? `${message}: ${cause}` : message;
}

/**
 * Probot's loader asks for the raw file. A GitHub-compatible server that answers with the JSON
 * contents object instead looks to it like a directory (or like YAML that is not text).
 */
function isRawFormatQuirk(error: Error): boolean {
  return /is either a directory or a submodule/.test(error.message) || error.cause instanceof TypeError;
}

/** The repository's config file through the JSON contents API (no `_extends` on this path). */
async function readAsJsonContents(source: ConfigSource): Promise<unknown> {
  const { data } = await source.octokit.rest.repos.getContent(source.repo({ path: CONFIG_PATH }));
  if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") {
    throw new ConfigError([`${CONFIG_PATH} must be a file`]);
  }
  return readConfigYaml(Buffer.from(data.content, "base64").toString("utf8"), CONFIG_PATH);
}
