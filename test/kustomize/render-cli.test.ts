import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { parseAllDocuments } from "yaml";
import { main } from "../../src/cli/main.js";
import { printYaml } from "../../src/kustomize/index.js";

async function cli(args: string[], cwd = process.cwd()) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += String(d)));
  stderr.on("data", (d) => (err += String(d)));
  const code = await main(args, { stdout, stderr, cwd, env: {} });
  return { code, out, err };
}

describe("gitops-guard render DIR", () => {
  it("prints the build like kubectl kustomize", async () => {
    const { code, out } = await cli(["render", "test/kustomize/fixtures/shop/overlays/prod"]);
    expect(code).toBe(0);
    const kubectl = execFileSync("kubectl", ["kustomize", "test/kustomize/fixtures/shop/overlays/prod"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    expect(parseAllDocuments(out).map((d) => d.toJS())).toEqual(parseAllDocuments(kubectl).map((d) => d.toJS()));
    expect(out.startsWith("apiVersion: v1\nkind: ServiceAccount\n")).toBe(true);
  });

  it("quotes strings as kubectl kustomize does, so a YAML 1.1 reader reads back the same strings", async () => {
    const dir = "test/kustomize/fixtures/print-quoting";
    const { code, out } = await cli(["render", dir]);
    expect(code).toBe(0);
    const kubectl = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    // Text-identical: "yes", "on", "2001-12-14", "1:20", "1_000" double-quoted; 'a: b', '# x', ' lead' single-quoted.
    expect(out).toBe(kubectl);
    expect(out).toContain('  a1: "yes"\n');
    expect(out).toContain("  s1: 'a: b'\n");
    const asYaml11 = parseAllDocuments(out, { version: "1.1" }).map((d) => d.toJS());
    const asYaml12 = parseAllDocuments(out).map((d) => d.toJS());
    expect(asYaml11).toEqual(asYaml12);
    for (const doc of asYaml11) for (const v of Object.values((doc as { data: Record<string, unknown> }).data)) expect(typeof v).toBe("string");
  });

  it("refuses a file that is a symbolic link out of the kustomization's directory, as kubectl does, naming the link", async () => {
    const out = await cli(["render", "test/kustomize/fixtures/symlinks/out/app"]);
    expect(out.code).not.toBe(0);
    expect(out.out).toBe("");
    expect(out.err).toContain(
      `resource "s.yaml": security; file 'test/kustomize/fixtures/symlinks/out/app/s.yaml' is a symbolic link to 'test/kustomize/fixtures/symlinks/out/shared/s.yaml', which is not in or below 'test/kustomize/fixtures/symlinks/out/app'`,
    );
    const gen = await cli(["render", "test/kustomize/fixtures/symlinks/gen/app"]);
    expect(gen.err).toMatch(/env file "a\.env": security; file '\S+\/symlinks\/gen\/app\/a\.env' is a symbolic link/);
    expect(gen.err).not.toContain("A=1");
    // A link that stays inside the directory is read, as kubectl reads it.
    const inside = await cli(["render", "test/kustomize/fixtures/symlinks/inside/app"]);
    expect(inside.code).toBe(0);
    expect(parseAllDocuments(inside.out).map((d) => d.toJS().metadata.name)).toEqual([expect.stringMatching(/^c-/), "inside"]);
  });

  it("sorts keys as kubectl does (go-yaml's order: item2 before item10)", async () => {
    const dir = "test/kustomize/fixtures/print-key-order";
    const { code, out } = await cli(["render", dir]);
    expect(code).toBe(0);
    expect(out).toBe(execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    expect(out.indexOf("item2:")).toBeLessThan(out.indexOf("item10:"));
  });

  it("prints strings a block cannot hold (a space before a line break, tabs) so that they read back the same", () => {
    const data = { a: " \n", b: " \n\n", c: " \t\n", d: "line one \nline two\n", e: "tab\there\nnext\n", f: "ok\nfine\n", g: "  indented\nsecond\n", h: "x\ny ", j: "\n\nlead\n" };
    const printed = printYaml([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ws" }, data }]);
    expect(parseAllDocuments(printed)[0]!.toJS().data).toEqual(data);
    expect(printed).toContain("  f: |\n    ok\n    fine\n");
  });

  it("exits 2 with the reason on stderr when the kustomization cannot be rendered in process", async () => {
    const { code, out, err } = await cli(["render", "test/kustomize/fixtures/failures/remote"]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(/not rendered in process: .*remote resource "github\.com\/argoproj\/argo-cd/);
  });

  it("never reads outside the repository root (the nearest ancestor with .git)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gg-render-"));
    mkdirSync(join(dir, "repo/.git"), { recursive: true });
    mkdirSync(join(dir, "repo/app"), { recursive: true });
    mkdirSync(join(dir, "outside"), { recursive: true });
    writeFileSync(join(dir, "outside/kustomization.yaml"), "resources: []\n");
    writeFileSync(join(dir, "repo/app/kustomization.yaml"), "resources: [../../outside]\n");
    const { code, err } = await cli(["render", "repo/app"], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/outside the repository/);
  });

  it("outside a git work tree, reads what the current directory holds (an overlay's ../base), and nothing above it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gg-render-"));
    mkdirSync(join(dir, "work/base"), { recursive: true });
    mkdirSync(join(dir, "work/ov"), { recursive: true });
    writeFileSync(join(dir, "work/base/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n");
    writeFileSync(join(dir, "work/base/kustomization.yaml"), "resources: [cm.yaml]\n");
    writeFileSync(join(dir, "work/ov/kustomization.yaml"), "resources: [../base]\nnamespace: prod\n");
    const ok = await cli(["render", "ov"], join(dir, "work"));
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("namespace: prod");
    // Run from the overlay itself: the current directory is the root, and ../base is outside it.
    const inside = await cli(["render", "."], join(dir, "work/ov"));
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/outside the repository/);
  });

  it("rejects a missing directory and bad options as usage errors", async () => {
    expect((await cli(["render", "no/such/dir"])).code).toBe(2);
    expect((await cli(["render"])).code).toBe(2);
    expect((await cli(["render", ".", "--load-restrictor", "Sometimes"])).code).toBe(2);
  });
});
