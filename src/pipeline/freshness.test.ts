import { describe, expect, it } from "@jest/globals";
import { HeadTracker, KeyedMutex, prKey } from "./freshness.js";

describe("HeadTracker", () => {
  it("knows a review is stale once a newer event announced another head", () => {
    const heads = new HeadTracker();
    const key = prKey({ owner: "Acme", repo: "GitOps", number: 4 });
    expect(heads.isLatest(key, "a")).toBe(true); // nothing known yet
    heads.note(key, "a");
    heads.note(key, "b");
    expect(heads.isLatest(key, "a")).toBe(false);
    expect(heads.isLatest(key, "b")).toBe(true);
    expect(key).toBe("acme/gitops#4");
  });

  it("forgets the oldest PRs beyond its capacity", () => {
    const heads = new HeadTracker(2);
    heads.note("a", "1");
    heads.note("b", "1");
    heads.note("c", "1");
    expect(heads.isLatest("a", "other")).toBe(true);
    expect(heads.isLatest("c", "other")).toBe(false);
  });
});

describe("KeyedMutex", () => {
  it("runs sections of one key one at a time, other keys in parallel, and survives failures", async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const section = (key: string, name: string, ms: number, fail = false) =>
      m.run(key, async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section("pr", "a", 20, true), section("pr", "b", 5), section("other", "c", 1)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(log.indexOf("a-")).toBeLessThan(log.indexOf("b+"));
    expect(log.indexOf("c+")).toBeLessThan(log.indexOf("a-"));
  });
});
