/** A document no transform touched has exactly the origins the file-by-file parser gives it. */
import { describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { JsonPath } from "../../src/core/path.js";
import { buildKustomization, memoryTree } from "../../src/kustomize/index.js";
import { parseYamlFile } from "../../src/parse/yaml-file.js";

function leafPaths(v: unknown, path: (string | number)[] = [], out: JsonPath[] = []): JsonPath[] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => leafPaths(x, [...path, i], out));
  else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) leafPaths(x, [...path, k], out);
  return out;
}

const DIR = resolve(process.cwd(), "../shared/corpus/argocd-example-apps/guestbook");

describe("origins of untouched documents equal ParsedDoc.locate", () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith(".yaml")))("%s", (name) => {
    const text = readFileSync(join(DIR, name), "utf8");
    const file = `app/${name}`;
    const r = buildKustomization(memoryTree({ [file]: text, "app/kustomization.yaml": `resources: [${name}]\n` }), "app");
    if (!r.ok) throw new Error(r.reason);
    const docs = parseYamlFile(file, text).docs;
    expect(r.resources).toHaveLength(docs.length);
    for (const res of r.resources) {
      const doc = docs.find((d) => d.resource.kind === res.resource.kind && d.resource.name === res.resource.name)!;
      for (const p of leafPaths(doc.value).slice(1)) {
        expect({ p, ...res.originOf(p) }).toEqual({ p, file, ...doc.locate(p) });
        expect({ p, ...res.originOf(p, "key") }).toEqual({ p, file, ...doc.locate(p, "key") });
      }
    }
  });
});
