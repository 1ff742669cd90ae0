/**
 * The facts stage of one review, as the CLI and the App run it: after parse and render, before evaluation. The
 * images come from the documents the review judges (rendered Kustomize objects included, so an overlay's `images:`
 * counts as Argo CD would apply it); only those on the head side and not on the base side are asked about.
 *
 * A `FactsSource` is the neutral port through which an entry point hands providers to the review (the App and the
 * CLI build the ECR one; the pipeline knows no provider): which providers run under a repository's config, and a
 * cheap text test that lets files which cannot reference a covered image go unread.
 */
import type { Config } from "../core/config.js";
import type { AnyFactsProvider, ReviewFacts } from "../core/facts.js";
import type { FileContent } from "../core/repository.js";
import { rawText } from "../parse/decode.js";
import type { FileChange, PreparedReview } from "../core/review.js";
import { imageSources, introducedImages, type ImageSource } from "../parse/image-sources.js";
import type { ParsedDoc } from "../parse/yaml-file.js";
import { noFacts } from "./build.js";
import { imageRequests } from "./requests.js";
import { gatherFacts, skippedNotes } from "./stage.js";

export interface FactsSource {
  /** The providers of a review under this repository config (a provider the config or environment turns off is returned disabled: it gives a note). */
  providersFor(config: Config): Promise<readonly AnyFactsProvider[]>;
  /** Whether a file's text can reference an image some provider covers; files that cannot are not read for images. */
  mayReference?(text: string): boolean;
}

/** The stage's own time limit: a provider whose calls outlast it answers `unavailable` for what is left. */
export const FACTS_TIMEOUT_MS = 60_000;

export interface ReviewFactsInput {
  prepared: Pick<PreparedReview, "documents">;
  /** The review's changes (their contents feed `mayReference`). */
  changes: readonly FileChange[];
  config: Config;
  source: FactsSource;
  now: Date;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Asked after each document read (reading parses files): a promise when the caller's event loop is due a turn
   * (the App's pipeline, see pipeline/pace.ts), awaited before the next document. Without it the documents are read
   * in one go.
   */
  pace?: () => Promise<void> | undefined;
}

export interface GatheredReviewFacts {
  facts: ReviewFacts;
  /** One note per provider that did not run although the change introduces images it covers. */
  notes: string[];
}

/** Raw text for a cheap test (ASCII hosts survive a latin1 reading of any bytes); nothing for unread content. */
function textOf(content: FileContent): string {
  return rawText(content) ?? "";
}

/** The paths, per side, whose contents pass the source's text test. */
function pathsReferencing(changes: readonly FileChange[], may: (text: string) => boolean): { head: Set<string>; base: Set<string> } {
  const head = new Set<string>();
  const base = new Set<string>();
  for (const c of changes) {
    if (c.head !== undefined && may(textOf(c.head))) head.add(c.path);
    if (c.base !== undefined && may(textOf(c.base))) base.add(c.previousPath ?? c.path);
  }
  return { head, base };
}

/** The image sources of a side's documents, giving the caller's event loop its turns (`pace`) between documents. */
async function sourcesOf(docs: Iterable<ParsedDoc>, pace: ReviewFactsInput["pace"]): Promise<ImageSource[]> {
  const out: ImageSource[] = [];
  for (const doc of docs) {
    out.push(...imageSources(doc));
    const turn = pace?.();
    if (turn) await turn;
  }
  return out;
}

/** Gathers the facts of a prepared review: what `evaluate({ facts, notes })` takes. */
export async function gatherReviewFacts(input: ReviewFactsInput): Promise<GatheredReviewFacts> {
  const providers = await input.source.providersFor(input.config);
  if (providers.length === 0) return { facts: noFacts(input.now), notes: [] };
  const may = input.source.mayReference?.bind(input.source);
  const paths = may ? pathsReferencing(input.changes, may) : null;
  // As introducedImageRequestsOfDocs, paced: nothing on the head side, and the base side need not be read.
  const head = await sourcesOf(input.prepared.documents("head", paths ? (p) => paths.head.has(p) : undefined), input.pace);
  const base = head.length === 0 ? [] : await sourcesOf(input.prepared.documents("base", paths ? (p) => paths.base.has(p) : undefined), input.pace);
  const images = head.length === 0 ? [] : imageRequests(introducedImages(head, base));
  const timeout = AbortSignal.timeout(input.timeoutMs ?? FACTS_TIMEOUT_MS);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  const facts = await gatherFacts({ images, providers, now: input.now, signal });
  return { facts, notes: skippedNotes(facts) };
}
