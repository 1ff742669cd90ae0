// The loopback fake GitHub, for the Lambda tests. On this branch it is re-exported by test/e2e/fake-github.ts; where it
// lives in test/fakes/github/ instead, this is the one line to change.
export * from "../e2e/fake-github.js";
