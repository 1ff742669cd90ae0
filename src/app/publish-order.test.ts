import { describe, expect, it } from "@jest/globals";
import { PublishOrder } from "./publish-order.js";

describe("PublishOrder", () => {
  it("a review that started earlier may not publish once a later one of the same PR has", () => {
    const order = new PublishOrder();
    const older = order.start();
    const newer = order.start();
    expect(order.mayPublish("a#1", older)).toBe(true);
    order.markPublished("a#1", newer);
    expect(order.mayPublish("a#1", older)).toBe(false);
    expect(order.mayPublish("a#1", newer)).toBe(false);
    // Another PR is not affected; a review started afterwards publishes.
    expect(order.mayPublish("a#2", older)).toBe(true);
    expect(order.mayPublish("a#1", order.start())).toBe(true);
  });

  it("publishing an older review after a newer one does not move the mark back", () => {
    const order = new PublishOrder();
    const older = order.start();
    const newer = order.start();
    order.markPublished("a#1", newer);
    order.markPublished("a#1", older);
    expect(order.mayPublish("a#1", newer)).toBe(false);
    expect(order.mayPublish("a#1", newer + 1)).toBe(true);
  });

  it("forgets the oldest PRs beyond its capacity", () => {
    const order = new PublishOrder(2);
    const first = order.start();
    const second = order.start();
    order.markPublished("a#1", second);
    order.markPublished("a#2", second);
    order.markPublished("a#3", second);
    expect(order.mayPublish("a#1", first)).toBe(true);
    expect(order.mayPublish("a#3", first)).toBe(false);
  });
});
