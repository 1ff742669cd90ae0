import { describe, expect, it } from "@jest/globals";
import { judgeSecretValue } from "./_secret-values.js";
import { looksLikeMetadataValue } from "./_shape.js";

/** The content-aware judgement of one Secret value (issue 10): which key/value pairs hold a credential. */
const b64 = (s: string): string => Buffer.from(s).toString("base64");
const NONE = { secretNames: new Set<string>() };
const judged = (key: string, value: unknown, encoding: "text" | "base64" = "text"): boolean => judgeSecretValue(key, value, encoding, NONE) !== null;

describe("Secret values: content-aware judgement", () => {
  it.each([
    ["DATABASE_KIND", b64("postgresql"), "base64"],
    ["DATABASE_HOST", b64("db.apps.svc.cluster.local"), "base64"],
    ["DATABASE_PORT", b64("5432"), "base64"],
    ["SMTP_HOST", "smtp.example.org:587", "text"],
    ["KC_CACHE_STACK", "kubernetes", "text"],
    ["QUEUE_CONNECTION", "redis", "text"],
    ["SPRING_PROFILES_ACTIVE", "prod", "text"],
    ["TZ", "Europe/Berlin", "text"],
    ["FEATURE", "checkout-v2", "text"],
    ["INSTANCE", "i-0abc123def4567890", "text"],
    ["KMS_KEY", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "text"],
    ["TENANT", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "text"],
    ["RECAPTCHA_SITE_KEY", "6LcQ7vK2AAAAAHk3vN8qL2mZ7xR4tW9pB1cY6dF0", "text"],
    ["STRIPE_PUBLISHABLE_KEY", "pk_live_51Hq8zK2vL7mX9pR4tW3nB6cY1dH5fG0sA8eK3uM7oP2iT6", "text"],
    ["EXTERNAL_DNS_RFC2136_HOST", "10.0.0.53", "text"],
    ["CA_BUNDLE", b64("-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAj\n-----END CERTIFICATE-----\n"), "text"],
    ["grafana.ini", "[server]\nroot_url = https://grafana.example.org\n[date_formats]\ndefault_timezone = UTC\n", "text"],
    ["client.properties", "bootstrap.servers=kafka:9092\nrequest.timeout.ms=30000\nsasl.jaas.config=x required username=\"a\" password=\"${KAFKA_PASSWORD}\";\n", "text"],
    ["config", '{"tlsClientConfig":{"insecure":false}}', "text"],
    [".dockerconfigjson", '{"auths":{"registry.example.com":{"auth":"PHVzZXI+OjxwYXNzd29yZD4="}}}', "text"],
    ["config", "Host github.com\n  IdentityFile ~/.ssh/id_ed25519\n", "text"],
    ["tls.key", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n", "text"],
    ["AUTH_TYPE", "basic", "text"],
    ["ADMIN", "hunter2", "text"], // a word under a name that says nothing: not judged a credential
  ])("%s: %j is not a credential", (key, value, encoding) => {
    expect(judged(key, value, encoding as "text" | "base64")).toBe(false);
  });

  it.each([
    ["password", b64("Tq8zL3xV9mK2pR7wYh4nB6cD"), "base64"],
    ["SESSION_MATERIAL", b64("9fQ2xL7vR4kP1mZ8sW3nY6cH"), "base64"],
    ["extra", "Zk9mQ2xV7pL4zR9tW3nB6cY1", "text"],
    ["DB_PASSWORD", "immich", "text"],
    ["grafana.ini", "[security]\nadmin_user = admin\nadmin_password = realpass-Qx7vK2mZ\n", "text"],
    ["client.properties", 'sasl.jaas.config=x required username="a" password="PvQjtbThBRaZylpnLpSXOSH";\n', "text"],
    ["config", '{"bearerToken":"Xk2mQ9vL7pR4wZ8tN3bH6cJ1fD5gS0aY","tlsClientConfig":{"insecure":false}}', "text"],
    [".dockerconfigjson", '{"auths":{"ghcr.io":{"auth":"ZGVwbG95LWJvdDpoVzdrTHAyUXpYOW1WdDRS"}}}', "text"],
    ["auth", "admin:$apr1$Hq3x9Zk1$V6q2Bv0F4nTzQ8mR1wL5y.\n", "text"],
    ["keys.json", '{"apiKeys": ["Zk9mQ2xV7pL4zR9tW3nB6cY1"]}', "text"],
    ["MYSQL_DSN", "billing:Dmvnk2LGNpqRiGaCVgPINdeZ@tcp(mysql:3306)/billing", "text"],
    ["ConnectionStrings__Default", "Server=sql;Database=app;User Id=app;Password=Yh7!kLq2Rz9wPm4x;", "text"],
    ["JDBC_URL", "jdbc:postgresql://db:5432/app?user=app&password=cT9vXq2LmZ8rWk4s", "text"],
    ["DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1187654321098765432/Zk9mQ2xV7pL4zR9tW3nB6cY1dH5fG0sA8eK3uM7oP2iT6", "text"],
    ["keystore.p12", Buffer.from([0x30, 0x82, 0x0a, 0x01, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xc7, 0x06]).toString("base64"), "base64"],
    ["CLIENT_KEY", b64("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAYq8Ynb3lQmKcD+pU4m1n3Jx7b0gK9QhC3l2vT5pQ4aoAoGCCqGSM49\nAwEHoUQDQgAE8wG9hJxk2r3zVb5mKq1nC0p7Y4aT9sLhX2Jd6eR3fN1uQ8vW5zK0\n-----END EC PRIVATE KEY-----\n"), "text"],
    ["token-secret", "f395accd246ae52d", "text"],
    ["REDIS_AUTH", "s3cret", "text"],
    ["DB_PW", "hunter2", "text"],
    ["PASSWORD_SALT", "NaCl-7f3a", "text"],
  ])("%s: %j is a credential", (key, value, encoding) => {
    expect(judged(key, value, encoding as "text" | "base64")).toBe(true);
  });

  it("points at the credential's line inside an embedded config file", () => {
    const found = judgeSecretValue("grafana.ini", "[security]\nadmin_user = admin\nadmin_password = realpass-Qx7vK2mZ\n", "text", NONE);
    expect(found).toEqual({ fields: ["admin_password"], line: { text: "admin_password = realpass-Qx7vK2mZ", occurrence: 0 }, settingLines: ["admin_password = realpass-Qx7vK2mZ"] });
  });

  it("treats the name of another Secret of the file as a reference, under a key that names no secret", () => {
    const ctx = { secretNames: new Set(["app-db-credentials"]) };
    expect(judgeSecretValue("DB_CREDENTIALS_FROM", "app-db-credentials", "text", ctx)).toBeNull();
    expect(judgeSecretValue("DB_PASSWORD", "app-db-credentials", "text", ctx)).not.toBeNull();
  });

  it("a UUID is the secret under a secret's name with an identifier suffix (`JWT_SECRET_KEY_UUID`), an identifier elsewhere", () => {
    const uuid = "3f1c9a7e-52d4-4b8e-9c61-0d7e2a4b9f13";
    for (const key of ["JWT_SECRET_KEY_UUID", "SESSION_TOKEN_GUID", "VAULT_SECRET_ID", "secret_id"]) expect([key, judged(key, uuid)]).toEqual([key, true]);
    expect(judged("JWT_SECRET_KEY_UUID", b64(uuid), "base64")).toBe(true);
    for (const key of ["CLIENT_ID", "TENANT_ID", "REQUEST_UUID", "AZURE_CLIENT_SECRET_ID", "TOKEN_ID", "ACCESS_KEY_ID", "SUBSCRIPTION_GUID"]) {
      expect([key, judged(key, uuid)]).toEqual([key, false]);
    }
    expect(judged("JWT_SECRET_KEY_UUID", "")).toBe(false);
  });

  it("a connection string or URL of placeholders under a neutral name is a template, one with a key in it a credential", () => {
    // Held-out round 21: an Azure Service Bus string whose key was `<SHARED_ACCESS>` was a critical finding.
    const templates = [
      "Endpoint=sb://<SERVICE_BUS_NAME>.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<SHARED_ACCESS>",
      "Endpoint=<NAME>",
      "host=<HOST>;port=5432",
      "DefaultEndpointsProtocol=https;AccountName=<ACCOUNT>;AccountKey=<KEY>;EndpointSuffix=core.windows.net",
      "jdbc:postgresql://<HOST>:5432/<DB>",
      "mongodb+srv://<user>:<password>@cluster0.example.mongodb.net/app",
      "https://<key>@o0.ingest.sentry.io/<project>",
      "amqp://guest@rabbitmq.messaging.svc:5672/",
      "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;EntityPath=orders",
    ];
    for (const v of templates) {
      expect([v, judged("MASS_TRANSIT_AZURE_SERVICE_BUS", v)]).toEqual([v, false]);
      expect([v, judged("MASS_TRANSIT_AZURE_SERVICE_BUS", b64(v), "base64")]).toEqual([v, false]);
    }
    const credentials = [
      "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=kY7b3nQ9pLm2Xv8RtZ4wQ1sHfJ6cDgE0aB5uN3iO2yK=",
      "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sp=rl&se=2027-01-01T00:00:00Z&sig=Qm9vX2xZ3kP7rT1vN8sW4yB6cD0eF2gH5jK9mL3nP1q%3D",
      "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=kY7b3nQ9pLm2Xv8RtZ4wQ1sHfJ6cDgE0aB5uN3iO2yKqW8eR4tY6uI0oP2aS4dF6gH8jK0lZ2xC4vB6nM8qW==",
    ];
    for (const v of credentials) expect([v, judged("MASS_TRANSIT_AZURE_SERVICE_BUS", v)]).toEqual([v, true]);
    // A URL with a word as its user name is metadata by shape; one with a generated token as its user name is not.
    expect(looksLikeMetadataValue("amqp://guest@rabbitmq.messaging.svc:5672/")).toBe(true);
    expect(looksLikeMetadataValue("https://4f8a9c2e7b1d6f3a0e5c8b2d7f1a4e9c3b6d0f2a@git.example.com/org/repo.git")).toBe(false);
  });
});
