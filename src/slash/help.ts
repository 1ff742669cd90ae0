import type { Config } from "../core/config.js";
import { DEFAULT_WAIVER_DAYS, MAX_WAIVER_DAYS } from "./parse.js";
import { code } from "./reply-format.js";

/** A code span in a table cell (a `|` inside would end the cell). */
function cell(s: string): string {
  return code(s).replace(/\|/g, "\\|");
}

/** The command reference, as Markdown, for the configured prefix. Commands are in code spans, so quoting this reply runs nothing. */
export function helpText(prefix: string, settings?: Partial<Config["commands"]>): string {
  const p = prefix;
  const waiveNeeds = settings?.waiveRequires ?? "write";
  const self = settings?.allowSelfOverride ? "" : ", and not the PR's author";
  const teams = settings?.overrideTeams?.length ? ` or a member of ${settings.overrideTeams.map(cell).join(", ")}` : "";
  return [
    "**gitops-guard commands** (one per line):",
    "",
    "| command | what it does |",
    "|---|---|",
    `| ${cell(`${p} help`)} | this list |`,
    `| ${cell(`${p} recheck`)} | review the PR's head commit again |`,
    `| ${cell(`${p} status`)} | the current verdict, the override and the waivers in force |`,
    `| ${cell(`${p} waivers`)} | every waiver given on this PR, with its id and state |`,
    `| ${cell(`${p} explain <rule>`)} | why a rule matters and how to fix what it finds |`,
    `| ${cell(`${p} waive <rule> [<file>[#<Kind>/<name>]] --reason "<text>" [--for <N>d]`)} | accept a finding for this PR (the whole PR when no file is given) for N days (default ${DEFAULT_WAIVER_DAYS}, at most ${MAX_WAIVER_DAYS}); needs ${waiveNeeds} permission |`,
    `| ${cell(`${p} unwaive <waiver-id>`)} | withdraw a waiver; needs ${waiveNeeds} permission |`,
    `| ${cell(`${p} override --reason "<text>"`)} | let this head commit pass; findings stay listed; a new push needs a new decision. Needs a repository admin${teams}${self} |`,
    "",
    `Example: ${code(`${p} waive k8s/privileged-container apps/agent/daemonset.yaml#DaemonSet/node-agent --reason "needs host access, see OPS-123" --for 14d`)}`,
  ].join("\n");
}
