import { describe, expect, it } from "@jest/globals";
import { parseJson } from "./_embedded.js";

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
