import { describe, expect, it } from "@jest/globals";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_MAX_ALIASES } from "../src/core/config-loader.js";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { cli, git, tree } from "./helpers/cli.js";

describe("gitops-guard scan", () => {
  it("leaves test fixtures out by default and says so in the report's notes", async () => {
    const dir = tree({ "apps/pod.yaml": PRIVILEGED_POD, "apps/testdata/bad-pod.yaml": PRIVILEGED_POD });
    const r = await cli(["scan", ".", "--format", "json"], dir);
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { file: string }) => f.file)).not.toContain("apps/testdata/bad-pod.yaml");
    expect(json.findings.some((f: { file: string }) => f.file === "apps/pod.yaml")).toBe(true);
    expect(json.notes).toEqual([expect.stringContaining("1 file excluded by default as test fixtures (apps/testdata/bad-pod.yaml)")]);
    const all = JSON.parse((await cli(["scan", ".", "--format", "json", "--config", "cfg.yml"], tree({ "cfg.yml": "paths:\n  excludeDefaults: false\n" }, dir))).stdout);
    expect(all.findings.some((f: { file: string }) => f.file === "apps/testdata/bad-pod.yaml")).toBe(true);
  });

  it("keeps the exclusions for files named one by one (pre-commit, `scan $(git diff --name-only)`), saying so", async () => {
    const dir = tree({ "apps/pod.yaml": PRIVILEGED_POD, "tests/e2e/00-pod.yaml": PRIVILEGED_POD, "legacy/pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "paths:\n  exclude: [legacy/**]\n" });
    git(dir, "init", "-q");
    const r = await cli(["scan", "apps/pod.yaml", "tests/e2e/00-pod.yaml", "legacy/pod.yaml", "--format", "json"], dir);
    const json = JSON.parse(r.stdout);
    expect([...new Set(json.findings.map((f: { file: string }) => f.file))]).toEqual(["apps/pod.yaml"]);
    expect(json.notes).toEqual([expect.stringContaining("1 file excluded by default as test fixtures (tests/e2e/00-pod.yaml)")]);
    expect(r.stderr).toContain("gitops-guard: legacy/pod.yaml is left out by paths.exclude\n");
    // paths.include brings a named fixture back, as it does for a directory's.
    const cfg = tree({ "cfg.yml": "paths:\n  include: [tests/e2e/**]\n" }, dir);
    const back = JSON.parse((await cli(["scan", "tests/e2e/00-pod.yaml", "--format", "json", "--config", join(cfg, "cfg.yml")], dir)).stdout);
    expect(back.findings.some((f: { ruleId: string }) => f.ruleId === "k8s/privileged-container")).toBe(true);
  });

  it("prints the JSON contract and exits 1 on a failing review", async () => {
    const dir = tree({ "apps/pod.yaml": PRIVILEGED_POD, "README.md": "privileged: true" });
    const r = await cli(["scan", ".", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json).slice(0, 4)).toEqual(["version", "conclusion", "summary", "findings"]);
    expect(json.version).toBe(1);
    expect(json.conclusion).toBe("failure");
    expect(Object.keys(json.summary.bySeverity)).toEqual(["critical", "high", "medium", "low", "info"]);
    const f = json.findings.find((x: { ruleId: string }) => x.ruleId === "k8s/privileged-container");
    expect(f).toMatchObject({ status: "new", file: "apps/pod.yaml", line: 11, column: 21, endLine: 11, endColumn: 25, suppressed: null });
    expect(Object.keys(f)).toEqual(["ruleId", "severity", "status", "file", "line", "column", "endLine", "endColumn", "resource", "path", "message", "fix", "fingerprint", "suppressed"]);
    expect(json.findings.every((x: { file: string }) => x.file.endsWith(".yaml"))).toBe(true);
  });

  it("exits 0 when nothing reaches --fail-on and 1 when it does", async () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    expect((await cli(["scan", "pod.yaml", "--format", "json", "--config", "cfg.yml"], tree({}))).code).toBe(2);
    writeFileSync(join(dir, "cfg.yml"), "rules:\n  k8s/privileged-container: low\nfailOn: critical\n");
    const lowered = await cli(["scan", ".", "--format", "json", "--config", "cfg.yml"], dir);
    expect(JSON.parse(lowered.stdout).findings.filter((x: { severity: string }) => x.severity === "critical")).toEqual([]);
    expect(JSON.parse(lowered.stdout).conclusion).toBe("success");
    expect(lowered.code).toBe(0);
    expect((await cli(["scan", ".", "--format", "json", "--config", "cfg.yml", "--fail-on", "low"], dir)).code).toBe(1);
  });

  it("exits 2 with the exact problem for a bad config, a bad flag or a missing path", async () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "failOn: loud\nrules:\n  k8s/nope: off\n" });
    const bad = await cli(["scan", "."], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\.github\/gitops-guard\.yml: failOn: /);
    expect((await cli(["scan", "missing.yaml"], tree({}))).stderr).toMatch(/cannot read missing\.yaml/);
    expect((await cli(["scan", ".", "--format", "xml"], tree({}))).code).toBe(2);
    expect((await cli(["scan", ".", "--fail-on", "severe"], tree({}))).stderr).toMatch(/--fail-on must be one of/);
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["scan", "--bogus"])).stderr).toMatch(/bogus/);
  });

  it("says on stderr that `_extends` is not followed (the GitHub App alone follows it), by scan and review alike", async () => {
    const NOTE = "gitops-guard: `_extends` is followed by the GitHub App only; the CLI uses this file alone\n";
    const dir = tree({ "pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "_extends: my-org/.github:policies/gitops-guard.yml\nfailOn: critical\n" });
    const scan = await cli(["scan", "."], dir);
    expect(scan.stderr).toBe(`gitops-guard: config .github/gitops-guard.yml\n${NOTE}`);
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "base");
    expect((await cli(["review", "--base", "main", "--head", "main"], dir)).stderr).toBe(`gitops-guard: config .github/gitops-guard.yml (base ref main)\n${NOTE}`);
    // Without `_extends`, the one line.
    expect((await cli(["scan", "."], tree({ "pod.yaml": PRIVILEGED_POD, ".github/gitops-guard.yml": "failOn: critical\n" }))).stderr).toBe("gitops-guard: config .github/gitops-guard.yml\n");
  });

  it("takes the App's alias cap for the config file", async () => {
    const aliased = (n: number) => `production:\n  - &g "**/prod/**"\n${"  - *g\n".repeat(n)}`;
    const ok = await cli(["scan", "."], tree({ "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", ".github/gitops-guard.yml": aliased(CONFIG_MAX_ALIASES - 1) }));
    expect(ok.code).toBe(0);
    const bomb = await cli(["scan", "."], tree({ "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", ".github/gitops-guard.yml": aliased(CONFIG_MAX_ALIASES) }));
    expect(bomb.code).toBe(2);
    expect(bomb.stderr).toMatch(/gitops-guard\.yml: not valid YAML: .*alias/i);
  });

  it("writes SARIF 2.1.0 and markdown", async () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    const sarif = JSON.parse((await cli(["scan", ".", "--format", "sarif"], dir)).stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === "k8s/privileged-container")).toBe(true);
    const md = (await cli(["scan", ".", "--format", "markdown"], dir)).stdout;
    expect(md).toContain("k8s/privileged-container");
  });

  it("--sarif-file writes the same findings as SARIF beside the report, in one run (the Action's review step)", async () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    const r = await cli(["scan", ".", "--sarif-file", "out/../report.sarif"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("k8s/privileged-container");
    const written = readFileSync(join(dir, "report.sarif"), "utf8");
    expect(written).toBe((await cli(["scan", ".", "--format", "sarif"], dir)).stdout);
    const missing = await cli(["scan", ".", "--sarif-file", "no/such/dir/report.sarif"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot write --sarif-file no/such/dir/report.sarif");
  });
});

describe("gitops-guard review", () => {
  it("reviews two directories: only what head changes is new", async () => {
    const base = tree({ "a/pod.yaml": PRIVILEGED_POD });
    const head = tree({ "a/pod.yaml": `# moved down\n${PRIVILEGED_POD}`, "b/pod.yaml": PRIVILEGED_POD.replace("name: debug", "name: debug-2") });
    const r = await cli(["review", "--base", base, "--head", head, "--format", "json"]);
    const json = JSON.parse(r.stdout);
    const priv = json.findings.filter((x: { ruleId: string }) => x.ruleId === "k8s/privileged-container");
    expect(priv.map((x: { file: string; status: string }) => `${x.status} ${x.file}`).sort()).toEqual(["existing a/pod.yaml", "new b/pod.yaml"]);
    expect(r.code).toBe(1);
  });

  it("reviews git refs like a PR and reads the config from the base ref only", async () => {
    const repo = tree({ "apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n", ".github/gitops-guard.yml": "failOn: high\n" });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "base");
    git(repo, "checkout", "-qb", "feature");
    writeFileSync(join(repo, "apps/pod.yaml"), PRIVILEGED_POD);
    // The PR tries to switch the rule off for itself: that must not apply.
    writeFileSync(join(repo, ".github/gitops-guard.yml"), "rules:\n  k8s/privileged-container: off\n");
    git(repo, "mv", "apps/cm.yaml", "apps/configmap.yaml");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "head");
    const r = await cli(["review", "--base", "main", "--head", "feature", "--repo", repo, "--format", "json"]);
    expect(r.stderr).toBe("gitops-guard: config .github/gitops-guard.yml (base ref main)\n");
    const json = JSON.parse(r.stdout);
    expect(json.findings.filter((x: { ruleId: string }) => x.ruleId === "k8s/privileged-container").map((x: { status: string; file: string }) => `${x.status} ${x.file}`)).toEqual(["new apps/pod.yaml"]);
    expect(r.code).toBe(1);
    expect((await cli(["review", "--base", "nope", "--head", "feature", "--repo", repo])).stderr).toMatch(/--base nope is not a commit in /);
  });

  it("SARIF: a finding at a base version's line is marked side: base, and placed in the head file a rename replaced its file with", async () => {
    const application = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: payments\n  namespace: argocd\n  finalizers: [resources-finalizer.argocd.argoproj.io]\nspec:\n  project: apps\n  source: {repoURL: https://github.com/acme/gitops.git, path: apps/payments}\n  destination: {server: https://prod.example.com, namespace: payments}\n---\n";
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: payments\ndata:\n${Array.from({ length: 40 }, (_, i) => `  key${i}: "${i}"\n`).join("")}`;
    const repo = tree({ "app.yaml": application + configMap });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "base");
    git(repo, "checkout", "-qb", "feature");
    // The Application leaves the file, which git sees renamed (most of it stays): app.yaml is not at the head commit.
    git(repo, "mv", "app.yaml", "settings.yaml");
    writeFileSync(join(repo, "settings.yaml"), configMap);
    git(repo, "commit", "-qam", "head");
    const sarif = JSON.parse((await cli(["review", "--base", "main", "--head", "feature", "--format", "sarif"], repo)).stdout);
    const deleted = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "argocd/app-deleted");
    expect(deleted.locations[0].physicalLocation.artifactLocation.uri).toBe("settings.yaml");
    expect(deleted.properties).toMatchObject({ side: "base", basePath: "app.yaml" });
    expect(deleted.message.text).toMatch(/^\(base version's line, in app\.yaml\) Application "payments" is deleted/);
  });

  it("runs the README quick start on the bundled example", async () => {
    const r = await cli(["review", "--base", "examples/base", "--head", "examples/head", "--format", "json"]);
    const json = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    expect(json.conclusion).toBe("failure");
    const ids = new Set(json.findings.filter((f: { status: string }) => f.status === "new").map((f: { ruleId: string }) => f.ruleId));
    expect(ids.has("k8s/privileged-container")).toBe(true);
    // Nothing about the SOPS-encrypted secrets.
    expect(json.findings.filter((f: { file: string }) => f.file.endsWith(".sops.yaml"))).toEqual([]);
  });
});

describe("gitops-guard rules and explain", () => {
  it("lists rules as JSON and explains one", async () => {
    const rules = JSON.parse((await cli(["rules", "--format", "json"])).stdout);
    expect(rules.map((r: { id: string }) => r.id)).toContain("k8s/privileged-container");
    const ex = await cli(["explain", "k8s/privileged-container"]);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toMatch(/Why: /);
    expect(ex.stdout).toMatch(/Fix: /);
    expect((await cli(["explain", "k8s/nope"])).code).toBe(2);
  });
});
