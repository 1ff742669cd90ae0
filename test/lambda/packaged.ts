/**
 * The artifacts `npm run package` builds (.serverless/): built once and shared by the tests that inspect them.
 * When they are missing or older than the sources (a developer ran `npm test` after editing), they are rebuilt
 * here, one test file at a time (a lock directory), so the tests never check a stale zip.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SERVERLESS_DIR = join(ROOT, ".serverless");
const LOCK = join(ROOT, ".serverless.lock");

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((e) => newest(join(path, e))));
}

function isFresh(): boolean {
  const state = join(SERVERLESS_DIR, "serverless-state.json");
  const zips = ["webhook.zip", "worker.zip"].map((z) => join(SERVERLESS_DIR, z));
  if (![state, ...zips].every(existsSync)) return false;
  const built = Math.min(...[state, ...zips].map((f) => statSync(f).mtimeMs));
  const inputs = ["src", "scripts", "infra", "serverless.yml", "package-lock.json"].map((p) => join(ROOT, p));
  return Math.max(...inputs.map(newest)) <= built;
}

export function ensurePackaged(): void {
  for (;;) {
    if (isFresh()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test file is packaging (a lock older than 5 minutes was left by a killed run: take it over).
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) rmSync(LOCK, { recursive: true, force: true });
      else execFileSync("sleep", ["0.5"]);
      continue;
    }
    try {
      if (!isFresh()) execFileSync(process.execPath, [join(ROOT, "scripts", "package.mjs")], { cwd: ROOT, stdio: "pipe" });
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/**
 * Unzips an artifact into `dir` and lists its files. Python's zipfile module does it: python3 is on every machine
 * of this project's kind, the `unzip` program is not.
 */
export function extractZip(zip: string, dir: string): string[] {
  execFileSync("python3", ["-m", "zipfile", "-e", zip, dir]);
  const walk = (d: string, prefix: string): string[] =>
    readdirSync(join(d), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
  return walk(dir, "").sort();
}

export interface PackagedFunction {
  name: string;
  handler: string;
  zip: string;
  timeout: number;
}

/** The functions as osls packaged them (handler, zip) from .serverless/serverless-state.json. */
export function packagedFunctions(): PackagedFunction[] {
  const state = JSON.parse(readFileSync(join(SERVERLESS_DIR, "serverless-state.json"), "utf8")) as {
    service: { functions: Record<string, { handler: string; timeout: number; package: { artifact: string } }> };
  };
  return Object.entries(state.service.functions).map(([name, fn]) => ({ name, handler: fn.handler, zip: fn.package.artifact, timeout: fn.timeout }));
}

/** The CloudFormation template osls would deploy. */
export function compiledTemplate(): { Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown; DeletionPolicy?: string; Condition?: string }>; Conditions?: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(SERVERLESS_DIR, "cloudformation-template-update-stack.json"), "utf8"));
}
