import { parseArgs } from "node:util";
import { ConfigError } from "../core/config.js";
import { GitError } from "../local/git.js";
import { runExplain, runReview, runRules, runScan } from "./subcommands.js";
import { HELP } from "./help.js";
import { EXIT, UsageError, type CliIO } from "./io.js";
import { VERSION } from "./version.js";

const OPTIONS = {
  format: { type: "string" },
  config: { type: "string" },
  "fail-on": { type: "string" },
  base: { type: "string" },
  head: { type: "string" },
  repo: { type: "string" },
  "no-render": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

/** The CLI. Returns the exit code; never throws for bad input. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      io.stdout.write(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === "--version") {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (command === "render") return await (await import("./render.js")).runRender(rest, io);
    if (command === "decisions") {
      const { runDecisions } = await import("./decisions.js");
      return await runDecisions(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env ?? process.env, cwd: io.cwd });
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    switch (command) {
      case "scan":
        return await runScan(positionals, values, io);
      case "review":
        if (positionals.length) throw new UsageError(`review takes no positional arguments (got "${positionals.join(" ")}")`);
        return await runReview(values, io);
      case "rules":
        return runRules(values.format, io);
      case "explain":
        return runExplain(positionals[0], io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`gitops-guard: ${err.message}\nRun \`gitops-guard --help\` for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError || err instanceof GitError) {
      io.stderr.write(`gitops-guard: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`gitops-guard: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return EXIT.usage;
  }
}
