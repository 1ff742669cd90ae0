export * from "./types.js";
export { toCoreWaiver, recordedFinding, reviewRecordFrom } from "./convert.js";
export { DynamoDecisionStore } from "./dynamo-store.js";
export { reviewDecisions, type ReviewToRecord } from "./review-decisions.js";
export { randomWaiverId, waiverIdFor, WAIVER_ID_RE } from "./ids.js";
export { openStore, storeMode, hasAwsCredentials, isLoopback, type OpenStoreOptions, type OpenedStore, type StoreMode } from "./open.js";
export { DEFAULT_TABLE_NAME, ensureTable, tableDefinition } from "./table.js";
