import { describe, expect, it } from "@jest/globals";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chooseColor } from "../src/cli/color.js";
import { COMMAND_HELP } from "../src/cli/help.js";
import { VERSION } from "../src/cli/version.js";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, git, tree } from "./helpers/cli.js";

const ROOT = resolve(".");
const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
const ESC = "\u001b[";

describe("which config a run used", () => {
  it("scan DIR takes DIR/.github/gitops-guard.yml, says so on stderr, and keeps JSON stdout clean", async () => {
    const repo = tree({ "apps/pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "rules:\n  k8s/privileged-container: off\n" });
    const elsewhere = tree({});
    const r = await cli(["scan", repo, "--format", "json"], elsewhere);
    expect(r.stderr).toBe(`gitops-guard: config ${repo}/.github/gitops-guard.yml\n`);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("k8s/privileged-container");
    // Without the directory's config, the rule runs: the config above is what switched it off.
    const plain = tree({ "apps/pod.yaml": PRIVILEGED_POD });
    const d = await cli(["scan", plain, "--format", "json"], elsewhere);
    expect(d.stderr).toBe(`gitops-guard: defaults (no .github/gitops-guard.yml in ${plain} or the current directory)\n`);
    expect(JSON.parse(d.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain("k8s/privileged-container");
  });

  it("scan of a sub-directory finds the config of its git repository; two repositories with different configs are refused", async () => {
    const repo = tree({ "apps/pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "failOn: critical\nrules:\n  k8s/privileged-container: low\n" });
    git(repo, "init", "-q");
    const r = await cli(["scan", "apps", "--format", "json"], repo);
    expect(r.stderr).toBe("gitops-guard: config .github/gitops-guard.yml\n");
    expect(r.code).toBe(0);
    const fromElsewhere = await cli(["scan", join(repo, "apps"), "--format", "json"], tree({}));
    expect(fromElsewhere.stderr).toBe(`gitops-guard: config ${repo}/.github/gitops-guard.yml\n`);
    expect(fromElsewhere.code).toBe(0);
    const other = tree({ "pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "failOn: low\n" });
    const both = await cli(["scan", repo, other], tree({}));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/different configs .*pass --config/);
    const chosen = await cli(["scan", repo, other, "--config", join(other, ".github/gitops-guard.yml"), "--format", "json"], tree({}));
    expect(chosen.stderr).toMatch(/^gitops-guard: config .*\/\.github\/gitops-guard\.yml \(--config\)\n$/);
    expect(chosen.code).toBe(1);
  });

  it("review names the base ref or base directory it read the config from", async () => {
    const base = tree({ "cm.yaml": CM, ".github/gitops-guard.yml": "failOn: low\n" });
    const head = tree({ "cm.yaml": CM });
    expect((await cli(["review", "--base", base, "--head", head])).stderr).toBe(`gitops-guard: config ${base}/.github/gitops-guard.yml (base directory)\n`);
    expect((await cli(["review", "--base", head, "--head", base])).stderr).toBe(`gitops-guard: defaults (no .github/gitops-guard.yml in the base directory ${head})\n`);
  });
});

describe("scan of a directory with nothing to review", () => {
  it("says so on stderr and exits 0", async () => {
    const dir = tree({ "README.md": "# docs\n", "charts/values.json": "{}" });
    const r = await cli(["scan", dir, "docs-only"], tree({ "docs-only/a.txt": "x" }));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`gitops-guard: no YAML files in ${dir} (`);
    expect(r.stderr).toContain("gitops-guard: no YAML files in docs-only (");
    mkdirSync(join(dir, "empty"));
    expect((await cli(["scan", "empty"], dir)).stderr).toContain("no YAML files in empty");
    // The summary says what was looked for and where, not a pull request's "No GitOps files changed".
    expect(r.stdout).toBe(`✔ No YAML files found in ${dir}, docs-only\n`);
    expect((await cli(["scan", "empty"], dir)).stdout).toBe("✔ No YAML files found in empty\n");
  });
});

describe("help and version", () => {
  it("each command has its own --help, also as `help COMMAND`, without needing valid options or a repository", async () => {
    for (const command of Object.keys(COMMAND_HELP) as Array<keyof typeof COMMAND_HELP>) {
      const r = await cli([command, "--help"]);
      expect(r).toEqual({ code: 0, stdout: COMMAND_HELP[command], stderr: "" });
      expect(r.stdout.startsWith(`Usage: gitops-guard ${command}`)).toBe(true);
      expect((await cli(["help", command])).stdout).toBe(COMMAND_HELP[command]);
    }
    expect((await cli(["review", "--base", "nope", "-h"])).stdout).toBe(COMMAND_HELP.review);
    expect((await cli(["help", "decisions"])).stdout).toMatch(/^Usage: gitops-guard decisions/);
    expect((await cli(["help", "nope"])).code).toBe(2);
    const bad = await cli(["scan", "--bogus"]);
    expect(bad.stderr).toMatch(/Run `gitops-guard scan --help` for usage/);
  });

  it("--version, -v and version print the package version", async () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ["--version", "-v", "version"]) expect(await cli([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("render's usage errors read as the other commands' (no raw parseArgs text), naming its own --help", async () => {
    const r = await cli(["render", ".", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("gitops-guard: render: Unknown option '--bogus'\nRun `gitops-guard render --help` for usage.\n");
    const scan = await cli(["scan", ".", "--bogus"]);
    expect(scan.stderr).toBe("gitops-guard: scan: Unknown option '--bogus'\nRun `gitops-guard scan --help` for usage.\n");
  });

  it("--fail-on suggests the severity meant, as the config's failOn does", async () => {
    const r = await cli(["scan", ".", "--fail-on", "hgh"], tree({ "cm.yaml": CM }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gitops-guard: --fail-on must be one of critical, high, medium, low, info \(got "hgh"\); did you mean "high"\?\n/);
  });

  it("explain suggests the rule id meant", async () => {
    const r = await cli(["explain", "k8s/privleged-container"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean k8s\/privileged-container/);
  });
});

describe("colour", () => {
  it("chooses: --color first, then FORCE_COLOR, NO_COLOR, TERM=dumb, then whether stdout is a terminal", () => {
    expect(chooseColor("always", { NO_COLOR: "1" }, false)).toBe(true);
    expect(chooseColor("never", { FORCE_COLOR: "1" }, true)).toBe(false);
    expect(chooseColor("auto", {}, true)).toBe(true);
    expect(chooseColor(undefined, {}, false)).toBe(false);
    expect(chooseColor(undefined, { NO_COLOR: "1" }, true)).toBe(false);
    expect(chooseColor(undefined, { NO_COLOR: "" }, true)).toBe(true);
    expect(chooseColor(undefined, { TERM: "dumb" }, true)).toBe(false);
    expect(chooseColor(undefined, { FORCE_COLOR: "1" }, false)).toBe(true);
    expect(chooseColor(undefined, { FORCE_COLOR: "0" }, true)).toBe(false);
    expect(chooseColor(undefined, { FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(true);
  });

  it("text output follows it end to end", async () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    expect((await cli(["scan", "."], dir, { isTTY: true })).stdout).toContain(ESC);
    expect((await cli(["scan", "."], dir, { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await cli(["scan", "."], dir, { isTTY: true, env: { TERM: "dumb" } })).stdout).not.toContain(ESC);
    expect((await cli(["scan", ".", "--color", "always"], dir)).stdout).toContain(ESC);
    expect((await cli(["scan", ".", "--color", "never"], dir, { isTTY: true })).stdout).not.toContain(ESC);
    expect((await cli(["scan", "."], dir, { env: { FORCE_COLOR: "1" } })).stdout).toContain(ESC);
    const bad = await cli(["scan", ".", "--color", "sometimes"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--color must be one of auto, always, never/);
  });

  it("--color, a general option, is taken by every command (rules, explain and render print no colour) and checked there too", async () => {
    const kustomization = tree({ "kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": CM });
    for (const args of [["rules"], ["explain", "k8s/privileged-container"], ["render", kustomization]]) {
      const never = await cli([...args, "--color", "never"]);
      expect({ args, code: never.code, stderr: never.stderr }).toEqual({ args, code: 0, stderr: "" });
      expect(never.stdout).toBe((await cli(args)).stdout);
      expect((await cli([...args, "--color", "always"])).stdout).not.toContain(ESC);
      const bad = await cli([...args, "--color", "sometimes"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--color must be one of auto, always, never \(got "sometimes"\)/);
    }
  });
});

describe("SARIF from the CLI", () => {
  it("carries the configured severity to code scanning and links every rule to its section of docs/rules.md", async () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "rules:\n  k8s/privileged-container: low\n" });
    const sarif = JSON.parse((await cli(["scan", ".", "--format", "sarif"], dir)).stdout);
    const run = sarif.runs[0];
    const res = run.results.find((r: { properties: { rule: string } }) => r.properties.rule === "k8s/privileged-container");
    expect(res.ruleId).toBe("k8s/privileged-container/low");
    expect(run.tool.driver.rules[res.ruleIndex].properties["security-severity"]).toBe("3.0");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const home = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
    expect(home).toMatch(/^https:\/\//);
    expect(run.tool.driver.informationUri).toBe(home);
    const headings = new Set(
      readFileSync(join(ROOT, "docs/rules.md"), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("### "))
        .map((l) => l.slice(4).trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")),
    );
    for (const d of run.tool.driver.rules as Array<{ id: string; helpUri: string; properties: { rule: string } }>) {
      expect(d.helpUri.startsWith(`${home}/blob/main/docs/rules.md#`)).toBe(true);
      expect(headings.has(d.helpUri.split("#")[1]!)).toBe(true);
    }
  });
});
