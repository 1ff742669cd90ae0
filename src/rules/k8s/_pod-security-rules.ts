import type { Rule } from "../../core/rule.js";
import privilegedContainer from "./privileged-container.js";

/** Pod Security Standards rules (privileged-container … windows-host-process), in RULES.md order. */
export const podSecurityRules: Rule[] = [privilegedContainer];
