/**
 * The baseline of the whole-process budget (DESIGN: `gitops-guard scan` ≤ 1.5× a parse-only process over the same
 * files): a process that finds the same YAML files, reads them and parses each to data with the `yaml` package alone
 * (`parseAllDocuments` + `toJS`, what `yaml.parse` does per document) — nothing else. Usage: node parse-only.js DIR
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const SKIP = new Set([".git", "node_modules"]);

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) walk(join(dir, e.name), out);
    } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(join(dir, e.name));
  }
  return out;
}

let documents = 0;
for (const file of walk(process.argv[2] ?? ".", [])) {
  for (const d of parseAllDocuments(readFileSync(file, "utf8"), { logLevel: "error", uniqueKeys: false })) {
    documents++;
    if (d.errors.length === 0) d.toJS({ maxAliasCount: 100 });
  }
}
process.stdout.write(`${documents}\n`);
