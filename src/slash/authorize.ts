import type { Config } from "../core/config.js";
import { permissionAtLeast, type Permission } from "../core/permission.js";
import type { Command } from "./parse.js";

export { PERMISSIONS, permissionAtLeast, type Permission } from "../core/permission.js";

export type CommandSettings = Config["commands"];

export interface Actor {
  login: string;
  /** GitHub's user type: `User`, `Bot`, `Organization`, … */
  type?: string;
}

export function isBot(actor: Actor): boolean {
  return actor.type === "Bot" || /\[bot\]$/i.test(actor.login);
}

export function sameLogin(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** What a command needs to know about the actor before it can be authorized. */
export type Requirement = "nothing" | "permission" | "permission+teams";

export function requirementOf(command: Command): Requirement {
  switch (command.name) {
    case "help":
    case "explain":
    case "status":
    case "waivers":
      return "nothing";
    case "recheck":
    case "waive":
    case "unwaive":
      return "permission";
    case "override":
      return "permission+teams";
  }
}

export interface AuthorizationInput {
  command: Command;
  actor: Actor;
  /** Login of the PR's author. */
  prAuthor: string | null;
  /** The actor's permission on the repository (`none` when unknown). */
  permission: Permission;
  /** Whether the actor is a member of one of `commands.overrideTeams`. */
  inOverrideTeam: boolean;
  settings: Pick<CommandSettings, "waiveRequires" | "overrideTeams" | "allowSelfOverride">;
}

export type Authorization = { allowed: true } | { allowed: false; reason: string };

const allow: Authorization = { allowed: true };
const deny = (reason: string): Authorization => ({ allowed: false, reason });

/**
 * Who may do what. Pure: the caller looks up the permission and team membership.
 * - bots change nothing and get no answer (their comments could be our own replies);
 * - help, explain, status and waivers: anyone who can comment;
 * - recheck: anyone with read access, and the PR's author;
 * - waive and unwaive: `commands.waiveRequires` (default write);
 * - override: an admin or a member of `commands.overrideTeams`, never the PR's author unless `allowSelfOverride`.
 */
export function authorize(input: AuthorizationInput): Authorization {
  const { command, actor, permission, settings } = input;
  if (isBot(actor)) return deny("commands from bots are ignored");
  switch (command.name) {
    case "help":
    case "explain":
    case "status":
    case "waivers":
      return allow;
    case "recheck":
      if (permissionAtLeast(permission, "read") || sameLogin(actor.login, input.prAuthor)) return allow;
      return deny("`recheck` needs read access to the repository or being the PR's author");
    case "waive":
    case "unwaive":
      if (permissionAtLeast(permission, settings.waiveRequires)) return allow;
      return deny(`\`${command.name}\` needs ${settings.waiveRequires} permission on the repository (you have ${permission === "none" ? "no" : permission} permission)`);
    case "override": {
      if (sameLogin(actor.login, input.prAuthor) && !settings.allowSelfOverride) {
        return deny("the PR's author cannot override their own PR (`commands.allowSelfOverride` is off)");
      }
      if (permission === "admin" || input.inOverrideTeam) return allow;
      const teams = settings.overrideTeams;
      return deny(
        teams.length
          ? `\`override\` needs a repository admin or a member of ${teams.map((t) => `\`${t}\``).join(", ")} (\`commands.overrideTeams\`)`
          : "`override` needs a repository admin (no `commands.overrideTeams` are configured)",
      );
    }
  }
}
