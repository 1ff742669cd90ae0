/**
 * In-process knowledge about pull requests, so a review finishing late does not overwrite the summary
 * of a newer push, and two reviews of one PR do not both create a comment.
 */

/** Remembers the newest head SHA an event announced for each PR (by arrival order). */
export class HeadTracker {
  private readonly latest = new Map<string, string>();

  constructor(private readonly capacity = 5000) {}

  note(prKey: string, sha: string): void {
    this.latest.delete(prKey);
    this.latest.set(prKey, sha);
    if (this.latest.size > this.capacity) {
      const oldest = this.latest.keys().next().value;
      if (oldest !== undefined) this.latest.delete(oldest);
    }
  }

  /** False only when a newer event for the PR announced a different head. */
  isLatest(prKey: string, sha: string): boolean {
    const known = this.latest.get(prKey);
    return known === undefined || known === sha;
  }
}

/** Runs async sections one at a time per key. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(fn);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export function prKey(t: { owner: string; repo: string; number: number }): string {
  return `${t.owner}/${t.repo}#${t.number}`.toLowerCase();
}
