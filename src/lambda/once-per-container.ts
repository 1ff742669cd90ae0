/**
 * Runs `init` at most once per Lambda container and shares the result with every later invocation. A failed
 * init is not cached: the next invocation tries again (e.g. after Secrets Manager was briefly unreachable).
 */
export function oncePerContainer<T>(init: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= init().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
