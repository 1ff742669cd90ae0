/**
 * Cooperative steps. Long pure work (a review's parse, render and rules) is written as a generator that yields
 * between units of work — a file, a rendered root — and never schedules anything itself. A caller with an event loop
 * to keep responsive (the App's pipeline) gives the loop a turn between steps when its time slice is used up; a
 * caller with none (the CLI, `review()`) runs every step at once with `runSteps`.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step now and returns the result: the synchronous way through. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
