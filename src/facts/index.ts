export * from "../core/facts.js";
export { buildReviewFacts, noFacts, type ResultsByProvider } from "./build.js";
export { gatherFacts, skippedNotes, type GatherInput } from "./stage.js";
export { imageRequests, introducedImageRequests } from "./requests.js";
