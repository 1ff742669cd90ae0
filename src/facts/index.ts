export * from "../core/facts.js";
export { buildReviewFacts, noFacts, type ResultsByProvider } from "./build.js";
export { gatherFacts, skippedNotes, type GatherInput } from "./stage.js";
export { imageRequests, introducedImageRequests, introducedImageRequestsOfDocs } from "./requests.js";
export { gatherReviewFacts, FACTS_TIMEOUT_MS, type FactsSource, type GatheredReviewFacts, type ReviewFactsInput } from "./source.js";
