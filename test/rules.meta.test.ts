import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ALL_RULES } from "../src/rules/index.js";
import { fixtureDir, RULES_DIR, runFixture } from "./helpers/rule-tester.js";

/** Rules whose findings come from the engine or need two sides of a change; tested elsewhere. */
const ENGINE_RULES = new Set(["guard/parse-error", "guard/invalid-suppression", "argocd/app-deleted"]);

describe("rule catalogue", () => {
  it("has unique ids in <domain>/<kebab-name> form, each in its own module file", () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
      const [domain, name] = id.split("/");
      expect(existsSync(join(RULES_DIR, domain!, `${name}.ts`))).toBe(true);
    }
  });

  it("registers every rule module that exists on disk", () => {
    const ids = new Set(ALL_RULES.map((r) => r.meta.id));
    for (const domain of readdirSync(RULES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(join(RULES_DIR, domain.name))) {
        if (!f.endsWith(".ts") || f.endsWith(".test.ts") || f === "index.ts" || f.startsWith("_")) continue;
        expect(ids).toContain(`${domain.name}/${f.replace(/\.ts$/, "")}`);
      }
    }
  });

  it.each(ALL_RULES.map((r) => [r.meta.id, r] as const))("%s has complete metadata", (_id, rule) => {
    const m = rule.meta;
    expect(m.title.length).toBeGreaterThan(3);
    expect(m.description.length).toBeGreaterThan(10);
    expect(m.rationale.length).toBeGreaterThan(20);
    expect(m.fix).toMatch(/\.$/);
  });
});

describe.each(ALL_RULES.filter((r) => !ENGINE_RULES.has(r.meta.id)).map((r) => [r.meta.id, r] as const))("%s fixtures", (id, rule) => {
  const dir = fixtureDir(id);
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const configFile = join(dir, "config.yaml");
  const config: unknown = existsSync(configFile) ? parse(readFileSync(configFile, "utf8")) : undefined;
  const file = (name: string): string => (rule.meta.productionOnly ? `envs/prod/${name}` : `manifests/${name}`);

  it("has at least one valid and one invalid fixture", () => {
    expect(files.filter((f) => f.startsWith("valid-")).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith("invalid-")).length).toBeGreaterThan(0);
  });

  it.each(files.filter((f) => f.startsWith("valid-")))("reports nothing on %s", (name) => {
    expect(runFixture(rule, name, { file: file(name), config })).toEqual([]);
  });

  it.each(files.filter((f) => f.startsWith("invalid-")))("reports something on %s", (name) => {
    expect(runFixture(rule, name, { file: file(name), config }).length).toBeGreaterThan(0);
  });
});
