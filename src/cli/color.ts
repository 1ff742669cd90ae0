/** Whether text output is coloured: `--color`, else FORCE_COLOR / NO_COLOR / TERM=dumb, else whether stdout is a terminal. */
export const COLOR_MODES = ["auto", "always", "never"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/** The usage error for a `--color` value that is not a mode, or null when it is one (or not given). */
export function colorModeProblem(flag: string | undefined): string | null {
  return flag === undefined || (COLOR_MODES as readonly string[]).includes(flag) ? null : `--color must be one of ${COLOR_MODES.join(", ")} (got "${flag}")`;
}

export function chooseColor(mode: ColorMode | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  // FORCE_COLOR (as Node and chalk read it): set and not 0/false turns colour on, 0/false turns it off.
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !["0", "false"].includes(force.toLowerCase());
  // no-color.org: NO_COLOR set to anything but the empty string turns colour off.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}
