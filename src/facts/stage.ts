import { buildReviewFacts } from "./build.js";
import type { AnyFactsProvider, ImageFactRequest, ProviderResult, ProviderRun, ReviewFacts } from "../core/facts.js";

export interface GatherInput {
  images: readonly ImageFactRequest[];
  providers: readonly AnyFactsProvider[];
  now?: Date;
  signal?: AbortSignal;
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message}` : String(err);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * The facts stage: runs every enabled provider over the images it covers, in parallel, and returns the
 * review's immutable facts. A provider that fails as a whole makes each of its images `unavailable` with the
 * reason; an image a provider covers but did not answer for is `unavailable` too — never silence.
 */
export async function gatherFacts(input: GatherInput): Promise<ReviewFacts> {
  const now = input.now ?? new Date();
  const enabled = input.providers.filter((p) => p.enabled);
  const settled = await Promise.all(
    enabled.map(async (p) => {
      const covered = input.images.filter((r) => p.covers(r.ref));
      const results = new Map<string, ProviderResult<unknown>>();
      if (covered.length === 0) return { p, covered, results };
      let answered: ReadonlyMap<string, ProviderResult<unknown>>;
      try {
        answered = await p.gather(covered, input.signal);
      } catch (err) {
        const reason = `${p.name} could not be queried: ${describe(err)}`;
        for (const r of covered) results.set(r.key, { kind: "unavailable", reason });
        return { p, covered, results };
      }
      for (const r of covered) {
        results.set(r.key, answered.get(r.key) ?? { kind: "unavailable", reason: `${p.name} returned no result for this image` });
      }
      return { p, covered, results };
    }),
  );

  const runs: ProviderRun[] = input.providers.map((p) => {
    const s = settled.find((x) => x.p === p);
    const unavailable = s ? [...s.results.values()].filter((r) => r.kind === "unavailable").length : 0;
    return {
      provider: p.slot.provider,
      name: p.name,
      enabled: p.enabled,
      skipped: p.enabled ? null : (p.disabledReason ?? "disabled"),
      // For a provider that did not run: the covered images it would have been asked about (`covers` is pure).
      requested: s?.covered.length ?? input.images.filter((r) => p.covers(r.ref)).length,
      unavailable,
    };
  });
  const results = new Map(settled.map((s) => [s.p.slot.provider, s.results] as const));
  return buildReviewFacts({ asOf: now, requests: input.images, runs, results });
}

/**
 * One line per provider that did not run although the review has images it covers, for the review's notes (e.g.
 * "ECR checks skipped: no AWS credentials …"). A review without such images gets no note: nothing was left unchecked.
 */
export function skippedNotes(facts: ReviewFacts): string[] {
  return facts.providers.filter((r) => r.skipped !== null && r.requested > 0).map((r) => `${r.name} checks skipped: ${r.skipped}`);
}
