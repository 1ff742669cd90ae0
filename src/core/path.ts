/** JSON paths as arrays of keys/indices, printed as `spec.containers[0].image`. */
export type PathSeg = string | number;
export type JsonPath = readonly PathSeg[];

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(path: JsonPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (SIMPLE_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
