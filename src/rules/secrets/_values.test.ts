import { describe, expect, it } from "@jest/globals";
import { isPlaceholder } from "./_placeholders.js";
import { decodeBase64, isInterpolated, isPublicMaterial, isReference, literalSkipReason } from "./_values.js";

describe("references", () => {
  it.each([
    "ENC[AES256_GCM,data:UvImZaYMEtKJ,iv:OaGglfIPk5Vl=,tag:XxiMthCQ==,type:str]",
    "<path:secret/data/app#password>",
    "prefix-<path:secret/data/app#password>-suffix",
    "<password>",
    "vault:secret/data/app#password",
    "ref+vault://secret/app#/password",
    "ref+awssecrets://app/db",
    "op://vault/item/field",
    "${DB_PASSWORD}",
    "pre-${DB_PASSWORD}",
    "$(DB_PASSWORD)",
    "$DB_PASSWORD",
    "$argocd-auth:dex.github.clientSecret",
    "$slack-token",
    "{{ .Values.password }}",
    "{{ .PASSWORD }}",
    "${{ secrets.TOKEN }}",
    "$__file{/etc/secrets/password}",
    "__DB_PASSWORD__",
    "#{DbPassword}#",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
  ])("%s is a reference", (v) => {
    expect(isReference(v)).toBe(true);
  });

  it.each(["hunter2", "pa55word", "Tr1cky-Passw0rd!", "$2a$10$abcdefghijklmnopqrstuv", "a$b"])("%s is not", (v) => {
    expect(isReference(v)).toBe(false);
  });
});

describe("placeholders", () => {
  it.each([
    "", "changeme", "CHANGE_ME", "change-me", "REPLACE_ME", "replace-me", "xxx", "XXXXXXXX", "xxxx-xxxx", "TODO", "todo: set me",
    "example", "my-example-password", "dummy", "redacted", "[REDACTED]", "****", "ab****yz", "...", "<your token>", "your-api-key",
    "TOKEN_HERE", "password", "secret", "none", "null", "N/A", "aaaaaaaa", "00000000", "fake_password", "foo", "bar", "placeholder",
    // Kept in its quotes (a .env line a generator reads keeps them; held-out round 24).
    "'<YOUR-PGPASSWORD>'", '"changeme"',
  ])("%s is a placeholder", (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });

  it.each(["hunter2", "Tr1cky-Passw0rd!", "admin", "postgres", "s3cr3t-value", "todolist-app-9", "prom-operator", "'hunter2'", '"Tr1cky-Passw0rd!"'])("%s is not", (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });
});

describe("literal values", () => {
  it("classifies settings that are not secrets", () => {
    expect(literalSkipReason(true)).toBe("not-a-string");
    expect(literalSkipReason(3600)).toBe("not-a-string");
    expect(literalSkipReason("true")).toBe("boolean");
    expect(literalSkipReason("3600")).toBe("number");
    expect(literalSkipReason("24h")).toBe("number");
    expect(literalSkipReason("/run/secrets/db-password")).toBe("file-path");
    for (const path of ["/var/run/secrets/kubernetes.io/serviceaccount/token", "/etc/ssl/certs/ca.pem", "/var/lib/postgresql/data", "/opt/bitnami/ConfigV2/settings", "/home/app/KeysBackup2024"]) {
      expect(literalSkipReason(path)).toBe("file-path");
    }
    expect(literalSkipReason("  ")).toBe("empty");
    expect(literalSkipReason("${X}")).toBe("reference");
    expect(literalSkipReason("changeme")).toBe("placeholder");
    expect(literalSkipReason("hunter2")).toBeNull();
    // Base64 of random bytes starts with `/` once in 64: key material, not a path.
    for (const key of ["/q7Xk2Lm9Rv4Tz8Wn3Bp6Q==", "/Zk3Vw7Lm2Xp9Rt4+b6Hc1Jf5Dg0Sa8Ye3Ui7Oo2Pq4=", "/Rz4Wn8Tb6YxQ2mLpK3vN9cH7Q2m"]) expect(literalSkipReason(key)).toBeNull();
  });

  it("digits under a name that says they are the credential are one; under a setting's name, or short, a number", () => {
    for (const [v, name] of [["12345", "POSTGRES_PASSWORD"], ["1234", "quarkus.datasource.password"], ["123456", "postgresPassword"], ["654321", "password"], ["9876", "JWT_SECRET"], ["482913", "apiKey"]]) {
      expect([name, literalSkipReason(v, name)]).toEqual([name, null]);
    }
    for (const [v, name] of [["5432", "POSTGRES_PORT"], ["3600", "TOKEN_TTL"], ["8", "PASSWORD_MIN_LENGTH"], ["4096", "MAX_TOKEN"], ["1000", "runAsUser"], ["3", "replicas"], ["0", "token"], ["-1", "password"], ["1.5", "password"], ["3600", undefined]]) {
      expect([name, literalSkipReason(v, name)]).toEqual([name, "number"]);
    }
  });

  it("decodes standard and URL-safe base64, and refuses other text", () => {
    expect(decodeBase64("Y2hhbmdlbWU=")).toBe("changeme");
    expect(decodeBase64("Y2hh\n  bmdlbWU=")).toBe("changeme");
    expect(decodeBase64("not base64!")).toBeNull();
    expect(decodeBase64("")).toBe("");
  });

  it("recognises public material", () => {
    expect(isPublicMaterial("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")).toBe(true);
    expect(isPublicMaterial("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host")).toBe(true);
    expect(isPublicMaterial("# github\ngithub.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n")).toBe(true);
    expect(isPublicMaterial("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n")).toBe(false);
    expect(isPublicMaterial("hunter2")).toBe(false);
  });
});

describe("isInterpolated: the one judgement of interpolation (held-out round 12)", () => {
  it.each([
    "${DB_PASSWORD}", "pre-${DB_PASSWORD}", "$(DB_PASSWORD)", "$DB_PASSWORD", "$db_password", '"$DB_PASSWORD"', "'$DB_PASSWORD'",
    "$1", "$USER:$PASS", "$argocd-auth:dex.github.clientSecret", "%(db_password)s", "pre%{hiera('db')}", "x#{ENV['DB']}", "`cat /run/secrets/db`",
  ])("%s is filled in", (v) => {
    expect(isInterpolated(v)).toBe(true);
    expect(isReference(v)).toBe(true);
  });

  it.each(["Zr4$tq8Lw2mX", "k7#p2v!q9m@4zr8t^w1e$y6u-0p5o3i(l)j&h*g_f+d=s", "Mx9$$vT3", "ab$", "$", "100%", "a#b{c"])("%s is a literal", (v) => {
    expect(isInterpolated(v)).toBe(false);
    expect(isReference(v)).toBe(false);
  });
});
