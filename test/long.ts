/**
 * The long variants of the fault, fuzz and load suites (`npm run test:long`): more pull requests, more fuzz runs,
 * every fault on every kind of call. `npm test` runs the same files with the short settings.
 */
export const LONG = process.env.GITOPS_GUARD_LONG === "1";

/** `short` in `npm test`, `long` in `npm run test:long`. */
export function scaled(short: number, long: number): number {
  return LONG ? long : short;
}
