import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import literalEnvSecret from "./literal-env-secret.js";
import plaintextSecret from "./plaintext-secret.js";
import rule from "./sensitive-config-value.js";

describe("secrets/sensitive-config-value", () => {
  it("a password of digits in Helm values is the password, quoted or not; numbers under settings' names stay numbers", () => {
    const values = (v: string) => `auth:\n  username: app\n  password: ${v}\n`;
    for (const v of ["16032022", '"16032022"', "654321", '"123456"', "1234"]) {
      expect([v, runRule(rule, values(v), { file: "postgresql/values.yaml" }).map((f) => [f.line, f.column, f.path])]).toEqual([v, [[3, 13, "auth.password"]]]);
    }
    const settings = "auth:\n  postgresPassword: \"123456\"\n  passwordMinLength: 12\n  tokenTTL: 3600\nprimary:\n  service:\n    ports:\n      postgresql: 5432\n  podSecurityContext: {fsGroup: 1001}\n  containerSecurityContext: {runAsUser: 1001}\nmetrics:\n  maxTokens: 4096\n";
    expect(runRule(rule, settings, { file: "postgresql/values.yaml" }).map((f) => [f.line, f.column, f.path])).toEqual([[2, 21, "auth.postgresPassword"]]);
  });

  it("a weak word under an S3 secretAccessKey is the secret (held-out round 14), not a key's name; the access key id beside it is no secret", () => {
    const values = (v: string) => `loki:\n  storage:\n    s3:\n      accessKeyId: minio\n      secretAccessKey: ${v}\n`;
    for (const v of ["lokiloki", "minio-storage"]) {
      expect([v, runRule(rule, values(v), { file: "values.yaml" }).map((f) => [f.line, f.column, f.path])]).toEqual([v, [[5, 24, "loki.storage.s3.secretAccessKey"]]]);
    }
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s3\ndata:\n  AWS_ACCESS_KEY_ID: minio\n  AWS_SECRET_ACCESS_KEY: lokiloki\n";
    expect(runRule(rule, cm).map((f) => f.path)).toEqual(["data.AWS_SECRET_ACCESS_KEY"]);
    // Other `…key` names still read a lower-case word as the name of a key elsewhere; stand-ins stay stand-ins.
    for (const v of ["client-secret", "secret_access_key", "changeme"]) expect(runRule(rule, `s3:\n  secretKey: ${v}\n  secretAccessKey: ${v === "client-secret" ? "" : v}\n`, { file: "values.yaml" })).toEqual([]);
  });

  it("a password of digits in ConfigMap data is the password, quoted or not (held-out round 14); numbers under settings' names stay numbers", () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db-config\ndata:\n  POSTGRES_USER: postgres\n  POSTGRES_PASSWORD: ${v}\n  POSTGRES_PORT: 5432\n  TOKEN_TTL: 3600\n`;
    for (const v of ["482913", '"482913"']) {
      expect([v, runRule(rule, cm(v)).map((f) => [f.line, f.column, f.path])]).toEqual([v, [[7, 22, "data.POSTGRES_PASSWORD"]]]);
    }
    expect(runRule(rule, cm("12"))).toEqual([]); // shorter than a PIN: a setting even there
  });

  it("flags ConfigMap keys and settings inside embedded config files, on their own line", () => {
    const findings = runFixture(rule, "invalid-configmap.yaml");
    expect(findings.map((f) => ({ line: f.line, column: f.column, endColumn: f.endColumn, path: f.path }))).toEqual([
      { line: 8, column: 16, endColumn: 31, path: "data.DB_PASSWORD" },
      { line: 12, column: 5, endColumn: 47, path: 'data["application.properties"]' },
      { line: 29, column: 11, endColumn: 51, path: 'data["dex.config"]' },
    ]);
    expect(findings[1]!.message).toBe('ConfigMap "shop/shop-config" sets "spring.datasource.password" to a literal value inside data["application.properties"].');
  });

  it("reads connection strings: an ODBC Pwd= and one that starts with its Password=", () => {
    const cm = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conn\ndata:\n${data}`;
    const odbc = runRule(rule, cm('  ODBC: "Driver={ODBC Driver 18};Server=mssql.svc;Database=Reports;Uid=reporter;Pwd=MssqlSA#2024pwO;"\n'));
    expect(odbc.map((f) => [f.line, f.path, f.message])).toEqual([[6, "data.ODBC", 'ConfigMap "conn" sets "Pwd" to a literal value inside data.ODBC.']]);
    const first = runRule(rule, cm('  LEGACY_DB: "Password=MssqlSA#2024pwF;User ID=legacy;Data Source=mssql.legacy.svc"\n'));
    expect(first.map((f) => [f.line, f.path])).toEqual([[6, "data.LEGACY_DB"]]);
    // Not passwords: PWD as the working directory, a connection string without one, a referenced password.
    const none = cm(
      '  app.env: |\n    PWD=/srv/app\n    HOME=/srv\n  TRUSTED: "Server=mssql.svc;Database=Reports;Trusted_Connection=yes;"\n  REF: "Server=db;Uid=app;Pwd=${DB_PASSWORD};"\n',
    );
    expect(runRule(rule, none)).toEqual([]);
  });

  it("reads an Azure storage connection string's AccountKey, not the development-storage shortcut", () => {
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: uploader\ndata:\n  AZURE_STORAGE_CONNECTION_STRING: "${v}"\n`;
    const key = "q8Zk3Vw7Lm2Xp9Rt4Nb6Hc1Jf5Dg0Sa8Ye3Ui7Oo2Pq4Wr6Et9Yu1Ii3Oo5Pp7Aa9Ss2Dd4Ff6Gg8Hh0Jj1Kk3Ll5Zz7Xx9Cc2Vv==";
    const literal = runRule(rule, cm(`DefaultEndpointsProtocol=https;AccountName=acmeuploads;AccountKey=${key};EndpointSuffix=core.windows.net`));
    expect(literal.map((f) => [f.line, f.path, f.message])).toEqual([
      [6, "data.AZURE_STORAGE_CONNECTION_STRING", 'ConfigMap "uploader" sets "AccountKey" to a literal value inside data.AZURE_STORAGE_CONNECTION_STRING.'],
    ]);
    expect(runRule(rule, cm("UseDevelopmentStorage=true"))).toEqual([]);
    expect(runRule(rule, cm("DefaultEndpointsProtocol=https;AccountName=acmeuploads;AccountKey=${AZURE_STORAGE_KEY}"))).toEqual([]);
  });

  it("finds a literal Authorization header in an Argo CD notifications service, not a $secret reference", () => {
    const cm = (value: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-notifications-cm\n  namespace: argocd\ndata:\n  service.webhook.statuspage: |\n    url: https://api.statuspage.io/v1/pages/abc123\n    headers:\n      - name: Authorization\n        value: ${value}\n`;
    const literal = runRule(rule, cm("OAuth 3d2e2425ba9682170905f4ec5a399fc4"));
    expect(literal.map((f) => [f.line, f.column, f.path])).toEqual([[11, 9, 'data["service.webhook.statuspage"]']]);
    expect(literal[0]!.message).not.toContain("3d2e2425");
    for (const safe of ["Bearer $statuspage-token", "OAuth xxxxxxxxxxxxxxxxxxxxxxxx", "Basic dXNlcjpwYXNz", "Bearer {{.token}}"]) expect(runRule(rule, cm(safe))).toEqual([]);
  });

  it("leaves argocd-image-updater's credentials references alone: they say where the registry credential is", () => {
    const conf = (credentials: string) =>
      [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: argocd-image-updater-config, namespace: argocd}",
        "data:",
        "  registries.conf: |",
        "    registries:",
        "    - name: private",
        "      prefix: registry.example.com",
        `      credentials: ${credentials}`,
        "",
      ].join("\n");
    for (const ref of ["secret:argocd/registry-secret#creds", "pullsecret:argocd/regcred", "env:REGISTRY_CREDS", "ext:/scripts/ecr-login.sh"]) {
      expect(runRule(rule, conf(ref))).toEqual([]);
    }
    const values = ["config:", "  registries:", "    - name: harbor", "      prefix: registry.example.com", "      credentials: pullsecret:argocd/regcred", ""].join("\n");
    expect(runRule(rule, values, { file: "argocd-image-updater/values.yaml" })).toEqual([]);
    // A literal user:password there is a credential.
    expect(positions(runRule(rule, conf("robot:Zq8vN3kLw2Rt7yPx")))).toEqual([{ line: 9, column: 7, path: 'data["registries.conf"]', severity: "high" }]);
  });

  it("walks nested Helm values keys and env-style entries", () => {
    const findings = runFixture(rule, "invalid-values.yaml");
    expect(positions(findings)).toEqual([
      { line: 5, column: 15, path: "postgresql.auth.password", severity: "high" },
      { line: 10, column: 15, path: "redis.auth.password", severity: "high" },
      { line: 12, column: 14, path: "app.secretKey", severity: "high" },
      { line: 17, column: 14, path: "app.extraEnv[1].value", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe("Helm values file sets postgresql.auth.password to a literal value.");
  });

  it("judges the items of a list named like a credential under its name, not Secret-name lists", () => {
    const values = [
      "auth:",
      "  usernames: [orders, payments]",
      "  passwords:",
      "    - Qv7mZ2kLp9RwT4xN",
      "    - ${PAYMENTS_DB_PASSWORD}",
      "  apiKeys: [Hx8Rk3Wq7Lm2Zp9Vt4Nb, changeme]",
      "vault:",
      "  unsealKeys: [q8Zk3Vw7Lm2Xp9Rt4Nb6Hc1Jf5Dg0Sa8Ye3Ui7Oo2P=, sops-unseal]",
      "  sshKeys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl]",
      "alertmanagerSpec:",
      "  secrets: [slack, pagerduty]",
      "tokens: []",
      "",
    ].join("\n");
    const findings = runRule(rule, values, { file: "values.yaml" });
    expect(findings.map((f) => [f.line, f.path])).toEqual([
      [4, "auth.passwords[0]"],
      [6, "auth.apiKeys[0]"],
      [8, "vault.unsealKeys[0]"],
    ]);
    expect(findings[0]!.message).toBe("Helm values file sets auth.passwords[0] to a literal value.");
  });

  it("finds webhook URLs that carry their own token under any key, leaving Slack's to known-credential", () => {
    const discord = "https://discord.com/api/webhooks/1234567890123456789/Xk2mQ9vL7pR4wZ8tN3bH6cJ1fD5gS0aYuIoEeRrTtWwQqPpLlKkJjHhGgFfDdSsAaZzXx";
    const teams =
      "https://acmecorp.webhook.office.com/webhookb2/5f1c2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b@7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d/IncomingWebhook/3f9c2a7e1b8d4f60a5c9e2d7b1f48a36/0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
    const values = [
      "notifications:",
      `  discordWebhookUrl: ${discord}`,
      "  msteams:",
      `    url: ${teams}`,
      "  slack:",
      "    url: https://hooks.slack.com/services/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",
      "  github: https://api.github.com/repos/acme-corp/platform/hooks/12345678",
      "  docs: https://discord.com/api/webhooks/<id>/<token>",
      "",
    ].join("\n");
    const findings = runRule(rule, values, { file: "values.yaml" });
    expect(findings.map((f) => [f.line, f.path])).toEqual([
      [2, "notifications.discordWebhookUrl"],
      [4, "notifications.msteams.url"],
    ]);
    expect(findings[0]!.message).not.toContain("Xk2mQ9vL");
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  TEAMS_WEBHOOK: ${teams}\n  HOME_URL: https://acme-corp.io/\n`;
    expect(runRule(rule, cm).map((f) => [f.line, f.path])).toEqual([[6, "data.TEAMS_WEBHOOK"]]);
  });

  it("reads Flux HelmRelease values", () => {
    expect(positions(runFixture(rule, "invalid-helmrelease.yaml"))).toEqual([
      { line: 14, column: 20, path: "spec.values.adminPassword", severity: "high" },
      { line: 17, column: 19, path: 'spec.values["grafana.ini"].database.password', severity: "high" },
    ]);
  });

  it("reads Flux Kustomization postBuild.substitute variables, not substituteFrom references", () => {
    const ks = [
      "apiVersion: kustomize.toolkit.fluxcd.io/v1",
      "kind: Kustomization",
      "metadata:",
      "  name: monitoring",
      "  namespace: flux-system",
      "spec:",
      "  path: ./monitoring",
      "  postBuild:",
      "    substitute:",
      "      cluster_name: prod-eu",
      "      grafana_admin_password: Wq8zR5tN2mK7pL3x",
      "      db_password_secret: grafana-db",
      "      slack_token: ${SLACK_TOKEN}",
      "    substituteFrom:",
      "      - kind: Secret",
      "        name: cluster-secrets",
      "",
    ].join("\n");
    expect(positions(runRule(rule, ks))).toEqual([{ line: 11, column: 31, path: "spec.postBuild.substitute.grafana_admin_password", severity: "high" }]);
  });

  it("reads Argo CD Helm parameters and valuesObject", () => {
    expect(positions(runFixture(rule, "invalid-application.yaml"))).toEqual([
      { line: 18, column: 18, path: "spec.source.helm.parameters[1].value", severity: "high" },
      { line: 22, column: 23, path: "spec.source.helm.valuesObject.postgresql.auth.password", severity: "high" },
    ]);
  });

  it("reads Config Management Plugin env and parameters of Applications (and ApplicationSet templates), not references", () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: Application", // 2
      "metadata:", // 3
      "  name: vault-app", // 4
      "  namespace: argocd", // 5
      "spec:", // 6
      "  project: default", // 7
      "  source:", // 8
      "    repoURL: https://github.com/acme/gitops.git", // 9
      "    path: apps/api", // 10
      "    plugin:", // 11
      "      name: avp-kustomize", // 12
      "      env:", // 13
      "        - name: AVP_TYPE", // 14
      "          value: vault", // 15
      "        - name: VAULT_TOKEN", // 16
      "          value: hvs-Kq8ZrT3mWx9Lp2Vd7Nc4By6Hj1Fs5Ga0", // 17
      "        - name: GITHUB_TOKEN", // 18
      "          value: <path:secret/data/ci#token>", // 19
      "      parameters:", // 20
      "        - name: api-password", // 21
      "          string: Zx8!qR2#mT7vL4wP", // 22
      "        - name: settings", // 23
      "          map:", // 24
      "            region: eu-west-1", // 25
      "            clientSecret: 9fK2xQ7mZ4vR8tL3wP6nB1cY5hJ0sD2g", // 26
      "  destination:", // 27
      "    server: https://kubernetes.default.svc", // 28
      "    namespace: api", // 29
    ].join("\n");
    expect(positions(runRule(rule, app)).map((p) => [p.line, p.path])).toEqual([
      [17, "spec.source.plugin.env[1].value"],
      [22, "spec.source.plugin.parameters[0].string"],
      [26, "spec.source.plugin.parameters[1].map.clientSecret"],
    ]);
    const appSet = [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: ApplicationSet", // 2
      "metadata:", // 3
      "  name: apps", // 4
      "spec:", // 5
      "  generators: [{list: {elements: [{env: dev}]}}]", // 6
      "  template:", // 7
      "    metadata: {name: 'api-{{env}}'}", // 8
      "    spec:", // 9
      "      project: default", // 10
      "      sources:", // 11
      "        - repoURL: https://github.com/acme/gitops.git", // 12
      "          plugin:", // 13
      "            env:", // 14
      "              - name: API_KEY", // 15
      "                value: '{{apiKey}}'", // 16
      "              - name: DB_PASSWORD", // 17
      "                value: Zx8qR2mT7vL4wP9k", // 18
      "      destination: {server: https://kubernetes.default.svc, namespace: api}", // 19
    ].join("\n");
    expect(positions(runRule(rule, appSet)).map((p) => [p.line, p.path])).toEqual([[18, "spec.template.spec.sources[0].plugin.env[1].value"]]);
  });

  it("reads Kustomize configMapGenerator literals and helmCharts valuesInline", () => {
    const findings = runFixture(rule, "invalid-kustomization.yaml");
    expect(positions(findings)).toEqual([
      { line: 7, column: 9, path: "configMapGenerator[0].literals[1]", severity: "high" },
      { line: 14, column: 19, path: "helmCharts[0].valuesInline.auth.password", severity: "high" },
    ]);
    expect(findings[1]!.message).toBe("Kustomization sets helmCharts[0].valuesInline.auth.password to a literal value.");
  });

  it("passes references, booleans, numbers, key names, Secret names and Argo CD $secret references", () => {
    expect(runFixture(rule, "valid-values.yaml")).toEqual([]);
    expect(runFixture(rule, "valid-configmap.yaml")).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: a pgbouncer auth_file (held-out round 13)", () => {
  const cm = (data: Record<string, string>): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pgbouncer-config\ndata:\n${Object.entries(data)
      .map(([key, body]) => `  ${key}: |\n${body.split("\n").map((l) => `    ${l}`).join("\n")}\n`)
      .join("")}`;
  const at = (yaml: string): Array<[number, string]> => runRule(rule, yaml).map((f) => [f.line, f.path]);

  it("reports every literal password of `userlist.txt`, word-like ones too; not placeholders, empty ones or md5 placeholders", () => {
    const yaml = cm({ "userlist.txt": '"postgres" "postgres"\n"app" "Pg-Sup3r"\n"report" "md5password"\n"ops" "changeme"\n"nobody" ""' });
    expect(at(yaml)).toEqual([
      [7, 'data["userlist.txt"]'],
      [8, 'data["userlist.txt"]'],
    ]);
  });

  it("reads the file a pgbouncer.ini beside it names in `auth_file` as the userlist", () => {
    const ini = "[pgbouncer]\nauth_type = md5\nauth_file = /etc/pgbouncer/users.txt";
    expect(at(cm({ "pgbouncer.ini": ini, "users.txt": '"postgres" "postgres"' }))).toEqual([[11, 'data["users.txt"]']]);
    // Without the ini, `users.txt` is judged as any text: word-like pairs are no credential.
    expect(at(cm({ "users.txt": '"postgres" "postgres"' }))).toEqual([]);
  });

  it("judges `md5` and anything but 32 hex digits as the plaintext password it is", () => {
    // Generated text after `md5`: a password in any userlist-shaped text; a placeholder after it is none.
    expect(at(cm({ "auth.txt": '"app" "md5Zq8vN3kLw2Rt7yPx"' }))).toEqual([[7, 'data["auth.txt"]']]);
    expect(at(cm({ "auth.txt": '"app" "md5password"\n"ops" "md5<hash>"' }))).toEqual([]);
    expect(at(cm({ "userlist.txt": '"app" "md5Pg-Sup3r"' }))).toEqual([[7, 'data["userlist.txt"]']]);
  });
});

describe("secrets/sensitive-config-value: config files whose credential lines name no keyword", () => {
  const cm = (key: string, body: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files\ndata:\n  ${key}: |\n${body
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n")}\n`;
  const lines = (fs: ReturnType<typeof runRule>): number[] => fs.map((f) => f.line);
  const basic = (userPass: string): string => Buffer.from(userPass).toString("base64");

  it("reads a .pgpass line, not an IPv6 address or a time", () => {
    expect(lines(runRule(rule, cm(".pgpass", "*:5432:*:backup:vT9qLm2xR7wZ4kPb")))).toEqual([7]);
    expect(lines(runRule(rule, cm(".pgpass", "orders-db:5432:orders:orders:Hq7v\\:N2pXw9")))).toEqual([7]);
    expect(runRule(rule, cm("addresses", "fd00:1:2:3:4:5:6:7\n2001:0db8:85a3:0000:0000:8a2e:0370:7334\n12:30:00:00:01"))).toEqual([]);
  });

  it("reads Dex's LDAP bindPW and other *PW names", () => {
    expect(lines(runRule(rule, cm("dex.config", "connectors:\n  - type: ldap\n    config:\n      bindDN: cn=svc\n      bindPW: jExuAQCvX0Aux8zzui")))).toEqual([11]);
    expect(runRule(rule, cm("dex.config", "connectors:\n  - type: ldap\n    config:\n      bindPW: $dex.ldap.bindPW"))).toEqual([]);
  });

  it("reads an Authorization header written inside a line or under a `value:`, with Basic judged by its password", () => {
    const nginx = (v: string): string => cm("default.conf", `location / {\n  proxy_set_header Authorization "Basic ${v}";\n}`);
    expect(lines(runRule(rule, nginx(basic("svc-proxy:Rz4Wn8Tb6YxQ2mLpK3"))))).toEqual([8]);
    expect(runRule(rule, nginx(basic("svc-proxy:changeme-please")))).toEqual([]);
    expect(lines(runRule(rule, cm("curl.sh", `curl -H "Authorization: Bearer Xk9mQ2vLp7Rz4Wn8Tb6YxQ2m" https://api.example.org`)))).toEqual([7]);
    const header = cm("service.webhook.jira", `url: https://acme.atlassian.net\nheaders:\n  - name: Authorization\n    value: Basic ${basic("argocd@acme.io:Tz8Wn3Bp6Qk2Lm9Rv4")}`);
    expect(lines(runRule(rule, header))).toEqual([10]);
    expect(runRule(rule, cm("default.conf", "proxy_set_header Authorization $http_authorization;"))).toEqual([]);
  });

  it("reads a pgbouncer userlist, and only a file made of its lines", () => {
    expect(lines(runRule(rule, cm("userlist.txt", '"app" "vT9qLm2xR7wZ4kPb"\n"stats" "Hq7vN2pXw9LmR4tZ"')))).toEqual([7, 8]);
    expect(runRule(rule, cm("userlist.txt", '"app" ""'))).toEqual([]);
    expect(runRule(rule, cm("labels.txt", '"en" "English"\nlanguage = en'))).toEqual([]);
    expect(runRule(rule, cm("mime.types", '"application/wasm" "wasm"\n"text/markdown" "md"'))).toEqual([]);
    expect(runRule(rule, cm("greetings.txt", '"en" "Hello"\n"de" "Hallo"'))).toEqual([]);
    // The same word-like pairs in a text that only looks like a userlist stay unreported (not named `userlist.txt`).
    expect(runRule(rule, cm("accounts.txt", '"postgres" "postgres"\n"app" "Pg-Sup3r"'))).toEqual([]);
  });

  it("reads a redis ACL user's >password, not its #hash or nopass", () => {
    expect(lines(runRule(rule, cm("users.acl", "user default off\nuser app on >vT9qLm2xR7wZ4kPb ~app:* +@all")))).toEqual([8]);
    expect(runRule(rule, cm("users.acl", `user app on #${"a1".repeat(32)} ~app:* +@all\nuser ro on nopass ~* +@read`))).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: base64 key material that starts with a slash", () => {
  it("is a literal secret, not a file path", () => {
    const values = "oauth2-proxy:\n  config:\n    cookieSecret: /q7Xk2Lm9Rv4Tz8Wn3Bp6Q==\n    clientSecretFile: /etc/oauth2-proxy/client-secret\n";
    expect(runRule(rule, values, { file: "values.yaml" }).map((f) => [f.line, f.path])).toEqual([[3, "oauth2-proxy.config.cookieSecret"]]);
  });
});

describe("secrets/sensitive-config-value: ApplicationSet list generator elements", () => {
  it("flags a literal credential in an element (also inside a matrix), not the settings beside it", () => {
    const appSet = [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: ApplicationSet", // 2
      "metadata: {name: tenants, namespace: argocd}", // 3
      "spec:", // 4
      "  generators:", // 5
      "    - list:", // 6
      "        elements:", // 7
      "          - tenant: acme", // 8
      "            dbPassword: vT9qLm2xR7wZ4kPb", // 9
      "            passwordSecret: acme-db", // 10
      "    - matrix:", // 11
      "        generators:", // 12
      "          - clusters: {}", // 13
      "          - list:", // 14
      "              elements:", // 15
      "                - {env: prod, apiToken: Hq7vN2pXw9LmR4tZKx3}", // 16
      "  template:", // 17
      "    metadata: {name: '{{tenant}}'}", // 18
      "    spec:", // 19
      "      project: tenants", // 20
      "      destination: {server: https://kubernetes.default.svc, namespace: '{{tenant}}'}", // 21
      "      source: {repoURL: https://github.com/acme/tenants, path: app, targetRevision: main}", // 22
    ].join("\n");
    expect(runRule(rule, `${appSet}\n`).map((f) => [f.line, f.path])).toEqual([
      [9, "spec.generators[0].list.elements[0].dbPassword"],
      [16, "spec.generators[1].matrix.generators[1].list.elements[0].apiToken"],
    ]);
  });
});

describe("secrets/sensitive-config-value: values that look like code, and env lists written as strings", () => {
  it("reads a bootstrap-token-shaped value (`abcdef.0123456789abcdef`) as a token, not as property access", () => {
    const cm = (token: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubeconfig\ndata:\n  config: |\n    users:\n      - name: ci\n        user:\n          token: ${token}\n`;
    expect(runRule(rule, cm("cs26h3.xonz1r5cgkpkdarr")).map((f) => f.line)).toEqual([10]);
    expect(runRule(rule, cm("process.env.CI_TOKEN"))).toEqual([]);
    expect(runRule(rule, cm("settings.ciToken"))).toEqual([]);
  });

  it("reads code as code (held-out round 14): a Python one-liner's call, PHP getenv(), env reads; a password with brackets stays one", () => {
    const cm = (key: string, body: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: airflow-env\ndata:\n  ${key}: |-\n${body.split("\n").map((l) => `    ${l}`).join("\n")}\n`;
    const py = 'echo ${DATABASE_PASSWORD} | python3 -c "import urllib.parse; encoded_pass = urllib.parse.quote(input()); print(encoded_pass)"';
    expect(runRule(rule, cm("DATABASE_PASSWORD_CMD", py))).toEqual([]);
    const php = "<?php\n$wgDBuser = \"mw_wiki\";\n$wgDBpassword = getenv( 'MYSQL_PASSWORD' ) ?: '';\n$smtpPassword = os.environ['SMTP_PASSWORD'];\n$token = quote(input());";
    expect(runRule(rule, cm("LocalSettings.php", php))).toEqual([]);
    const values = "configData:\n  web:\n    settings.php: |\n      <?php\n      $wgDBpassword = getenv( 'MYSQL_PASSWORD' ) ?: '';\napp:\n  password: process.env.DB_PASSWORD\n  apiToken: os.getenv('API_TOKEN')\n";
    expect(runRule(rule, values, { file: "values-prod.yaml" })).toEqual([]);
    // Literals are still literals: a PHP string, and a password written with brackets (a word and digits in them).
    const real = "<?php\n$wgDBpassword = \"Hq7vN2pXw9Lm\";\n$db_password = Secret(2024);";
    expect(runRule(rule, cm("LocalSettings.php", real)).map((f) => [f.line, f.message])).toEqual([
      [8, 'ConfigMap "airflow-env" sets "wgDBpassword" to a literal value inside data["LocalSettings.php"].'],
      [9, 'ConfigMap "airflow-env" sets "db_password" to a literal value inside data["LocalSettings.php"].'],
    ]);
    expect(runRule(rule, "app:\n  password: Secret(2024)\n", { file: "values.yaml" }).map((f) => f.path)).toEqual(["app.password"]);
  });

  it("judges `- name: X` / `value: …` pairs of an env list held in a string under the item's name", () => {
    const values = (env: string): string => `app:\n  extraEnv: |\n${env.split("\n").map((l) => `    ${l}`).join("\n")}\n`;
    const literal = values("- name: LOG_LEVEL\n  value: info\n- name: ADMIN_TOKEN\n  value: Hq7vN2pXw9LmR4tZKx3");
    expect(runRule(rule, literal, { file: "values.yaml" }).map((f) => [f.line, f.path])).toEqual([[6, "app.extraEnv"]]);
    const safe = values("- name: ADMIN_TOKEN\n  valueFrom:\n    secretKeyRef: {name: app, key: token}\n- name: TOKEN_URL\n  value: https://sso.example.org/token\n- name: API_TOKEN\n  value: '{{ .Values.token }}'");
    expect(runRule(rule, safe, { file: "values.yaml" })).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: PHP and .NET config files, connection strings in JSON", () => {
  const cm = (key: string, body: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files\ndata:\n  ${key}: |\n${body
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n")}\n`;
  const lines = (fs: ReturnType<typeof runRule>): number[] => fs.map((f) => f.line);

  it("reads wp-config.php's define('DB_PASSWORD', …) and .NET <add key=… value=…/>", () => {
    expect(lines(runRule(rule, cm("wp-config.php", "<?php\ndefine('DB_HOST', 'mysql');\ndefine('DB_PASSWORD', 'vT9qLm2xR7wZ4kPb');")))).toEqual([9]);
    expect(runRule(rule, cm("wp-config.php", "<?php\ndefine('DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD'));"))).toEqual([]);
    const nuget = '<configuration>\n  <add key="Username" value="ci" />\n  <add key="ClearTextPassword" value="Hq7vN2pXw9LmR4tZ" />\n  <add key="LogLevel" value="Info" />\n</configuration>';
    expect(lines(runRule(rule, cm("nuget.config", nuget)))).toEqual([9]);
  });

  it("reads a connection string with its password under any JSON key, not a PromQL label matcher", () => {
    const appsettings = '{\n  "ConnectionStrings": {\n    "Default": "Server=mssql;Database=shop;User Id=shop;Password=vT9qLm2xR7wZ4kPb;"\n  }\n}';
    expect(lines(runRule(rule, cm("appsettings.json", appsettings)))).toEqual([9]);
    const dashboard = '{\n  "panels": [{"targets": [{"expr": "kube_secret_info{secret=\\"db-creds\\", namespace=\\"shop\\"}"}]}]\n}';
    expect(runRule(rule, cm("dashboard.json", dashboard))).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: bare Alertmanager and Prometheus configuration files", () => {
  const alertmanager = [
    "global:",
    "  smtp_smarthost: smtp.acme.io:587",
    "  smtp_auth_username: alerts@acme.io",
    "  smtp_auth_password: Wm4rT8zqL2xVn7pQ",
    "route:",
    "  receiver: pd",
    "receivers:",
    "  - name: pd",
    "    pagerduty_configs:",
    "      - routing_key: 7c2e9a4b1f6d48e3a05b8c7d2e1f9a6b",
    "        severity: critical",
    "",
  ].join("\n");

  it("reads an alertmanager.yml kept beside the manifests (held-out round 17's miss): each credential at its line, named as the file's program", () => {
    for (const file of ["monitoring/alertmanager.yml", "alertmanager.yaml", "config/alertmanager-config.yaml"]) {
      const found = runRule(rule, alertmanager, { file });
      expect([file, found.map((f) => [f.line, f.column, f.path])]).toEqual([file, [[4, 23, "global.smtp_auth_password"], [10, 22, "receivers[0].pagerduty_configs[0].routing_key"]]]);
      expect(found[0]!.message).toBe("Alertmanager configuration file sets global.smtp_auth_password to a literal value.");
    }
    // The same text under any other name is not read as a program's configuration (it may be anything).
    expect(runRule(rule, alertmanager, { file: "monitoring/config.yml" })).toEqual([]);
  });

  it("reads a prometheus.yml scrape config's basic_auth password; references, files and SOPS-encrypted values are quiet", () => {
    const prometheus = (password: string) => `scrape_configs:\n  - job_name: node\n    basic_auth:\n      username: scraper\n      password: ${password}\n    static_configs:\n      - targets: [node:9100]\n`;
    expect(runRule(rule, prometheus("Zq8vN3xT6wLm"), { file: "prometheus/prometheus.yml" }).map((f) => [f.line, f.column, f.path])).toEqual([[5, 17, "scrape_configs[0].basic_auth.password"]]);
    for (const v of ["${SCRAPE_PASSWORD}", "changeme", '""']) expect([v, runRule(rule, prometheus(v), { file: "prometheus.yml" })]).toEqual([v, []]);
    const withFile = "scrape_configs:\n  - job_name: node\n    basic_auth:\n      username: scraper\n      password_file: /etc/prometheus/secrets/scrape\n";
    expect(runRule(rule, withFile, { file: "prometheus.yml" })).toEqual([]);
    const sops = "global:\n  smtp_auth_password: ENC[AES256_GCM,data:q1w2e3r4,iv:abc=,tag:def=,type:str]\nsops:\n  age:\n    - recipient: age1xyz\n  mac: ENC[AES256_GCM,data:zz,iv:yy,tag:xx,type:str]\n  version: 3.8.1\n";
    expect(runRule(rule, sops, { file: "alertmanager.enc.yaml" })).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: helmfile releases, Flux Providers, ingress-nginx snippets", () => {
  it("reads a helmfile release's set entries and inline values", () => {
    const helmfile = [
      "releases:", // 1
      "  - name: redis", // 2
      "    chart: bitnami/redis", // 3
      "    set:", // 4
      "      - {name: architecture, value: standalone}", // 5
      "      - name: auth.password", // 6
      "        value: vT9qLm2xR7wZ4kPb", // 7
      "    values:", // 8
      "      - values/redis.yaml", // 9
      "      - auth: {existingSecret: redis}", // 10
      "        metrics: {token: Hq7vN2pXw9LmR4tZKx3}", // 11
    ].join("\n");
    expect(runRule(rule, `${helmfile}\n`, { file: "helmfile.yaml" }).map((f) => [f.line, f.path])).toEqual([
      [7, "releases[0].set[1].value"],
      [11, "releases[0].values[1].metrics.token"],
    ]);
    expect(runRule(rule, `${helmfile}\n`, { file: "apps/releases.yaml" })).toEqual([]);
  });

  it("reads a Flux notification Provider whose address is the webhook, not one with a secretRef", () => {
    const provider = (spec: string): string => `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata:\n  name: chat\nspec:\n  type: discord\n${spec}`;
    const hook = "https://discord.com/api/webhooks/1234567890123456789/Xk2mQ9vL7pR4wZ8tN3bH6cJ1fD5gS0aYuIoEeRrTtWwQqPpLlKkJjHhGgFfDdSsAaZzXx";
    expect(runRule(rule, provider(`  address: ${hook}\n`)).map((f) => [f.line, f.path])).toEqual([[7, "spec.address"]]);
    expect(runRule(rule, provider("  address: https://discord.com/api/webhooks\n  secretRef: {name: discord}\n"))).toEqual([]);
  });

  it("reads ingress-nginx snippet annotations as nginx configuration", () => {
    const ingress = (snippet: string): string =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      ${snippet}\nspec: {}\n`;
    expect(runRule(rule, ingress('proxy_set_header Authorization "Bearer Xk9mQ2vLp7Rz4Wn8Tb6YxQ2mLp";')).map((f) => f.line)).toEqual([7]);
    expect(runRule(rule, ingress("proxy_set_header Authorization $http_authorization;"))).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: maps named like a list of credentials", () => {
  it("judges an embedded `apiKeys:` map's entries (Argo CD notifications' Opsgenie service) under `apiKey`", () => {
    const cm = (body: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-notifications-cm\ndata:\n  service.opsgenie: |\n${body
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n")}\n`;
    expect(runRule(rule, cm("apiUrl: api.eu.opsgenie.com\napiKeys:\n  platform: 3f9a2c71-5b8e-4d60-9e1f-7a2b4c6d8e0f\nteams: [platform]")).map((f) => f.line)).toEqual([9]);
    expect(runRule(rule, cm("apiKeys:\n  platform: $opsgenie-platform-key\napiUrl: api.eu.opsgenie.com"))).toEqual([]);
  });

  it("judges a values map's entries under its singular name, not settings or other maps", () => {
    const values = [
      "gateway:", // 1
      "  apiKeys:", // 2
      "    team-a: Xk9mQ2vLp7Rz4Wn8Tb6YxQ2m", // 3
      "    team-b: ${TEAM_B_KEY}", // 4
      "  tokens:", // 5
      "    ttl: 24h", // 6
      "    enabled: true", // 7
      "  passwords:", // 8
      "    minLength: 12", // 9
      "  secrets:", // 10
      "    db: db-credentials", // 11
      "  credentials:", // 12
      "    username: admin", // 13
      "  oauthTokens:", // 14
      "    audience: api", // 15
      "    issuer: https://sso.example.org", // 16
    ].join("\n");
    expect(runRule(rule, `${values}\n`, { file: "values.yaml" }).map((f) => [f.line, f.path])).toEqual([[3, "gateway.apiKeys.team-a"]]);
  });

  describe("an HTTP Authorization header with a literal credential, wherever it is set", () => {
    const b64 = (t: string): string => Buffer.from(t).toString("base64");
    const store = (header: string): string =>
      `apiVersion: external-secrets.io/v1beta1\nkind: ClusterSecretStore\nmetadata:\n  name: store\nspec:\n  provider:\n    webhook:\n      url: http://store.svc/env.json\n      headers:\n        Authorization: ${header}\n`;
    const at = (yaml: string, r = rule): string[] => runRule(r, yaml).map((f) => `${f.ruleId}@${f.line}:${f.column} ${f.path}`);

    it("in an External Secrets webhook provider's headers (a held-out real ClusterSecretStore): Basic user:password, Bearer token", () => {
      const found = runRule(rule, store(`Basic ${b64("svcuser:Zq7pL2vX9mK4")}`));
      expect(found.map((f) => `${f.line}:${f.column} ${f.path}`)).toEqual(["10:24 spec.provider.webhook.headers.Authorization"]);
      expect(found[0]!.message).toBe('ClusterSecretStore "store" sets spec.provider.webhook.headers.Authorization to an HTTP Authorization header with a literal credential.');
      // A password of digits is a password here (a numeric setting elsewhere): the real store's was six digits.
      expect(at(store(`Basic ${b64("admin:102030")}`))).toEqual(["secrets/sensitive-config-value@10:24 spec.provider.webhook.headers.Authorization"]);
      expect(at(store("Bearer Xk9vQ2mL7rT4wZ8nB3cY6pJ1"))).toEqual(["secrets/sensitive-config-value@10:24 spec.provider.webhook.headers.Authorization"]);
      // Templated, referenced or placeholder credentials are not.
      for (const h of [`Basic ${b64("admin:changeme")}`, '"Basic {{ .auth | b64enc }}"', '"Bearer ${TOKEN}"', `Basic ${b64("svc:<password>")}`, "Bearer your-token-goes-here-please", '""']) {
        expect([h, at(store(h))]).toEqual([h, []]);
      }
    });

    it("in a probe's httpHeaders, Helm values and a Secret; a container env entry is literal-env-secret's alone", () => {
      const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: app:1.0.0\n      env:\n        - name: Authorization\n          value: Bearer Xk9vQ2mL7rT4wZ8nB3cY6pJ1\n      livenessProbe:\n        httpGet:\n          path: /healthz\n          port: 8080\n          httpHeaders:\n            - name: Authorization\n              value: Basic ${b64("probe:Wq8zR5tN2mK7")}\n`;
      expect(at(pod)).toEqual(["secrets/sensitive-config-value@18:22 spec.containers[0].livenessProbe.httpGet.httpHeaders[0].value"]);
      expect(at(pod, literalEnvSecret)).toEqual(["secrets/literal-env-secret@11:18 spec.containers[0].env[0].value"]);
      const values = runRule(rule, "webhook:\n  headers:\n    Authorization: Bearer Xk9vQ2mL7rT4wZ8nB3cY6pJ1\n", { file: "charts/app/values.yaml" });
      expect(values.map((f) => `${f.line} ${f.path}`)).toEqual(["3 webhook.headers.Authorization"]);
      const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  Authorization: Basic ${b64("svcuser:Zq7pL2vX9mK4")}\n`;
      expect(at(secret, plaintextSecret)).toEqual(["secrets/plaintext-secret@6:18 stringData"]);
      expect(at(secret)).toEqual([]);
    });
  });
});

describe("secrets/sensitive-config-value: held-out round 12", () => {
  const cm = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n${data}`;
  const block = (key: string, text: string): string => `  ${key}: |\n${text.split("\n").map((l) => `    ${l}`).join("\n")}\n`;
  const at = (yaml: string): Array<[number, number, string]> => runRule(rule, yaml).map((f) => [f.line, f.column, f.path]);

  it("a `$` inside generated text is a character: .properties, embedded YAML, INI and Python settings are reported at their line", () => {
    const pw = "Tq3vz8m2Lk9x$p4wr7ne";
    expect(at(cm(block("app.properties", `spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=${pw}`)))).toEqual([[8, 5, 'data["app.properties"]']]);
    expect(at(cm(block("app.yaml", `db:\n  host: db\n  password: ${pw}`)))).toEqual([[9, 7, 'data["app.yaml"]']]);
    expect(at(cm(block("app.ini", `[db]\npassword = ${pw}`)))).toEqual([[8, 5, 'data["app.ini"]']]);
    const django = `DEBUG = False\nSECRET_KEY = 'r5#b2n!w8k@3yq7u^e4t$i9o-1a6s2d(f)g&h*j_k+l=z'`;
    expect(at(cm(block("local_settings.py", django)))).toEqual([[8, 5, 'data["local_settings.py"]']]);
  });

  it("interpolation is still a reference: ${…}, $(…), $VAR as the whole value, %(name)s, %{…}, #{…}, backticks", () => {
    for (const ref of ["${DB_PASSWORD}", "$(DB_PASSWORD)", "$DB_PASSWORD", '"$DB_PASSWORD"', "%(db_password)s", "%{db_password}", "#{db_password}", '"`cat /run/secrets/db`"']) {
      expect([ref, at(cm(block("app.ini", `[db]\npassword = ${ref}`)))]).toEqual([ref, []]);
    }
    expect(at(cm('  DATABASE_URL: "postgres://app:$DB_PASSWORD@db:5432/app"\n'))).toEqual([]);
  });

  it("an ambiguous `…key` name holding generated key material is judged in an embedded file as in values: PagerDuty's routing_key", () => {
    const am = "receivers:\n  - name: pd\n    pagerduty_configs:\n      - routing_key: 7c2e9a4b1f6d48e3a05b8c7d2e1f9a6b\n      - service_key: 2b8f4e6a9c1d47b3e5a0f9c8d7b6a5e4";
    expect(at(cm(block("alertmanager.yml", am)))).toEqual([
      [10, 11, 'data["alertmanager.yml"]'],
      [11, 11, 'data["alertmanager.yml"]'],
    ]);
    // Names, topics, fingerprints and short ids under such names are settings, as in values.
    const settings = "routing_key: orders.created\npartition_key: tenantId\ngpg_key: 3AA5C34371567BD2E1F0A9B8C7D6E5F4A3B2C1D0\nsort_key: 4AEE18F83AFDEB23";
    expect(at(cm(block("app.yaml", settings)))).toEqual([]);
  });

  it("reads a URL that carries its own credential inside an embedded file (alertmanager msteams_configs, a JSON config), at its line", () => {
    const teams =
      "https://fabrikam.webhook.office.com/webhookb2/3e4d5c6b-7a89-4b0c-9d1e-2f3a4b5c6d7e@8f9e0d1c-2b3a-4c5d-8e6f-7a8b9c0d1e2f/IncomingWebhook/a1b2c3d4e5f64a7b8c9d0e1f2a3b4c5d/6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b/Z8yX7wV6uT5sR4qP3oN2mL1kJ0iH9gF";
    const discord = "https://discord.com/api/webhooks/1098765432109876543/Pq7Wm2Zx9Kt4Lr8Vn3Bh6Cj1Fd5Gs0AyUiOeRtWqPlKjHgFdSaZxCvBnMqWeRtYuIoP";
    const am = `receivers:\n  - name: teams\n    msteams_configs:\n      - webhook_url: ${teams}\n  - name: discord\n    discord_configs:\n      - webhook_url: "${discord}"`;
    const findings = runRule(rule, cm(block("alertmanager.yaml", am)));
    expect(findings.map((f) => [f.line, f.column, f.path])).toEqual([
      [10, 11, 'data["alertmanager.yaml"]'],
      [13, 11, 'data["alertmanager.yaml"]'],
    ]);
    expect(findings[0]!.message).toBe('ConfigMap "app" sets "webhook_url" to a literal value inside data["alertmanager.yaml"].');
    expect(findings.map((f) => f.message).join("\n")).not.toMatch(/Z8yX7wV6|Pq7Wm2Zx/);
    expect(at(cm(block("notify.json", `{\n  "channel": "ops",\n  "teamsUrl": "${teams}"\n}`)))).toEqual([[9, 7, 'data["notify.json"]']]);
    // No token in the URL, or a Slack webhook (known-credential's): not this rule's.
    const plain = "receivers:\n  - name: hook\n    webhook_configs:\n      - url: https://alerts.acme.io/hooks/alertmanager\n  - name: slack\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/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";
    expect(at(cm(block("alertmanager.yaml", plain)))).toEqual([]);
  });

  it("decodes ConfigMap binaryData text and judges it as data: an .npmrc's npm token (named) or _authToken, once per key at its value", () => {
    const binary = (entries: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: npmrc\nbinaryData:\n${entries}`;
    const findings = runRule(rule, binary("  .npmrc: Ly9yZWdpc3RyeS5ucG1qcy5vcmcvOl9hdXRoVG9rZW49bnBtX1pxNExtOFJ0MlZ4NkJuMENqM0ZoN0tkMUdzNVdwOVllMlVhNwo=\n  private.npmrc: cmVnaXN0cnk9aHR0cHM6Ly9ucG0uYWNtZS5pby8KLy9ucG0uYWNtZS5pby86X2F1dGhUb2tlbj1IazdwVzJxWjl2VDR4TDhtUjNuQjZjSjEK\n"));
    expect(findings.map((f) => [f.line, f.column, f.path, f.message])).toEqual([
      [6, 11, 'binaryData[".npmrc"]', 'ConfigMap "npmrc" holds an npm access token in base64 at binaryData[".npmrc"].'],
      [7, 18, 'binaryData["private.npmrc"]', 'ConfigMap "npmrc" holds "_authToken" with a literal value in base64 at binaryData["private.npmrc"].'],
    ]);
    // Settings, binary files and what is no valid base64 hold no credential.
    expect(runRule(rule, binary("  app.properties: c2VydmVyLnBvcnQ9ODA4MApzcHJpbmcuYXBwbGljYXRpb24ubmFtZT1zaG9wCg==\n  logo.png: iVBORw0KGgoAAAANSUhEUv/+\n  broken: npm_not*base64==\n"))).toEqual([]);
  });

  it("reads a pgbouncer userlist's SCRAM secret (it holds `$`), not a SCRAM template with its parts named", () => {
    const scram = "SCRAM-SHA-256$4096:Qm9ndXNTYWx0MTIzNA==$Vb7Nq2Lx9Kt4Mw8Rz3PcYh6Df1Gs5Jk0Aw2Ee4Rr6T=:Hq7vN2pXw9LmR4tZ8kYb3Cd5Fg1Jh6Ls0Pq2Wm4Xz8U=";
    expect(at(cm(block("userlist.txt", `"app" "${scram}"`)))).toEqual([[7, 5, 'data["userlist.txt"]']]);
    expect(at(cm(block("userlist.txt", '"postgres" "SCRAM-SHA-256$4096:salt$hash"\n"app" "md5<hash>"')))).toEqual([]);
  });

});

describe("secrets/sensitive-config-value: argocd-cm repositories", () => {
  it("argocd-cm repository lists that only reference Secrets are quiet; inline credentials there are reported (held-out round 16)", () => {
    const cm = (key: string, entries: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  ${key}: |\n${entries.replace(/^/gm, "    ")}`;
    const references = [
      "- url: git@github.com\n  sshPrivateKeySecret:\n    name: github-secret\n    key: sshPrivateKey\n",
      "- url: https://git.example.com/team\n  insecureIgnoreHostKey: true\n  usernameSecret: {name: git-creds, key: username}\n  passwordSecret: {name: git-creds, key: password}\n  tlsClientCertDataSecret: {name: git-tls, key: cert}\n  tlsClientCertKeySecret: {name: git-tls, key: key}\n",
    ].join("");
    for (const key of ["repository.credentials", "repositories", "helm.repositories"]) {
      expect([key, runRule(rule, cm(key, references), { file: "argocd/argocd-cm.yaml" })]).toEqual([key, []]);
    }
    const inline = "- url: https://git.example.com/team\n  username: deploy\n  password: Xq7-made-up-Pw9\n- url: git@github.com\n  passwordSecret: {name: git-creds, key: password}\n";
    const found = (key: string) => runRule(rule, cm(key, inline), { file: "argocd/argocd-cm.yaml" }).map((f) => [f.line, f.path]);
    // Both at the password's line, as before the fix.
    expect(found("repository.credentials")).toEqual([[10, 'data["repository.credentials"]']]);
    expect(found("repositories")).toEqual([[10, "data.repositories"]]);
    const key = "- url: git@github.com\n  sshPrivateKey: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n    -----END OPENSSH PRIVATE KEY-----\n";
    expect(runRule(rule, cm("repository.credentials", key), { file: "argocd/argocd-cm.yaml" }).map((f) => f.path)).toEqual(['data["repository.credentials"]']);
  });
});

describe("secrets/sensitive-config-value: argocd-cm repositories merged by a configMapGenerator literal", () => {
  it("argocd-autopilot's bootstrap (Secret references only) is quiet (held-out round 21: a false blocking finding)", () => {
    const kustomization = (name: string, entry: string[]): string =>
      ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "namespace: argocd", "configMapGenerator:", "- behavior: merge", "  literals:", "  - |", ...entry.map((l) => `    ${l}`), `  name: ${name}`, "resources:", "- ./argocd-cm.yaml", ""].join("\n");
    const references = ["repository.credentials=- passwordSecret:", "    key: git_token", "    name: autopilot-secret", "  url: https://github.com/", "  usernameSecret:", "    key: git_username", "    name: autopilot-secret"];
    const file = { file: "bootstrap/argo-cd/kustomization.yaml" };
    expect(runRule(rule, kustomization("argocd-cm", references), file)).toEqual([]);
    // Another ConfigMap's literal of that name is no repository list. (An inline password in argocd-cm's list is found
    // at its line on the rendered argocd-cm: test/engine/fresh-credential-values.test.ts.)
    expect(runRule(rule, kustomization("app-config", references), file).map((f) => f.path)).toEqual(["configMapGenerator[0].literals[0]"]);
  });
});

describe("secrets/sensitive-config-value: the bare word `password` stays a placeholder outside applied Secrets (held-out round 16)", () => {
  it("is not reported in Helm values or ConfigMap data, where `postgres` is", () => {
    expect(runRule(rule, "auth:\n  password: password\n  rootPassword: postgres\n", { file: "values.yaml" }).map((f) => [f.line, f.column, f.path])).toEqual([[3, 17, "auth.rootPassword"]]);
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: password\n  REDIS_PASSWORD: postgres\n";
    expect(runRule(rule, cm).map((f) => [f.line, f.column, f.path])).toEqual([[7, 19, "data.REDIS_PASSWORD"]]);
  });
});

describe("secrets/sensitive-config-value: one-line flow forms inside an embedded config file (held-out round 16)", () => {
  it("reports the credential's line in a YAML flow map, a flow list of maps, a Python dict and a JS object", () => {
    const cm = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: emb",
      "data:",
      "  app.yaml: |",
      "    db: {host: db, password: Qx7vK2mZwL}",
      "  users.yaml: |",
      "    users: [{name: admin, password: Wq8zR5tN2m}]",
      "  settings.py: |",
      '    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "Lm2xQ8vK4z"}}',
      "  config.js: |",
      "    module.exports = { db: { host: 'db', password: 'Vt8kQ2mXz7' } };",
      "",
    ].join("\n");
    expect(runRule(rule, cm).map((f) => [f.line, f.column, f.path, f.message])).toEqual([
      [7, 5, 'data["app.yaml"]', 'ConfigMap "emb" sets "password" to a literal value inside data["app.yaml"].'],
      [9, 5, 'data["users.yaml"]', 'ConfigMap "emb" sets "password" to a literal value inside data["users.yaml"].'],
      [11, 5, 'data["settings.py"]', 'ConfigMap "emb" sets "PASSWORD" to a literal value inside data["settings.py"].'],
      [13, 5, 'data["config.js"]', 'ConfigMap "emb" sets "password" to a literal value inside data["config.js"].'],
    ]);
  });
});

describe("secrets/sensitive-config-value: words under an environment variable's …KEY name (held-out round 16)", () => {
  it("reports dash-joined words under SECRET_KEY and API_KEY, while a chart's camelCase …Key naming a key elsewhere stays quiet", () => {
    const values = [
      "secret:", // 1
      "  stringData:", // 2
      "    SECRET_KEY: acme-devops-class-frontend-key", // 3
      "    API_KEY: acme-devops-class-frontend", // 4
      "auth:", // 5
      "  existingSecretKey: api-key", // 6
      "  secretKey: client-secret", // 7
      "",
    ].join("\n");
    expect(runRule(rule, values, { file: "values.yaml" }).map((f) => [f.line, f.path])).toEqual([
      [3, "secret.stringData.SECRET_KEY"],
      [4, "secret.stringData.API_KEY"],
    ]);
  });
});

describe("secrets/sensitive-config-value: held-out round 18", () => {
  it("judges a HelmRelease or ConfigMap whose apiVersion line is misspelt or missing as the object it was written as", () => {
    const helmRelease = (head: string) =>
      [head, "kind: HelmRelease", "metadata:", "  name: nextcloud", "  namespace: nextcloud", "spec:", "  values:", "    nextcloud:", "      extraEnv:",
        "        - name: MYSQL_PASSWORD", '          value: "Kp3vR8sLq2Wx!"', "    mariadb:", "      auth:", '        rootPassword: "Kp3vR8sLq2Wx!"', ""].join("\n");
    for (const head of ["kapiVersion: helm.toolkit.fluxcd.io/v2", "# apiVersion: helm.toolkit.fluxcd.io/v2", "apiVersion:"]) {
      const found = runRule(rule, helmRelease(head), { file: "apps/nextcloud/helmrelease.yaml" });
      expect([head, found.map((f) => [f.line, f.column, f.path])]).toEqual([head, [[11, 18, "spec.values.nextcloud.extraEnv[0].value"], [14, 23, "spec.values.mariadb.auth.rootPassword"]]]);
      expect(found[1]!.message).toBe('HelmRelease "nextcloud/nextcloud" sets spec.values.mariadb.auth.rootPassword to a literal value.');
    }
    const configMap = (head: string) => `${head}\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  DB_PASSWORD: "Kp3vR8sLq2Wx"\n`;
    expect(runRule(rule, configMap("kapiVersion: v1"), { file: "configmap.yaml" }).map((f) => [f.line, f.column, f.path])).toEqual([[6, 16, "data.DB_PASSWORD"]]);
    const app = "kind: Application\nmetadata: {name: db}\nspec:\n  source:\n    helm:\n      parameters:\n        - name: auth.password\n          value: Kp3vR8sLq2Wx\n";
    expect(runRule(rule, app, { file: "apps/db.yaml" }).map((f) => [f.line, f.path])).toEqual([[8, "spec.source.helm.parameters[0].value"]]);
    // A kind the secrets rules do not read, an apiVersion written (another API's kind stays unread), or no metadata: not judged.
    for (const yaml of [configMap("kapiVersion: v1").replace("ConfigMap", "Widget"), configMap("apiVersion: example.com/v1"), "kind: ConfigMap\ndata:\n  DB_PASSWORD: Kp3vR8sLq2Wx\n"]) {
      expect([yaml, runRule(rule, yaml, { file: "configmap.yaml" })]).toEqual([yaml, []]);
    }
  });

  it("reads the bare word `password` under a password's name in a deployed object's inline Helm values as the weak password; values files keep it a stand-in", () => {
    const app = (helm: string[]) =>
      ["apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: grafana, namespace: argocd}", "spec:", "  source:", "    chart: grafana", "    helm:", ...helm.map((l) => `      ${l}`), ""].join("\n");
    const values = app(["values: |", "  adminPassword: password", "  ingress:", "    enabled: true", "  env:", "    - name: GF_DATABASE_PASSWORD", '      value: "password"']);
    const found = runRule(rule, values, { file: "apps/grafana.yaml" });
    expect(found.map((f) => [f.line, f.column, f.path])).toEqual([[9, 9, "spec.source.helm.values"], [14, 13, "spec.source.helm.values"]]);
    expect(found[0]!.message).toBe('Application "argocd/grafana" sets "adminPassword" to a literal value inside spec.source.helm.values.');
    const object = app(["valuesObject:", "  adminPassword: Password", "  passwordKey: password", "parameters:", "  - name: auth.password", "    value: passwd"]);
    expect(runRule(rule, object, { file: "apps/grafana.yaml" }).map((f) => [f.line, f.path])).toEqual([[9, "spec.source.helm.valuesObject.adminPassword"], [13, "spec.source.helm.parameters[0].value"]]);
    const release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: harbor}\nspec:\n  values:\n    harborAdminPassword: password\n";
    expect(runRule(rule, release, { file: "apps/harbor/release.yaml" }).map((f) => [f.line, f.column, f.path])).toEqual([[6, 26, "spec.values.harborAdminPassword"]]);
    // A chart's values file (harbor's `swift.password: password`), an example file, a name that is no password's: stand-ins.
    expect(runRule(rule, "swift:\n  password: password\n", { file: "charts/harbor/values.yaml" })).toEqual([]);
    expect(runRule(rule, values, { file: "examples/grafana.yaml" })).toEqual([]);
    expect(runRule(rule, app(["values: |", "  apiToken: password", "  passwordSecret: password"]), { file: "apps/grafana.yaml" })).toEqual([]);
  });
});

describe("secrets/sensitive-config-value: Argo CD objects in a Helm chart's templates (held-out round 18)", () => {
  const template = (password: string) =>
    [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata:",
      "  name: database",
      "  namespace: argocd",
      "spec:",
      "  project: platform",
      "  source:",
      "    repoURL: {{ .Values.repoURL | quote }}",
      "    path: database",
      "    helm:",
      "      parameters:",
      "        - name: postgresql.auth.username",
      "          value: app",
      "        - name: postgresql.auth.password",
      `          value: ${password}`,
      "      values: |",
      "        adminPassword: {{ .Values.adminPassword }}",
      "  destination:",
      "    server: https://kubernetes.default.svc",
      "    namespace: db",
      "",
    ].join("\n");

  it("judges the literal Helm parameters of an app-of-apps chart's Application template, at their line", () => {
    const found = runRule(rule, template('"Pg-9xK2mQ7vL4tRw"'), { file: "apps/templates/db-app.yaml" });
    expect(found.map((f) => [f.line, f.column, f.path, f.resource.kind, f.resource.name])).toEqual([[16, 18, "spec.source.helm.parameters[1].value", "Application", "database"]]);
    expect(found[0]!.message).toBe('Application "argocd/database" sets Helm parameter postgresql.auth.password to a literal value.');
  });

  it("reads a value a template action writes as a reference, never a finding", () => {
    for (const value of ["{{ .Values.dbPassword | quote }}", '"{{ .Values.dbPassword }}"', '"Pg-{{ .Values.suffix }}"']) {
      expect([value, runRule(rule, template(value), { file: "apps/templates/db-app.yaml" })]).toEqual([value, []]);
    }
  });
});
