// The local fake GitHub lives in src/github/fake so `npm run bench` can use it from dist/; tests import it from here.
export * from "../../src/github/fake/fake-github.js";
export { parseBlobQuery } from "../../src/github/fake/graphql.js";
