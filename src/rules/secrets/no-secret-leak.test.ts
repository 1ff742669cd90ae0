import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES_DIR, runRule } from "../../../test/helpers/rule-tester.js";
import type { Finding } from "../../core/types.js";
import { secretsRules } from "./index.js";

/**
 * Secret values never appear in findings. Every secrets rule runs over every secrets fixture; the secret values
 * are both listed here and taken from the source text each finding points at.
 */
const FIXTURES = join(RULES_DIR, "secrets", "fixtures");

/** The literal secrets planted in the invalid fixtures. */
const PLANTED = [
  "Tr1cky-Passw0rd!", "VHIxY2t5LVBhc3N3MHJkIQ==", "9fQ2xL7vR4kP1mZ8", "Zm9vYmFyQmF6UXV4cXV1eDEyMzQ1Njc4OTA", "Gr33n-Lantern-42",
  "Zx9-plain-added-later", "m4il-Sender-pw", "Gr3en-Lantern-9x", "Kust0mize-Literal", "q8W2-lit3ral-t0ken",
  "ghp_KGpOyQNcdOyZbkBFTFoOxtzHq8STZHE6svi3", "Ma6Fv4ngcVnSOgsR8uQYuY8C", "npm_lIKiUBKnCfK2vuAiSDMK2xTY2xA6bznBRkir",
  "lt1BC5Gco7fcopoFShyAO9H5sLwzcZjS6dDb1qrW", "QYw7GPXmA+MbdpMGAnsax1vOF6vWCLF36OTYoVaGJ4Z9fQc+4vPAecWMcuzPCa3N",
  "v1qpbfcQ6ynyWTOwWSnz12SB4HpdEG1O8u3oikU4ubA", "AIza1mKpWx_KA7EvZtxr9Pko2JjCKlpXFB7BSv0", "sk_live_7TPdoE2u6Qe1NBPBTrbEpvpD",
  "glpat-YV3CJC-BZHhm5S6xxMYH", "xoxb-038863699906-9892900400610-mX2sau4rEE7naW8mHDKw3OaW",
  "AGE-SECRET-KEY-1NE3PLZT08AU53TDLA0R4Q3KNJF2GDFWMASJU3QVKET93GYLJLM6WY9GUTA",
  "Sh0p-Orders-Pw", "R3dis-Cache-Pw", "Tr0ub4dor-and-3", "Rabb1t-Queue-Pw",
  "q3Lk-init-token-9", "s3cure-Db-Pw", "pk-lit3ral-value", "Cl13nt-S3cret", "B4ckup-Secr3t-Access-Key", "r3stic-Repo-Pw",
  "Pl41n-Config-Pw", "Spr1ng-Props-Pw", "d3x-Gith4b-Client-S3cret", "Helm-Valu3s-Pw", "R3dis-Valu3s-Pw", "Dj4ngo-Secr3t-Key-Material",
  "Xtr4-Env-T0ken", "Gr4fana-Adm1n-Pw", "Gr4fana-Db-Pw", "K3ycl0ak-Param-Pw", "K3ycl0ak-Db-Pw", "Kust0m-Smtp-Pw", "Inl1ne-Redis-Pw",
  "N0tSo#Secret-Pw", "Sl4sh/Secret-Pw", "Qu3ry?Secret-Pw", "s@fe?Rotat10n-Pw", "Tmpl-Smtp-Pa55w0rd", "Tmpl-Embedded-Pw9", "Uw9xK2mPq7LtR4vZ8nBc3HdJ5sYf", "Cl9ster-Wh-S3cret", "7c1e0b9d44af52e8a3b6d0f19c2e7a4b58d3f601e9ab2c7d", "Fl4g-Db-Passw0rd", "Pq7vT2xK9mRw4LsZ8nBc3HdJ", "Cl1ent-Fl4g-S3cret", "p@ss?Wq8zR5tN", "0f3b9c1d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c",
];

/** Not secrets on their own, but never printed either. */
const IDENTIFIERS = ["AKIASTUZUR7HXHAV3OOE"];

function fixtureFiles(): Array<{ dir: string; name: string; text: string }> {
  return readdirSync(FIXTURES).flatMap((dir) =>
    readdirSync(join(FIXTURES, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => ({ dir, name, text: readFileSync(join(FIXTURES, dir, name), "utf8") })),
  );
}

/** The source text a finding points at: the secret-bearing value (or the credential itself). */
function pointedText(text: string, f: Finding): string {
  const lines = text.split("\n").slice(f.line - 1, f.endLine);
  if (lines.length === 1) return (lines[0] ?? "").slice(f.column - 1, f.endColumn - 1);
  lines[0] = (lines[0] ?? "").slice(f.column - 1);
  lines[lines.length - 1] = (lines[lines.length - 1] ?? "").slice(0, f.endColumn - 1);
  return lines.join("\n");
}

/** Secret candidates in the pointed text: the value, the part after `=`/`:`, a URL's password, base64-decoded forms. */
function candidates(pointed: string): string[] {
  const out = new Set<string>();
  for (const raw of pointed.split("\n")) {
    const line = raw.trim().replace(/^["']|["']$/g, "");
    out.add(line);
    const setting = /^[\w.-]+\s*[:=]\s*["']?(.*?)["']?$/.exec(line);
    if (setting?.[1]) out.add(setting[1]);
    const url = /:\/\/[^:@/\s]*:([^@/\s]+)@/.exec(line);
    if (url?.[1]) out.add(url[1]);
  }
  for (const c of [...out]) {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(c) && c.length >= 12) {
      const decoded = Buffer.from(c, "base64").toString("utf8");
      if (/^[\x20-\x7e]+$/.test(decoded)) out.add(decoded);
    }
  }
  return [...out].filter((c) => c.length >= 6 && !/^-----(BEGIN|END) /.test(c));
}

describe("secrets rules never echo a secret", () => {
  const files = fixtureFiles();
  const runs = files.map((file) => ({
    file,
    findings: secretsRules.flatMap((rule) => runRule(rule, file.text, { file: `manifests/${file.name}` })),
  }));

  it("the fixture set produces findings to check", () => {
    expect(runs.reduce((n, r) => n + r.findings.length, 0)).toBeGreaterThan(40);
  });

  it.each(runs.map((r) => [`${r.file.dir}/${r.file.name}`, r] as const))("%s: no secret in message, fix or path", (_name, { file, findings }) => {
    for (const f of findings) {
      const shown = [f.message, f.fix, f.path].join("\n");
      for (const secret of [...PLANTED, ...IDENTIFIERS, ...candidates(pointedText(file.text, f))]) {
        expect({ rule: f.ruleId, line: f.line, leaked: shown.includes(secret) ? secret : null }).toEqual({ rule: f.ruleId, line: f.line, leaked: null });
      }
      // Not even a fragment: no 8-character window of a planted secret.
      for (const secret of PLANTED) {
        for (let i = 0; i + 8 <= secret.length; i++) {
          const window = secret.slice(i, i + 8);
          expect({ rule: f.ruleId, line: f.line, fragment: shown.includes(window) ? window : null }).toEqual({ rule: f.ruleId, line: f.line, fragment: null });
        }
      }
    }
  });

  it("valid fixtures are clean for every secrets rule, not only their own", () => {
    const noisy = runs.filter((r) => r.file.name.startsWith("valid-") && r.findings.length > 0);
    expect(noisy.map((r) => `${r.file.dir}/${r.file.name}: ${r.findings.map((f) => `${f.ruleId}@${f.line}`).join(", ")}`)).toEqual([]);
  });

  it("every planted secret is reported: some finding points at it, or reports the Secret that holds it", () => {
    // One finding per Secret (secrets/plaintext-secret): a Secret's second credential is named in that finding's
    // message, not pointed at; it counts as reported when a plaintext-secret finding sits in the same document.
    const docOf = (text: string, line: number): number => text.split("\n").slice(0, line - 1).filter((l) => l === "---").length;
    for (const secret of PLANTED) {
      const encoded = Buffer.from(secret).toString("base64");
      const reported = runs.some(({ file, findings }) => {
        const lines = file.text.split("\n");
        const at = lines.findIndex((l) => l.includes(secret) || l.includes(encoded));
        if (at < 0) return false;
        return findings.some((f) => {
          const p = pointedText(file.text, f);
          return p.includes(secret) || p.includes(encoded) || (f.ruleId === "secrets/plaintext-secret" && docOf(file.text, f.line) === docOf(file.text, at + 1));
        });
      });
      expect({ secret, reported }).toEqual({ secret, reported: true });
    }
  });
});
