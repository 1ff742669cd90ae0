import { describe, expect, it } from "@jest/globals";
import type { Steps } from "../core/steps.js";
import { Pacer } from "./pace.js";

/** Steps that record, at each step, whether a callback queued on the event loop has run yet. */
function* recording(n: number, seen: boolean[], ran: () => boolean): Steps<string> {
  for (let i = 0; i < n; i++) {
    seen.push(ran());
    yield;
  }
  return "done";
}

describe("Pacer", () => {
  it("gives the event loop a turn between steps once a slice is used up (here: after every step)", async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    const seen: boolean[] = [];
    expect(await new Pacer(0).drive(recording(3, seen, () => ran))).toBe("done");
    // The callback queued before the review ran before its second step: the loop was not held.
    expect(seen).toEqual([false, true, true]);
  });

  it("runs the steps in one go while the slice lasts", async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    const seen: boolean[] = [];
    await new Pacer(Number.POSITIVE_INFINITY).drive(recording(3, seen, () => ran));
    expect(seen).toEqual([false, false, false]);
  });

  it("pace() asks for a turn only when the slice is used up", async () => {
    expect(new Pacer(Number.POSITIVE_INFINITY).pace()).toBeUndefined();
    const due = new Pacer(0).pace();
    expect(typeof due?.then).toBe("function");
    await due;
  });
});
