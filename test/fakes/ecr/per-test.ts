import { afterEach, beforeEach } from "@jest/globals";
import { FakeEcr } from "./fake-ecr.js";
import { useFake } from "./harness.js";

/** A fresh fake ECR for each test of the calling file or describe block, with the SDK pointed at it (`box.fake`). */
export function fakeEcrPerTest(): { readonly fake: FakeEcr } {
  const box = {} as { fake: FakeEcr };
  let restore: () => void = () => {};
  beforeEach(async () => {
    box.fake = await FakeEcr.start();
    restore = useFake(box.fake);
  });
  afterEach(async () => {
    restore();
    await box.fake.close();
  });
  return box;
}
