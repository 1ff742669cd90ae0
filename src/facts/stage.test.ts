import { describe, expect, it } from "@jest/globals";
import { parseImageRef, type ImageRef } from "../parse/image-ref.js";
import { imageKey } from "../parse/image-sources.js";
import { gatherFacts, skippedNotes } from "./stage.js";
import { factSlot, type FactsProvider, type ImageFactRequest, type ProviderResult } from "../core/facts.js";

function request(raw: string): ImageFactRequest {
  const ref = parseImageRef(raw);
  return { key: imageKey(ref), ref, locations: [{ file: "a.yaml", docIndex: 0, path: ["spec"] }] };
}

const A = request("111122223333.dkr.ecr.eu-central-1.amazonaws.com/api:v1");
const B = request("111122223333.dkr.ecr.eu-central-1.amazonaws.com/api:v2");
const HUB = request("nginx:1.27");

interface Size {
  bytes: number;
}
const SIZE = factSlot<Size>("size");
const SCANNER = factSlot<string>("scanner");

function provider<T>(
  slot: ReturnType<typeof factSlot<T>>,
  gather: (reqs: readonly ImageFactRequest[]) => Promise<ReadonlyMap<string, ProviderResult<T>>>,
  opts: { enabled?: boolean; covers?: (ref: ImageRef) => boolean; calls?: string[][] } = {},
): FactsProvider<T> {
  return {
    slot,
    name: slot.provider.toUpperCase(),
    enabled: opts.enabled ?? true,
    disabledReason: opts.enabled === false ? "no credentials" : undefined,
    covers: opts.covers ?? ((ref) => ref.registry.endsWith("amazonaws.com")),
    gather: async (reqs) => {
      opts.calls?.push(reqs.map((r) => r.key));
      return gather(reqs);
    },
  };
}

describe("gatherFacts", () => {
  it("runs enabled providers over the images they cover and files each result under its slot", async () => {
    const calls: string[][] = [];
    const size = provider(SIZE, async (reqs) => new Map(reqs.map((r, i) => [r.key, { kind: "fact" as const, value: { bytes: i + 1 } }])), { calls });
    const scanner = provider(SCANNER, async () => new Map([[A.key, { kind: "fact" as const, value: "clean" }]]), { covers: () => true });
    const facts = await gatherFacts({ images: [A, B, HUB], providers: [size, scanner], now: new Date("2026-11-22T10:00:00Z") });
    expect(calls).toEqual([[A.key, B.key]]);
    expect(facts.asOf).toBe("2026-11-22T10:00:00.000Z");
    expect(facts.images.get(A.key)?.from(SIZE)).toEqual({ kind: "fact", value: { bytes: 1 } });
    expect(facts.images.get(A.key)?.from(SCANNER)).toEqual({ kind: "fact", value: "clean" });
    // Covered but not answered: unavailable, never silence.
    expect(facts.images.get(B.key)?.from(SCANNER)).toEqual({ kind: "unavailable", reason: "SCANNER returned no result for this image" });
    // Not covered: no result at all.
    expect(facts.images.get(HUB.key)?.from(SIZE)).toBeUndefined();
    expect(facts.providers).toEqual([
      { provider: "size", name: "SIZE", enabled: true, skipped: null, requested: 2, unavailable: 0 },
      { provider: "scanner", name: "SCANNER", enabled: true, skipped: null, requested: 3, unavailable: 2 },
    ]);
  });

  it("a provider that fails as a whole makes each of its images unavailable with the reason", async () => {
    const broken = provider(SIZE, async () => {
      throw Object.assign(new Error("socket hang up"), { name: "NetworkError" });
    });
    const facts = await gatherFacts({ images: [A, B], providers: [broken] });
    expect(facts.images.get(A.key)?.from(SIZE)).toEqual({ kind: "unavailable", reason: "SIZE could not be queried: NetworkError: socket hang up" });
    expect(facts.images.get(B.key)?.from(SIZE)?.kind).toBe("unavailable");
    expect(facts.providers[0]).toMatchObject({ requested: 2, unavailable: 2 });
  });

  it("does not call a disabled provider; its images have no result and one note says why", async () => {
    const calls: string[][] = [];
    const off = provider(SIZE, async () => new Map(), { enabled: false, calls });
    const facts = await gatherFacts({ images: [A], providers: [off] });
    expect(calls).toEqual([]);
    expect(facts.images.get(A.key)?.from(SIZE)).toBeUndefined();
    expect(skippedNotes(facts)).toEqual(["SIZE checks skipped: no credentials"]);
  });

  it("hands rules facts they cannot change", async () => {
    const size = provider(SIZE, async (reqs) => new Map(reqs.map((r) => [r.key, { kind: "fact" as const, value: { bytes: 1 } }])));
    const facts = await gatherFacts({ images: [A], providers: [size] });
    const images = facts.images as Map<string, unknown>;
    expect(() => images.set("x", {})).toThrow("read-only");
    expect(() => images.delete(A.key)).toThrow("read-only");
    const r = facts.images.get(A.key)?.from(SIZE);
    expect(Object.isFrozen(r)).toBe(true);
    expect(r?.kind === "fact" && Object.isFrozen(r.value)).toBe(true);
    expect(Object.isFrozen(facts)).toBe(true);
  });
});
