/** Jest in native ESM mode (Probot 14 is ESM-only); TypeScript through swc, type-checked by `npm run typecheck`. */
import { availableParallelism } from "node:os";

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
  // Jest's default is one worker per CPU but one, which on a 2-CPU CI machine runs every suite in band on one CPU
  // while the other idles: two workers at least (the suites use their own temporary directories and free ports).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // The suites that wait on real servers and timers first (see test/sequencer.js).
  testSequencer: "<rootDir>/test/sequencer.js",
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
