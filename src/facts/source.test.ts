import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../core/config.js";
import { prepareReview, type FileChange } from "../core/review.js";
import { ALL_RULES } from "../rules/index.js";
import { factSlot, type FactsProvider, type ImageFactRequest } from "../core/facts.js";
import { gatherReviewFacts, type FactsSource } from "./source.js";

const R = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";
const SLOT = factSlot<string>("test");
const now = new Date("2026-11-22T00:00:00Z");
const config = defaultConfig();

const pod = (name: string, images: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n${images.map((i, n) => `    - name: c${n}\n      image: ${i}\n`).join("")}`;

function provider(asked: string[][], opts: { enabled?: boolean; gather?: FactsProvider<string>["gather"] } = {}): FactsProvider<string> {
  return {
    slot: SLOT,
    name: "TEST",
    enabled: opts.enabled ?? true,
    ...(opts.enabled === false ? { disabledReason: "no credentials" } : {}),
    covers: (ref) => ref.registry === R,
    gather:
      opts.gather ??
      (async (requests: readonly ImageFactRequest[]) => {
        asked.push(requests.map((r) => r.key));
        return new Map(requests.map((r) => [r.key, { kind: "fact" as const, value: "ok" }]));
      }),
  };
}

function source(p: FactsProvider<string>, mayReference?: (text: string) => boolean): FactsSource {
  return { providersFor: async () => [p], ...(mayReference ? { mayReference } : {}) };
}

function prepared(changes: FileChange[]) {
  return prepareReview({ changes, config, rules: ALL_RULES, now });
}

describe("gatherReviewFacts", () => {
  const changes: FileChange[] = [
    { path: "a.yaml", status: "modified", base: pod("a", [`${R}/api:v1`, "nginx:1.27"]), head: pod("a", [`${R}/api:v1`, `${R}/api:v2`, "nginx:1.28"]) },
    // The image moved from b.yaml to c.yaml: not introduced.
    { path: "b.yaml", status: "removed", base: pod("b", [`${R}/worker:v1`]) },
    { path: "c.yaml", status: "added", head: pod("c", [`${R}/worker:v1`, `${R}/web:3`]) },
  ];

  it("asks about what the head introduces, once per image", async () => {
    const asked: string[][] = [];
    const { facts, notes } = await gatherReviewFacts({ prepared: prepared(changes), changes, config, source: source(provider(asked)), now });
    expect(asked).toEqual([[`${R}/api:v2`, `${R}/web:3`]]);
    expect(facts.images.get(`${R}/api:v2`)?.from(SLOT)).toEqual({ kind: "fact", value: "ok" });
    expect(notes).toEqual([]);
  });

  it("reads again only the files whose text can name a covered image", async () => {
    const asked: string[][] = [];
    const more: FileChange[] = [...changes, { path: "d.yaml", status: "modified", base: pod("d", ["nginx:1.27"]), head: pod("d", ["nginx:1.28"]) }];
    const p = prepared(more);
    const read: string[] = [];
    const spy = {
      documents: (side: "head" | "base", include?: (path: string) => boolean) =>
        p.documents(side, (path) => {
          const yes = include?.(path) ?? true;
          if (yes) read.push(`${side}:${path}`);
          return yes;
        }),
    };
    await gatherReviewFacts({ prepared: spy, changes: more, config, source: source(provider(asked), (t) => t.includes(R)), now });
    expect(asked).toEqual([[`${R}/api:v2`, `${R}/web:3`]]);
    expect(read).toEqual(["head:a.yaml", "head:c.yaml", "base:a.yaml", "base:b.yaml"]);
  });

  it("with `pace`, gives the caller's event loop its turns between documents and asks the same", async () => {
    const asked: string[][] = [];
    let paced = 0;
    let turns = 0;
    // A turn is due after every other document; each one is a real setImmediate.
    const pace = () => (++paced % 2 === 0 ? new Promise<void>((r) => setImmediate(() => (turns++, r()))) : undefined);
    await gatherReviewFacts({ prepared: prepared(changes), changes, config, source: source(provider(asked)), now, pace });
    expect(asked).toEqual([[`${R}/api:v2`, `${R}/web:3`]]);
    // Head: a.yaml and c.yaml; base: a.yaml and b.yaml — one document each.
    expect(paced).toBe(4);
    expect(turns).toBe(2);
  });

  it("a provider that does not run notes it only when the change introduces images it covers", async () => {
    const asked: string[][] = [];
    const off = provider(asked, { enabled: false });
    const withImages = await gatherReviewFacts({ prepared: prepared(changes), changes, config, source: source(off), now });
    expect(withImages.notes).toEqual(["TEST checks skipped: no credentials"]);
    const other: FileChange[] = [{ path: "a.yaml", status: "added", head: pod("a", ["nginx:1.28"]) }];
    const without = await gatherReviewFacts({ prepared: prepared(other), changes: other, config, source: source(off), now });
    expect(without.notes).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("stops a provider at the stage's time limit: its images are unavailable, with the reason", async () => {
    const hanging = provider([], {
      gather: (_requests, signal) =>
        new Promise((_resolve, reject) => signal!.addEventListener("abort", () => reject(Object.assign(new Error("Request aborted"), { name: "AbortError" })))),
    });
    const { facts } = await gatherReviewFacts({ prepared: prepared(changes), changes, config, source: source(hanging), now, timeoutMs: 20 });
    expect(facts.images.get(`${R}/api:v2`)?.from(SLOT)).toEqual({ kind: "unavailable", reason: "TEST could not be queried: AbortError: Request aborted" });
  });
});
