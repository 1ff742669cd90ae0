import type { Rule } from "../../core/rule.js";
import credentialInUrl from "./credential-in-url.js";
import knownCredential from "./known-credential.js";
import literalEnvSecret from "./literal-env-secret.js";
import plaintextSecret from "./plaintext-secret.js";
import sensitiveConfigValue from "./sensitive-config-value.js";

/** Secrets rules, in RULES.md order. */
export const secretsRules: Rule[] = [plaintextSecret, knownCredential, credentialInUrl, literalEnvSecret, sensitiveConfigValue];
