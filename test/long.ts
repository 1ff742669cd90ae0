/**
 * The long variants of the fault, fuzz and load suites (`npm run test:long`): more pull requests, more fuzz runs,
 * every fault on every kind of call. `npm test` runs the same files with the short settings.
 */
export const LONG = process.env.GITOPS_GUARD_LONG === "1";

/** `short` in `npm test`, `long` in `npm run test:long`. */
export function scaled(short: number, long: number): number {
  return LONG ? long : short;
}

/**
 * The fuzz suites' seed: fixed in `npm test` (CI gives the same verdict for the same commit; a failure reproduces),
 * random in `npm run test:long` (new inputs each run; fast-check prints the seed of a failure), or
 * `GITOPS_GUARD_FUZZ_SEED=<n>` to replay one.
 */
export function fuzzSeed(): number | undefined {
  const given = process.env.GITOPS_GUARD_FUZZ_SEED;
  if (given !== undefined && /^-?\d+$/.test(given)) return Number(given);
  return LONG ? undefined : 20261206;
}
