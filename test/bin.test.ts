/**
 * The installed command, as a process: bin/gitops-guard.js over dist/ (built by `npm ci` through `prepare`; .ci/run
 * builds before it tests). The environment must reach the CLI, and a closed pipe must end it quietly.
 */
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PRIVILEGED_POD } from "./engine/fixtures.js";
import { tree } from "./helpers/cli.js";

const ROOT = resolve(".");
const BIN = join(ROOT, "bin/gitops-guard.js");
const ESC = "\u001b[";
const built = existsSync(join(ROOT, "dist/cli/main.js"));
const hasScript = spawnSync("script", ["--version"]).status === 0;

function sh(command: string, env: Record<string, string> = {}, cwd = ROOT) {
  const r = spawnSync("bash", ["-c", `set -o pipefail; ${command}`], { cwd, encoding: "utf8", env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

(built ? describe : describe.skip)("bin/gitops-guard.js (needs dist/)", () => {
  it("ends quietly when its reader closes the pipe: `rules | head -1` exits 0 with no stack trace", () => {
    for (const cmd of ["rules", "rules --format markdown", "explain k8s/privileged-container", "--help"]) {
      const r = sh(`"${process.execPath}" "${BIN}" ${cmd} | head -c 20 | wc -c`);
      expect({ cmd, code: r.code, stderr: r.stderr, bytes: r.stdout.trim() }).toEqual({ cmd, code: 0, stderr: "", bytes: "20" });
    }
  });

  it("keeps the review's exit code when the reader stops early", () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    const r = sh(`"${process.execPath}" "${BIN}" scan . --format json 2>/dev/null | head -c 5`, {}, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("{\n  \"");
  });

  it("passes the environment to the CLI: FORCE_COLOR colours a pipe, --color never wins", () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    expect(sh(`"${process.execPath}" "${BIN}" scan . | cat`, { FORCE_COLOR: "1" }, dir).stdout).toContain(ESC);
    expect(sh(`"${process.execPath}" "${BIN}" scan . --color never | cat`, { FORCE_COLOR: "1" }, dir).stdout).not.toContain(ESC);
  });

  (hasScript ? it : it.skip)("on a terminal: coloured, unless NO_COLOR or TERM=dumb", () => {
    const dir = tree({ "pod.yaml": PRIVILEGED_POD });
    const onTty = (env: string) => sh(`script -qec '${env} "${process.execPath}" "${BIN}" scan .' /dev/null`, { TERM: "xterm" }, dir).stdout;
    expect(onTty("")).toContain(ESC);
    expect(onTty("NO_COLOR=1")).not.toContain(ESC);
    expect(onTty("TERM=dumb")).not.toContain(ESC);
  });
});
