import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_RULES } from "../rules/index.js";
import { renderRulesMarkdown } from "./rules-markdown.js";

/** `npm run docs`: regenerates docs/rules.md from rule metadata. */
const target = join(process.cwd(), "docs", "rules.md");
writeFileSync(target, renderRulesMarkdown(ALL_RULES));
process.stdout.write(`wrote ${target} (${ALL_RULES.length} rules)\n`);
