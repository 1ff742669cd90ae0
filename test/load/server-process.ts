/**
 * Runs the local server in a process of its own (so its memory can be measured apart from Jest, the fake GitHub and
 * dynalite): the sources bundled with esbuild on every run (never a stale build), external packages resolved from
 * node_modules, loaded with `node --import` so that server.ts does not take itself for the entry point.
 */
import { build } from "esbuild";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const ROOT = resolve(process.cwd());
const OUTFILE = join(ROOT, "node_modules", ".cache", "gitops-guard-load", "server.mjs");

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory now and at its peak (Linux: /proc/<pid>/status VmRSS and VmHWM), in bytes. */
  memory(): { rss: number; peak: number } | null;
  stop(): Promise<void>;
}

function kb(status: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) * 1024 : null;
}

export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  await build({
    entryPoints: [join(ROOT, "test", "load", "server-entry.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    outfile: OUTFILE,
    logLevel: "silent",
  });
  const child: ChildProcess = spawn(process.execPath, ["--import", pathToFileURL(OUTFILE).href, "-e", "0"], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      try {
        resolveUrl((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`the server process said: ${line}\n${stderr}`));
      }
    });
    child.once("exit", (code) => reject(new Error(`the server process exited (${code}): ${stderr}`)));
  });
  const statusFile = `/proc/${child.pid}/status`;
  return {
    url,
    pid: child.pid!,
    memory: () => {
      if (!existsSync(statusFile)) return null;
      const status = readFileSync(statusFile, "utf8");
      const rss = kb(status, "VmRSS");
      const peak = kb(status, "VmHWM");
      return rss === null || peak === null ? null : { rss, peak };
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}
