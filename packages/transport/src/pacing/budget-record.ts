/** What is known of one budget (requests or tokens) of a rate-limit key. */
export interface BudgetWindow {
  /** The budget per window, if the server said. */
  readonly limit: number | null;
  /** What is left: the server's last figure minus what this process sent since. */
  readonly remaining: number | null;
  /** When the budget is full again (epoch ms), if known. */
  readonly resetAt: number | null;
}

/** The pacing state of one rate-limit key (plain JSON, so a shared store can hold it). */
export interface BudgetRecord {
  readonly requests: BudgetWindow;
  readonly tokens: BudgetWindow;
  /** After a server 429 with a retry hint: nobody sends before this time (epoch ms). */
  readonly pausedUntil: number | null;
  /** When the last server figures were observed (epoch ms). */
  readonly observedAt: number;
}
