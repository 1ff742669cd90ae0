import { DEFAULT_COMMAND_PREFIX } from "../core/config.js";
import { tokenize, type Token } from "./tokenize.js";

/**
 * The slash-command grammar (one command per line, prefix `/guard` by default):
 *
 *   help | recheck | status | waivers | explain <rule>
 *   waive <rule> [<file>[#<Kind>/<name>]] --reason "<text>" [--for <N>d]
 *   unwaive <waiver-id>
 *   override --reason "<text>"
 *
 * Lines that do not start with the prefix are ignored, and so are lines inside fenced or indented
 * code blocks, quoted lines (`> …`) and HTML comments — quoting someone's command does not run it.
 */

export type Command =
  | { name: "help" }
  | { name: "recheck" }
  | { name: "status" }
  | { name: "waivers" }
  | { name: "explain"; rule: string }
  | { name: "waive"; rule: string; file?: string; resource?: string; reason: string; days: number }
  | { name: "unwaive"; id: string }
  | { name: "override"; reason: string };

export type CommandName = Command["name"];

export const COMMAND_NAMES: readonly CommandName[] = ["help", "recheck", "explain", "status", "waivers", "waive", "unwaive", "override"];

export type ParsedLine =
  | { ok: true; line: number; command: Command }
  /**
   * `name` is the command word when it was a known one (null for unknown commands). `error` is one line of text
   * whose `single-backtick` spans are code: anything the user typed is quoted only inside such a span (see `quoted`),
   * so a reply shows it inert (reply-format `plainText`).
   */
  | { ok: false; line: number; name: CommandName | null; error: string };

export const DEFAULT_WAIVER_DAYS = 30;
export const MAX_WAIVER_DAYS = 90;
export const MAX_COMMANDS_PER_COMMENT = 10;
export const MAX_REASON_LENGTH = 500;

const RULE_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
const WAIVER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const NAME = /^[^\s/#]+$/;

class ArgError extends Error {}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Printable, short form of something the user typed, for error messages (never long, never multi-line). */
export function shown(s: string, max = 40): string {
  // A code span notifies no one, but what a commenter typed keeps no "@name" even there (a zero-width space after "@").
  const one = s.replace(/[\u0000-\u001f`]/g, " ").trim().replace(/@/g, "@\u200b");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** What the user typed, short, as a code span in an error message (never markup, a link or a mention in a reply). */
export function quoted(s: string, max = 40): string {
  return `\`${shown(s, max) || " "}\``;
}

interface Args {
  positionals: string[];
  options: Map<string, string>;
}

/** Splits words into positionals and `--name value` / `--name=value` options. */
function splitArgs(tokens: Token[], allowed: readonly string[]): Args {
  const positionals: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.option) {
      positionals.push(t.value);
      continue;
    }
    const eq = t.value.indexOf("=");
    const name = (eq >= 0 ? t.value.slice(2, eq) : t.value.slice(2)).toLowerCase();
    if (!allowed.includes(name)) {
      throw new ArgError(allowed.length ? `unknown option ${quoted(`--${name}`, 22)} (expected ${allowed.map((a) => `--${a}`).join(" or ")})` : `takes no options (got ${quoted(`--${name}`, 22)})`);
    }
    if (options.has(name)) throw new ArgError(`--${name} is given twice`);
    let value: string;
    if (eq >= 0) value = t.value.slice(eq + 1);
    else if (name === "reason") {
      // A quoted reason is exactly the quoted text; an unquoted one runs up to the next option.
      const next = tokens[i + 1];
      if (!next || next.option) throw new ArgError('--reason needs a text, e.g. --reason "vendor chart, fix tracked in OPS-123"');
      if (next.quoted) {
        value = next.value;
        i++;
      } else {
        const words: string[] = [];
        while (i + 1 < tokens.length && !tokens[i + 1]!.option) words.push(tokens[++i]!.value);
        value = words.join(" ");
      }
    } else {
      const next = tokens[i + 1];
      if (!next || next.option) throw new ArgError(`--${name} needs a value`);
      value = next.value;
      i++;
    }
    options.set(name, value);
  }
  return { positionals, options };
}

function reasonOf(args: Args): string {
  const raw = args.options.get("reason");
  if (raw === undefined) throw new ArgError('needs --reason "<why this risk is accepted>"');
  const reason = raw.replace(/\s+/g, " ").trim();
  if (!reason) throw new ArgError("--reason is empty");
  if (reason.length > MAX_REASON_LENGTH) throw new ArgError(`--reason is longer than ${MAX_REASON_LENGTH} characters`);
  return reason;
}

function daysOf(args: Args): number {
  const raw = args.options.get("for");
  if (raw === undefined) return DEFAULT_WAIVER_DAYS;
  const m = /^(\d{1,4})d$/i.exec(raw.trim());
  if (!m) throw new ArgError(`--for takes a whole number of days like 14d (got ${quoted(raw, 20)})`);
  const days = Number(m[1]);
  if (days < 1 || days > MAX_WAIVER_DAYS) throw new ArgError(`--for must be between 1d and ${MAX_WAIVER_DAYS}d (got ${days}d)`);
  return days;
}

function ruleOf(word: string | undefined, command: string): string {
  if (word === undefined) throw new ArgError(`needs a rule id, e.g. \`${command} k8s/privileged-container\``);
  if (!RULE_ID.test(word)) throw new ArgError(`${quoted(word)} is not a rule id (like \`k8s/privileged-container\`)`);
  return word;
}

/** `<file>[#<Kind>/<name>]` (also `#<Kind>/<namespace>/<name>`). */
function targetOf(word: string): { file: string; resource?: string } {
  const hash = word.lastIndexOf("#");
  let file = word;
  let resource: string | undefined;
  if (hash >= 0) {
    const spec = word.slice(hash + 1);
    const parts = spec.split("/");
    const valid = (parts.length === 2 || parts.length === 3) && KIND.test(parts[0]!) && parts.slice(1).every((p) => NAME.test(p));
    if (!valid) throw new ArgError(`${quoted(`#${spec}`)} is not a resource; write \`<file>#<Kind>/<name>\`, e.g. \`apps/api.yaml#Deployment/api\``);
    file = word.slice(0, hash);
    resource = spec;
  }
  file = file.replace(/^\.\//, "");
  if (!file) throw new ArgError("a resource needs its file: `<file>#<Kind>/<name>`");
  if (file.startsWith("/") || file.split("/").includes("..") || /[\s\\]/.test(file)) {
    throw new ArgError(`${quoted(file)} is not a path inside the repository (write it as shown in the PR, e.g. \`apps/api/deployment.yaml\`)`);
  }
  return resource ? { file, resource } : { file };
}

function noArgs(args: Args, name: string): void {
  if (args.positionals.length) throw new ArgError(`${name} takes no arguments (got ${quoted(args.positionals.join(" "))})`);
}

function parseCommand(name: CommandName, tokens: Token[]): Command {
  switch (name) {
    case "help":
      return { name };
    case "recheck":
    case "status":
    case "waivers":
      noArgs(splitArgs(tokens, []), name);
      return { name };
    case "explain": {
      const args = splitArgs(tokens, []);
      if (args.positionals.length > 1) throw new ArgError("explain takes one rule id");
      return { name, rule: ruleOf(args.positionals[0], "explain") };
    }
    case "waive": {
      const args = splitArgs(tokens, ["reason", "for"]);
      const [ruleWord, targetWord, ...extra] = args.positionals;
      const rule = ruleOf(ruleWord, "waive");
      if (extra.length) throw new ArgError(`waive takes a rule and at most one file; write the reason as --reason "…" (unexpected ${quoted(extra.join(" "))})`);
      const target = targetWord !== undefined ? targetOf(targetWord) : {};
      return { name, rule, ...target, reason: reasonOf(args), days: daysOf(args) };
    }
    case "unwaive": {
      const args = splitArgs(tokens, []);
      const [id, ...extra] = args.positionals;
      if (id === undefined) throw new ArgError("needs a waiver id (see `waivers`)");
      if (extra.length) throw new ArgError("unwaive takes one waiver id");
      if (!WAIVER_ID.test(id)) throw new ArgError(`${quoted(id)} is not a waiver id`);
      return { name, id };
    }
    case "override": {
      const args = splitArgs(tokens, ["reason"]);
      if (args.positionals.length) throw new ArgError(`override takes only --reason; write the reason as --reason "…" (unexpected ${quoted(args.positionals.join(" "))})`);
      return { name, reason: reasonOf(args) };
    }
  }
}

/** The lines of a comment that are Markdown text (not code, quotes or HTML comments), with 1-based numbers. */
function textLines(body: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let fence: { ch: string; len: number } | null = null;
  let inHtmlComment = false;
  body.split(/\r\n|\r|\n/).forEach((text, idx) => {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.ch && fenceMatch[1]!.length >= fence.len && text.trim() === fenceMatch[1]) fence = null;
      return;
    }
    if (fenceMatch) {
      fence = { ch: fenceMatch[1]![0]!, len: fenceMatch[1]!.length };
      return;
    }
    if (inHtmlComment) {
      if (text.includes("-->")) inHtmlComment = false;
      return;
    }
    if (/^ {0,3}<!--/.test(text)) {
      if (!text.slice(text.indexOf("<!--") + 4).includes("-->")) inHtmlComment = true;
      return;
    }
    if (/^ {0,3}>/.test(text) || /^( {4}|\t)/.test(text)) return;
    out.push({ line: idx + 1, text: text.trim() });
  });
  return out;
}

/** Every command in a comment, in order; lines that are not commands are skipped. */
export function parseCommands(body: string, prefix = DEFAULT_COMMAND_PREFIX): ParsedLine[] {
  const start = new RegExp(`^${escapeRe(prefix)}(?=\\s|$)`, "i");
  const results: ParsedLine[] = [];
  for (const { line, text } of textLines(body)) {
    const m = start.exec(text);
    if (!m) continue;
    if (results.length >= MAX_COMMANDS_PER_COMMENT) {
      results.push({ ok: false, line, name: null, error: `more than ${MAX_COMMANDS_PER_COMMENT} commands in one comment; this and later lines were not run` });
      break;
    }
    const tokenized = tokenize(text.slice(m[0].length));
    if (!tokenized.ok) {
      results.push({ ok: false, line, name: null, error: tokenized.error });
      continue;
    }
    const [word, ...rest] = tokenized.tokens;
    if (!word) {
      results.push({ ok: true, line, command: { name: "help" } });
      continue;
    }
    const name = word.value.toLowerCase();
    if (word.quoted || !(COMMAND_NAMES as readonly string[]).includes(name)) {
      // Echo the word only when it looks like a mistyped command (never a pasted token or other text).
      const echo = /^[a-z][a-z-]{0,19}$/i.test(word.value) ? ` ${quoted(word.value)}` : "";
      results.push({ ok: false, line, name: null, error: `unknown command${echo}` });
      continue;
    }
    try {
      results.push({ ok: true, line, command: parseCommand(name as CommandName, rest) });
    } catch (err) {
      if (!(err instanceof ArgError)) throw err;
      results.push({ ok: false, line, name: name as CommandName, error: err.message });
    }
  }
  return results;
}
