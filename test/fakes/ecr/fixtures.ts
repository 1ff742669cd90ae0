import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Json } from "./fake-ecr.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/**
 * A wire-format fixture (copied from ../shared/fixtures/ecr, provenance in its `_source`), without the
 * `_source`/`_handling` notes.
 */
export function fixture(name: string): Json {
  const raw = JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as Json;
  delete raw._source;
  delete raw._handling;
  return raw;
}

/** `sha256:` and 64 hex digits derived from a label, for made-up images. */
export function digestOf(label: string | number): string {
  const hex = Buffer.from(String(label)).toString("hex");
  return `sha256:${hex.padEnd(64, "0").slice(0, 64)}`;
}
