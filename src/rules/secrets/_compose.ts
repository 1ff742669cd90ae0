import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";
import { scalarText } from "./_values.js";

/** `docker-compose.yml`, `docker-compose.prod.yaml`, `compose.yaml`, `compose.override.yml` (not `composer.yaml`). */
const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:[-_.][^/]*)?\.ya?ml$/i;

/** One variable of a Compose service's `environment`, as written. */
export interface ComposeVariable {
  service: string;
  name: string;
  /** The value (digits of an unquoted number as text); not a string for a variable written without one. */
  value: unknown;
  /** The map entry's value, or the `- NAME=value` list item holding it. */
  path: JsonPath;
  /** For a list item: the text before the value inside it (`NAME=`), to point at the value. */
  prefix?: string;
}

/**
 * The `services.<name>.environment` variables of a Docker Compose file, in both forms Compose accepts: a map
 * (`POSTGRES_PASSWORD: …`) and a list of `NAME=value` items (`- NAME` alone passes the shell's value through and has
 * none). Empty for any other file or document. Compose substitutes `${VAR}` and `${VAR:-default}` from the shell or an
 * `.env` file: such a value is a reference to the secrets rules (`isInterpolated`).
 */
export function composeEnvironment(doc: ParsedDoc): ComposeVariable[] {
  if (doc.class !== "other" || !COMPOSE_FILE.test(doc.file) || !isPlainObject(doc.value) || !isPlainObject(doc.value.services)) return [];
  const out: ComposeVariable[] = [];
  for (const [service, spec] of Object.entries(doc.value.services)) {
    const env = isPlainObject(spec) ? spec.environment : undefined;
    const base: JsonPath = ["services", service, "environment"];
    if (isPlainObject(env)) {
      for (const [name, value] of Object.entries(env)) out.push({ service, name, value: scalarText(value), path: [...base, name] });
    } else if (Array.isArray(env)) {
      env.forEach((item, i) => {
        const eq = typeof item === "string" ? item.indexOf("=") : -1;
        if (typeof item !== "string" || eq <= 0) return;
        const name = item.slice(0, eq).trim();
        out.push({ service, name, value: item.slice(eq + 1), path: [...base, i], prefix: item.slice(0, eq + 1) });
      });
    }
  }
  return out;
}
