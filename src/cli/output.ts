import type { ReviewResult } from "../core/review.js";
import { imagesSection, type ImageRow } from "../report/images.js";
import { toJsonReport } from "../report/json.js";
import type { ReviewedCommit } from "../report/links.js";
import { renderMarkdown } from "../report/pr-comment.js";
import { toSarif } from "../report/sarif.js";
import { renderText } from "../report/text.js";
import { ALL_RULES } from "../rules/index.js";
import { UsageError } from "./io.js";
import { REPOSITORY_URL, RULES_DOC_URL, VERSION } from "./version.js";

export const FORMATS = ["text", "json", "markdown", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export function checkFormat(f: string | undefined): Format {
  const format = f ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${format}")`);
  return format as Format;
}

export interface RenderOptions {
  /** A review of git refs: its locations link to their lines at this commit (markdown). */
  commit?: ReviewedCommit;
  /** The images the change introduces on Amazon ECR, when the ECR checks ran (SARIF has no place for them). */
  images?: readonly ImageRow[];
  /** A review's renamed files, base path → head path (see `SarifOptions.replacedAtHead`). */
  replacedAtHead?: ReadonlyMap<string, string>;
  /** Text: the summary when nothing was reviewed (a scan's "No YAML files found in …"). */
  nothingReviewed?: string;
}

export function render(result: ReviewResult, format: Format, color: boolean, commandPrefix: string, opts: RenderOptions = {}): string {
  const { commit, images, replacedAtHead, nothingReviewed } = opts;
  switch (format) {
    case "json":
      return `${JSON.stringify(toJsonReport(result, images ? { images } : {}), null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(toSarif(result, ALL_RULES, { toolVersion: VERSION, informationUri: REPOSITORY_URL, rulesHelpUri: RULES_DOC_URL, ...(replacedAtHead ? { replacedAtHead } : {}) }), null, 2)}\n`;
    case "markdown":
      return `${renderMarkdown(result, { commandPrefix, ...(commit ? { commit } : {}), ...(images && images.length > 0 ? { sections: [imagesSection(images)] } : {}) }).trimEnd()}\n`;
    case "text":
      return `${renderText(result, { color, ...(images ? { images } : {}), ...(nothingReviewed !== undefined ? { nothingReviewed } : {}) }).trimEnd()}\n`;
  }
}
