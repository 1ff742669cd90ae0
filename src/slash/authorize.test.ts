import { describe, expect, it } from "@jest/globals";
import { authorize, isBot, PERMISSIONS, type AuthorizationInput, type Permission } from "./authorize.js";
import type { Command } from "./parse.js";

const COMMANDS: Record<Command["name"], Command> = {
  help: { name: "help" },
  explain: { name: "explain", rule: "k8s/privileged-container" },
  status: { name: "status" },
  waivers: { name: "waivers" },
  recheck: { name: "recheck" },
  waive: { name: "waive", rule: "k8s/privileged-container", reason: "r", days: 30 },
  unwaive: { name: "unwaive", id: "abc" },
  override: { name: "override", reason: "r" },
};

const SETTINGS = { waiveRequires: "write", overrideTeams: [] as string[], allowSelfOverride: false } as const;

function allowed(over: Partial<AuthorizationInput> & { command: Command }): boolean {
  return authorize({ actor: { login: "carol", type: "User" }, prAuthor: "alice", permission: "none", inOverrideTeam: false, settings: { ...SETTINGS, overrideTeams: [] }, ...over }).allowed;
}

/** Expected outcome for a non-author user, by command and permission (default settings, no team). */
const MATRIX: Record<Command["name"], Record<Permission, boolean>> = {
  help: { none: true, read: true, triage: true, write: true, maintain: true, admin: true },
  explain: { none: true, read: true, triage: true, write: true, maintain: true, admin: true },
  status: { none: true, read: true, triage: true, write: true, maintain: true, admin: true },
  waivers: { none: true, read: true, triage: true, write: true, maintain: true, admin: true },
  recheck: { none: false, read: true, triage: true, write: true, maintain: true, admin: true },
  waive: { none: false, read: false, triage: false, write: true, maintain: true, admin: true },
  unwaive: { none: false, read: false, triage: false, write: true, maintain: true, admin: true },
  override: { none: false, read: false, triage: false, write: false, maintain: false, admin: true },
};

describe("authorization matrix (user who is not the PR's author)", () => {
  for (const [name, row] of Object.entries(MATRIX)) {
    for (const permission of PERMISSIONS) {
      it(`${name} with ${permission} permission → ${row[permission] ? "allowed" : "denied"}`, () => {
        expect(allowed({ command: COMMANDS[name as Command["name"]], permission })).toBe(row[permission]);
      });
    }
  }
});

describe("bots", () => {
  it.each(Object.keys(COMMANDS))("a bot can do nothing, not even %s, whatever its permission", (name) => {
    expect(allowed({ command: COMMANDS[name as Command["name"]], actor: { login: "renovate[bot]", type: "Bot" }, permission: "admin", inOverrideTeam: true })).toBe(false);
  });

  it("recognises bots by type or by the [bot] suffix", () => {
    expect(isBot({ login: "gitops-guard[bot]" })).toBe(true);
    expect(isBot({ login: "deploy", type: "Bot" })).toBe(true);
    expect(isBot({ login: "alice", type: "User" })).toBe(false);
  });
});

describe("override", () => {
  it("a member of an override team may override without admin", () => {
    const settings = { ...SETTINGS, overrideTeams: ["acme/release-managers"] };
    expect(allowed({ command: COMMANDS.override, permission: "write", inOverrideTeam: true, settings })).toBe(true);
    expect(allowed({ command: COMMANDS.override, permission: "none", inOverrideTeam: true, settings })).toBe(true);
    const denied = authorize({ command: COMMANDS.override, actor: { login: "carol" }, prAuthor: "alice", permission: "maintain", inOverrideTeam: false, settings });
    expect(denied).toEqual({ allowed: false, reason: "`override` needs a repository admin or a member of `acme/release-managers` (`commands.overrideTeams`)" });
  });

  it("never the PR's author (any case of the login), even an admin, unless allowSelfOverride", () => {
    const input = { command: COMMANDS.override, actor: { login: "Alice" }, prAuthor: "alice", permission: "admin" as const, inOverrideTeam: true, settings: SETTINGS };
    expect(authorize(input)).toEqual({ allowed: false, reason: "the PR's author cannot override their own PR (`commands.allowSelfOverride` is off)" });
    expect(authorize({ ...input, settings: { ...SETTINGS, allowSelfOverride: true } })).toEqual({ allowed: true });
    // allowSelfOverride does not grant the right itself.
    expect(authorize({ ...input, permission: "write", inOverrideTeam: false, settings: { ...SETTINGS, allowSelfOverride: true } }).allowed).toBe(false);
  });

  it("says why when no teams are configured", () => {
    expect(authorize({ command: COMMANDS.override, actor: { login: "carol" }, prAuthor: "alice", permission: "write", inOverrideTeam: false, settings: SETTINGS })).toEqual({
      allowed: false,
      reason: "`override` needs a repository admin (no `commands.overrideTeams` are configured)",
    });
  });
});

describe("waive and unwaive follow commands.waiveRequires", () => {
  it.each([
    ["read", "read", true],
    ["triage", "read", false],
    ["maintain", "write", false],
    ["maintain", "maintain", true],
    ["admin", "maintain", false],
  ] as const)("waiveRequires %s, actor has %s → %s", (waiveRequires, permission, ok) => {
    const settings = { ...SETTINGS, waiveRequires };
    expect(allowed({ command: COMMANDS.waive, permission, settings })).toBe(ok);
    expect(allowed({ command: COMMANDS.unwaive, permission, settings })).toBe(ok);
  });

  it("the PR's author may waive with enough permission (only override is barred)", () => {
    expect(allowed({ command: COMMANDS.waive, actor: { login: "alice" }, permission: "write" })).toBe(true);
  });

  it("explains a denial", () => {
    expect(authorize({ command: COMMANDS.waive, actor: { login: "carol" }, prAuthor: "alice", permission: "read", inOverrideTeam: false, settings: SETTINGS })).toEqual({
      allowed: false,
      reason: "`waive` needs write permission on the repository (you have read permission)",
    });
    expect(authorize({ command: COMMANDS.unwaive, actor: { login: "stranger" }, prAuthor: "alice", permission: "none", inOverrideTeam: false, settings: SETTINGS })).toEqual({
      allowed: false,
      reason: "`unwaive` needs write permission on the repository (you have no permission)",
    });
  });
});

describe("recheck", () => {
  it("the PR's author may recheck without repository access (e.g. a fork contributor)", () => {
    expect(allowed({ command: COMMANDS.recheck, actor: { login: "alice" }, permission: "none" })).toBe(true);
  });
});
