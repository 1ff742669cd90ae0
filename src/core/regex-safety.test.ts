import { describe, expect, it } from "@jest/globals";
import { backtrackingRisk } from "./regex-safety.js";

describe("backtrackingRisk", () => {
  it.each([
    "^(data|stringData)$",
    "^(.*password.*)$",
    "app-.*",
    ".*-prod",
    "(foo|bar)-svc",
    "^(a|b)?c$",
    "[(+*)]+",
    "\\(a+\\)+",
    "registry.k8s.io/pause",
    "^(?:web|api)-v[0-9]{1,3}$",
    "(?<name>x)?y",
  ])("accepts %j", (pattern) => {
    expect(backtrackingRisk(pattern)).toBeNull();
  });

  it.each([
    ["(a+)+$", /repeats a group/],
    ["^(a|a)*$", /repeats a group/],
    ["(a*)*b", /repeats a group/],
    ["^(\\w+\\s?)*$", /repeats a group/],
    ["(.*a){12}", /repeats a group/],
    ["^(a|aa)+$", /repeats a group/],
    ["((a|b)c)*", /repeats a group/],
    ["(?:x+x+)+y", /repeats a group/],
    ["(a)\\1", /backreference/],
    ["a*b*c*", /3 unbounded repetitions/],
    ["^(.*password.*|.*key.*)$", /4 unbounded repetitions/],
  ])("refuses %j", (pattern, why) => {
    expect(backtrackingRisk(pattern)).toMatch(why);
  });
});
