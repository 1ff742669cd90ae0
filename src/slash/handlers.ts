import type { Rule } from "../core/rule.js";
import type { Conclusion } from "../core/types.js";
import { ALL_RULES } from "../rules/index.js";
import { waiverIdFor } from "../store/ids.js";
import type { DecisionStore, ReviewRecord, WaiverRecord } from "../store/types.js";
import { authorize, isBot, requirementOf, type Actor, type Authorization, type CommandSettings, type Permission } from "./authorize.js";
import { code, explainMarkdown, mention, person, plainText, scopeOf, shortSha, userText, verdict, waiverLine, when } from "./reply-format.js";
import { composeReply, type ReplyPart } from "./reply.js";
import { helpText } from "./help.js";
import { parseCommands, shown, type Command, type CommandName, type ParsedLine } from "./parse.js";

/** Marks gitops-guard's own replies (a hidden HTML comment). */
export const REPLY_MARKER = "<!-- gitops-guard:command-reply -->";

export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** What a re-evaluation of the head SHA concluded. */
export interface ReviewOutcome {
  headSha: string;
  conclusion: Conclusion;
  /** New unsuppressed findings and suppressed findings, when known. */
  summary?: { new: number; suppressed: number };
}

/** Where a comment was made and by whom. */
export interface CommandContext {
  /** `owner/name` */
  repo: string;
  pr: number;
  /** The PR's head SHA when the comment arrived: waivers and overrides are given at this commit. */
  headSha: string;
  prAuthor: string | null;
  actor: Actor;
  /** The comment's id: a retried event finds the decisions it already recorded instead of doubling them. */
  commentId?: number | string;
  /** `commands` from the repository config (base branch). */
  settings: CommandSettings;
}

/** Everything a command handler does to the outside world, injected. */
export interface CommandDeps {
  store: DecisionStore;
  now(): Date;
  /** The user's permission on the repository (`none` for strangers). */
  permissionOf(login: string): Promise<Permission>;
  /** Whether the user belongs to one of the teams (`org/team` or `team` slugs). */
  isTeamMember(login: string, teams: readonly string[]): Promise<boolean>;
  /** Posts one comment on the PR. */
  reply(body: string): Promise<void>;
  /** Reacts to the command comment. */
  react(content: Reaction): Promise<void>;
  /** Re-evaluates the head SHA with the store's current decisions; updates the check run and the summary comment. */
  rerunReview(): Promise<ReviewOutcome>;
  /** Rule registry (default: every rule). */
  rules?: readonly Rule[];
}

/** done; unchanged (nothing to do, e.g. already withdrawn); denied (not allowed); invalid (bad input); failed (an error). */
export type ResultStatus = "done" | "unchanged" | "denied" | "invalid" | "failed";

export interface CommandResult {
  line: number;
  command: CommandName | null;
  status: ResultStatus;
  /** Whether the store changed (a waiver, unwaive or override was recorded). */
  changed: boolean;
  /** The part of the reply about this command (null: answered by a reaction). */
  text: string | null;
  /** A list under the text (waivers), cut to fit the reply, and what to say about the ones left out. */
  items?: readonly string[];
  more?: (omitted: number) => string;
}

export interface CommentOutcome {
  /** False when the comment held no command, or came from a bot: nothing was done or said. */
  handled: boolean;
  results: CommandResult[];
  /** The reply that was posted, if any. */
  reply: string | null;
  reaction: Reaction | null;
  /** The re-evaluation run after a decision or a recheck. */
  review: ReviewOutcome | null;
}

const NOTHING: CommentOutcome = { handled: false, results: [], reply: null, reaction: null, review: null };

function errorText(err: unknown): string {
  return shown(err instanceof Error ? err.message : String(err), 160);
}

/** One comment's commands, with lookups cached for the comment. */
class Session {
  private permission: Promise<Permission> | null = null;
  private teamMember: Promise<boolean> | null = null;
  private latest: Promise<ReviewRecord | null> | null = null;
  readonly rules: readonly Rule[];

  constructor(
    private readonly ctx: CommandContext,
    private readonly deps: CommandDeps,
  ) {
    this.rules = deps.rules ?? ALL_RULES;
  }

  private source(line: number): string | undefined {
    return this.ctx.commentId === undefined ? undefined : `comment:${this.ctx.commentId}#${line}`;
  }

  private latestReview(): Promise<ReviewRecord | null> {
    this.latest ??= this.deps.store.latestReview(this.ctx.repo, this.ctx.pr);
    return this.latest;
  }

  async authorize(command: Command): Promise<Authorization> {
    const need = requirementOf(command);
    const { actor, settings } = this.ctx;
    let permission: Permission = "none";
    let inOverrideTeam = false;
    try {
      if (need !== "nothing") {
        this.permission ??= this.deps.permissionOf(actor.login);
        permission = await this.permission;
      }
      if (need === "permission+teams" && permission !== "admin" && settings.overrideTeams.length) {
        this.teamMember ??= this.deps.isTeamMember(actor.login, settings.overrideTeams);
        inOverrideTeam = await this.teamMember;
      }
    } catch (err) {
      return { allowed: false, reason: `could not check your permission on ${this.ctx.repo} (${plainText(errorText(err))}); try again later` };
    }
    return authorize({ command, actor, prAuthor: this.ctx.prAuthor, permission, inOverrideTeam, settings });
  }

  async run(parsed: ParsedLine): Promise<CommandResult> {
    const prefix = this.ctx.settings.prefix;
    if (!parsed.ok) {
      const error = plainText(parsed.error);
      const what = parsed.name ? `could not run ${code(`${prefix} ${parsed.name}`)}: ${error}` : error;
      return { line: parsed.line, command: parsed.name, status: "invalid", changed: false, text: `⚠️ Line ${parsed.line}: ${what}.` };
    }
    const { command, line } = parsed;
    const auth = await this.authorize(command);
    if (!auth.allowed) {
      return { line, command: command.name, status: "denied", changed: false, text: `⛔ ${code(`${prefix} ${command.name}`)} was not run: ${plainText(auth.reason)}. Nothing changed.` };
    }
    const result = (status: ResultStatus, text: string | null, changed = false): CommandResult => ({ line, command: command.name, status, changed, text });
    switch (command.name) {
      case "help":
        return result("done", helpText(prefix, this.ctx.settings));
      case "recheck":
        return result("done", null);
      case "explain":
        return this.explain(command.rule, result);
      case "status":
        return { ...result("done", null), ...(await this.status()) };
      case "waivers":
        return { ...result("done", null), ...(await this.waivers()) };
      case "waive":
        return this.waive(command, line, result);
      case "unwaive":
        return this.unwaive(command.id, result);
      case "override":
        return this.override(command.reason, line, result);
    }
  }

  private explain(id: string, result: (s: ResultStatus, t: string | null) => CommandResult): CommandResult {
    const rule = this.rules.find((r) => r.meta.id === id);
    if (rule) return result("done", explainMarkdown(rule, this.ctx.settings.prefix));
    return result("invalid", `⚠️ ${this.unknownRule(id)}`);
  }

  private unknownRule(id: string): string {
    const tail = id.split("/").pop() ?? id;
    const near = this.rules.map((r) => r.meta.id).filter((r) => r.includes(tail) || tail.includes(r.split("/")[1]!));
    const hint = near.length ? `; did you mean ${near.slice(0, 3).map(code).join(" or ")}?` : ` (the rule reference lists every id).`;
    return `there is no rule ${code(id)}${hint}`;
  }

  /** `gitops-guard decisions …`: where every decision of this PR is, when a reply cannot hold them all. */
  private exportHint(): string {
    return code(`gitops-guard decisions --repo ${this.ctx.repo} --pr ${this.ctx.pr}`);
  }

  private async status(): Promise<ReplyPart> {
    const { store, now } = this.deps;
    const { repo, pr, headSha } = this.ctx;
    const at = now();
    const [latest, override, waivers] = await Promise.all([this.latestReview(), store.overrideFor(repo, pr, headSha), store.activeWaivers(repo, pr, at)]);
    const lines = [`**Status of this PR at ${code(shortSha(headSha))}**`, ""];
    if (!latest) lines.push("- Verdict: not reviewed yet.");
    else {
      const counts = Object.entries(latest.counts.bySeverity)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`)
        .join(", ");
      // A failed attempt (see ReviewRecord.error) judged nothing: its reason is what there is to say.
      const detail =
        latest.error !== undefined
          ? `the review failed: ${userText(latest.error)}`
          : `${latest.counts.new} new finding${latest.counts.new === 1 ? "" : "s"}${counts ? ` (${counts})` : ""}, ${latest.counts.suppressed} suppressed`;
      if (latest.headSha === headSha) lines.push(`- Verdict: ${verdict(latest.conclusion)} — ${detail}; reviewed ${when(latest.time)}.`);
      else lines.push(`- Verdict: this commit has not been reviewed yet; the last review (of ${code(shortSha(latest.headSha))}, ${when(latest.time)}) was ${verdict(latest.conclusion)} — ${detail}.`);
    }
    lines.push(override ? `- Override: by ${person(override.actor)} on ${when(override.time)}: “${userText(override.reason)}”.` : "- Override: none for this commit.");
    if (!waivers.length) {
      lines.push("- Waivers in force: none.");
      return { text: lines.join("\n") };
    }
    lines.push(`- Waivers in force (${waivers.length}):`);
    return {
      text: lines.join("\n"),
      items: waivers.map((w) => `  ${waiverLine(w, at)}`),
      more: (n) => `  - _… and ${n} more not shown (a reply holds at most 65,536 characters): ${this.exportHint()} exports every waiver; the check run shows each waived finding._`,
    };
  }

  private async waivers(): Promise<ReplyPart> {
    const all = await this.deps.store.waiversOf(this.ctx.repo, this.ctx.pr);
    if (!all.length) return { text: "No waivers have been given on this PR." };
    const at = this.deps.now();
    // Those in force first: a list cut to fit keeps what matters now.
    const inForce = (w: WaiverRecord) => !w.revokedAt && new Date(w.expires).getTime() > at.getTime();
    const ordered = [...all.filter(inForce), ...all.filter((w) => !inForce(w))];
    return {
      text: `**Waivers on this PR** (${all.length}, ${all.filter(inForce).length} in force):\n`,
      items: ordered.map((w) => waiverLine(w, at)),
      more: (n) => `- _… and ${n} more not shown (a reply holds at most 65,536 characters): ${this.exportHint()} exports them all._`,
    };
  }

  private async waive(
    command: Extract<Command, { name: "waive" }>,
    line: number,
    result: (s: ResultStatus, t: string | null, changed?: boolean) => CommandResult,
  ): Promise<CommandResult> {
    if (!this.rules.some((r) => r.meta.id === command.rule)) return result("invalid", `⚠️ Nothing waived: ${this.unknownRule(command.rule)}`);
    const { repo, pr, headSha, actor } = this.ctx;
    const time = this.deps.now();
    const source = this.source(line);
    const input = {
      repo,
      pr,
      rule: command.rule,
      file: command.file,
      resource: command.resource,
      reason: command.reason,
      actor: actor.login,
      headSha,
      time,
      expires: new Date(time.getTime() + command.days * 86_400_000),
      source,
    };
    let res = await this.deps.store.createWaiver({ ...input, id: source ? waiverIdFor(repo, source) : undefined });
    let again = false;
    if (!res.created) {
      if (source && res.existing.source === source) again = true;
      else res = await this.deps.store.createWaiver(input);
    }
    const w: WaiverRecord = res.created ? res.record : res.existing;
    const note = await this.matchNote(w);
    const text = [
      `✅ Waiver ${code(w.id)}${again ? " (already recorded)" : ""}: ${code(w.rule)} on ${scopeOf(w)} is accepted until ${when(w.expires)} (${command.days} day${command.days === 1 ? "" : "s"}), by ${person(w.actor)}: “${userText(w.reason)}”.`,
      `Withdraw it with ${code(`${this.ctx.settings.prefix} unwaive ${w.id}`)}.${note}`,
    ].join(" ");
    return result("done", text, true);
  }

  /** A hint when the last review of this commit has no new finding the waiver would cover. */
  private async matchNote(w: WaiverRecord): Promise<string> {
    const latest = await this.latestReview();
    if (!latest || latest.headSha !== this.ctx.headSha || latest.findingsOmitted || latest.error !== undefined) return "";
    const parts = w.resource?.split("/");
    const hit = latest.findings.some((f) => {
      if (f.ruleId !== w.rule || (w.file !== undefined && f.file !== w.file)) return false;
      if (!parts) return true;
      const [kind, a, b] = parts;
      return f.resource.kind === kind && (b === undefined ? f.resource.name === a : f.resource.namespace === a && f.resource.name === b);
    });
    return hit ? "" : " Note: no new finding of the last review matches it yet; it applies if one appears.";
  }

  private async unwaive(id: string, result: (s: ResultStatus, t: string | null, changed?: boolean) => CommandResult): Promise<CommandResult> {
    const { repo, pr, headSha, actor } = this.ctx;
    const r = await this.deps.store.revokeWaiver({ repo, pr, id, actor: actor.login, headSha, time: this.deps.now() });
    if (r.revoked) {
      return result("done", `✅ Waiver ${code(id)} (${code(r.waiver.rule)} on ${scopeOf(r.waiver)}) is withdrawn by ${person(actor.login)}; it stays on the record.`, true);
    }
    switch (r.reason) {
      case "not-found":
        return result("unchanged", `⚠️ There is no waiver ${code(id)} in ${repo} (see ${code(`${this.ctx.settings.prefix} waivers`)}). Nothing changed.`);
      case "other-pr":
        return result("unchanged", `⚠️ Waiver ${code(id)} belongs to #${r.waiver.pr}; withdraw it there. Nothing changed.`);
      case "already-revoked":
        return result("unchanged", `ℹ️ Waiver ${code(id)} was already withdrawn by ${person(r.waiver.revokedBy ?? "unknown")} on ${when(r.waiver.revokedAt ?? r.waiver.time)}. Nothing changed.`);
      case "expired":
        return result("unchanged", `ℹ️ Waiver ${code(id)} expired on ${when(r.waiver.expires)} and no longer applies. Nothing changed.`);
    }
  }

  private async override(reason: string, line: number, result: (s: ResultStatus, t: string | null, changed?: boolean) => CommandResult): Promise<CommandResult> {
    const { repo, pr, headSha, actor } = this.ctx;
    const source = this.source(line);
    const res = await this.deps.store.createOverride({ repo, pr, headSha, actor: actor.login, reason, time: this.deps.now(), source });
    const sha = code(shortSha(headSha));
    if (res.created || (source && res.existing.source === source)) {
      const o = res.created ? res.record : res.existing;
      return result(
        "done",
        `✅ Override${res.created ? "" : " (already recorded)"}: commit ${sha} passes, by ${person(o.actor)}: “${userText(o.reason)}”. Its findings stay listed as overridden; a new push needs a new decision.`,
        true,
      );
    }
    const o = res.existing;
    return result("unchanged", `ℹ️ Commit ${sha} was already overridden by ${person(o.actor)} on ${when(o.time)}: “${userText(o.reason)}”. Nothing changed.`);
  }
}

/**
 * Runs the slash-commands of one new PR comment: authorizes each, records decisions, re-evaluates the
 * head SHA once if anything changed (or on `recheck`), then answers with one reply (and a reaction for
 * `recheck`). Comments from bots and comments without commands get no answer.
 */
export async function handleComment(body: string, ctx: CommandContext, deps: CommandDeps): Promise<CommentOutcome> {
  if (isBot(ctx.actor)) return NOTHING;
  const parsed = parseCommands(body, ctx.settings.prefix);
  if (!parsed.length) return NOTHING;

  const session = new Session(ctx, deps);
  const results: CommandResult[] = [];
  for (const p of parsed) {
    try {
      results.push(await session.run(p));
    } catch (err) {
      const name = p.ok ? p.command.name : p.name;
      const text = `⚠️ Line ${p.line}: ${code(`${ctx.settings.prefix} ${name ?? ""}`.trim())} failed (${plainText(errorText(err))}); nothing was recorded by it. Try again.`;
      results.push({ line: p.line, command: name, status: "failed", changed: false, text });
    }
  }

  const recheck = results.some((r) => r.command === "recheck" && r.status === "done");
  const changed = results.some((r) => r.changed);
  let reaction: Reaction | null = null;
  if (recheck) {
    reaction = "+1";
    try {
      await deps.react(reaction);
    } catch {
      // A missing reaction must not stop the re-evaluation.
      reaction = null;
    }
  }

  // Answers in command order; the re-evaluation after them; the help text (asked for, or after a mistake) last.
  const isHelp = (r: CommandResult) => r.command === "help" && r.status === "done";
  const parts: ReplyPart[] = results
    .filter((r) => !isHelp(r) && r.text !== null)
    .map((r) => ({ text: r.text!, ...(r.items ? { items: r.items } : {}), ...(r.more ? { more: r.more } : {}) }));
  let review: ReviewOutcome | null = null;
  if (recheck || changed) {
    try {
      review = await deps.rerunReview();
      if (changed || reaction === null) {
        const counts = review.summary ? ` — ${review.summary.new} new finding${review.summary.new === 1 ? "" : "s"}, ${review.summary.suppressed} suppressed` : "";
        parts.push({ text: `Re-evaluated ${code(shortSha(review.headSha))}: ${verdict(review.conclusion)}${counts}.` });
      }
    } catch (err) {
      parts.push({ text: `⚠️ The re-evaluation failed (${plainText(errorText(err))}). Decisions above are recorded; run ${code(`${ctx.settings.prefix} recheck`)} to try again.` });
    }
  }
  if (results.some((r) => r.status === "invalid" || isHelp(r))) parts.push({ text: helpText(ctx.settings.prefix, ctx.settings) });

  let reply: string | null = null;
  if (parts.length) {
    reply = composeReply(`${REPLY_MARKER}\n${mention(ctx.actor.login)}\n\n`, parts);
    await deps.reply(reply);
  }
  return { handled: true, results, reply, reaction, review };
}
