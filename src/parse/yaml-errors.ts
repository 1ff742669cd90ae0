import type { ErrorCode } from "yaml";

/**
 * What a YAML problem is, in words of our own. The `yaml` library quotes the source it failed on ("Unresolved
 * alias …: <anchor>", "Block scalar header includes extra characters: <header>", "Invalid escape sequence
 * <escape>", "Unresolved tag: <tag>", …), and that source can be a secret: a parse-error message is built from
 * the error's `code` (and where it is) only, never from the library's text.
 */
const BY_CODE: Record<ErrorCode, string> = {
  ALIAS_PROPS: "an alias has an anchor or a tag",
  BAD_ALIAS: "an invalid alias or anchor name",
  BAD_COLLECTION_TYPE: "a tag that does not fit its collection",
  BAD_DIRECTIVE: "an invalid directive",
  BAD_DQ_ESCAPE: "an invalid escape sequence in a double-quoted string",
  BAD_INDENT: "bad indentation",
  BAD_PROP_ORDER: "an anchor or a tag in the wrong place",
  BAD_SCALAR_START: "a plain value that starts with a reserved character",
  BLOCK_AS_IMPLICIT_KEY: "a block collection used as a key",
  BLOCK_IN_FLOW: "a block collection inside a flow collection",
  DUPLICATE_KEY: "a duplicate key",
  IMPOSSIBLE: "a structure the parser cannot read",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters",
  MISSING_CHAR: "a missing character (a closing quote or bracket, a space, ':' or ',')",
  MULTILINE_IMPLICIT_KEY: "a key that spans more than one line",
  MULTIPLE_ANCHORS: "more than one anchor on a value",
  MULTIPLE_DOCS: "more than one document where one was expected",
  MULTIPLE_TAGS: "more than one tag on a value",
  NON_STRING_KEY: "a key that is not a string",
  RESOURCE_EXHAUSTION: "nesting too deep to parse",
  TAB_AS_INDENT: "a tab used for indentation",
  TAG_RESOLVE_FAILED: "a tag or value that cannot be resolved",
  UNEXPECTED_TOKEN: "unexpected characters",
};

/** A few fixed library messages worth a more precise word; the library text is compared, never copied. */
const REFINED: ReadonlyArray<readonly [ErrorCode, string, string]> = [
  ["MISSING_CHAR", "Missing closing", "a missing closing quote"],
  ["MISSING_CHAR", "Implicit map keys need to be followed by map values", "a key without a ':'"],
  ["UNEXPECTED_TOKEN", "Block scalar header includes extra characters", "extra characters after a block scalar indicator (| or >)"],
  ["BAD_ALIAS", "Alias cannot be an empty string", "an empty alias"],
  ["BAD_ALIAS", "Anchor cannot be an empty string", "an empty anchor"],
  ["TAG_RESOLVE_FAILED", "Unresolved tag", "an unknown tag"],
];

export interface Where {
  line: number;
  column: number;
}

const at = (where: Where): string => `at line ${where.line}, column ${where.column}`;

/** "invalid YAML: bad indentation at line 4, column 3" for a `doc.errors` entry. */
export function describeYamlError(error: { code?: string; message?: string }, where: Where): string {
  const code = error.code as ErrorCode | undefined;
  const message = typeof error.message === "string" ? error.message : "";
  const refined = REFINED.find(([c, prefix]) => c === code && message.startsWith(prefix));
  const what = refined?.[2] ?? (code !== undefined && Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : "a syntax error");
  return `invalid YAML: ${what} ${at(where)}`;
}

export type ToJsFailure = "alias-bomb" | "unresolved-alias" | "too-deep" | "other";

/** Classifies an error thrown while turning a parsed document into data (`toJS`). */
export function classifyToJsError(err: unknown): ToJsFailure {
  if (err instanceof RangeError) return "too-deep";
  const message = err instanceof Error ? err.message : "";
  if (/alias count/i.test(message)) return "alias-bomb";
  if (message.startsWith("Unresolved alias")) return "unresolved-alias";
  return "other";
}

/** A fixed message for a `toJS` failure. */
export function describeToJsError(kind: ToJsFailure, maxAliasCount: number, where: Where): string {
  switch (kind) {
    case "alias-bomb":
      return `too many YAML alias expansions (limit ${maxAliasCount}); possible alias bomb, not read`;
    case "unresolved-alias":
      return `invalid YAML: an alias to an anchor that is not defined before it ${at(where)}`;
    case "too-deep":
      return "document is too large or nests too deeply to read; not read";
    case "other":
      return `YAML could not be read as data ${at(where)}`;
  }
}
