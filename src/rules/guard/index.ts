import type { Rule } from "../../core/rule.js";
import invalidSuppression from "./invalid-suppression.js";
import parseError from "./parse-error.js";

export const guardRules: Rule[] = [parseError, invalidSuppression];
