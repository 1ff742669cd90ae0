import { describe, expect, it } from "@jest/globals";
import { ConfigError, CONFIG_PATH } from "./config.js";
import { CONFIG_MAX_ALIASES, loadConfig, loadConfigYaml, readConfigYaml } from "./config-loader.js";
import { ALL_RULES } from "../rules/index.js";

/** A valid config whose `production` list repeats one anchored glob through `n` aliases. */
function aliasedConfig(n: number): string {
  return `production:\n  - &g "**/prod/**"\n${"  - *g\n".repeat(n)}`;
}

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("the config loader", () => {
  it("loads YAML text into a validated config; an empty file is the default config", () => {
    expect(loadConfigYaml("failOn: medium\n", ALL_RULES, CONFIG_PATH).failOn).toBe("medium");
    expect(loadConfigYaml("", ALL_RULES, CONFIG_PATH).failOn).toBe("high");
  });

  it("names the source and the key path of every problem", () => {
    expect(problems(() => loadConfigYaml("failOn: extreme\nrules:\n  k8s/nope: off\n", ALL_RULES, "base:.github/gitops-guard.yml"))).toEqual([
      expect.stringMatching(/^base:\.github\/gitops-guard\.yml: failOn: /),
    ]);
    expect(problems(() => loadConfig({ rules: { "k8s/nope": "off" } }, ALL_RULES))).toEqual(["rules.k8s/nope: unknown rule id (see `gitops-guard rules`)"]);
    expect(problems(() => readConfigYaml("failOn: [high\n", CONFIG_PATH))).toEqual([expect.stringMatching(/^\.github\/gitops-guard\.yml: not valid YAML: /)]);
  });

  it(`caps alias expansions at ${CONFIG_MAX_ALIASES} (yaml's maxAliasCount): an alias bomb is a ConfigError`, () => {
    expect(loadConfigYaml(aliasedConfig(CONFIG_MAX_ALIASES - 1), ALL_RULES, CONFIG_PATH).production).toHaveLength(CONFIG_MAX_ALIASES);
    expect(problems(() => loadConfigYaml(aliasedConfig(CONFIG_MAX_ALIASES), ALL_RULES, CONFIG_PATH))).toEqual([expect.stringMatching(/not valid YAML: .*alias/i)]);
  });

  it("validates rules.<id>.options with the rule's own schema; a bad option is a problem naming its key", () => {
    const load = (options: unknown, id = "k8s/unsafe-sysctls") => problems(() => loadConfig({ rules: { [id]: { options } } }, ALL_RULES));
    expect(load({ allowedSysctls: ["net.core.somaxconn"] })).toEqual([]);
    expect(load({ allowedSysctls: "net.core.somaxconn" })).toEqual([expect.stringMatching(/^rules\.k8s\/unsafe-sysctls\.options\.allowedSysctls: /)]);
    expect(load({ allowedSysctl: [] })).toEqual(['rules.k8s/unsafe-sysctls.options: Unrecognized key: "allowedSysctl"']);
    expect(load({ required: ["startup"] }, "k8s/missing-probes")).toEqual([expect.stringMatching(/^rules\.k8s\/missing-probes\.options\.required\.0: /)]);
    expect(load({ anything: 1 }, "k8s/privileged-container")).toEqual(["rules.k8s/privileged-container.options: k8s/privileged-container takes no options"]);
  });
});
