import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./literal-env-secret.js";

describe("secrets/literal-env-secret", () => {
  it("flags secret-looking env vars with a literal value, in every container group and workload kind", () => {
    const findings = runFixture(rule, "invalid-workloads.yaml");
    expect(positions(findings)).toEqual([
      { line: 14, column: 22, path: "spec.template.spec.initContainers[0].env[0].value", severity: "high" },
      { line: 22, column: 22, path: "spec.template.spec.containers[0].env[1].value", severity: "high" },
      { line: 24, column: 22, path: "spec.template.spec.containers[0].env[2].value", severity: "high" },
      { line: 26, column: 22, path: "spec.template.spec.containers[0].env[3].value", severity: "high" },
      { line: 46, column: 26, path: "spec.jobTemplate.spec.template.spec.containers[0].env[1].value", severity: "high" },
      { line: 48, column: 26, path: "spec.jobTemplate.spec.template.spec.containers[0].env[2].value", severity: "high" },
      { line: 61, column: 18, path: "spec.containers[0].env[0].value", severity: "high" },
      { line: 65, column: 18, path: "spec.containers[0].env[2].value", severity: "high" },
    ]);
    expect(findings[1]!.message).toBe('Container "api" in Deployment "shop/api" sets DB_PASSWORD to a literal value.');
    expect(findings[1]!.fix).toBe("Move the value into a Secret (encrypted or external) and use `valueFrom.secretKeyRef`, then rotate the committed value.");
  });

  it("judges an unquoted integer value as its digits, as a quoted one (held-out round 14)", () => {
    const pod = (v: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    - name: db\n      image: postgres:16.4\n      env:\n        - name: POSTGRES_PASSWORD\n          value: ${v}\n        - name: PGPORT\n          value: 5432\n`;
    for (const v of ["482913", '"482913"']) expect([v, runRule(rule, pod(v)).map((f) => [f.line, f.path])]).toEqual([v, [[11, "spec.containers[0].env[0].value"]]]);
  });

  it("counts a leading secret noun (SECRET_BLAH), not one followed by a describing word (SECRET_NAME)", () => {
    const messages = runFixture(rule, "invalid-workloads.yaml").map((f) => f.message);
    expect(messages).toContain('Container "app" in Pod "squirrel" sets SECRET_BLAH to a literal value.');
    expect(messages.filter((m) => m.includes("SECRET_NAME"))).toEqual([]);
  });

  it("passes valueFrom, references, placeholders and names that describe a secret without holding it", () => {
    expect(runFixture(rule, "valid-workloads.yaml")).toEqual([]);
  });

  it("flags a literal secret passed to a secret-looking flag in args or command, at the item that holds it", () => {
    const findings = runFixture(rule, "invalid-args.yaml");
    expect(positions(findings)).toEqual([
      { line: 15, column: 15, path: "spec.template.spec.containers[0].args[1]", severity: "high" },
      { line: 16, column: 15, path: "spec.template.spec.containers[0].args[2]", severity: "high" },
      { line: 19, column: 43, path: "spec.template.spec.containers[1].command[2]", severity: "high" },
      { line: 19, column: 71, path: "spec.template.spec.containers[1].command[3]", severity: "high" },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Container "exporter" in Deployment "monitoring/status-exporter" passes a literal value to --api-key in its args.',
      'Container "exporter" in Deployment "monitoring/status-exporter" passes a literal value to --db-password in its args.',
      'Container "pusher" in Deployment "monitoring/status-exporter" passes a literal value to --token in its command.',
      'Container "pusher" in Deployment "monitoring/status-exporter" passes a literal value to -client-secret in its command.',
    ]);
    expect(findings[0]!.fix).toContain("--api-key=$(API_KEY)");
    expect(findings.map((f) => `${f.message}\n${f.fix}`).join("\n")).not.toMatch(/7c1e0b9d|Fl4g|Pq7vT2xK|Cl1ent/);
  });

  it("passes flags that describe or reference a secret, placeholders, a flag's path, words after a bare flag and shell scripts", () => {
    expect(runFixture(rule, "valid-args.yaml")).toEqual([]);
  });
});

describe("secrets/literal-env-secret: Argo Workflows templates and Tekton steps", () => {
  const lines = (fs: ReturnType<typeof runRule>): Array<[number, string]> => fs.map((f) => [f.line, f.path]);

  it("reads a Tekton Task's steps and a Pipeline's inline task specs", () => {
    const task = [
      "apiVersion: tekton.dev/v1", // 1
      "kind: Task", // 2
      "metadata: {name: deploy}", // 3
      "spec:", // 4
      "  steps:", // 5
      "    - name: deploy", // 6
      "      image: alpine:3.19", // 7
      "      env:", // 8
      "        - {name: DEPLOY_TOKEN, value: Hq7vN2pXw9LmR4tZKx3}", // 9
      "        - name: REGISTRY_PASSWORD", // 10
      "          valueFrom: {secretKeyRef: {name: registry, key: password}}", // 11
    ].join("\n");
    expect(lines(runRule(rule, `${task}\n`))).toEqual([[9, "spec.steps[0].env[0].value"]]);
    const pipeline = [
      "apiVersion: tekton.dev/v1", // 1
      "kind: Pipeline", // 2
      "metadata: {name: release}", // 3
      "spec:", // 4
      "  tasks:", // 5
      "    - name: publish", // 6
      "      taskSpec:", // 7
      "        steps:", // 8
      "          - name: npm", // 9
      "            image: node:20", // 10
      "            args: ['--api-key=vT9qLm2xR7wZ4kPbQ3']", // 11
    ].join("\n");
    expect(lines(runRule(rule, `${pipeline}\n`))).toEqual([[11, "spec.tasks[0].taskSpec.steps[0].args[0]"]]);
  });

  it("reads an Argo WorkflowTemplate's container and script, and a CronWorkflow's templates", () => {
    const wf = [
      "apiVersion: argoproj.io/v1alpha1", // 1
      "kind: WorkflowTemplate", // 2
      "metadata: {name: publish}", // 3
      "spec:", // 4
      "  templates:", // 5
      "    - name: main", // 6
      "      container:", // 7
      "        image: node:20", // 8
      "        env: [{name: DB_PASSWORD, value: vT9qLm2xR7wZ4kPb}]", // 9
      "    - name: notify", // 10
      "      script:", // 11
      "        image: curlimages/curl:8.5.0", // 12
      "        env: [{name: SLACK_TOKEN, value: '{{workflow.parameters.token}}'}]", // 13
      "        source: curl https://example.org", // 14
    ].join("\n");
    expect(lines(runRule(rule, `${wf}\n`))).toEqual([[9, "spec.templates[0].container.env[0].value"]]);
    const cron = `apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: nightly}\nspec:\n  schedule: "0 3 * * *"\n  workflowSpec:\n    templates:\n      - name: main\n        container: {image: alpine, env: [{name: API_TOKEN, value: Hq7vN2pXw9LmR4tZKx3}]}\n`;
    expect(lines(runRule(rule, cron))).toEqual([[9, "spec.workflowSpec.templates[0].container.env[0].value"]]);
    expect(runRule(rule, wf.replace("argoproj.io/v1alpha1", "example.com/v1"))).toEqual([]);
  });
});

describe("secrets/literal-env-secret: held-out round 11, a connection string under a neutral name", () => {
  const pod = (env: string): string =>
    ["apiVersion: apps/v1", "kind: Deployment", "metadata: {name: pgbouncer}", "spec:", "  template:", "    spec:", "      containers:", "        - name: pgbouncer", "          image: pgbouncer/pgbouncer:1.23.1", "          env:", env].join("\n") + "\n";

  it("reports a libpq / pgbouncer DSN and a JDBC string with a literal password, at the value, without echoing it", () => {
    const yaml = pod(
      [
        "            - name: DATABASES", // 11
        '              value: "app_db=host=postgres port=5432 dbname=app_db user=app_user password=Qv7tLm2pWz9x pool_size=50"', // 12
        "            - name: JDBC_URL", // 13
        '              value: "jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=s3cr3tPass9"', // 14
        "            - name: LOG_LEVEL", // 15
        "              value: info", // 16
      ].join("\n"),
    );
    const findings = runRule(rule, yaml);
    // At the credential's line inside the scalar (column 23: inside the quotes), as sensitive-config-value points.
    expect(findings.map((f) => [f.line, f.column, f.path])).toEqual([
      [12, 23, "spec.template.spec.containers[0].env[0].value"],
      [14, 23, "spec.template.spec.containers[0].env[1].value"],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Container "pgbouncer" in Deployment "pgbouncer" sets "password" to a literal value inside DATABASES.',
      'Container "pgbouncer" in Deployment "pgbouncer" sets "password" to a literal value inside JDBC_URL.',
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/Qv7tLm2pWz9x|s3cr3tPass9/);
  });

  it("passes references, placeholders and connection strings without a credential field", () => {
    const yaml = pod(
      [
        '            - {name: DATABASES, value: "app_db=host=postgres dbname=app_db user=app_user password=$(DB_PASSWORD)"}',
        '            - {name: JDBC_URL, value: "jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=changeme"}',
        '            - {name: DSN, value: "host=postgres port=5432 dbname=app user=app sslmode=disable"}',
        '            - {name: CONN, value: "Server=db;Database=app;User Id=sa;Password=<your-password>;"}',
      ].join("\n"),
    );
    expect(runRule(rule, yaml)).toEqual([]);
  });
});

describe("secrets/literal-env-secret: Docker Compose environment (held-out round 18)", () => {
  const compose = [
    "services:",
    "  db:",
    "    image: postgres:16",
    "    environment:",
    "      POSTGRES_USER: app",
    "      POSTGRES_PASSWORD: Wq4Zt8Lm2PrX",
    "      POSTGRES_PORT: 5432",
    "      SECRET_KEY_BASE: ${SECRET_KEY_BASE}",
    "  web:",
    "    image: grafana/grafana",
    "    environment:",
    "      - GF_SECURITY_ADMIN_USER=admin",
    "      - GF_SECURITY_ADMIN_PASSWORD=Zq8vN3xT6wLm",
    "      - GF_DATABASE_PASSWORD=${DB_PASSWORD:-changeme}",
    "      - DATABASE_URL_PARAMS=host=db user=app password=Wq4Zt8Lm2PrX",
    "      - API_TOKEN",
    "",
  ].join("\n");

  it("reports a password in a service's environment map and `NAME=value` list, at the value, naming the service", () => {
    for (const file of ["docker-compose.yml", "deploy/docker-compose.prod.yaml", "compose.yaml", "compose.override.yml"]) {
      const found = runRule(rule, compose, { file });
      expect([file, found.map((f) => [f.line, f.column, f.endColumn, f.path])]).toEqual([
        file,
        [
          [6, 26, 38, "services.db.environment.POSTGRES_PASSWORD"],
          [13, 36, 48, "services.web.environment[1]"],
          [15, 29, 67, "services.web.environment[3]"],
        ],
      ]);
      expect(found.map((f) => f.message)).toEqual([
        'Compose service "db" sets POSTGRES_PASSWORD to a literal value in its environment.',
        'Compose service "web" sets GF_SECURITY_ADMIN_PASSWORD to a literal value in its environment.',
        'Compose service "web" sets "password" to a literal value inside DATABASE_URL_PARAMS in its environment.',
      ]);
      expect(found[0]!.fix).toContain("Compose");
    }
  });

  it("passes substitutions (`${VAR}`, `${VAR:-default}`), placeholders, and the same text in a file that is no Compose file", () => {
    const quiet = "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n      MYSQL_PASSWORD: changeme\n      REDIS_PASSWORD: \"\"\n";
    expect(runRule(rule, quiet, { file: "docker-compose.yml" })).toEqual([]);
    for (const file of ["composer.yaml", "services.yaml", "k8s/app.yaml"]) expect([file, runRule(rule, compose, { file })]).toEqual([file, []]);
  });
});
