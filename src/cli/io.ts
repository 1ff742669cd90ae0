export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Exit codes: 0 success/neutral, 1 the review failed, 2 usage or configuration error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * A usage error from Node's parseArgs, as every command words it: `<command>: <what>` (parseArgs' errors carry a
 * message, and through another realm may not be `instanceof Error`), without its hint about positional arguments.
 */
export function optionError(command: string, err: unknown): UsageError {
  const message = typeof (err as { message?: unknown })?.message === "string" ? (err as { message: string }).message : String(err);
  return new UsageError(`${command}: ${message.split(". To specify a positional argument")[0]}`);
}
