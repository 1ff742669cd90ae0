import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";

export interface GeneratorLiteral {
  /** Path of the literal, e.g. `secretGenerator[0].literals[2]`. */
  path: JsonPath;
  /** The generator's name (or `#<index>`). */
  generator: string;
  key: string;
  value: string;
}

/** Kustomize `secretGenerator` / `configMapGenerator` `literals: ["KEY=value"]`, split into key and unquoted value. */
export function generatorLiterals(doc: unknown, field: "secretGenerator" | "configMapGenerator"): GeneratorLiteral[] {
  const generators = isPlainObject(doc) ? doc[field] : undefined;
  if (!Array.isArray(generators)) return [];
  const out: GeneratorLiteral[] = [];
  generators.forEach((g, i) => {
    if (!isPlainObject(g) || !Array.isArray(g.literals)) return;
    const generator = typeof g.name === "string" ? g.name : `#${i}`;
    g.literals.forEach((lit, j) => {
      if (typeof lit !== "string") return;
      const eq = lit.indexOf("=");
      if (eq <= 0) return;
      const key = lit.slice(0, eq).trim();
      const value = lit.slice(eq + 1).replace(/^(["'])(.*)\1$/s, "$2");
      out.push({ path: [field, i, "literals", j], generator, key, value });
    });
  });
  return out;
}
