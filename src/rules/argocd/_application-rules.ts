import type { Rule } from "../../core/rule.js";
import appAutoPrune from "./app-auto-prune.js";
import appDefaultProject from "./app-default-project.js";
import appDeleted from "./app-deleted.js";
import appDestructiveSyncOptions from "./app-destructive-sync-options.js";
import appHelmPassCredentials from "./app-helm-pass-credentials.js";
import appInClusterDestination from "./app-in-cluster-destination.js";
import appUnpinnedRevision from "./app-unpinned-revision.js";
import appUnsafeLink from "./app-unsafe-link.js";
import appsetTemplatedProject from "./appset-templated-project.js";
import appsetUnboundedClusterGenerator from "./appset-unbounded-cluster-generator.js";

/** Application and ApplicationSet rules, in RULES.md order. */
export const applicationRules: Rule[] = [
  appDefaultProject,
  appUnpinnedRevision,
  appAutoPrune,
  appDestructiveSyncOptions,
  appInClusterDestination,
  appHelmPassCredentials,
  appUnsafeLink,
  appDeleted,
  appsetTemplatedProject,
  appsetUnboundedClusterGenerator,
];
