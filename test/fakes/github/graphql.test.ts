import { describe, expect, it } from "@jest/globals";
import { blobQuery } from "../../../src/github/blobs.js";
import { parseBlobQuery } from "./graphql.js";

describe("blob queries", () => {
  it("the query gitops-guard sends is plain GraphQL with one aliased object(expression:) per blob", () => {
    const q = blobQuery({ owner: "acme", repo: "gitops" }, ["abc:apps/a.yaml", 'def:odd "name"\\x.yaml']);
    expect(q).toContain('repository(owner: "acme", name: "gitops")');
    expect(q).toContain('b0: object(expression: "abc:apps/a.yaml") { ... on Blob { oid byteSize isBinary isTruncated text } }');
    expect(parseBlobQuery(q)).toEqual({
      owner: "acme",
      name: "gitops",
      objects: [
        { alias: "b0", expression: "abc:apps/a.yaml" },
        { alias: "b1", expression: 'def:odd "name"\\x.yaml' },
      ],
    });
  });

  it("the fake also understands variables", () => {
    const q = `query Blobs($owner: String!, $name: String!, $e: String!) {
      repository(owner: $owner, name: $name) { one: object(expression: $e) { ... on Blob { text } } }
    }`;
    expect(parseBlobQuery(q, { owner: "o", name: "r", e: "sha:x.yaml" })).toEqual({ owner: "o", name: "r", objects: [{ alias: "one", expression: "sha:x.yaml" }] });
  });

  it("returns null for other queries", () => {
    expect(parseBlobQuery("query { viewer { login } }")).toBeNull();
  });
});
