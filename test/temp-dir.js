// Jest globalSetup / globalTeardown: every temporary directory the tests and the processes they start create (through
// os.tmpdir(), which reads TMPDIR) lands in one directory for the run, removed when the run ends — a full run made
// about a thousand directories under /tmp and left them there.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "gg-tests-"));
  globalThis.__ggTestsTmp = { dir, previous: process.env.TMPDIR };
  // Set before Jest starts its workers, which inherit it (and pass it on to the CLI and git processes tests spawn).
  process.env.TMPDIR = dir;
}

export async function teardown() {
  const saved = globalThis.__ggTestsTmp;
  if (!saved) return;
  if (saved.previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved.previous;
  rmSync(saved.dir, { recursive: true, force: true });
}

export default setup;
