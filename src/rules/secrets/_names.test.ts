import { describe, expect, it } from "@jest/globals";
import { nameWords } from "./_name-words.js";
import { hasLeadingSecretNoun, isSecretEnvSetting, isSecretName, isSecretReferenceEntry, isSecretSetting } from "./_names.js";

describe("secret-looking names", () => {
  it("splits names in every casing", () => {
    expect(nameWords("dbPassword")).toEqual(["db", "password"]);
    expect(nameWords("AWS_SECRET_ACCESS_KEY")).toEqual(["aws", "secret", "access", "key"]);
    expect(nameWords("APIKey")).toEqual(["api", "key"]);
    expect(nameWords("spring.datasource.password")).toEqual(["spring", "datasource", "password"]);
    expect(nameWords("oauth2ClientSecret")).toEqual(["oauth", "client", "secret"]);
  });

  it.each([
    "password", "DB_PASSWORD", "dbPassword", "db-password", "admin.password", "passwd", "DB_PASS", "DB_PWD", "passphrase",
    "secret", "clientSecret", "WEBHOOK_SECRET", "client_secret", "jwtSecret", "cookieSecret",
    "token", "GITHUB_TOKEN", "authToken", "refresh_token", "apitoken",
    "api_key", "apiKey", "APIKEY", "STRIPE_API_KEY", "private_key", "privateKey", "sshPrivateKey", "access_key",
    "AWS_SECRET_ACCESS_KEY", "secretKey", "S3_SECRET_KEY", "DJANGO_SECRET_KEY", "SECRET_KEY_BASE", "signingKey",
    "credentials", "GOOGLE_CREDENTIALS", "PASSWORD_B64", "tokenValue", "adminpassword", "monitoringPasscode", "ADMIN_PASSCODE",
    "DB_PSWD", "DB_ROOT_PWSD", "pswd",
  ])("%s looks secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "TOKEN_URL", "tokenEndpoint", "SECRET_NAME", "secretName", "PASSWORD_FILE", "passwordFile", "DB_SECRET_REF", "passwordSecretRef",
    "secretKeyRef", "TOKEN_TTL", "TOKEN_LIFETIME", "CREDENTIALS_PATH", "AWS_ACCESS_KEY_ID", "API_KEY_ID", "API_KEY_HEADER",
    "existingSecret", "existingSecretPasswordKey", "passwordKey", "adminPasswordKey", "passwordSecretKey", "tokenSecretKey",
    "tlsSecret", "passwordSecret", "credentialsSecret", "envFromSecret", "apiKeySecret", "checksum/secret", "passwordHash",
    "publicKey", "key", "PWD", "secrets", "imagePullSecrets", "ENABLE_PASSWORD_AUTH",
    "passwordAuthentication", "PASSWORD_MIN_LENGTH", "username", "bypass", "keySecret",
  ])("%s does not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it("treats lower-case word values under `...Key` names as key names, not key material", () => {
    expect(isSecretSetting("clientSecretKey", "client-secret")).toBe(false);
    expect(isSecretSetting("privateKey", "tls.key")).toBe(false);
    expect(isSecretSetting("secretKey", "minio123")).toBe(true);
    expect(isSecretSetting("password", "admin-password")).toBe(true);
  });

  it("treats Kubernetes object names under `<noun>Secret` as Secret names, but not under `clientSecret`-like names", () => {
    expect(isSecretSetting("scriptsSecret", "pg-init-scripts")).toBe(false);
    expect(isSecretSetting("ldapSecret", "ldap-bind")).toBe(false);
    expect(isSecretSetting("ldapSecret", "Xk2-9fQ!mZ")).toBe(true);
    expect(isSecretSetting("clientSecret", "oauthclientsecret")).toBe(true);
    expect(isSecretSetting("COOKIE_SECRET", "abcdefghijklmnop")).toBe(true);
    expect(isSecretSetting("secret", "gitlab-runner-token")).toBe(false);
    expect(isSecretSetting("secret", "s3cr3tvalue")).toBe(true);
  });

  it("judges generated key material under `...key` names whose qualifier says nothing about secrecy", () => {
    // MongoDB `replicaSetKey`, Airflow `fernetKey`, PagerDuty `routing_key`, `license: {key: …}`, an env variable.
    expect(isSecretSetting("replicaSetKey", "Vt8kQ2mXz7Lp4RwN9bH3cJ6f")).toBe(true);
    expect(isSecretSetting("fernetKey", "k7Q_2vXm9Lp-4RwN8bH3cJ6fT1zY5sD0gA7uE2iO4qM=")).toBe(true);
    expect(isSecretSetting("routing_key", "3f9c2a7e1b8d4f60a5c9e2d7b1f48a36")).toBe(true);
    expect(isSecretSetting("key", "Q7ZK3Y0R2MWC5DXPLQ8VTN3G")).toBe(true);
    expect(isSecretEnvSetting("MONGODB_REPLICA_SET_KEY", "Vt8kQ2mXz7Lp4RwN9bH3cJ6f")).toBe(true);
    // Names of keys, settings, digests, public keys, short or placeholder values.
    expect(isSecretSetting("routingKey", "orders.created.v1")).toBe(false);
    expect(isSecretSetting("partitionKey", "tenantId")).toBe(false);
    expect(isSecretSetting("key", "node-role.kubernetes.io/control-plane")).toBe(false);
    expect(isSecretSetting("siteKey", "6LcR8xQpAAAAAHk3Zb9vT2mWq7NfL4sD1yE5uJ0c")).toBe(false);
    expect(isSecretSetting("cacheKey", "sha256:3f9c2a7e1b8d4f60a5c9e2d7b1f48a363f9c2a7e1b8d4f60a5c9e2d7b1f48a36")).toBe(false);
    expect(isSecretSetting("publicKey", "Vt8kQ2mXz7Lp4RwN9bH3cJ6f")).toBe(false);
    expect(isSecretSetting("gpgKey", "3AA5C34371567BD2C3E1A9F0B7D64E285FC90A1B")).toBe(false);
    expect(isSecretSetting("sourceKey", "9f3c2a7e1b8d4f60a5c9e2d7b1f48a363f9c2a7e")).toBe(false);
    expect(isSecretSetting("replicaSetKey", "Vt8kQ2mX")).toBe(false);
    expect(isSecretSetting("fernetKey", "REPLACE_WITH_FERNET_KEY")).toBe(false);
    expect(isSecretSetting("ageKey", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")).toBe(false); // a recipient: public
    // Cache keys, object paths, Redis keys and key ids: composed names, not key material.
    expect(isSecretSetting("cacheKey", "v1-deps-3f9a8b7c6d5e4f3a")).toBe(false);
    expect(isSecretSetting("objectKey", "backups/2024/11/db-dump-7f3a9c2e1b4d.sql.gz")).toBe(false);
    expect(isSecretSetting("key", "session:7f3a9c2e1b4d5a6f")).toBe(false);
    expect(isSecretSetting("gpgKey", "4AEE18F83AFDEB23")).toBe(false);
    expect(isSecretSetting("idempotencyKey", "8c1f0e2a-7b3d-4c5e-9f6a-1b2c3d4e5f6a")).toBe(false);
    // Dot-separated key material still counts (`<id>.<secret>`).
    expect(isSecretSetting("mailerKey", "Xk3v9QmT2LpZ8rWd4NcB7y.h6Jq2Vt9Rm4Kx8Pz3Ln7Wb5Yc1Fd0Sg6Ua2Ie4Ho")).toBe(true);
  });

  it("names Azure storage account keys as secrets", () => {
    expect(isSecretName("AccountKey")).toBe(true);
    expect(isSecretName("AZURE_STORAGE_ACCOUNT_KEY")).toBe(true);
    expect(isSecretName("storageKey")).toBe(true);
    expect(isSecretSetting("accountKey", "storage-account-key")).toBe(false); // the name of a key in a Secret
  });

  it("never treats booleans as secrets, nor numbers under a setting's name; digits under a credential's name are one", () => {
    expect(isSecretSetting("automountServiceAccountToken", true)).toBe(false);
    expect(isSecretSetting("enablePassword", "true")).toBe(false);
    expect(isSecretSetting("TOKEN_TTL", "3600")).toBe(false);
    expect(isSecretSetting("REDIS_PORT", "6379")).toBe(false);
    expect(isSecretSetting("REDIS_PASSWORD", "12345")).toBe(true);
    expect(isSecretSetting("TOKEN", "3600")).toBe(true);
  });

  it.each(["SECRET_BLAH", "PASSWORD_ADMIN", "TOKEN_GITHUB", "CREDENTIALS_JSON", "APIKEY_STRIPE", "SECRET_BLAH_VALUE"])("%s leads with a secret noun", (name) => {
    expect(hasLeadingSecretNoun(name)).toBe(true);
  });

  it.each([
    "SECRET_NAME", "SECRET_NAME_OVERRIDE", "TOKEN_URL", "TOKEN_URL_INTERNAL", "PASSWORD_FILE", "SECRET_KEY_REF", "TOKEN_TTL", "SECRET_ID",
    "PASSWORD_ENCRYPTION", "TOKEN_SECRET", "CREDENTIALS_PROVIDER", "PASSWORD_MIN_LENGTH", "SECRET", "DB_SECRET_BLAH", "PASSWORD_HASH",
  ])("%s does not lead with a secret noun", (name) => {
    expect(hasLeadingSecretNoun(name)).toBe(false);
  });

  it("uses leading nouns for environment variables only, with the same value checks", () => {
    expect(isSecretEnvSetting("SECRET_BLAH", "secretsquirrels")).toBe(true);
    expect(isSecretEnvSetting("SECRET_BLAH", "changeme")).toBe(false);
    expect(isSecretEnvSetting("DB_PASSWORD", "s3cure-Db-Pw")).toBe(true);
    expect(isSecretSetting("SECRET_BLAH", "secretsquirrels")).toBe(false);
  });
});

describe("maps of Secret names (held-out round 23)", () => {
  it("an entry of secretNames / secretRefs / existingSecrets holding a Kubernetes name is a reference, whatever it is called", () => {
    expect(isSecretReferenceEntry("secretNames", "timescaledb-credentials")).toBe(true);
    expect(isSecretReferenceEntry("secretRefs", "db")).toBe(true);
    expect(isSecretReferenceEntry("existingSecrets", "db-password")).toBe(true);
    expect(isSecretReferenceEntry("EXISTING_SECRET", "app-env")).toBe(true);
  });

  it("generated text there, or a map named otherwise, is judged as before", () => {
    expect(isSecretReferenceEntry("secretNames", "kq83nd0xmzp4v7wq2lq8tr5z")).toBe(false);
    expect(isSecretReferenceEntry("secretNames", "Hunter2!")).toBe(false);
    expect(isSecretReferenceEntry("secrets", "timescaledb-credentials")).toBe(false);
    expect(isSecretReferenceEntry("auth", "timescaledb-credentials")).toBe(false);
  });
});
