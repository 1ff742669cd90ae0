import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { defaultConfig } from "../../core/config.js";
import { scan } from "../../core/review.js";
import { findCredentials, pemHits } from "./_credentials.js";
import { embeddedSecrets, isCapabilityUrl, readEmbedded } from "./_embedded.js";
import { flagSecrets } from "./_flags.js";
import { isCredentialKey, shownKey, shownPath } from "./_mask.js";
import { nameWords } from "./_name-words.js";
import { hasLeadingSecretNoun, isSecretEnvSetting, isSecretName, isSecretSetting } from "./_names.js";
import { entropy, isPlaceholder, looksFake } from "./_placeholders.js";
import { judgeSecretValue } from "./_secret-values.js";
import { isWordLike, looksLikeMetadataValue, looksRandom } from "./_shape.js";
import { urlCredentials } from "./_urls.js";
import { decodeBase64, isPublicMaterial, isReference, literalSkipReason } from "./_values.js";
import { secretsRules } from "./index.js";

/**
 * Every detector of the secrets rules takes any text without throwing, and what it returns is well-formed. The
 * strings are built from the fragments the patterns look for (token prefixes, JWT and PEM markers, template and URL
 * punctuation, quotes, separators, spaces and newlines), so that random inputs reach deep into every pattern.
 */
const FRAGMENTS = [
  "eyJ", "ey", "_", ".", "-", "ghs_1_", "ghp_", "github_pat_", "glpat-", "xoxb-", "xapp-1-", "sk_live_", "AIza", "npm_",
  "AGE-SECRET-KEY-1", "AKIA", "ASIA", "hooks.slack.com/services/T", "https://", "://", "@", ":", "=", ";", "&", "?", "#", "/",
  "+", "${", "}", "{{", "}}", "$(", ")", "(", "<path:", "<", ">", "[", "]", "ENC[AES256_GCM,", "-----BEGIN PRIVATE KEY-----",
  "-----END PRIVATE KEY-----", "-----BEGIN ", "-----", "password", "Password=", "token", "secret", "key", "my", "your",
  "__", "REPLACE_ME", "changeme", "xxxx", "***", "\"", "'", "`", " ", "  ", "\t", "\n", "\\n", "$apr1$", "<password>",
  "</password>", "PASSWORD '", "machine ", "a", "Z", "9", "Q7", "kX", "0", "\u00e9", "\uFFFD", "\u0000",
];
const text = fc.string({ unit: fc.constantFrom(...FRAGMENTS), maxLength: 120 });
const RUNS = { numRuns: 300 };

describe("secrets detectors take any text", () => {
  it("finds credentials as ordered, non-overlapping spans inside the text", () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const hit of [...findCredentials(t), ...pemHits(t)]) {
          expect(hit.start).toBeGreaterThanOrEqual(0);
          expect(hit.end).toBeLessThanOrEqual(t.length);
          expect(hit.start).toBeLessThan(hit.end);
          expect(hit.label).not.toBe("");
        }
        const hits = findCredentials(t);
        for (let i = 1; i < hits.length; i++) expect(hits[i]!.start).toBeGreaterThanOrEqual(hits[i - 1]!.end);
      }),
      RUNS,
    );
  });

  it("judges values, names and shapes without throwing", () => {
    fc.assert(
      fc.property(text, text, (value, name) => {
        isReference(value);
        isPlaceholder(value, name);
        literalSkipReason(value, name);
        looksFake(value);
        entropy(value);
        decodeBase64(value);
        isPublicMaterial(value);
        isWordLike(value);
        looksRandom(value);
        looksLikeMetadataValue(value);
        isCapabilityUrl(value);
        isSecretName(name);
        hasLeadingSecretNoun(name);
        isSecretSetting(name, value);
        isSecretEnvSetting(name, value);
        expect(nameWords(name).every((w) => w === w.toLowerCase())).toBe(true);
        for (const url of urlCredentials(value)) expect(value).toContain(url.text);
        const items = [name, value, `--${name}=${value}`, `--${name}`, value];
        for (const f of flagSecrets(items)) {
          // The value's own item: `--flag=value` itself, or the item right after `--flag`.
          expect(items[f.index]!.startsWith(`${f.flag}=`) || items[f.index - 1] === f.flag).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("reads embedded config files and Secret values without throwing; settings name lines of the text", () => {
    fc.assert(
      fc.property(text, text, (value, key) => {
        const lines = new Set(value.split("\n").map((l) => l.trim()));
        for (const s of [...readEmbedded(value, { formats: true }).settings, ...embeddedSecrets(value)]) {
          expect(s.line === "" || lines.has(s.line)).toBe(true);
        }
        for (const encoding of ["text", "base64"] as const) judgeSecretValue(key, value, encoding, { secretNames: new Set() });
      }),
      RUNS,
    );
  });

  it("masks a key that is a credential, and only such keys, in paths", () => {
    fc.assert(
      fc.property(text, (key) => {
        const shown = shownKey(key);
        expect(shown === key).toBe(!isCredentialKey(key));
        if (shown !== key) expect(shown).toMatch(/^<credential-key:[0-9a-f]{8}>$/);
        expect(shownPath(["stringData", key, 0])).toEqual(["stringData", shown, 0]);
      }),
      RUNS,
    );
  });

  it("reviews any such text as a YAML file with every secrets rule", () => {
    const yamlish = fc.tuple(text, text, text).map(([a, b, c]) => `apiVersion: v1\nkind: Secret\nstringData:\n  k: "${a.replace(/["\\\n]/g, "")}"\n# ${b.replace(/\n/g, " ")}\n---\n${c}\n`);
    fc.assert(
      fc.property(yamlish, (file) => {
        const result = scan([{ path: "fuzz/values.yaml", content: file }], { config: defaultConfig(), rules: secretsRules, now: new Date("2026-11-22T00:00:00Z") });
        for (const f of result.findings) expect(f.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });
});
