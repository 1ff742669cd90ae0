import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfigYaml } from "../src/core/config-loader.js";
import { renderRulesMarkdown } from "../src/docs/rules-markdown.js";
import { ALL_RULES } from "../src/rules/index.js";

describe("docs/rules.md", () => {
  it("is generated from the current rule metadata (run `npm run docs` when this fails)", () => {
    const onDisk = readFileSync(join(process.cwd(), "docs", "rules.md"), "utf8");
    expect(onDisk).toBe(renderRulesMarkdown(ALL_RULES));
  });

  it("documents every rule id", () => {
    const doc = renderRulesMarkdown(ALL_RULES);
    for (const r of ALL_RULES) expect(doc).toContain(`### ${r.meta.id}`);
  });
});

describe("README", () => {
  it("its configuration example loads with the config loader, rule options included", () => {
    const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
    const example = readme.split("## Configuration")[1]!.split("```yaml\n")[1]!.split("```")[0]!;
    const config = loadConfigYaml(example, ALL_RULES, "README.md");
    expect(config.rules["k8s/unsafe-sysctls"]).toEqual({ options: { allowedSysctls: ["net.core.somaxconn"] } });
    expect(config.waivers).toHaveLength(1);
  });

  it("its layout paragraph names every folder of src/", () => {
    const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
    const layout = readme.split("Layout of `src/`")[1]!.split("### ")[0]!;
    const folders = readdirSync(join(process.cwd(), "src"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !layout.includes(`\`src/${f}`))).toEqual([]);
  });
});
