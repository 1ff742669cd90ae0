import { parseArgs } from "node:util";
import { ConfigError } from "../core/config.js";
import { GitError } from "../local/git.js";
import { chooseColor, colorModeProblem, type ColorMode } from "./color.js";
import { COMMAND_HELP, HELP, type CommandName } from "./help.js";
import { EXIT, optionError, UsageError, type CliIO } from "./io.js";
import { VERSION } from "./version.js";

const REPORT_OPTIONS = {
  format: { type: "string" },
  config: { type: "string" },
  "fail-on": { type: "string" },
  color: { type: "string" },
  "no-render": { type: "boolean" },
  "no-ecr": { type: "boolean" },
  "sarif-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The options each command takes (anything else is a usage error naming the option). */
const OPTIONS = {
  scan: REPORT_OPTIONS,
  review: { ...REPORT_OPTIONS, base: { type: "string" }, head: { type: "string" }, repo: { type: "string" }, "repo-url": { type: "string" } },
  // `--color` is a general option: accepted (and checked) everywhere, though these print no colour.
  rules: { format: { type: "string" }, color: { type: "string" }, help: { type: "boolean", short: "h" } },
  explain: { color: { type: "string" }, help: { type: "boolean", short: "h" } },
} as const;

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_HELP, name);
}

function parse<C extends CommandName>(command: C, args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS[command], allowPositionals: true, strict: true });
  } catch (err) {
    throw optionError(command, err);
  }
}

function colorFor(flag: string | undefined, io: CliIO): boolean {
  const problem = colorModeProblem(flag);
  if (problem !== null) throw new UsageError(problem);
  return chooseColor(flag as ColorMode | undefined, io.env ?? {}, Boolean(io.stdout.isTTY));
}

/** The CLI. Returns the exit code; never throws for bad input. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h") {
      io.stdout.write(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === "help") {
      const topic = rest[0];
      if (topic === undefined) io.stdout.write(HELP);
      else if (isCommand(topic)) io.stdout.write(COMMAND_HELP[topic]);
      else if (topic !== "decisions") throw new UsageError(`help: unknown command "${topic}"`);
      else return await main(["decisions", "--help"], io);
      return EXIT.ok;
    }
    if (command === "--version" || command === "-v" || command === "version") {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (command === "render") return await (await import("./render.js")).runRender(rest, io);
    if (command === "decisions") {
      const { runDecisions } = await import("./decisions.js");
      return await runDecisions(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env ?? process.env, cwd: io.cwd });
    }
    if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);
    // Usage first: `gitops-guard review --help` must not need a repository, a config or valid options.
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(COMMAND_HELP[command]);
      return EXIT.ok;
    }
    const sub = await import("./subcommands.js");
    switch (command) {
      case "scan": {
        const { values, positionals } = parse("scan", rest);
        return await sub.runScan(positionals, values, colorFor(values.color, io), io);
      }
      case "review": {
        const { values, positionals } = parse("review", rest);
        if (positionals.length) throw new UsageError(`review takes no positional arguments (got "${positionals.join(" ")}")`);
        return await sub.runReview(values, colorFor(values.color, io), io);
      }
      case "rules": {
        const { values } = parse("rules", rest);
        colorFor(values.color, io);
        return sub.runRules(values.format, io);
      }
      case "explain": {
        const { values, positionals } = parse("explain", rest);
        colorFor(values.color, io);
        return sub.runExplain(positionals[0], io);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      const helpFor = isCommand(command) ? `gitops-guard ${command} --help` : "gitops-guard --help";
      io.stderr.write(`gitops-guard: ${err.message}\nRun \`${helpFor}\` for usage.\n`);
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
