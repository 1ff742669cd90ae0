import { describe, expect, it } from "@jest/globals";
import { parseJson, readEmbedded } from "./_embedded.js";

describe("parseJson", () => {
  it("reads JSON objects and arrays, whitespace and empty ones included", () => {
    expect(parseJson('{ "user": "app", "port": 5432 }')).toEqual({ user: "app", port: 5432 });
    expect(parseJson('{\n  "a": [1, 2]\n}')).toEqual({ a: [1, 2] });
    expect(parseJson("{}")).toEqual({});
    expect(parseJson("{ }")).toEqual({});
    expect(parseJson("[1, {\"b\": true}]")).toEqual([1, { b: true }]);
  });

  it("refuses what is not a JSON object or array: templates, YAML flow maps, broken JSON, other scalars", () => {
    expect(parseJson("{{ .Values.password }}")).toBeUndefined();
    expect(parseJson("{user: app}")).toBeUndefined();
    expect(parseJson('{"user": }')).toBeUndefined();
    expect(parseJson("[1, 2")).toBeUndefined();
    expect(parseJson("plain text")).toBeUndefined();
  });
});

describe("readEmbedded: `key => \"value\"` assignments (logstash pipelines, Ruby and PHP arrays)", () => {
  const keys = (text: string): string[] => readEmbedded(text, { formats: true }).settings.map((s) => `${s.key}@${s.index}`);

  it("reads a credential key's literal value, and not references, placeholders or other keys", () => {
    const pipeline = 'output {\n  elasticsearch {\n    hosts => "es:9200"\n    user => "elastic"\n    password => "Vq8rL2xN7wKz"\n  }\n}\n';
    expect(keys(pipeline)).toEqual(["password@4"]);
    expect(keys(pipeline.replace("Vq8rL2xN7wKz", "${ES_PASSWORD}"))).toEqual([]);
    expect(keys(pipeline.replace("Vq8rL2xN7wKz", "changeme"))).toEqual([]);
    expect(keys("<?php\nreturn [\n  'password' => 'Vq8rL2xN7wKz',\n  'host' => 'db',\n];\n")).toEqual(["password@2"]);
    expect(keys("<?php\nreturn [\n  'password' => env('DB_PASSWORD'),\n];\n")).toEqual([]);
  });
});

describe("readEmbedded: one-line flow mappings and object literals (held-out round 16)", () => {
  const keys = (text: string): string[] => readEmbedded(text).settings.map((s) => `${s.key}@${s.index}`);

  it("reads a credential key inside `{…}` on one line: YAML flow maps, a Python dict, a JS object", () => {
    expect(keys("db: {host: db, password: Qx7vK2mZwL}\n")).toEqual(["password@0"]);
    expect(keys("cache:\n  ttl: 60\nusers: [{name: admin, password: Qx7vK2mZwL}]\n")).toEqual(["password@2"]);
    expect(keys('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "Qx7vK2mZwL"}}\n')).toEqual(["PASSWORD@0"]);
    expect(keys("module.exports = { db: { host: 'db', password: 'Qx7vK2mZwL' } };\n")).toEqual(["password@0"]);
    expect(keys('auth = {"api_token": "Zq8xR5tN2mK7pL3x"}\n')).toEqual(["api_token@0"]);
  });

  it("not references, code, placeholders, settings, templates or a schema", () => {
    for (const text of [
      "db: {host: db, password: ${DB_PASSWORD}}\n",
      'DATABASES = {"default": {"PASSWORD": os.environ["DB_PASSWORD"]}}\n',
      "module.exports = { db: { password: process.env.DB_PASSWORD } };\n",
      "db: {host: db, password: changeme}\n",
      "db: {host: db, passwordFile: /run/secrets/db, tokenTTL: 3600}\n",
      "auth: {password: '{{ .Values.password }}'}\n",
      'schema: {"password": {"type": "string", "minLength": 12}}\n',
      'GCP_SA={"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}\n',
    ]) {
      expect([text, keys(text)]).toEqual([text, []]);
    }
  });
});

describe("readEmbedded: a `${VAR:-default}` substitution is no flow mapping (held-out round 18)", () => {
  it("does not read `{POSTGRES_PASSWORD:-postgres}` inside `${…}` as a `key: value` pair; a flow mapping still is one", () => {
    const keys = (text: string): string[] => readEmbedded(text).settings.map((s) => s.key);
    expect(keys("${POSTGRES_PASSWORD:-postgres}")).toEqual([]);
    expect(keys("sh -c 'exec app --db ${DB_PASSWORD:-hunter22}'")).toEqual([]);
    expect(keys("db: {host: db, password: Vq8rL2xN7wKz}")).toEqual(["password"]);
  });
});
