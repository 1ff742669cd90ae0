/** Jest in native ESM mode (Probot 14 is ESM-only); TypeScript through swc, type-checked by `npm run typecheck`. */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } }],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testMatch: ["<rootDir>/src/**/*.test.ts", "<rootDir>/test/**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // One temporary directory per run (TMPDIR), removed at the end: tests leave nothing under /tmp.
  globalSetup: "<rootDir>/test/temp-dir.js",
  globalTeardown: "<rootDir>/test/temp-dir-teardown.js",
  testTimeout: 30000,
  // The suites that wait on real servers and timers first (see test/sequencer.js).
  testSequencer: "<rootDir>/test/sequencer.js",
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
