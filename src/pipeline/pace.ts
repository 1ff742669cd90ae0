import { setImmediate as nextTurn } from "node:timers/promises";
import type { Steps } from "../core/steps.js";

/** How much synchronous review work runs before the event loop gets a turn (webhooks, /ping, other reviews). */
export const DEFAULT_SLICE_MS = 50;

/**
 * Paces a review's synchronous work on a server's event loop: the core's steps (see core/steps.ts) run one after
 * another until `sliceMs` of wall time has gone by, then the loop gets a turn (`setImmediate`: pending I/O and
 * timers first) before the next step. A step itself is never interrupted: its length is bounded by the per-file budget.
 */
export class Pacer {
  private since = performance.now();

  constructor(private readonly sliceMs: number = DEFAULT_SLICE_MS) {}

  /** A promise to await when the slice is used up (the event loop then gets a turn), otherwise undefined. */
  readonly pace = (): Promise<void> | undefined => {
    if (performance.now() - this.since < this.sliceMs) return undefined;
    return nextTurn().then(() => {
      this.since = performance.now();
    });
  };

  /** Runs every step, giving the event loop a turn whenever a slice is used up; the steps' result. */
  async drive<T>(steps: Steps<T>): Promise<T> {
    this.since = performance.now();
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      const turn = this.pace();
      if (turn) await turn;
    }
  }
}
