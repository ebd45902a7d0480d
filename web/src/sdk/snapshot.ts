/**
 * SNAPSHOT (0x42) decoding against retained baselines (docs/PROTOCOL.md, "SNAPSHOT", "Applying a snapshot",
 * "Checksum" and "Acks, baselines and retention").
 *
 * Exact 64-bit predictions with Numbers. A prediction is `base + rate * dt` with `base` and `rate` int32 values and
 * `dt` the signed 32-bit tick difference, so `|rate * dt| <= 2^62`: not always exact as a Number. But:
 * - when `rate * dt` and `base + rate * dt` are safe integers (`|x| <= 2^53 - 1`) they are exact: IEEE products and
 *   sums are correctly rounded, and every integer of that range is representable;
 * - when they are not, the true prediction has a magnitude above `2^53 - 1 - 2^31`, far outside the int32 range,
 *   and rounding is monotone, so the computed one is outside it too: a carried field, or an UPDATE field without a
 *   residual, is rejected exactly as the exact value would be;
 * - a residual `r` is added exactly: when the prediction and `r` are both safe integers, the true sum has a
 *   magnitude below 2^54; if it lies within int32 it is representable and so computed exactly, and if it lies outside,
 *   monotone rounding keeps the computed sum outside. Otherwise (a wide prediction or a residual beyond 2^53) the
 *   sum is computed in BigInt, which is exact; the server's 64-bit sum never overflows (`|prediction| <= 2^62 + 2^31`),
 *   and a residual making the exact sum leave int64 leaves int32 too, so the outcome equals the protocol's.
 */
import { rowsChecksum } from "./checksum.js";
import type { Schema } from "./schema.js";
import { ProtocolError, Reader, isNewer } from "./wire.js";

export interface EntityView {
  readonly id: number;
  readonly values: readonly number[];
}

export interface View {
  readonly tick: number;
  readonly seq: number;
  /** Ascending id. */
  readonly entities: readonly EntityView[];
  get(id: number): EntityView | undefined;
}

export interface DecodedSnapshot {
  view: View;
  tick: number;
  seq: number;
  /** 0 for a full snapshot. */
  baselineSeq: number;
  lastInputSeq: number;
  /** The newest client MESSAGE seq the server accepted; 0 when the snapshot carries none. */
  messageAck: number;
  /** "mismatch": the view is not the server's; the snapshot was not retained and must not be acknowledged. */
  checksum: "ok" | "mismatch" | "absent";
  byteLength: number;
}

const HEADER_LENGTH = 20;
const FLAG_CHECKSUM = 1;
const FLAG_MESSAGE_ACK = 2;
const OP_UPDATE = 0;
const OP_ENTER = 1;
const OP_REMOVE = 2;
const MAX_ENTITY_ID = 2147483647;
const EMPTY_IDS = new Int32Array(0);

/**
 * One decoded view: ids ascending in `ids[0..count)`, values row by row in `rows[e * fieldCount + i]` (raw int32
 * integers). Immutable once decoded (typed `readonly`, not frozen, to stay cheap); `entities` is built on first
 * use.
 */
export class SnapshotView implements View {
  readonly tick: number;
  readonly seq: number;
  readonly count: number;
  readonly fieldCount: number;
  readonly ids: Int32Array;
  readonly rows: Int32Array;
  private list: EntityView[] | undefined;

  constructor(tick: number, seq: number, count: number, fieldCount: number, ids: Int32Array, rows: Int32Array) {
    this.tick = tick;
    this.seq = seq;
    this.count = count;
    this.fieldCount = fieldCount;
    this.ids = ids;
    this.rows = rows;
  }

  get entities(): readonly EntityView[] {
    if (this.list === undefined) {
      const list: EntityView[] = [];
      const f = this.fieldCount;
      const rows = this.rows;
      for (let e = 0, at = 0; e < this.count; e++) {
        const values: number[] = [];
        for (let i = 0; i < f; i++) {
          values.push(rows[at++]!);
        }
        list.push({ id: this.ids[e]!, values });
      }
      this.list = list;
    }
    return this.list;
  }

  /** @return the index of entity `id`, or -1. */
  indexOf(id: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.ids[mid]!;
      if (at < id) {
        low = mid + 1;
      } else if (at > id) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  get(id: number): EntityView | undefined {
    const index = this.indexOf(id);
    return index < 0 ? undefined : this.entities[index];
  }
}

function exactSum(base: number, rate: number, dt: number, residual: number | bigint): number {
  const value = BigInt(base) + BigInt(rate) * BigInt(dt) + BigInt(residual);
  return value >= -2147483648n && value <= 2147483647n ? Number(value) : Number.NaN;
}

/**
 * A client's side of snapshots: decodes each snapshot against the baseline it names, checks its checksum, and
 * keeps exactly the snapshots the server may still use as baselines. After applying a snapshot of tick T it drops
 * every snapshot older than the newest baselineSeq received and every one whose tick is `historyWindowTicks` or
 * more older than T; what remains has distinct ticks in `T - historyWindowTicks + 1 .. T`, so at most
 * `historyWindowTicks` snapshots. Not thread safe (one per connection).
 */
export class SnapshotDecoder {
  private readonly schema: Schema;
  private readonly historyWindowTicks: number;
  private readonly fieldCount: number;
  private kept: SnapshotView[] = [];
  private current: SnapshotView | undefined;

  constructor(schema: Schema, historyWindowTicks: number) {
    if (!Number.isInteger(historyWindowTicks) || historyWindowTicks < 1) {
      throw new RangeError(`historyWindowTicks must be 1 or more: ${historyWindowTicks}`);
    }
    this.schema = schema;
    this.historyWindowTicks = historyWindowTicks;
    this.fieldCount = schema.fields.length;
  }

  /** Snapshots kept as possible baselines: at most historyWindowTicks. */
  get retained(): number {
    return this.kept.length;
  }

  /** The last snapshot applied, or undefined. */
  get view(): View | undefined {
    return this.current;
  }

  /** Forgets every snapshot: for a new connection (after a resume the first snapshot is full). */
  reset(): void {
    this.kept = [];
    this.current = undefined;
  }

  /**
   * Decodes one SNAPSHOT message. When valid and its checksum matches (or is absent) its view becomes current and
   * is retained; on a checksum mismatch nothing changes.
   *
   * @throws ProtocolError when the snapshot is malformed, stale, names an unknown baseline or breaks a rule of
   * "Applying a snapshot"; nothing changes then either.
   */
  decode(bytes: Uint8Array): DecodedSnapshot {
    const length = bytes.length;
    const r = new Reader(bytes);
    if (length < HEADER_LENGTH || r.u8() !== 0x42) {
      throw new ProtocolError("bad-snapshot", "not a snapshot or shorter than its header");
    }
    const flags = r.u8();
    const tick = r.u32();
    const seq = r.u32();
    const baselineSeq = r.u32();
    const lastInputSeq = r.u32();
    const opCount = r.u16();
    if ((flags & ~(FLAG_CHECKSUM | FLAG_MESSAGE_ACK)) !== 0) {
      throw new ProtocolError("bad-flags", `0x${flags.toString(16)}`);
    }
    const messageAck = (flags & FLAG_MESSAGE_ACK) !== 0 ? r.u32() : 0;
    if ((flags & FLAG_MESSAGE_ACK) !== 0 && messageAck === 0) {
      throw new ProtocolError("bad-sequence", "a carried messageAck is never 0");
    }
    const opsEnd = length - ((flags & FLAG_CHECKSUM) !== 0 ? 4 : 0);
    if (opsEnd < r.position) {
      throw new ProtocolError("truncated", "no room for the checksum");
    }
    const current = this.current;
    if (seq === 0 || (current !== undefined && !isNewer(seq, current.seq))) {
      throw new ProtocolError("stale", `snapshot seq ${seq}`);
    }
    if (current !== undefined && !isNewer(tick, current.tick)) {
      throw new ProtocolError("tick-not-newer", `tick ${tick} after ${current.tick}`);
    }
    const baseline = baselineSeq === 0 ? undefined : this.find(baselineSeq);
    if (baselineSeq !== 0 && baseline === undefined) {
      throw new ProtocolError("unknown-baseline", `${baselineSeq}`);
    }

    const view = this.apply(new Reader(bytes, r.position, opsEnd), baseline, opCount, tick, seq);
    let checksum: DecodedSnapshot["checksum"] = "absent";
    if ((flags & FLAG_CHECKSUM) !== 0) {
      const computed = rowsChecksum(view.ids, view.rows, view.count, this.fieldCount);
      checksum = new Reader(bytes, opsEnd).u32() === computed ? "ok" : "mismatch";
    }
    if (checksum !== "mismatch") {
      this.retain(view, baselineSeq);
      this.current = view;
    }
    return { view, tick, seq, baselineSeq, lastInputSeq, messageAck, checksum, byteLength: length };
  }

  private find(seq: number): SnapshotView | undefined {
    for (const view of this.kept) {
      if (view.seq === seq) {
        return view;
      }
    }
    return undefined;
  }

  /**
   * Keeps `view` and the retained snapshots a later one may still use as its baseline. A snapshot's age is the u32
   * difference `view.tick - tick`: while it is kept, each applied snapshot adds its tick advance (1..2^31 - 1) to an
   * age below the window, so ages never wrap, and those kept are distinct within 0..historyWindowTicks - 1: at most
   * historyWindowTicks snapshots, whatever ticks a server sends.
   */
  private retain(view: SnapshotView, baselineSeq: number): void {
    const kept: SnapshotView[] = [];
    for (const old of this.kept) {
      const olderThanBaseline = baselineSeq !== 0 && isNewer(baselineSeq, old.seq);
      if (!olderThanBaseline && ((view.tick - old.tick) >>> 0) < this.historyWindowTicks) {
        kept.push(old);
      }
    }
    kept.push(view);
    this.kept = kept;
  }

  private apply(
    r: Reader,
    baseline: SnapshotView | undefined,
    opCount: number,
    tick: number,
    seq: number,
  ): SnapshotView {
    const f = this.fieldCount;
    const baseIds = baseline === undefined ? EMPTY_IDS : baseline.ids;
    const baseRows = baseline === undefined ? EMPTY_IDS : baseline.rows;
    const baseCount = baseline === undefined ? 0 : baseline.count;
    const dt = baseline === undefined ? 0 : (tick - baseline.tick) | 0;
    const capacity = baseCount + opCount;
    const ids = new Int32Array(capacity);
    const rows = new Int32Array(capacity * f);
    let count = 0;
    let cursor = 0;
    let previousId = -1;
    for (let op = 0; op < opCount; op++) {
      const key = r.varint();
      const kind = key % 4;
      const id = previousId + 1 + Math.floor(key / 4);
      if (id > MAX_ENTITY_ID) {
        throw new ProtocolError("bad-entity-id", `${id} above 2^31 - 1`);
      }
      previousId = id;
      while (cursor < baseCount && baseIds[cursor]! < id) {
        ids[count] = baseIds[cursor]!;
        this.predictRow(baseRows, cursor++, rows, count++, dt, undefined, 0);
      }
      const inBaseline = cursor < baseCount && baseIds[cursor] === id;
      if (kind === OP_UPDATE) {
        if (!inBaseline) {
          throw new ProtocolError("update-absent", `UPDATE of entity ${id}, not in the baseline`);
        }
        const mask = r.varint();
        if (mask === 0 || mask >= 2 ** f) {
          throw new ProtocolError("bad-mask", `mask ${mask} for ${f} fields`);
        }
        ids[count] = id;
        this.predictRow(baseRows, cursor++, rows, count++, dt, r, mask);
      } else if (kind === OP_ENTER) {
        if (inBaseline) {
          throw new ProtocolError("enter-present", `ENTER of entity ${id}, already in the baseline`);
        }
        const mins = this.schema.mins;
        const maxs = this.schema.maxs;
        const at = count * f;
        for (let i = 0; i < f; i++) {
          rows[at + i] = r.ranged(mins[i]!, maxs[i]!);
        }
        ids[count++] = id;
      } else if (kind === OP_REMOVE) {
        if (!inBaseline) {
          throw new ProtocolError("remove-absent", `REMOVE of entity ${id}, not in the baseline`);
        }
        cursor++;
      } else {
        throw new ProtocolError("bad-op", `kind 3 for entity ${id}`);
      }
    }
    while (cursor < baseCount) {
      ids[count] = baseIds[cursor]!;
      this.predictRow(baseRows, cursor++, rows, count++, dt, undefined, 0);
    }
    r.expectEnd();
    return new SnapshotView(tick, seq, count, f, ids, rows);
  }

  /**
   * Writes row `to` of `rows`: baseline row `from` with every field set to its prediction, plus, for the fields in
   * `mask`, a zigzag residual read from `r`. Every resulting value must lie within its field's range.
   */
  private predictRow(
    baseRows: Int32Array,
    from: number,
    rows: Int32Array,
    to: number,
    dt: number,
    r: Reader | undefined,
    mask: number,
  ): void {
    const f = this.fieldCount;
    const predictors = this.schema.predictors;
    const mins = this.schema.mins;
    const maxs = this.schema.maxs;
    const baseAt = from * f;
    const at = to * f;
    for (let i = 0; i < f; i++) {
      const p = predictors[i]!;
      const base = baseRows[baseAt + i]!;
      const rate = p < 0 ? 0 : baseRows[baseAt + p]!;
      const product = rate * dt;
      const prediction = base + product;
      let value = prediction;
      if (((mask >>> i) & 1) !== 0) {
        const residual = r!.zigzag64();
        value = typeof residual === "number" && Number.isSafeInteger(product) && Number.isSafeInteger(prediction)
          ? prediction + residual
          : exactSum(base, rate, dt, residual);
      }
      if (!(value >= mins[i]! && value <= maxs[i]!)) {
        throw new ProtocolError("out-of-range", `field ${i} value ${value} outside ${mins[i]}..${maxs[i]}`);
      }
      rows[at + i] = value;
    }
  }
}
