/** What is known of one bucket (requests or tokens) of a rate-limit key, at the time it was read. */
export interface BudgetWindow {
  /** The bucket's size: what the server allows per window, if it said (or it was configured). */
  readonly limit: number | null;
  /**
   * What is left now, rounded down: the server's last figure, refilled since, minus
   * what this process has taken since. Negative while calls are queued for the
   * refill. Null when unknown.
   */
  readonly remaining: number | null;
  /** When the bucket is full again (epoch ms); null when it is full or nothing is known. */
  readonly resetAt: number | null;
  /** How long the bucket takes to refill from empty to full, in ms. */
  readonly windowMs: number;
}

/** The pacing state of one rate-limit key, as {@link BudgetStore.inspect} reports it (plain JSON). */
export interface BudgetRecord {
  readonly requests: BudgetWindow;
  readonly tokens: BudgetWindow;
  /** After a server 429 with a retry hint: nobody sends before this time (epoch ms). */
  readonly pausedUntil: number | null;
  /** When the last server figures were observed (epoch ms; 0: never). */
  readonly observedAt: number;
  /** Calls granted and still queued for their turn. */
  readonly queued: number;
  /** Calls sent and not yet settled. */
  readonly inFlight: number;
}
