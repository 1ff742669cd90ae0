/** Safety limits for reading untrusted YAML. Each breach becomes a `guard/parse-error` finding. */
export interface ParseLimits {
  /** Files larger than this many bytes are not parsed. */
  maxFileBytes: number;
  /** Alias expansions allowed per document (YAML "billion laughs" protection). */
  maxAliasCount: number;
  /** Maximum nesting depth of a document. */
  maxDepth: number;
  /**
   * Documents allowed in one file. The parser's cost per document is high (a 1 MB file of 110,000 tiny
   * documents takes seconds), and real files have far fewer: 10,000 documents in 1 MB is under 100 bytes each.
   */
  maxDocuments?: number;
  /**
   * Time budget in milliseconds for reviewing one file (parsing and every rule). When it runs out, the rest of
   * the file's review stops and a `guard/parse-error` finding says it was not fully reviewed.
   */
  maxFileMs?: number;
}

export const DEFAULT_LIMITS: Readonly<Required<ParseLimits>> = {
  maxFileBytes: 1_000_000,
  maxAliasCount: 100,
  maxDepth: 100,
  maxDocuments: 10_000,
  maxFileMs: 2_000,
};
