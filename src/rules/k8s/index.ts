import type { Rule } from "../../core/rule.js";
import privilegedContainer from "./privileged-container.js";

export const k8sRules: Rule[] = [privilegedContainer];
