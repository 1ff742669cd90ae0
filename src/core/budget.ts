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
  return `too expensive to review (over ${durationText(ms)}); not fully reviewed`;
}

/**
 * The file as a problem only, for a review the budget (of `ms` milliseconds) cut short: evaluating it yields the one
 * `guard/parse-error` finding that says so (and nothing else: it has no text and no documents).
 */
export function overBudget(file: ParsedFile, ms: number): ParsedFile {
  const at = file.rangeOf(0, 0);
  return { ...file, text: null, docs: [], skipped: null, problems: [{ ...at, message: overBudgetMessage(ms), docIndex: 0 }] };
}

/** Milliseconds of wall time (monotonic). */
export const wallMs: Clock = () => performance.now();

/**
 * The time budget of a whole review: the review's own work (parse, render, rules), summed over the stretches in which
 * it runs. The review pauses it when it yields (see steps.ts) and starts it again when it resumes, so the time the
 * caller spends elsewhere between steps — answering other webhooks, another review's steps, waiting for GitHub or
 * the decision store — does not count. A backstop: when it is spent, the files not yet judged are not judged at all
 * (the review says so and fails); each file's own budget still applies first.
 */
export interface WorkBudget {
  /** The budget in milliseconds (infinite: no budget). */
  readonly ms: number;
  /** Starts (or keeps) counting. */
  start(): void;
  /** Stops counting until the next `start`. */
  pause(): void;
  /** True once the work counted so far is over the budget. */
  spent(): boolean;
}

/** A budget of `ms` milliseconds of `clock` (wall time by default: the backstop is for a deadline on the clock). */
export function workBudget(ms: number, clock: Clock = wallMs): WorkBudget {
  if (!Number.isFinite(ms)) return { ms: Number.POSITIVE_INFINITY, start: () => undefined, pause: () => undefined, spent: () => false };
  let used = 0;
  let since: number | null = null;
  return {
    ms,
    start: () => {
      since ??= clock();
    },
    pause: () => {
      if (since === null) return;
      used += clock() - since;
      since = null;
    },
    spent: () => used + (since === null ? 0 : clock() - since) > ms,
  };
}

/** The `guard/parse-error` message (after the path) for a file the review's budget left unjudged. */
export function notReviewedMessage(ms: number): string {
  return `not reviewed: the review's time budget (${durationText(ms)} of work) ran out before this file was judged`;
}

/** "2.5 s", "800 ms". */
export function durationText(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}
