import { describe, expect, it } from "@jest/globals";
import { globMatch, isWildcardOnly } from "./_project-glob.js";
import { parsePolicyLines, permissions } from "./_project-rbac-csv.js";
import { wildcardRepoReason } from "./_project-repos.js";
import { isReferenceValue } from "./_project-secrets.js";

describe("AppProject glob matching", () => {
  it.each([
    ["*", "argocd", true],
    ["argo*", "argocd", true],
    ["team-?", "team-a", true],
    ["team-[ab]", "team-c", false],
    ["team-[!ab]", "team-c", true],
    ["{argocd,kube-system}", "kube-system", true],
    ["kube-*", "argocd", false],
    ["a.b", "axb", false],
    ["team-[", "team-[", false],
  ])("%s vs %s → %s", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it("keeps `*` inside one path segment when a separator is given, `**` crosses it", () => {
    expect(globMatch("https://github.com/*", "https://github.com/org/repo", "/")).toBe(false);
    expect(globMatch("https://github.com/**", "https://github.com/org/repo", "/")).toBe(true);
  });

  it("knows wildcard-only patterns", () => {
    expect(["*", "**", " * "].every(isWildcardOnly)).toBe(true);
    expect(["*-*", "!*", ""].some(isWildcardOnly)).toBe(false);
  });
});

describe("sourceRepos wildcard reasoning", () => {
  it.each([
    ["*", "any repository"],
    ["https://*", "repositories on any host"],
    ["*://*/**", "repositories on any host"],
    ["git@*:*/*.git", "repositories on any host"],
    ["https://*github.com/org/*", "repositories on any host"],
    ["https://github.com/*/*", "any repository on github.com, including strangers'"],
    ["ssh://git@gitlab.com:22/**", "any repository on gitlab.com, including strangers'"],
  ])("%s → %s", (entry, reason) => {
    expect(wildcardRepoReason(entry)).toBe(reason);
  });

  // Argo CD matches sourceRepos with `/` as the glob separator (IsSourcePermitted: globMatch(..., '/')), after
  // NormalizeGitURL turns `git@github.com:*` into `git@github.com/*`: a lone `*` owner admits no owner/name repository.
  it.each(["https://github.com/my-org/*", "https://github.com/*", "git@github.com:*", "https://*.git.example.com/x/*", "!*", "", "https://git.example.com/*/*"])(
    "%s is scoped",
    (entry) => {
      expect(wildcardRepoReason(entry)).toBeNull();
    },
  );
});

describe("policy CSV parsing", () => {
  it("reads quoted fields, odd spacing, comments and both line types", () => {
    const lines = parsePolicyLines('  # comment\np,role:a ,applications, "get" , "proj/*",allow\n\ng, "my-org:a, b", role:admin\nx, ignored\n');
    expect(lines).toEqual([
      { type: "p", fields: ["role:a", "applications", "get", "proj/*", "allow"], line: 1 },
      { type: "g", fields: ["my-org:a, b", "role:admin"], line: 3 },
    ]);
    expect(permissions(lines)).toEqual([{ subject: "role:a", resource: "applications", action: "get", object: "proj/*", deny: false, line: 1 }]);
  });

  it("quotes with double quotes only, as Go's encoding/csv in Argo CD: single quotes are characters of the field", () => {
    expect(parsePolicyLines("g, '*', role:admin\np, role:a, applications, get, 'proj/*', allow\n").map((l) => l.fields)).toEqual([
      ["'*'", "role:admin"],
      ["role:a", "applications", "get", "'proj/*'", "allow"],
    ]);
    // `""` is a quote inside a quoted field; a quoted field keeps its blanks; an empty last field is a field.
    expect(parsePolicyLines('g, "a ""b"" ", role:x,\n').map((l) => l.fields)).toEqual([['a "b" ', "role:x", ""]]);
  });
});

describe("secret references", () => {
  it.each(["", "  ", "<path:secret/data/x#password>", "<password>", "ENC[AES256_GCM,data:abc,type:str]", "${TOKEN}", "$(TOKEN)", "$TOKEN", "vault:secret/x#y", "ref+awssm://x", "op://vault/item/field", "{{ .Values.password }}", "changeme", "REPLACE_ME", "xxxx"])(
    "%j is a reference or placeholder",
    (v) => {
      expect(isReferenceValue(v)).toBe(true);
    },
  );

  it.each(["hunter2-but-longer", "-----BEGIN OPENSSH PRIVATE KEY-----", "p@ss$word"])("%j is a literal", (v) => {
    expect(isReferenceValue(v)).toBe(false);
  });
});
