import type { ParsedFile } from "../parse/yaml-file.js";

/**
 * A time budget for reviewing one file. The engine checks it between documents and between rules: a rule that
 * is already running (a regular expression, say) cannot be interrupted in JavaScript, so this is a safety net
 * that keeps one hostile file from holding the review for minutes, not a substitute for linear rules.
 */
export interface Budget {
  /** The budget in milliseconds. */
  readonly ms: number;
  /** True once the time is up; the caller then skips the work left, and the budget remembers it did (`cutShort`). */
  stop(): boolean;
  /** True when work was skipped because the time was up. */
  readonly cutShort: boolean;
}

/** Milliseconds on a monotonic clock. */
export type Clock = () => number;

/**
 * A sample is a system call (getrusage) that costs up to a millisecond while other threads of the process (the
 * garbage collector's) are busy: sampled every 2 ms, it took 0.6–0.9 s of a 5,000-file scan. Budgets are seconds
 * (`limits.maxFileMs`), so a sample every 50 ms stops a file at most that much later.
 */
const SAMPLE_EVERY_MS = 50;

let sampledAt = Number.NEGATIVE_INFINITY;
let sampledCpu = 0;

/**
 * CPU milliseconds this process has used, sampled at most every SAMPLE_EVERY_MS of wall time (the engine asks once
 * per rule and document). CPU time rather than wall time, so that a loaded machine does not cut short the review of
 * a file that is merely large.
 */
export function processCpuMs(): number {
  const wall = performance.now();
  if (wall - sampledAt >= SAMPLE_EVERY_MS) {
    sampledAt = wall;
    const { user, system } = process.cpuUsage();
    sampledCpu = (user + system) / 1000;
  }
  return sampledCpu;
}

export const UNLIMITED: Budget = { ms: Number.POSITIVE_INFINITY, stop: () => false, cutShort: false };

/** A budget of `ms` milliseconds (of `clock`, CPU time by default) from now. */
export function startBudget(ms: number, clock: Clock = processCpuMs): Budget {
  if (!Number.isFinite(ms)) return UNLIMITED;
  const start = clock();
  let over = false;
  return {
    ms,
    stop: () => over || (over = clock() - start > ms),
    get cutShort() {
      return over;
    },
  };
}

/** The `guard/parse-error` message for a file whose review was cut short. */
export function overBudgetMessage(ms: number): string {
  const seconds = ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
  return `too expensive to review (over ${seconds}); not fully reviewed`;
}

/**
 * The file as a problem only, for a review the budget cut short: evaluating it yields the one `guard/parse-error`
 * finding that says so (and nothing else: it has no text and no documents).
 */
export function overBudget(file: ParsedFile, budget: Budget): ParsedFile {
  const at = file.rangeOf(0, 0);
  return { ...file, text: null, docs: [], skipped: null, problems: [{ ...at, message: overBudgetMessage(budget.ms), docIndex: 0 }] };
}
