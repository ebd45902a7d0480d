import { type Schema, type Welcome, seqDiff } from "./codec.js";

/**
 * The game's movement function for client-side prediction: advance the player's own entity by one tick under one
 * input, exactly as the server's game does (same integer arithmetic), by mutating `state` (entity field values in
 * entity-schema order; FIXED fields in steps). `input` holds the input's values in input-schema order. The WELCOME
 * gives the room's metadata (a game publishes there what its movement needs, e.g. speed and world size).
 */
export type PredictFn = (state: number[], input: readonly number[], welcome: Welcome) => void;

/** Figures of the prediction, in units (a position field's value divided by its steps per unit). */
export interface PredictionStats {
  /** Snapshots that confirmed a predicted input. */
  corrections: number;
  /** The last distance between the predicted and the authoritative position of a confirmed input. */
  lastErrorUnits: number;
  /** The mean and largest of those distances since the client started. */
  meanErrorUnits: number;
  maxErrorUnits: number;
  /** Inputs sent and not yet reflected in a snapshot. */
  pending: number;
}

interface PendingInput {
  readonly seq: number;
  readonly values: readonly number[];
  /** The position predicted for after this input, as last re-predicted: what the player saw. */
  x: number;
  y: number;
}

/** Inputs kept for replay: four seconds at 128 Hz; an older unconfirmed input is dropped. */
const MAX_PENDING = 512;

/**
 * Client-side prediction with reconciliation for the player's own entity. Each input sent is applied at once to the
 * predicted state; each snapshot replaces the state with the server's (its `lastInputSeq` says which input it
 * reflects) and replays on top the inputs the server has not applied yet, one tick each. The distance between what
 * was predicted for an input and what the server computed for it is the prediction error, kept in {@link stats}.
 * <p>
 * Drawing: {@link displayed} blends the state before and after the latest input over one tick period so the avatar
 * moves smoothly at any frame rate, and eases a correction out over `smoothingMs` instead of jumping (a correction
 * larger than `snapUnits` jumps: a respawn or a teleport).
 */
export class Prediction {
  private readonly pending: PendingInput[] = [];
  private readonly xIndex: number;
  private readonly yIndex: number;
  private readonly xSteps: number;
  private readonly ySteps: number;
  private predicted: number[] | null = null;
  private previous: number[] | null = null;
  private lastInputMs = 0;
  private offsetX = 0;
  private offsetY = 0;
  private offsetAtMs = 0;
  private errorSum = 0;
  readonly stats: PredictionStats = {
    corrections: 0, lastErrorUnits: 0, meanErrorUnits: 0, maxErrorUnits: 0, pending: 0,
  };

  constructor(private readonly predict: PredictFn, private readonly welcome: Welcome, schema: Schema,
        private readonly periodMs: number, private readonly smoothingMs = 100,
        private readonly snapUnits = 8) {
    this.xIndex = schema.xIndex;
    this.yIndex = schema.yIndex;
    this.xSteps = this.xIndex >= 0 ? schema.fields[this.xIndex]!.stepsPerUnit : 1;
    this.ySteps = this.yIndex >= 0 ? schema.fields[this.yIndex]!.stepsPerUnit : 1;
  }

  /** Applies an input just sent, at local time `nowMs`. Before the first snapshot of the avatar it only queues. */
  input(seq: number, values: readonly number[], nowMs: number): void {
    const record: PendingInput = { seq, values: values.slice(), x: 0, y: 0 };
    this.pending.push(record);
    if (this.pending.length > MAX_PENDING) {
      this.pending.shift();
    }
    this.stats.pending = this.pending.length;
    if (this.predicted === null) {
      return;
    }
    this.previous = this.displayedRaw(nowMs);
    this.step(this.predicted, record);
    this.lastInputMs = nowMs;
  }

  /**
   * Reconciles with the server's state of the avatar (`authoritative`, or undefined when the snapshot lacks it)
   * after input `lastInputSeq` (0: none applied yet), at local time `nowMs`.
   */
  reconcile(authoritative: readonly number[] | undefined, lastInputSeq: number, nowMs: number): void {
    if (authoritative === undefined) {
      return;
    }
    const shownBefore = this.predicted === null ? null : this.displayedRaw(nowMs);
    let confirmed = 0;
    while (confirmed < this.pending.length && seqDiff(this.pending[confirmed]!.seq, lastInputSeq) <= 0) {
      confirmed++;
    }
    const last = confirmed > 0 ? this.pending[confirmed - 1]! : undefined;
    if (last !== undefined && last.seq === lastInputSeq && this.predicted !== null) {
      this.recordError(last, authoritative);
    }
    this.pending.splice(0, confirmed);
    this.stats.pending = this.pending.length;
    const state = authoritative.slice();
    for (const record of this.pending) {
      this.step(state, record);
    }
    const before = this.predicted;
    this.predicted = state;
    if (shownBefore === null || before === null || this.previous === null) {
      this.previous = state.slice();
      return;
    }
    // The tick blend moves with the correction; the easing offset hides the jump.
    for (const i of [this.xIndex, this.yIndex]) {
      if (i >= 0) {
        this.previous[i] = this.previous[i]! + state[i]! - before[i]!;
      }
    }
    this.ease(shownBefore, this.displayedRaw(nowMs), nowMs);
  }

  /** Forgets the avatar and every pending input (a fresh join: new avatar, new inputs). */
  reset(): void {
    this.pending.length = 0;
    this.predicted = null;
    this.previous = null;
    this.offsetX = 0;
    this.offsetY = 0;
    this.stats.pending = 0;
  }

  /** @returns the predicted state after every input sent, or null before the avatar's first snapshot. */
  state(): readonly number[] | null {
    return this.predicted;
  }

  /** @returns the state to draw at `nowMs`: blended over the latest tick, with the correction easing out. */
  displayed(nowMs: number): number[] | null {
    const shown = this.predicted === null ? null : this.displayedRaw(nowMs);
    if (shown === null) {
      return null;
    }
    const decay = Math.exp(-(nowMs - this.offsetAtMs) / this.smoothingMs);
    if (this.xIndex >= 0) {
      shown[this.xIndex] = shown[this.xIndex]! + this.offsetX * decay;
    }
    if (this.yIndex >= 0) {
      shown[this.yIndex] = shown[this.yIndex]! + this.offsetY * decay;
    }
    return shown;
  }

  private displayedRaw(nowMs: number): number[] {
    const current = this.predicted!;
    const before = this.previous ?? current;
    const t = Math.min(1, Math.max(0, (nowMs - this.lastInputMs) / this.periodMs));
    const out = current.slice();
    for (const i of [this.xIndex, this.yIndex]) {
      if (i >= 0) {
        out[i] = before[i]! + (current[i]! - before[i]!) * t;
      }
    }
    return out;
  }

  private ease(before: readonly number[], after: readonly number[], nowMs: number): void {
    const decay = Math.exp(-(nowMs - this.offsetAtMs) / this.smoothingMs);
    let dx = this.offsetX * decay;
    let dy = this.offsetY * decay;
    if (this.xIndex >= 0) {
      dx += before[this.xIndex]! - after[this.xIndex]!;
    }
    if (this.yIndex >= 0) {
      dy += before[this.yIndex]! - after[this.yIndex]!;
    }
    const snap = Math.hypot(dx / this.xSteps, dy / this.ySteps) > this.snapUnits;
    this.offsetX = snap ? 0 : dx;
    this.offsetY = snap ? 0 : dy;
    this.offsetAtMs = nowMs;
  }

  private step(state: number[], record: PendingInput): void {
    this.predict(state, record.values, this.welcome);
    record.x = this.xIndex >= 0 ? state[this.xIndex]! : 0;
    record.y = this.yIndex >= 0 ? state[this.yIndex]! : 0;
  }

  private recordError(record: PendingInput, authoritative: readonly number[]): void {
    const dx = this.xIndex >= 0 ? (record.x - authoritative[this.xIndex]!) / this.xSteps : 0;
    const dy = this.yIndex >= 0 ? (record.y - authoritative[this.yIndex]!) / this.ySteps : 0;
    const error = Math.hypot(dx, dy);
    this.stats.corrections++;
    this.errorSum += error;
    this.stats.lastErrorUnits = error;
    this.stats.meanErrorUnits = this.errorSum / this.stats.corrections;
    this.stats.maxErrorUnits = Math.max(this.stats.maxErrorUnits, error);
  }
}
