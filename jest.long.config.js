/**
 * `npm run test:long`: the long variants of the fault, fuzz and load suites (GITOPS_GUARD_LONG=1 — every fault on
 * every kind of call, a store that never answers, more fuzz runs, more pull requests at once), with room for them,
 * and the measurements that run only here (`*.long.ts`: time per file on the worst inputs).
 */
import base from "./jest.config.js";

export default {
  ...base,
  testMatch: ["<rootDir>/test/faults/**/*.test.ts", "<rootDir>/test/fuzz/**/*.test.ts", "<rootDir>/test/load/**/*.test.ts", "<rootDir>/test/**/*.long.ts"],
  testTimeout: 300_000,
};
