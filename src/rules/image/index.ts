import type { Rule } from "../../core/rule.js";
import mutableTag from "./mutable-tag.js";
import nonProductionRegistry from "./non-production-registry.js";
import notPinnedByDigest from "./not-pinned-by-digest.js";
import untrustedRegistry from "./untrusted-registry.js";

/** Container image rules, in RULES.md order. */
export const imageRules: Rule[] = [mutableTag, untrustedRegistry, notPinnedByDigest, nonProductionRegistry];
