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
