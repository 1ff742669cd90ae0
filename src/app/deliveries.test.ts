import { describe, expect, it } from "@jest/globals";
import { deliveryGuard } from "./deliveries.js";

const log = { info: () => undefined, warn: () => undefined };

function memory(opts: { claimFails?: boolean } = {}) {
  const seen = new Set<string>();
  const forgotten: string[] = [];
  return {
    forgotten,
    seen,
    async claimDelivery(id: string) {
      if (opts.claimFails) throw new Error("store down");
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    },
    async forgetDelivery(id: string) {
      forgotten.push(id);
      seen.delete(id);
    },
  };
}

describe("deliveryGuard", () => {
  it("runs the work once per delivery id", async () => {
    const once = deliveryGuard(memory());
    let runs = 0;
    const work = async () => void runs++;
    await once({ id: "d1", log } as never, work);
    await once({ id: "d1", log } as never, work);
    await once({ id: "d2", log } as never, work);
    expect(runs).toBe(2);
  });

  it("forgets the delivery when the work throws or says it failed, so a redelivery runs again", async () => {
    const store = memory();
    const once = deliveryGuard(store);
    await expect(once({ id: "d1", log } as never, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await once({ id: "d2", log } as never, async () => "failed");
    expect(store.forgotten).toEqual(["d1", "d2"]);
    let runs = 0;
    await once({ id: "d1", log } as never, async () => void runs++);
    expect(runs).toBe(1);
    expect(store.seen.has("d1")).toBe(true);
  });

  it("still does the work when the store cannot record the delivery (the PR must get its check run)", async () => {
    const store = memory({ claimFails: true });
    let runs = 0;
    await deliveryGuard(store)({ id: "d1", log } as never, async () => {
      runs++;
      return "failed";
    });
    expect(runs).toBe(1);
    expect(store.forgotten).toEqual([]);
  });

  it("without a store every event is handled", async () => {
    let runs = 0;
    const once = deliveryGuard(undefined);
    await once({ id: "d1", log } as never, async () => void runs++);
    await once({ id: "d1", log } as never, async () => void runs++);
    expect(runs).toBe(2);
  });
});
