/**
 * The GraphQL subset gitops-guard uses: `repository(owner:, name:)` with aliased
 * `object(expression: "<sha>:<path>") { ... on Blob { ... } }` fields. Literal strings or `$variables`.
 */
export interface BlobQuery {
  owner: string;
  name: string;
  objects: Array<{ alias: string; expression: string }>;
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;

function substituteVariables(query: string, variables: Record<string, unknown>): string {
  return query.replace(/(?<![\w$])\$(\w+)/g, (whole, name: string) => (name in variables ? JSON.stringify(variables[name]) : whole));
}

/** Drops the `query Name($a: String!)` variable definitions so `$a` there is not substituted. */
function stripDefinitions(query: string): string {
  return query.replace(/^\s*(query|)\s*\w*\s*\([^)]*\)/, "query ");
}

export function parseBlobQuery(query: string, variables: Record<string, unknown> = {}): BlobQuery | null {
  const q = substituteVariables(stripDefinitions(query), variables);
  const repo = new RegExp(String.raw`repository\(\s*owner:\s*(${STRING})\s*,?\s*name:\s*(${STRING})\s*\)`).exec(q);
  if (!repo) return null;
  const objects: BlobQuery["objects"] = [];
  const field = new RegExp(String.raw`(\w+)\s*:\s*object\(\s*expression:\s*(${STRING})\s*\)`, "g");
  for (const m of q.matchAll(field)) objects.push({ alias: m[1], expression: JSON.parse(m[2]) as string });
  return { owner: JSON.parse(repo[1]) as string, name: JSON.parse(repo[2]) as string, objects };
}
