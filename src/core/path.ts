/** JSON paths as arrays of keys/indices, printed as `spec.containers[0].image`. */
export type PathSeg = string | number;
export type JsonPath = readonly PathSeg[];

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(path: JsonPath): string {
  let out = "";
  for (const seg of path) out += formatSegment(seg, out === "");
  return out;
}

/** One segment of a printed path (`first`: nothing printed before it). */
export function formatSegment(seg: PathSeg, first: boolean): string {
  if (typeof seg === "number") return `[${seg}]`;
  if (SIMPLE_KEY.test(seg)) return first ? seg : `.${seg}`;
  return `[${JSON.stringify(seg)}]`;
}
