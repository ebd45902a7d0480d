/** Reconnection delays: exponential growth from `initialDelayMs` to `maxDelayMs`, with full jitter. */
export interface ReconnectPolicy {
  /** The first retry's upper bound, ms (default 250). */
  initialDelayMs?: number;
  /** The cap of every delay, ms (default 5000). */
  maxDelayMs?: number;
  /** Attempts before the client gives up and closes (default Infinity). */
  maxAttempts?: number;
}

/**
 * Attempt `n` (0-based) waits a uniformly random time in `[0, min(max, initial * 2^n)]` ("full jitter"), so that
 * clients dropped together by one failure do not come back together. `random` is injectable for tests.
 */
export class Backoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  private attempt = 0;

  constructor(policy: ReconnectPolicy = {}, private readonly random: () => number = Math.random) {
    this.initialDelayMs = policy.initialDelayMs ?? 250;
    this.maxDelayMs = policy.maxDelayMs ?? 5000;
    this.maxAttempts = policy.maxAttempts ?? Infinity;
    if (!(this.initialDelayMs > 0) || !(this.maxDelayMs >= this.initialDelayMs) || !(this.maxAttempts >= 0)) {
      throw new RangeError("reconnect: need 0 < initialDelayMs <= maxDelayMs and maxAttempts >= 0");
    }
  }

  /** @returns the attempts made since the last {@link reset}. */
  get attempts(): number {
    return this.attempt;
  }

  /** @returns whether another attempt is allowed. */
  get exhausted(): boolean {
    return this.attempt >= this.maxAttempts;
  }

  /** @returns the delay before the next attempt, ms, counting it as made. */
  next(): number {
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return this.random() * ceiling;
  }

  /** Called once a connection is established again. */
  reset(): void {
    this.attempt = 0;
  }
}
