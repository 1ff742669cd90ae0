import { describe, expect, it } from "@jest/globals";
import { parseCommands, type ParsedLine } from "./parse.js";
import { tokenize } from "./tokenize.js";

function one(body: string, prefix?: string): ParsedLine {
  const all = parseCommands(body, prefix);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function command(body: string, prefix?: string) {
  const r = one(body, prefix);
  if (!r.ok) throw new Error(`expected a command, got error: ${r.error}`);
  return r.command;
}

function error(body: string, prefix?: string): string {
  const r = one(body, prefix);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.command)}`);
  return r.error;
}

describe("commands without arguments", () => {
  it.each(["help", "recheck", "status", "waivers"])("%s", (name) => {
    expect(command(`/guard ${name}`)).toEqual({ name });
  });

  it("the bare prefix asks for help; command words are case-insensitive", () => {
    expect(command("/guard")).toEqual({ name: "help" });
    expect(command("/GUARD ReCheck")).toEqual({ name: "recheck" });
  });

  it("help ignores a topic; the others take no arguments", () => {
    expect(command("/guard help waive")).toEqual({ name: "help" });
    expect(error("/guard recheck now please")).toBe("recheck takes no arguments (got `now please`)");
    expect(error("/guard status --all")).toBe("takes no options (got `--all`)");
  });
});

describe("explain", () => {
  it("takes one rule id", () => {
    expect(command("/guard explain argocd/project-source-repos-wildcard")).toEqual({ name: "explain", rule: "argocd/project-source-repos-wildcard" });
    expect(error("/guard explain")).toMatch(/needs a rule id/);
    expect(error("/guard explain a/b c/d")).toBe("explain takes one rule id");
    expect(error("/guard explain privileged")).toBe("`privileged` is not a rule id (like `k8s/privileged-container`)");
  });
});

describe("waive", () => {
  it("a rule for the whole PR, with the default 30 days", () => {
    expect(command('/guard waive k8s/privileged-container --reason "vendor chart"')).toEqual({ name: "waive", rule: "k8s/privileged-container", reason: "vendor chart", days: 30 });
  });

  it("a file, a file and resource, Kind/namespace/name, and --for", () => {
    expect(command('/guard waive k8s/privileged-container apps/agent.yaml --reason "x" --for 14d')).toMatchObject({ file: "apps/agent.yaml", days: 14 });
    expect(command("/guard waive k8s/privileged-container ./apps/agent.yaml#DaemonSet/node-agent --reason x")).toMatchObject({ file: "apps/agent.yaml", resource: "DaemonSet/node-agent" });
    expect(command("/guard waive rbac/wildcard-verbs rbac/role.yaml#Role/monitoring/reader --reason x")).toMatchObject({ file: "rbac/role.yaml", resource: "Role/monitoring/reader" });
    expect(command("/guard waive a/b f.yaml --for=90d --reason=ok")).toMatchObject({ days: 90, reason: "ok" });
    expect(command("/guard waive a/b --for 1D --reason ok")).toMatchObject({ days: 1 });
  });

  it("bad durations", () => {
    expect(error("/guard waive a/b --reason x --for 0d")).toBe("--for must be between 1d and 90d (got 0d)");
    expect(error("/guard waive a/b --reason x --for 91d")).toBe("--for must be between 1d and 90d (got 91d)");
    expect(error("/guard waive a/b --reason x --for 1.5d")).toBe("--for takes a whole number of days like 14d (got `1.5d`)");
    expect(error("/guard waive a/b --reason x --for 14")).toBe("--for takes a whole number of days like 14d (got `14`)");
    expect(error("/guard waive a/b --reason x --for")).toBe("--for needs a value");
  });

  it("a reason is required and not empty", () => {
    expect(error("/guard waive a/b f.yaml")).toBe('needs --reason "<why this risk is accepted>"');
    expect(error('/guard waive a/b --reason ""')).toBe("--reason is empty");
    expect(error('/guard waive a/b --reason "   "')).toBe("--reason is empty");
    expect(error("/guard waive a/b --reason")).toMatch(/^--reason needs a text/);
    expect(error(`/guard waive a/b --reason "${"x".repeat(501)}"`)).toBe("--reason is longer than 500 characters");
  });

  it("malformed targets and extra words", () => {
    expect(error("/guard waive a/b f.yaml#Deployment --reason x")).toMatch(/^`#Deployment` is not a resource/);
    expect(error("/guard waive a/b #Deployment/api --reason x")).toBe("a resource needs its file: `<file>#<Kind>/<name>`");
    expect(error("/guard waive a/b ../etc/passwd --reason x")).toMatch(/is not a path inside the repository/);
    expect(error("/guard waive a/b /abs.yaml --reason x")).toMatch(/is not a path inside the repository/);
    expect(error('/guard waive a/b f.yaml g.yaml --reason "x"')).toMatch(/^waive takes a rule and at most one file/);
    // A reason written without --reason: the hint names the option (quoting it alone would make it a file).
    expect(error("/guard waive k8s/privileged-container accepted for the migration window")).toBe('waive takes a rule and at most one file; write the reason as --reason "…" (unexpected `for the migration window`)');
    expect(error('/guard waive a/b --reason "x" --reason "y"')).toBe("--reason is given twice");
    expect(error('/guard waive a/b --reason "x" --until 2026-01-01')).toBe("unknown option `--until` (expected --reason or --for)");
    expect(error("/guard waive --reason x")).toMatch(/needs a rule id/);
  });
});

describe("quoting", () => {
  it("double, single and typographic quotes; escaped quotes inside", () => {
    expect(command('/guard override --reason "hotfix for INC-42, \\"approved\\" by CAB"')).toEqual({ name: "override", reason: 'hotfix for INC-42, "approved" by CAB' });
    expect(command("/guard override --reason 'it\\'s reviewed'")).toEqual({ name: "override", reason: "it's reviewed" });
    expect(command("/guard override --reason \u201csmart quotes from a phone\u201d")).toEqual({ name: "override", reason: "smart quotes from a phone" });
    expect(command('/guard override --reason="a b  c"')).toEqual({ name: "override", reason: "a b c" });
  });

  it("an unquoted reason runs to the next option; apostrophes inside words are text", () => {
    expect(command("/guard waive a/b --reason vendor chart, can't change --for 7d")).toMatchObject({ reason: "vendor chart, can't change", days: 7 });
    expect(command("/guard override --reason ok")).toEqual({ name: "override", reason: "ok" });
  });

  it("a quoted reason is exactly the quoted text", () => {
    expect(error('/guard waive a/b --reason "x" f.yaml g.yaml')).toMatch(/^waive takes a rule and at most one file/);
    expect(error('/guard override --reason "x" trailing')).toMatch(/^override takes only --reason/);
  });

  it("an unclosed quote is an error", () => {
    expect(error('/guard override --reason "never closed')).toBe('the quote " is never closed');
  });

  it("a quoted word that starts with dashes is a value, not an option", () => {
    expect(command('/guard override --reason "--not an option"')).toEqual({ name: "override", reason: "--not an option" });
  });

  it("tokenizer details", () => {
    expect(tokenize(`a "b c"d 'e\\\\f' g\\h`)).toEqual({
      ok: true,
      tokens: [
        { value: "a", quoted: false, option: false },
        { value: "b cd", quoted: true, option: false },
        { value: "e\\f", quoted: true, option: false },
        { value: "g\\h", quoted: false, option: false },
      ],
    });
  });
});

describe("unwaive and override", () => {
  it("unwaive takes one id", () => {
    expect(command("/guard unwaive k7tq3mzp")).toEqual({ name: "unwaive", id: "k7tq3mzp" });
    expect(error("/guard unwaive")).toMatch(/needs a waiver id/);
    expect(error("/guard unwaive a b")).toBe("unwaive takes one waiver id");
    expect(error("/guard unwaive a$b")).toBe("`a$b` is not a waiver id");
  });

  it("override needs a reason and takes nothing else", () => {
    expect(error("/guard override")).toBe('needs --reason "<why this risk is accepted>"');
    expect(error("/guard override now --reason x")).toMatch(/^override takes only --reason/);
    expect(error("/guard override --reason x --for 3d")).toBe("unknown option `--for` (expected --reason)");
  });
});

describe("unknown commands", () => {
  it("name the word when it looks like a command", () => {
    expect(one("/guard approve")).toEqual({ ok: false, line: 1, name: null, error: "unknown command `approve`" });
    expect(error('/guard "help"')).toBe("unknown command `help`");
  });

  it("never echo other text (it could be a pasted token)", () => {
    expect(error("/guard ghp_0123456789abcdefghijABCDEFGHIJ012345")).toBe("unknown command");
  });
});

describe("which lines are commands", () => {
  it("only lines starting with the prefix; several commands, each with its line number", () => {
    const body = [
      "Thanks! A few things:",
      "/guard waive k8s/privileged-container apps/agent.yaml --reason \"node agent\"",
      "please also run /guard recheck later", // not at the start of the line
      "  /guard status",
      "/guardian help", // another word
      "/guard explain k8s/privileged-container",
    ].join("\n");
    const res = parseCommands(body);
    expect(res.map((r) => [r.line, r.ok && r.command.name])).toEqual([
      [2, "waive"],
      [4, "status"],
      [6, "explain"],
    ]);
  });

  it("ignores code blocks, indented code, quoted lines and HTML comments", () => {
    const body = [
      "```",
      "/guard override --reason fenced",
      "```",
      "~~~~md",
      "/guard override --reason tilde",
      "```",
      "~~~~",
      "    /guard override --reason indented",
      "> /guard override --reason quoted",
      " > > /guard override --reason nested quote",
      "<!-- /guard override --reason one-line comment -->",
      "<!--",
      "/guard override --reason multi-line comment",
      "-->",
      "`/guard override --reason inline code`",
      "/guard recheck",
    ].join("\r\n");
    expect(parseCommands(body)).toEqual([{ ok: true, line: 16, command: { name: "recheck" } }]);
  });

  it("uses the configured prefix, matched literally", () => {
    expect(command("/gg status", "/gg")).toEqual({ name: "status" });
    expect(parseCommands("/guard status", "/gg")).toEqual([]);
    expect(command("@gitops-guard.bot waivers", "@gitops-guard.bot")).toEqual({ name: "waivers" });
    expect(parseCommands("@gitops-guardXbot waivers", "@gitops-guard.bot")).toEqual([]);
  });

  it("runs at most 10 commands from one comment", () => {
    const res = parseCommands(Array.from({ length: 12 }, () => "/guard status").join("\n"));
    expect(res).toHaveLength(11);
    expect(res[10]).toEqual({ ok: false, line: 11, name: null, error: "more than 10 commands in one comment; this and later lines were not run" });
  });

  it("a comment without commands yields nothing", () => {
    expect(parseCommands("LGTM\n\n- looks fine")).toEqual([]);
    expect(parseCommands("")).toEqual([]);
  });
});
