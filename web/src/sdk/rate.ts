/**
 * Events per second over the last `windowMs`, exact whatever the timer that reads it: each event's time is kept
 * (up to `capacity`, beyond which the oldest go; at 128 snapshots a second, 1024 cover eight seconds).
 */
export class RateWindow {
  private readonly times: Float64Array;
  private readonly amounts: Float64Array;
  private head = 0;
  private size = 0;

  constructor(private readonly windowMs = 1000, capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.amounts = new Float64Array(capacity);
  }

  /** Records an event of `amount` (1 for a count, bytes for a volume) at `nowMs`. */
  record(nowMs: number, amount = 1): void {
    const capacity = this.times.length;
    const index = (this.head + this.size) % capacity;
    this.times[index] = nowMs;
    this.amounts[index] = amount;
    if (this.size < capacity) {
      this.size++;
    } else {
      this.head = (this.head + 1) % capacity;
    }
  }

  /** @returns the events' amounts in `(nowMs - windowMs, nowMs]`, per second. */
  perSecond(nowMs: number): number {
    const capacity = this.times.length;
    while (this.size > 0 && this.times[this.head]! <= nowMs - this.windowMs) {
      this.head = (this.head + 1) % capacity;
      this.size--;
    }
    let total = 0;
    for (let i = 0; i < this.size; i++) {
      total += this.amounts[(this.head + i) % capacity]!;
    }
    return total * 1000 / this.windowMs;
  }
}
