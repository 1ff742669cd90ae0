import { describe, expect, it } from "@jest/globals";
import { runRule } from "../../../test/helpers/rule-tester.js";
import { secretsRules } from "./index.js";

/**
 * Issue 12, point 8: a credential used as a map key (`stringData: {"sk_live_…": billing}`) is reported, and never
 * echoed in a finding's path or message: such keys are shown as `<credential-key:…>` by every secrets rule.
 */
const STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const RANDOM = "Zk9mQ2xV7pL4zR9tW3nB6cY1";

function findings(yaml: string, file = "manifests/x.yaml") {
  return secretsRules.flatMap((rule) => runRule(rule, yaml, { file }));
}

describe("credentials used as keys", () => {
  it("a Secret keyed by a live Stripe key is reported, masked in path and message", () => {
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: billing\nstringData:\n  "${STRIPE}": billing\n`;
    const all = findings(yaml);
    expect(all.map((f) => f.ruleId).sort()).toEqual(["secrets/known-credential", "secrets/plaintext-secret"]);
    for (const f of all) {
      expect(`${f.path}\n${f.message}\n${f.fix}`).not.toContain(STRIPE.slice(8, 16));
      expect(f.line).toBe(6);
    }
    expect(all.find((f) => f.ruleId === "secrets/plaintext-secret")!.message).toMatch(/^Secret "billing" stores a plaintext credential at stringData\["<credential-key:[0-9a-f]{8}>"\]\.$/);
  });

  it("paths under a credential-like key are masked for ConfigMap values, URLs and tokens alike, with a stable stand-in", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: c",
      "data:",
      `  ${RANDOM}: "postgres://app:Kp4mX9vQ2zL7rT8w@db:5432/app"`,
      "---",
      "tenants:",
      `  ${RANDOM}:`,
      "    password: Hs6vM3qZ8xL2kP7t",
      `    token: ghp_sdH9xqe8iuiVRYyGpztwQc21WVWJK6EC00cA`,
    ].join("\n");
    const all = [...findings(yaml, "apps/a/values.yaml")];
    expect(all.map((f) => `${f.ruleId}@${f.line}`).sort()).toEqual([
      "secrets/credential-in-url@6",
      "secrets/known-credential@11",
      "secrets/sensitive-config-value@10",
      "secrets/sensitive-config-value@11",
    ]);
    const shown = all.map((f) => `${f.path}\n${f.message}`).join("\n");
    expect(shown).not.toContain(RANDOM.slice(0, 8));
    const masks = new Set(shown.match(/<credential-key:[0-9a-f]{8}>/g));
    expect(masks.size).toBe(1); // the same key, the same stand-in (and so the same fingerprint input) everywhere
  });

  it("ordinary keys are shown as they are", () => {
    const yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: Hs6vM3qZ8xL2kP7t\n  configMapGenerator: x\n";
    expect(findings(yaml).map((f) => f.path)).toEqual(["data.DB_PASSWORD"]);
  });
});
