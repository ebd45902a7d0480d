import { FieldType, type Schema, type View, seqDiff } from "./codec.js";

/** One entity as the game draws it: raw field values in entity-schema order (FIXED fields in steps). */
export interface EntityState {
  readonly id: number;
  readonly values: readonly number[];
  /** True for the player's own avatar (predicted, not interpolated). */
  readonly own: boolean;
}

interface TimedView {
  /** The tick, unwrapped: ticks since the first snapshot of the room, so arithmetic needs no wrap. */
  readonly tick: number;
  readonly view: View;
}

/** Snapshots kept beyond those the delay spans: room for jitter and stalls. */
const SPARE_VIEWS = 32;
/** How fast the tick clock follows arrivals that come later than it expects (per snapshot, 0..1). */
const CLOCK_DRIFT_GAIN = 0.02;

/**
 * The interpolation buffer for remote entities: it shows the room as it was `delayMs` ago, blending between the two
 * snapshots around that moment, so that the entities move smoothly although snapshots arrive 1/tickRate apart and
 * with jitter.
 * <p>
 * The buffer keeps a tick clock: the local time at which tick T is due is `originMs + T * periodMs`. Each arrival
 * is a sample of that origin (`arrivalMs - T * periodMs`); the clock takes the earliest (the least delayed) at once
 * and drifts slowly towards later ones, so network jitter does not shake the picture while a changed latency or a
 * clock drift is followed within about fifty snapshots. The render tick is `(nowMs - delayMs - originMs) / periodMs`;
 * its integer part is the **view tick** a client sends with its inputs for lag compensation (PROTOCOL.md INPUT).
 * <p>
 * Fields blend linearly when they are FIXED or INT or carry a position role; UINT and ENUM (counts, kinds, flags)
 * step at the newer snapshot's tick. An entity appears when the render tick reaches the snapshot it entered in, and
 * goes when it reaches the one it left in. When the newer snapshot has not arrived (a stall longer than the delay),
 * entities hold their last values.
 */
export class InterpolationBuffer {
  private readonly views: TimedView[] = [];
  private readonly blend: boolean[];
  /** The delay in snapshots plus {@link SPARE_VIEWS}, so that any tick rate keeps the moment drawn. */
  private readonly maxViews: number;
  private firstWireTick = 0;
  private originMs = NaN;

  constructor(schema: Schema, readonly periodMs: number, readonly delayMs: number) {
    if (!(periodMs > 0) || !(delayMs >= 0)) {
      throw new RangeError("interpolation: need periodMs > 0 and delayMs >= 0");
    }
    this.maxViews = Math.ceil(delayMs / periodMs) + SPARE_VIEWS;
    this.blend = schema.fields.map((field) =>
      field.type === FieldType.FIXED || field.type === FieldType.INT || field.role !== 0);
  }

  /** Forgets everything: a new room, or a snapshot history that restarted. */
  reset(): void {
    this.views.length = 0;
    this.originMs = NaN;
  }

  /** Adds a snapshot applied at local time `arrivalMs`. Ticks grow, so an older tick means a new history. */
  push(view: View, arrivalMs: number): void {
    if (this.views.length === 0) {
      this.firstWireTick = view.tick;
    }
    const tick = seqDiff(view.tick, this.firstWireTick);
    const newest = this.views[this.views.length - 1];
    if (newest !== undefined && tick <= newest.tick) {
      this.reset();
      this.push(view, arrivalMs);
      return;
    }
    this.views.push({ tick, view });
    if (this.views.length > this.maxViews) {
      this.views.shift();
    }
    const sample = arrivalMs - tick * this.periodMs;
    if (Number.isNaN(this.originMs) || sample < this.originMs) {
      this.originMs = sample;
    } else {
      this.originMs += (sample - this.originMs) * CLOCK_DRIFT_GAIN;
    }
  }

  /** @returns the fractional tick shown at `nowMs` (ticks since the first snapshot), or NaN before any snapshot. */
  renderTick(nowMs: number): number {
    return (nowMs - this.delayMs - this.originMs) / this.periodMs;
  }

  /**
   * @returns the wire tick the player sees at `nowMs`, for INPUT's viewTick: the render tick's integer part,
   * never newer than the newest snapshot nor older than the oldest kept; 0 (none) before any snapshot.
   */
  viewTick(nowMs: number): number {
    const newest = this.views[this.views.length - 1];
    if (newest === undefined) {
      return 0;
    }
    const oldest = this.views[0]!;
    const tick = Math.min(newest.tick, Math.max(oldest.tick, Math.floor(this.renderTick(nowMs))));
    return (this.firstWireTick + tick) >>> 0;
  }

  /**
   * @param nowMs   the local time to draw.
   * @param skipId  an entity to leave out (the player's own avatar, which is predicted instead), or -1.
   * @returns the entities shown at `nowMs`, ascending by id; a new array of new states.
   */
  sample(nowMs: number, skipId = -1): EntityState[] {
    const count = this.views.length;
    if (count === 0) {
      return [];
    }
    const at = this.renderTick(nowMs);
    let toIndex = 0;
    while (toIndex < count && this.views[toIndex]!.tick <= at) {
      toIndex++;
    }
    if (toIndex === 0) {
      return this.copy(this.views[0]!.view, skipId);
    }
    const from = this.views[toIndex - 1]!;
    if (toIndex === count) {
      return this.copy(from.view, skipId);
    }
    const to = this.views[toIndex]!;
    return this.lerp(from.view, to.view, (at - from.tick) / (to.tick - from.tick), skipId);
  }

  private copy(view: View, skipId: number): EntityState[] {
    const out: EntityState[] = [];
    for (const entity of view.entities) {
      if (entity.id !== skipId) {
        out.push({ id: entity.id, values: entity.values.slice(), own: false });
      }
    }
    return out;
  }

  /** Walks both views in id order: entities of `from` are shown, blended with `to` where both hold them. */
  private lerp(from: View, to: View, t: number, skipId: number): EntityState[] {
    const out: EntityState[] = [];
    const next = to.entities;
    let j = 0;
    for (const entity of from.entities) {
      if (entity.id === skipId) {
        continue;
      }
      while (j < next.length && next[j]!.id < entity.id) {
        j++;
      }
      const other = next[j];
      if (other === undefined || other.id !== entity.id) {
        out.push({ id: entity.id, values: entity.values.slice(), own: false });
        continue;
      }
      const values = new Array<number>(entity.values.length);
      for (let i = 0; i < values.length; i++) {
        const a = entity.values[i]!;
        values[i] = this.blend[i] ? a + (other.values[i]! - a) * t : a;
      }
      out.push({ id: entity.id, values, own: false });
    }
    return out;
  }
}
