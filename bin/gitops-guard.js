#!/usr/bin/env node
// The `gitops-guard` command. The CLI itself is dist/cli/main.js (built by `npm run build`, which `npm install` runs
// through `prepare` for a git checkout; a packed tarball ships dist/).
import { enableCompileCache } from "node:module";

// Node keeps the compiled code of dist/ between runs (in the OS temp directory): a CI job starts faster.
enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");

let code;
// A reader that stops early (`gitops-guard rules | head -1`) closes the pipe: stop quietly with the command's own
// exit code (0 when it has not finished), never with a stack trace. Other write errors are real errors.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(code ?? 0);
    process.stderr.write(`gitops-guard: cannot write output: ${err.message}\n`);
    process.exit(2);
  });
}

code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
process.exitCode = code;
