/**
 * The request budget: Make limits API requests per organization per minute (Core 60, Pro 120,
 * Teams 240, Enterprise 1000) and answers 429 past it. The client asks the budget before every
 * request it sends (retries included), so one pull, or the extension's polling, never sends more
 * than `limit` requests in any `windowMs` window. After a 429 the budget pauses every request until
 * the time Make asked for (Retry-After) or the backoff, not only the one that was refused.
 *
 * One budget can be shared by several clients (the extension keeps one per organization for its
 * polling and the commands a person runs meanwhile).
 */

export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Make's Core plan: 60 requests per minute. */
export const DEFAULT_REQUESTS_PER_MINUTE = 60;

export class RequestBudget {
  /** Send times of the requests in the current window, oldest first. */
  private readonly sent: number[] = [];
  private pausedUntil = 0;
  /** Total time `acquire` made callers wait, in ms (for reports). */
  waitedMs = 0;
  /** Requests let through. */
  granted = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number = DEFAULT_REQUESTS_PER_MINUTE,
    readonly windowMs: number = 60_000,
    private readonly clock: BudgetClock = realClock,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`request budget: limit must be a positive integer (got ${limit})`);
    if (!(windowMs > 0)) throw new RangeError(`request budget: window must be positive (got ${windowMs})`);
  }

  /** Waits until one more request fits in the window (and any pause is over), then counts it. */
  acquire(): Promise<void> {
    // Callers are served one at a time, in order: no two can take the last place of a window.
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length > 0 && this.sent[0] <= now - this.windowMs) this.sent.shift();
      let wait = Math.max(0, this.pausedUntil - now);
      if (wait === 0 && this.sent.length >= this.limit) wait = this.sent[0] + this.windowMs - now;
      if (wait <= 0) {
        this.sent.push(now);
        this.granted++;
        return;
      }
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
  }

  /** No request leaves before `until` (epoch ms); a later pause wins over an earlier one. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Requests sent within the last window. */
  inWindow(): number {
    const now = this.clock.now();
    return this.sent.filter((t) => t > now - this.windowMs).length;
  }
}
