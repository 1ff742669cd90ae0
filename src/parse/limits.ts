/** Safety limits for reading untrusted YAML. Each breach becomes a `guard/parse-error` finding. */
export interface ParseLimits {
  /** Files larger than this many bytes are not parsed. */
  maxFileBytes: number;
  /** Alias expansions allowed per document (YAML "billion laughs" protection). */
  maxAliasCount: number;
  /** Maximum nesting depth of a document. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxFileBytes: 1_000_000,
  maxAliasCount: 100,
  maxDepth: 100,
};
