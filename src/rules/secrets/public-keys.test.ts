import { describe, expect, it } from "@jest/globals";
import { runRule } from "../../../test/helpers/rule-tester.js";
import knownCredential from "./known-credential.js";
import literalEnvSecret from "./literal-env-secret.js";
import plaintextSecret from "./plaintext-secret.js";
import sensitiveConfigValue from "./sensitive-config-value.js";

// Made-up values only: the shapes of public client keys and of secrets beside them (held-out round 16).
const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
const supabaseJwt = (role: string): string =>
  `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ iss: "supabase", ref: "qwertyuiopasdfgh", role, iat: 1700000000, exp: 2015576000 })}.Zk9sV2c1X2Fi7dKq3mZpR8tWx2LhN4vB6yJc0sE`;
const ANON = supabaseJwt("anon");
const SERVICE_ROLE = supabaseJwt("service_role");
const GOOGLE_KEY = "AIzaSyA9x7QwZk3LmP2vR8tN4bC6dF1gH5jK0sE";
const MAPBOX_PUBLIC = `pk.${b64url({ u: "acme", a: "clq8w2e9x0" })}.Xk2pQ9vL7mR4tW8zN3bH`;
const POSTHOG_PROJECT = "phc_Qw8eRt5yUi2oPa9sDf4gHj7kLz3xCv6bNm1q";
const STRIPE_SECRET = "sk_live_51Hq8zK2vL7mX9pR4tW3nB6cY1dH5fG0sA8eK3uM7oP2iT6";
const GENERATED = "Vt8kQ2mXz7Lp4RwN9bH3cJ6f";

const configMap = (data: Record<string, string>): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-env\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${v}\n`).join("")}`;
const secret = (data: Record<string, string>): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-env\nstringData:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${v}\n`).join("")}`;
const deployment = (env: Record<string, string>): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1.0\n          env:\n${Object.entries(env).map(([k, v]) => `            - name: ${k}\n              value: ${v}\n`).join("")}`;
const at = (findings: ReturnType<typeof runRule>): Array<[string, number, number]> => findings.map((f) => [f.ruleId, f.line, f.column]);

describe("keys public by design (browser-bundled names, public client key formats)", () => {
  it("a Supabase anon JWT is public to known-credential, under any name; its service_role key is a credential", () => {
    expect(at(runRule(knownCredential, configMap({ NEXT_PUBLIC_SUPABASE_ANON_KEY: ANON, SUPABASE_ANON_KEY: ANON })))).toEqual([]);
    expect(at(runRule(knownCredential, deployment({ SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE, NEXT_PUBLIC_SUPABASE_KEY: SERVICE_ROLE })))).toEqual([
      ["secrets/known-credential", 13, 22],
      ["secrets/known-credential", 15, 22],
    ]);
  });

  it("a Google API key under a browser-bundled name is public (ConfigMap, env value, .env line); under another name it is reported", () => {
    expect(at(runRule(knownCredential, configMap({ VITE_FIREBASE_API_KEY: GOOGLE_KEY, GOOGLE_MAPS_KEY: GOOGLE_KEY })))).toEqual([["secrets/known-credential", 7, 20]]);
    expect(at(runRule(knownCredential, deployment({ REACT_APP_FIREBASE_API_KEY: GOOGLE_KEY, GOOGLE_KEY })))).toEqual([["secrets/known-credential", 15, 22]]);
    const env = `EXPO_PUBLIC_FIREBASE_API_KEY=${GOOGLE_KEY}\nGOOGLE_KEY="${GOOGLE_KEY}"\n`;
    expect(at(runRule(knownCredential, env, { file: "overlays/dev/app.env" }))).toEqual([["secrets/known-credential", 2, 13]]);
  });

  it("a known secret format under a browser-bundled name is still a credential", () => {
    expect(at(runRule(knownCredential, configMap({ VITE_STRIPE_KEY: STRIPE_SECRET })))).toEqual([["secrets/known-credential", 6, 20]]);
    expect(at(runRule(plaintextSecret, secret({ VITE_STRIPE_KEY: STRIPE_SECRET, NEXT_PUBLIC_SUPABASE_KEY: SERVICE_ROLE })))).toEqual([["secrets/plaintext-secret", 6, 20]]);
    expect(runRule(plaintextSecret, secret({ VITE_STRIPE_KEY: STRIPE_SECRET, NEXT_PUBLIC_SUPABASE_KEY: SERVICE_ROLE }))[0]!.message).toContain("2 plaintext credentials");
  });

  it("sensitive-config-value: names compiled into a browser bundle and public key formats are not secrets", () => {
    const publicOnes = configMap({
      VITE_FIREBASE_API_KEY: GENERATED,
      REACT_APP_MAPBOX_TOKEN: MAPBOX_PUBLIC,
      POSTHOG_PROJECT_API_KEY: POSTHOG_PROJECT,
      NEXT_PUBLIC_POSTHOG_KEY: POSTHOG_PROJECT,
      GATSBY_API_TOKEN: GENERATED,
      STRIPE_KEY: "pk_live_51Hq8zK2vL7mX9pR4tW3nB6cY1dH5fG0sA8eK3uM7oP2iT6",
      SUPABASE_ANON_KEY: ANON,
    });
    expect(at(runRule(sensitiveConfigValue, publicOnes))).toEqual([]);
    // The same values under names that are not bundled, and secret formats of the same services, are reported.
    const secrets = configMap({ FIREBASE_API_KEY: GENERATED, MAPBOX_TOKEN: `sk.${MAPBOX_PUBLIC.slice(3)}`, POSTHOG_API_KEY: "phx_Qw8eRt5yUi2oPa9sDf4gHj7kLz3xCv6bNm1q" });
    expect(at(runRule(sensitiveConfigValue, secrets))).toEqual([
      ["secrets/sensitive-config-value", 6, 21],
      ["secrets/sensitive-config-value", 7, 17],
      ["secrets/sensitive-config-value", 8, 20],
    ]);
  });

  it("literal-env-secret and plaintext-secret agree: a bundled name or a public key is no secret, the same under a plain name is", () => {
    expect(at(runRule(literalEnvSecret, deployment({ VITE_POSTHOG_KEY: POSTHOG_PROJECT, REACT_APP_API_TOKEN: GENERATED, NUXT_PUBLIC_API_KEY: GENERATED, API_TOKEN: GENERATED })))).toEqual([
      ["secrets/literal-env-secret", 19, 22],
    ]);
    const data = secret({ VITE_API_TOKEN: GENERATED, SUPABASE_ANON_KEY: ANON, MAPBOX_TOKEN: MAPBOX_PUBLIC, API_TOKEN: GENERATED });
    const found = runRule(plaintextSecret, data);
    expect(at(found)).toEqual([["secrets/plaintext-secret", 9, 14]]);
    expect(found[0]!.message).toBe('Secret "web-env" stores a plaintext credential at stringData.API_TOKEN.');
  });
});
