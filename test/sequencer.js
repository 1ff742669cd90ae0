/**
 * Jest's default order (failed and slow files first, by its cache; by file size in a fresh clone), except that the
 * suites that wait on real HTTP servers and timers — the fault injection, the load test and the end-to-end tests —
 * run first. Jest runs every file of a run in one process on this 2-CPU machine, and that process gets slower with
 * every file it has loaded (native ESM modules are kept): at the end of a fresh clone's run the fault suite took 70 s
 * instead of 18 s and its reviews timed out.
 */
import Sequencer from "@jest/test-sequencer";

const FIRST = ["/test/faults/", "/test/load/", "/test/e2e/"];

export default class TimingSensitiveFirst extends Sequencer {
  sort(tests) {
    const rank = (t) => (FIRST.some((dir) => t.path.includes(dir)) ? 0 : 1);
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
}
