import { describe, expect, it } from "@jest/globals";
import { runRule } from "../../../test/helpers/rule-tester.js";
import plaintextRepoCredentials from "../argocd/plaintext-repo-credentials.js";
import { isPlaceholder, looksFake } from "./_placeholders.js";
import { isReference } from "./_values.js";
import credentialInUrl from "./credential-in-url.js";
import knownCredential from "./known-credential.js";
import literalEnvSecret from "./literal-env-secret.js";
import plaintextSecret from "./plaintext-secret.js";
import sensitiveConfigValue from "./sensitive-config-value.js";

/**
 * One placeholder judgement for every secrets rule (issue 10): the same stand-in is skipped by each rule that could
 * see it — a Secret value, an Argo CD repository password, a container env value, a ConfigMap value, a URL password —
 * and the same real value is reported by each.
 */
const PLACEHOLDERS = [
  "UPDATE_AWS_SECRET_ACCESS_KEY", "__REPLACE_ME__", "my_access_key", "my-password", "mysecretpassword", "REPLACE_WITH_YOUR_TOKEN",
  "your-api-token-here", "PUT_YOUR_KEY_HERE", "SET_IN_VAULT", "ENTER_YOUR_SECRET", "VAULT_SECRET_OR_PIPELINE_INJECTED",
  "YourSuperSecurePasswordHere", "CHANGE_ME", "changeme", "<password>", "xxxxxxxx", "********", "TODO", "ghp_pat", "dckr_pat_token",
  "EXAMPLE_REGISTRY_TOKEN_REPLACE_ME", "git password", "base64 encoded password (remember to use echo -n)", "pwd", "define_it",
  // Instructions to change the value (seen on real repositories' Secrets).
  "change-this-secret-key-in-production", "jwt-secret-key-change-in-production", "CHANGE_ME_PLEASE", "replace-this-value", "update-before-deploy",
  // Names of the credential by service, where a template expects the real one.
  "github-token", "gitlab_pat", "dockerhub-password", "GITHUB_TOKEN",
  // Only the credential's type, where a template expects the real one (held-out trial 5: `LIVEKIT_API_KEY: access_token`).
  "access_token", "auth_token", "api-token", "client_secret", "accesstoken", "secret_key", "api_secret", "secret_access_key",
  // Instructions and descriptions with a digit in an encoding's name or a length (a held-out trial's false alarms).
  "base64token", "REPLACE_WITH_BASE64_ENCODED_PASSWORD", "REPLACE_WITH_A_SECURE_RANDOM_KEY_AT_LEAST_512_BITS",
  // Held-out round 7: values cut short with an ellipsis, and instructions with words no vocabulary lists.
  "ab12...", "xoxb-...", "abc\u2026", "LS0t...", "xoxb-insert-rest-of-the-token", "replace_with_the_production_signing_key", "paste-the-whole-slack-bot-token",
  // Held-out round 14: only words that name the field or its kind, joined by `-` or `_`.
  "token-password", "password-here", "your-token", "secret_value", "USER_PASSWORD", "key-value", "token-name",
  // Held-out round 20: where the real value comes from, and the length it must have.
  "replace-with-terraform-output", "set-by-ci-pipeline", "filled-in-by-terraform", "injected_from_vault",
  "encryption_key_32_chars_long_123", "jwt_secret_min_32_chars", "key-of-64-bytes",
];
const REAL = ["Base64Secret2024", "b64Xq9Lm2Tz", "Wq8zR5tN2mK7pL3x", "prom-operator", "admin-password", "root_password", "appsecret", "passwd123", "Welcome1", "s3cr3t-Db!", "Xk9myTestKey2", "exchange-it9Qz",
  // Passphrases of ordinary words: no instruction verb first, or no credential named.
  "correct-horse-battery-staple", "set-sail-at-dawn-tomorrow", "purple-monkey-keys-dishwasher",
  // A word of its own, digits or mixed case beside a field's word: a (weak) password.
  "Tr0ub4dor-password", "token-password1", "Token-Password", "kafka-secret",
  // A phrase with digits or symbols, or a length that is not stated as one: a (weak) password.
  "set-by-me-2024!", "replaced-with-care", "room32-bytes9Qz"];

/** Each rule with a document that holds `v` where that rule looks. */
const SITES = [
  { rule: plaintextSecret, yaml: (v: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  DB_PASSWORD: ${JSON.stringify(v)}\n` },
  {
    rule: plaintextRepoCredentials,
    yaml: (v: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://git.example.org/a.git\n  password: ${JSON.stringify(v)}\n`,
  },
  {
    rule: literalEnvSecret,
    yaml: (v: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: app:1.0.0\n      env:\n        - name: API_TOKEN\n          value: ${JSON.stringify(v)}\n`,
  },
  { rule: sensitiveConfigValue, yaml: (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: ${JSON.stringify(v)}\n` },
];

describe("one placeholder judgement", () => {
  it.each(PLACEHOLDERS)("%j is a placeholder", (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });

  it.each(REAL)("%j is not", (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });

  it("a value that echoes its key is a placeholder there", () => {
    expect(isPlaceholder("API_KEY", "api_key")).toBe(true);
    expect(isPlaceholder("db_password", "DB_PASSWORD")).toBe(true);
    expect(isPlaceholder("db_password", "token")).toBe(false);
  });

  it("token bodies use the same marks", () => {
    for (const body of ["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "EXAMPLEKEYEXAMPLEKEY", "your_token_goes_here_0123456789abc", "1234567890abcdefghij"]) expect(looksFake(body)).toBe(true);
    expect(looksFake("sdH9xqe8iuiVRYyGpztwQc21WVWJK6EC00cA")).toBe(false);
  });

  it("marker letters inside generated text by chance (`faKe`, `dUmmy`) do not make it a stand-in", () => {
    // Mixed-case markers glued inside a long random value: what a random token holds once in a few thousand.
    const generated = ["Zr4kQ9vXfaKe7mLp2WnB8cT5", "Pq2Wm7XcdUmmyR8vK3zT9bN4hL6", "Hs9Lq2Xv7ExAmpLe4Rk8Wm3Zp6Tb1Nc"];
    for (const v of generated) expect(isPlaceholder(v)).toBe(false);
    const pat = "github_pat_11AQ7ZK3Y0R2MWC5DXPLQ_8vTn3Gh6JsB2Ly9Rk4Pw7Dz1Xc5Vb8Nm3Qt6HfaKe9Sd2Fg4Ku7Ze1Wa5Er8Ty0Ui3OpL7";
    expect(looksFake(pat.slice(11))).toBe(false);
    expect(runRule(knownCredential, `# bot: ${pat}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n`).map((f) => f.line)).toEqual([1]);
    for (const site of SITES) expect(runRule(site.rule, site.yaml(generated[0]!)).length).toBe(1);
    // What a person writes stays a stand-in: a marker in one case, at an edge or between words, repeated, or in short text.
    for (const v of ["Zr4kQ9vXFAKE7mLp2WnB8cT5", "Zr4kQ9vXfake7mLp2WnB8cT5", "faKe4kQ9vX7mLp2WnB8cT5Zr", "Zr4kQ9vX-faKe-7mLp2WnB8cT5", "Zr4faKeX7mLp2faKeWnB8cT5", "Zr4kQ9faKe7m", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]) {
      expect(isPlaceholder(v)).toBe(true);
    }
  });

  it.each(SITES.map((s) => [s.rule.meta.id, s] as const))("%s skips every placeholder and reports every real value", (_id, site) => {
    const reported = (v: string): boolean => runRule(site.rule, site.yaml(v)).length > 0;
    expect(PLACEHOLDERS.filter(reported)).toEqual([]);
    expect(REAL.filter((v) => !reported(v))).toEqual([]);
  });

  it("secrets/credential-in-url judges URL passwords alike", () => {
    const url = (p: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DATABASE_URL: "postgres://app:${p}@db:5432/app"\n`;
    const urlSafe = PLACEHOLDERS.filter((p) => /^[\w.~-]+$/.test(p));
    expect(urlSafe.filter((p) => runRule(credentialInUrl, url(p)).length > 0)).toEqual([]);
    expect(REAL.filter((p) => /^[\w.~-]+$/.test(p) && runRule(credentialInUrl, url(p)).length === 0)).toEqual([]);
  });
});

describe("placeholders found in held-out real files", () => {
  const secret = (data: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${data}`;
  const ids = (yaml: string, rule = plaintextSecret): string[] => runRule(rule, yaml).map((f) => `${f.ruleId}@${f.line}`);
  const EC_KEY = "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIAYq8Ynb3lQmKcD+pU4m1n3Jx7b0gK9QhC3l2vT5pQ4aoAoGCCqGSM49\\nAwEHoUQDQgAE8wG9hJxk2r3zVb5mKq1nC0p7Y4aT9sLhX2Jd6eR3fN1uQ8vW5zK0\\n-----END EC PRIVATE KEY-----\\n";
  const serviceAccount = (key: string): string =>
    secret(`stringData:\n  GMAIL_CREDENTIALS: |\n    {\n      "type": "service_account",\n      "project_id": "your-gcp-project-id",\n      "private_key": "${key}",\n      "client_email": "svc@p.iam.gserviceaccount.com"\n    }\n`);

  it("PEM armour around a placeholder is a placeholder inside a JSON key file, an env value and a ConfigMap, as a bare one is", () => {
    const armoured = "-----BEGIN PRIVATE KEY-----\\nYOUR-PRIVATE-KEY-HERE\\n-----END PRIVATE KEY-----\\n";
    expect(ids(serviceAccount(armoured))).toEqual([]);
    expect(ids(serviceAccount(EC_KEY))).toEqual(["secrets/plaintext-secret@10"]);
    for (const v of ["-----BEGIN PRIVATE KEY-----\nYOUR-PRIVATE-KEY-HERE\n-----END PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----\n<REPLACE_WITH_KEY>\n-----END RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"]) {
      expect(isPlaceholder(v)).toBe(true);
    }
    expect(isPlaceholder(EC_KEY.replace(/\\n/g, "\n").trim())).toBe(false);
    const env = (v: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: app:1.0.0\n      env:\n        - name: PRIVATE_KEY\n          value: "${v}"\n`;
    expect(ids(env(armoured), literalEnvSecret)).toEqual([]);
    expect(ids(env(EC_KEY), literalEnvSecret)).toEqual(["secrets/literal-env-secret@11"]);
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  creds.json: |\n    {"private_key": "${armoured}"}\n`;
    expect(ids(cm, sensitiveConfigValue)).toEqual([]);
  });

  it("a value made of its own key's words (the key's tail, or words of it ending with its last) is a placeholder; a single word is not", () => {
    const b64 = (s: string): string => Buffer.from(s).toString("base64");
    const data = [
      ["ACCESS_REDIS_PASSWORD", "redis_password"],
      ["ACCESS_MASTER_KEY", "master_key"],
      ["ACCESS_EXTERNAL_API_KEY", "external-api-key"],
      ["ACCESS_DB_PASSWORD", "access_password"],
      ["ACCESS_KEYCLOAK_CLIENT_SECRET", "Keycloak.Secret"],
    ];
    expect(ids(secret(`data:\n${data.map(([k, v]) => `  ${k}: ${b64(v!)}\n`).join("")}`))).toEqual([]);
    for (const [k, v] of data) expect(isPlaceholder(v!, k)).toBe(true);
    // Weak real values stay values: one word of the key, a word the key does not hold, digits, words out of order.
    for (const [k, v] of [["POSTGRES_PASSWORD", "postgres"], ["GRAFANA_ADMIN_PASSWORD", "admin"], ["ACCESS_REDIS_PASSWORD", "redis_password1"], ["ACCESS_REDIS_PASSWORD", "password_redis"], ["ACCESS_REDIS_PASSWORD", "cache_password"], ["MYSQL_PASSWORD", "mysql-password"]]) {
      expect([k, isPlaceholder(v!, k)]).toEqual([k, k === "MYSQL_PASSWORD"]); // `mysql-password` echoes its whole key, as before
    }
    expect(ids(secret("stringData:\n  ACCESS_REDIS_PASSWORD: redis_password1\n"))).toEqual(["secrets/plaintext-secret@6"]);
  });

  it("a value made mostly of ascending runs (`TEST-123456789-1234-…`) is a sample token; a real token with a `1234` in it is not", () => {
    expect(ids(secret('stringData:\n  MERCADO_PAGO_ACCESS_TOKEN: "TEST-123456789-1234-1234-1234-123456789012"\n'))).toEqual([]);
    for (const v of ["TEST-123456789-1234-1234-1234-123456789012", "1234567890-123456789", "1234567890123456"]) expect(isPlaceholder(v)).toBe(true);
    for (const v of ["APP_USR-7834519026471839-092314-3f9c2a7b1e8d4c6f9a0b5e2d7c1f8a3b-482915736", "Kq7x1234Zr9mW2pL8vN3", "12345678", "abc123456", "abcdefghijklmnop"]) expect(isPlaceholder(v)).toBe(false);
    expect(ids(secret('stringData:\n  MERCADO_PAGO_ACCESS_TOKEN: "APP_USR-7834519026471839-092314-3f9c2a7b1e8d4c6f9a0b5e2d7c1f8a3b-482915736"\n'))).toEqual(["secrets/plaintext-secret@6"]);
  });
});

describe("held-out round 7", () => {
  const ids = (yaml: string, rule = plaintextSecret): string[] => runRule(rule, yaml).map((f) => `${f.ruleId}@${f.line}`);

  it("an Argo CD repository Secret whose `data` holds an elided, non-base64 value (`LS0t...`) is a stand-in to both rules", () => {
    const repo = (value: string, key = "sshPrivateKey"): string =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: github-ssh\n  namespace: argocd\n  labels:\n    argocd.argoproj.io/secret-type: repository\ndata:\n  ${key}: ${value}\n  url: Z2l0QGdpdGh1Yi5jb206ZXhhbXBsZS9yZXBvLmdpdA==\n`;
    expect(ids(repo("LS0t..."))).toEqual([]);
    expect(ids(repo("LS0t..."), plaintextRepoCredentials)).toEqual([]);
    expect(ids(repo("UXY3I3RMbT...", "password"), plaintextRepoCredentials)).toEqual([]);
    // A value that is not cut short is still judged as written (here: not base64, so in the clear by mistake).
    expect(ids(repo("Qv7#tLm2pWz9", "password"), plaintextRepoCredentials)).toEqual(["argocd/plaintext-repo-credentials@9"]);
    expect(ids(repo("Qv7#tLm2pWz9", "password"))).toEqual(["secrets/plaintext-secret@9"]);
    // One line only: an embedded file may end with YAML's document end marker.
    expect(isPlaceholder("password: Qv7#tLm2pWz9\n...")).toBe(false);
  });

  it("`my<user>password` beside the user `<my-user>` is that user's password; `mypassword` and `my-secret-password` stay stand-ins", () => {
    const db = (user: string, password: string): string =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-config\nstringData:\n  db-username: '${user}'\n  db-password: '${password}'\n`;
    expect(ids(db("mywork", "myworkpassword"))).toEqual(["secrets/plaintext-secret@7"]);
    const b64 = (v: string): string => Buffer.from(v).toString("base64");
    expect(ids(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  POSTGRES_USER: ${b64("myshop")}\n  POSTGRES_PASSWORD: ${b64("myshop_password")}\n`)).toEqual(["secrets/plaintext-secret@7"]);
    for (const password of ["mypassword", "my-secret-password", "myworkpassword"]) expect(ids(db("admin", password))).toEqual([]);
    expect(ids(db("mywork", "mypassword"))).toEqual([]);
    expect(isPlaceholder("myworkpassword", "db-password", new Set(["mywork"]))).toBe(false);
    expect(isPlaceholder("myworkpassword", "db-password")).toBe(true);
  });
});

describe("held-out round 14", () => {
  it("an Argo CD repository Secret whose password only names its field (`token-password` beside `token-name`) is a stand-in to both rules", () => {
    const repo = (password: string): string =>
      [
        "apiVersion: v1", "kind: Secret", "metadata:", "  name: example-private-helm-oci", "  namespace: argocd", "  labels:",
        "    argocd.argoproj.io/secret-type: repository", "stringData:", "  url: ghcr.io/example/private-helm-oci", "  type: helm",
        "  username: token-name", `  password: ${password}`, "",
      ].join("\n");
    const ids = (yaml: string): string[] => [plaintextSecret, plaintextRepoCredentials].flatMap((r) => runRule(r, yaml)).map((f) => `${f.ruleId}@${f.line}`);
    expect(ids(repo("token-password"))).toEqual([]);
    expect(ids(repo("Tr0ub4dor-password"))).toEqual(["secrets/plaintext-secret@12", "argocd/plaintext-repo-credentials@12"]);
  });
});

describe("held-out round 10", () => {
  const ids = (yaml: string, rule = plaintextSecret, file?: string): string[] => runRule(rule, yaml, { file }).map((f) => `${f.ruleId}@${f.line}`);
  const b64 = (v: string): string => Buffer.from(v).toString("base64");

  it("`file:///path` and `env://NAME` are references (authentik reads the value from that file or variable) to every rule", () => {
    const refs = ["file:///run/secrets/authentik_key", "file:///authentik-creds/pg_pass", "env://SMTP_PASSWORD", "env://AUTHENTIK_EMAIL_PASSWORD"];
    for (const v of refs) expect([v, isReference(v)]).toEqual([v, true]);
    for (const site of SITES) expect([site.rule.meta.id, refs.filter((v) => runRule(site.rule, site.yaml(v)).length > 0)]).toEqual([site.rule.meta.id, []]);
    expect(ids(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  SECRET_KEY: ${b64("file:///run/secrets/key")}\n`)).toEqual([]);
    const values = "authentik:\n  secret_key: file:///authentik-creds/secret_key\n  postgresql:\n    password: file:///authentik-creds/pg_pass\n  email:\n    password: env://AUTHENTIK_EMAIL_PASSWORD\n";
    expect(ids(values, sensitiveConfigValue, "authentik/values.yaml")).toEqual([]);
    // Not a reference: other schemes, a value after the URI, a relative `file://`, an `env://` that is no variable name.
    for (const v of ["file://relative/key", "file:///run/secrets/key extra", "env://not a var", "env://1BAD", "https://example.org/secret", "fileQ9x:///k"]) {
      expect([v, isReference(v)]).toEqual([v, false]);
    }
    expect(ids(values.replace("file:///authentik-creds/pg_pass", "Qv7tLm2pWz9xR4"), sensitiveConfigValue, "authentik/values.yaml")).toEqual(["secrets/sensitive-config-value@4"]);
  });
});

describe("held-out round 10: placeholders in other languages", () => {
  const ids = (yaml: string, rule = plaintextSecret): string[] => runRule(rule, yaml).map((f) => `${f.ruleId}@${f.line}`);
  const b64 = (v: string): string => Buffer.from(v).toString("base64");

  it("a possessive of another language, then two words or more naming a credential, is a stand-in as `your-secret-value` is", () => {
    const foreign = [
      "tu_valor_secreto", "sua-chave-jwt-super-secreta-minimo-32-caracteres", "tu-contraseña-segura", "TU_CONTRASENA_AQUI", "su clave secreta",
      "sus-claves-de-api-key", "votre-mot-de-passe", "votre_cle_token_ici", "dein-geheimes-passwort", "Ihr_Schlüssel_hier", "deine-schluessel-32-zeichen",
      "tuo-segreto-qui", "tua-chiave-segreta", "seu-token-aqui", "sua_senha_forte",
    ];
    expect(foreign.filter((v) => !isPlaceholder(v))).toEqual([]);
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\ndata:\n  SECRET_KEY: ${b64("tu_valor_secreto")}\nstringData:\n  JWT_SECRET_KEY: "sua-chave-jwt-super-secreta-minimo-32-caracteres"\n`;
    expect(ids(yaml)).toEqual([]);
    for (const site of SITES) expect([site.rule.meta.id, foreign.filter((v) => runRule(site.rule, site.yaml(v)).length > 0)]).toEqual([site.rule.meta.id, []]);
  });

  it("real-looking values stay values: `su` (Unix's superuser) with one word, no credential noun, glued or random words", () => {
    const real = ["su-password", "su_pw", "su-root", "tu-casa-2024", "seu-madruga-99", "ta7Xq-key-Lm2p", "TuXq9KeyLm2pZr", "suHxKeyQmTokenZ", "deine-keyboard-maus", "ton-of-bricks-42", "Ihr3-Passwort-x"];
    expect(real.filter((v) => isPlaceholder(v))).toEqual([]);
    expect(ids(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\ndata:\n  ROOT_PASSWORD: ${b64("su-password")}\n`)).toEqual(["secrets/plaintext-secret@6"]);
  });
});

describe("held-out round 10: a key echoed by its initials", () => {
  it("the key's initials and a password word (`dbpassword` under DATABASE_PASSWORD) are a placeholder; weak real values are not", () => {
    const echoes = [["DATABASE_PASSWORD", "dbpassword"], ["FULLTEXTSEARCH_PASSWORD", "ftpassword"], ["NEXTCLOUD_PASSWORD", "ncpassword"], ["redisPassword", "rpass"], ["POSTGRES_ADMIN_PWD", "pgapwd"]];
    for (const [k, v] of echoes) expect([k, isPlaceholder(v!, k)]).toEqual([k, true]);
    const values = "DATABASE_PASSWORD: dbpassword\nFULLTEXTSEARCH_PASSWORD: ftpassword\nNEXTCLOUD_PASSWORD: ncpassword\nREDIS_PASSWORD: Qv7tLm2pWz9xR4\n";
    expect(runRule(sensitiveConfigValue, values, { file: "nextcloud/values.yaml" }).map((f) => [f.line, f.column, f.path])).toEqual([[4, 17, "REDIS_PASSWORD"]]);
    expect(runRule(plaintextSecret, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  DATABASE_PASSWORD: dbpassword\n`)).toEqual([]);
    // Not the key's initials: another first letter, letters the key does not hold in order, too many letters, upper case,
    // no password word, a key without one, and weak real values.
    const real = [
      ["DATABASE_PASSWORD", "xdpassword"], ["DATABASE_PASSWORD", "bdpassword"], ["DATABASE_PASSWORD", "dbasepassword"], ["DATABASE_PASSWORD", "DBPASSWORD"],
      ["DATABASE_PASSWORD", "db2password"], ["DATABASE_PASSWORD", "dbsecret"], ["API_TOKEN", "atpwd"], ["POSTGRES_PASSWORD", "postgres"],
      ["ADMIN_PASSWORD", "admin123"], ["MYSQL_ROOT_PASSWORD", "rootpass"], ["PASSWORD", "ppassword"], ["rootPassword", "rootpass"], ["DB_PASSWORD", "dbpass"],
      ["USER_PASSWORD", "userpwd"],
    ];
    for (const [k, v] of real) expect([k, v, isPlaceholder(v!, k)]).toEqual([k, v, false]);
    expect(runRule(sensitiveConfigValue, "DATABASE_PASSWORD: xdpassword\n", { file: "nextcloud/values.yaml" }).map((f) => f.line)).toEqual([1]);
  });
});

describe("held-out round 11: placeholders behind an encoding prefix, with numbers, or counting in hexadecimal", () => {
  const secret = (entries: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n${entries}`;
  const lines = (yaml: string): number[] => runRule(plaintextSecret, yaml).map((f) => f.line);

  it("Laravel's `base64:` prefix is set aside: the rest is judged as written", () => {
    expect(isPlaceholder("base64:REPLACE_WITH_ACTUAL_KEY", "APP_KEY")).toBe(true);
    expect(isPlaceholder("base64:", "APP_KEY")).toBe(true);
    expect(isPlaceholder("base64:vZWnZBiYL8oiJmscTF3P/WxwbOTsYxtmN0T77Y0dBrg=", "APP_KEY")).toBe(false);
    expect(lines(secret('  APP_KEY: "base64:REPLACE_WITH_ACTUAL_KEY"\n  LARAVEL_KEY: "base64:vZWnZBiYL8oiJmscTF3P/WxwbOTsYxtmN0T77Y0dBrg="\n'))).toEqual([7]);
    expect(runRule(literalEnvSecret, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: php:8.3\n      env: [{name: APP_KEY, value: "base64:REPLACE_WITH_ACTUAL_KEY"}]\n`)).toEqual([]);
  });

  it("a camelCase instruction with numbers in it (`ReplaceWith32ByteHexSecretKeyHere00`) is a placeholder; a word and a year are not", () => {
    for (const v of ["ReplaceWith32ByteHexSecretKeyHere00", "replace-with-32-byte-secret-key", "GenerateA64CharSecretKey"]) expect([v, isPlaceholder(v, "JWT_SECRET")]).toEqual([v, true]);
    for (const v of ["SetKey2024", "ChangeKey99", "Update2Token7"]) expect([v, isPlaceholder(v, "JWT_SECRET")]).toEqual([v, false]);
    expect(lines(secret('  JWT_SECRET: "ReplaceWith32ByteHexSecretKeyHere00"\n'))).toEqual([]);
  });

  it("the hexadecimal digits in order (`0123456789abcdef`, `abcdef0123456789`) are a sample; a random hex key is not", () => {
    for (const v of ["0123456789abcdef".repeat(4), "abcdef0123456789", "0123456789ABCDEF0123456789ABCDEF", "89abcdef01234567"]) expect([v, isPlaceholder(v, "AES256_GCM_KEY")]).toEqual([v, true]);
    // Random hex, letters typed in order, and letters and digits in runs that do not cross `9`→`a` / `f`→`0` stay values.
    const real = ["4629b54236168f4c0d3e9c80879d1ddfcdc46b8fb98666a7cd97bed58d088886", "37ea3cc80eb431a584225b67eb2b5388", "abcdefghijklmnop", "abcd1234abcd1234", "abcdabcdabcdabcd"];
    for (const v of real) expect([v, isPlaceholder(v, "AES256_GCM_KEY")]).toEqual([v, false]);
    expect(lines(secret(`  AES256_GCM_KEY: "${"0123456789abcdef".repeat(4)}"\n  HMAC_KEY: "4629b54236168f4c0d3e9c80879d1ddfcdc46b8fb98666a7cd97bed58d088886"\n`))).toEqual([7]);
  });
});

describe("held-out round 17: one digit typed over and over under a password's name", () => {
  const MASKS = ["0000", "000000", "xxxx", "XXXX", "****", "....", "####", "----"];

  it("`777777` is a weak real password wherever a weak word is one; masks (`0000`, `xxxx`, `****`) stay placeholders", () => {
    for (const site of SITES) {
      expect([site.rule.meta.id, runRule(site.rule, site.yaml("777777")).length]).toEqual([site.rule.meta.id, 1]);
      expect([site.rule.meta.id, MASKS.filter((m) => runRule(site.rule, site.yaml(m)).length > 0)]).toEqual([site.rule.meta.id, []]);
    }
    const url = (p: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DATABASE_URL: "postgres://app:${p}@db:5432/app"\n`;
    expect(runRule(credentialInUrl, url("1111")).length).toBe(1);
    expect(runRule(credentialInUrl, url("0000"))).toEqual([]);
    for (const v of ["777777", "1111", "99999999"]) expect([v, isPlaceholder(v, "rootPassword")]).toEqual([v, false]);
    // Without a name nothing says it is a password; shorter than four, or under a setting's name, it is no password.
    for (const [v, name] of [["777777", undefined], ["777", "rootPassword"], ["0000", "rootPassword"], ["7777", "replicaCount"]] as const) expect([v, name, isPlaceholder(v, name)]).toEqual([v, name, true]);
    expect(runRule(sensitiveConfigValue, "auth:\n  passwordMinLength: 8888\n", { file: "mysql/values.yaml" })).toEqual([]);
  });

  it("reports a bitnami MySQL password of one repeated digit in an Application's helm.values and in a Secret, at their lines", () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: mysql, namespace: argocd}", "spec:", "  project: db",
      "  destination: {name: prod, namespace: middleware}", "  source:", "    repoURL: https://charts.bitnami.com/bitnami", "    targetRevision: 9.15.0",
      "    chart: mysql", "    helm:", "      values: |", "        auth:", '          rootPassword: "444444"', "          password: 444444", "",
    ].join("\n");
    expect(runRule(sensitiveConfigValue, app).map((f) => [f.line, f.column])).toEqual([[14, 11], [15, 11]]);
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: mysql-root}\ndata:\n  MYSQL_ROOT_PASSWORD: ${Buffer.from("444444").toString("base64")}\n`;
    expect(runRule(plaintextSecret, secret).map((f) => f.line)).toEqual([5]);
  });
});

describe("held-out round 17: an oauth2-proxy cookie secret sized to fit", () => {
  it("a `my_…_key_` value of exactly 16, 24 or 32 characters under cookieSecret is the secret; other lengths and names, markers and descriptions stay stand-ins", () => {
    const values = (v: string, key = "cookieSecret"): string => `config:\n  clientID: "frigate"\n  ${key}: "${v}"\n  provider: "keycloak"\n`;
    const lines = (yaml: string): number[] => runRule(sensitiveConfigValue, yaml, { file: "oauth2-proxy-values.yaml" }).map((f) => f.line);
    for (const v of ["my_harbour_key__", "my_harbour_signing_key__", "my_harbour_cookie_signing_key___"]) expect([v, v.length, lines(values(v))]).toEqual([v, v.length, [3]]);
    expect(runRule(literalEnvSecret, `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: proxy\n      image: oauth2-proxy:v7.6.0\n      env: [{name: OAUTH2_PROXY_COOKIE_SECRET, value: my_harbour_key__}]\n`).length).toBe(1);
    // 15 or 17 characters, another name, a marker, or only descriptive words: a stand-in as before.
    for (const yaml of [values("my_harbour_key_"), values("my_harbour_key___"), values("my_harbour_key__", "clientSecret"), values("my_cookie_secret"), values("xxxxxxxxxxxxxxxx"), values("changeme_changeme")]) {
      expect([yaml, lines(yaml)]).toEqual([yaml, []]);
    }
  });
});
