/**
 * The order in which this process started reviews, so the summary comment always shows the newest one. Two reviews
 * of the same head can run at once (two `/guard waive` comments a moment apart, or a waive and a recheck): each reads
 * the decisions in force after it started, so the one that started last knows the most, and its check run is the one
 * GitHub shows. One that started earlier and finishes later must not overwrite that review's comment (it would list a
 * finding the newer review, and the check run, say is waived). Reviews of different heads are HeadTracker's concern.
 */
export class PublishOrder {
  private started = 0;
  /** PR key → the newest review (by start) whose comment phase ran. */
  private readonly published = new Map<string, number>();

  constructor(private readonly capacity = 5000) {}

  /** A ticket for a review that starts now: higher is newer. */
  start(): number {
    return ++this.started;
  }

  /** False once a review of the PR that started after this one has published. */
  mayPublish(prKey: string, ticket: number): boolean {
    return (this.published.get(prKey) ?? 0) < ticket;
  }

  /** Notes that the review with this ticket went through the comment phase (whatever it decided to write). */
  markPublished(prKey: string, ticket: number): void {
    if ((this.published.get(prKey) ?? 0) >= ticket) return;
    this.published.delete(prKey);
    this.published.set(prKey, ticket);
    if (this.published.size > this.capacity) {
      const oldest = this.published.keys().next().value;
      if (oldest !== undefined) this.published.delete(oldest);
    }
  }
}
