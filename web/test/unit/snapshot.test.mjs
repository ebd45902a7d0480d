// SnapshotDecoder: every rule of "Applying a snapshot" and "Acks, baselines and retention", against a reference
// encoder in BigInt arithmetic (support.mjs) and random histories with skipped acks, conflation, idle stretches of
// full snapshots and corrupted checksums.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolError, Schema, SnapshotDecoder, Writer, isNewer } from "../../dist/sdk/index.js";
import { entitySchemaFields } from "./arbitraries.mjs";
import { encodeSnapshot, hexToBytes, prng, vectors, viewJson } from "./support.mjs";

const MIN32 = -(2 ** 31);
const MAX32 = 2 ** 31 - 1;

function refused(fn, reason) {
  assert.throws(fn, (e) => e instanceof ProtocolError && (reason === undefined || e.reason === reason),
    `expected ProtocolError ${reason}`);
}

// x in -100..100 predicted by v in -10..10.
const small = new Schema([
  { name: "x", type: 1, min: -100, max: 100, stepsPerUnit: 1, predictor: 1, role: 0 },
  { name: "v", type: 1, min: -10, max: 10, stepsPerUnit: 1, predictor: -1, role: 0 },
]);

function header(w, { flags = 1, tick, seq, baselineSeq = 0, lastInputSeq = 0, ops }) {
  return w.u8(0x42).u8(flags).u32(tick).u32(seq).u32(baselineSeq).u32(lastInputSeq).u16(ops);
}

/** A decoder holding snapshot 1 (tick 10) with entity 1 at x 90, v 10. */
function decoderAtTick10() {
  const decoder = new SnapshotDecoder(small, 30);
  decoder.decode(encodeSnapshot(small, { tick: 10, seq: 1, view: new Map([[1, [90, 10]]]) }));
  return decoder;
}

/** A delta against snapshot 1 at `tick` with the given ops bytes, without checksum. */
function delta(tick, opCount, opsHex, extra = {}) {
  const w = header(new Writer(), { flags: 0, tick, seq: 2, baselineSeq: 1, ops: opCount, ...extra });
  return w.raw(hexToBytes(opsHex)).finish();
}

test("a delta naming a snapshot the decoder does not hold is refused", () => {
  refused(() => decoderAtTick10().decode(delta(11, 0, "", { baselineSeq: 9 })), "unknown-baseline");
});

test("UPDATE or REMOVE of an absent entity, ENTER of a present one, and kind 3 are refused", () => {
  refused(() => decoderAtTick10().decode(delta(11, 1, "080102")), "update-absent");
  refused(() => decoderAtTick10().decode(delta(11, 1, "0a")), "remove-absent");
  refused(() => decoderAtTick10().decode(delta(11, 1, "050000")), "enter-present");
  refused(() => decoderAtTick10().decode(delta(11, 1, "07")), "bad-op");
});

test("an empty mask or a mask bit at or beyond the field count is refused", () => {
  refused(() => decoderAtTick10().decode(delta(11, 1, "0400")), "bad-mask");
  refused(() => decoderAtTick10().decode(delta(11, 1, "0404")), "bad-mask");
  refused(() => decoderAtTick10().decode(delta(11, 1, "04ffffffff0f")), "bad-mask");
  // x predicted 90 + 10 = 100 at tick 11; residual -1 (zigzag 1) gives 99.
  const decoded = decoderAtTick10().decode(delta(11, 1, "040101"));
  assert.deepEqual(viewJson(decoded.view), { ids: [1], values: [[99, 10]] });
});

test("an entity id above 2^31 - 1 is refused; 2^31 - 1 itself is fine", () => {
  const w = (gap) =>
    header(new Writer(), { flags: 0, tick: 1, seq: 1, ops: 1 }).varint(gap * 4 + 1).u8(100).u8(10).finish();
  refused(() => new SnapshotDecoder(small, 30).decode(w(2 ** 31)), "bad-entity-id");
  assert.equal(new SnapshotDecoder(small, 30).decode(w(MAX32)).view.entities[0].id, MAX32);
});

test("values out of range are refused: an ENTER, an UPDATE residual, and a carried prediction", () => {
  const enter = header(new Writer(), { flags: 0, tick: 1, seq: 1, ops: 1 }).u8(1).varint(201).u8(0).finish();
  refused(() => new SnapshotDecoder(small, 30).decode(enter), "out-of-range");
  // x predicted 100 at tick 11; residual +1 (zigzag 2) gives 101.
  refused(() => decoderAtTick10().decode(delta(11, 1, "040102")), "out-of-range");
  // At tick 12 entity 1 is carried without an operation: x predicted 90 + 10 * 2 = 110.
  refused(() => decoderAtTick10().decode(delta(12, 0, "")), "out-of-range");
  // ... unless an UPDATE brings it back: residual -10 (zigzag 19) gives 100.
  assert.deepEqual(viewJson(decoderAtTick10().decode(delta(12, 1, "040113")).view), { ids: [1], values: [[100, 10]] });
});

test("non-shortest varints, unknown flags, a zero messageAck, stale seqs and ticks, and leftovers are refused", () => {
  refused(() => decoderAtTick10().decode(delta(11, 1, "80000101")), "varint-not-shortest");
  refused(() => decoderAtTick10().decode(delta(11, 1, "04810001")), "varint-not-shortest");
  refused(() => decoderAtTick10().decode(delta(11, 0, "", { flags: 4 })), "bad-flags");
  refused(() => decoderAtTick10().decode(delta(11, 0, "00000000", { flags: 2 })), "bad-sequence");
  refused(() => decoderAtTick10().decode(delta(11, 0, "", { seq: 1 })), "stale");
  refused(() => decoderAtTick10().decode(delta(10, 0, "")), "tick-not-newer");
  refused(() => decoderAtTick10().decode(delta(11, 0, "00")), "trailing-bytes");
  refused(() => decoderAtTick10().decode(delta(11, 2, "040101")), "truncated");
  assert.equal(decoderAtTick10().decode(delta(11, 0, "05000000", { flags: 2 })).messageAck, 5);
});

test("a failed decode changes nothing: the same decoder then applies the valid snapshot", () => {
  const decoder = decoderAtTick10();
  refused(() => decoder.decode(delta(11, 1, "040102")));
  assert.equal(decoder.view.seq, 1);
  assert.equal(decoder.retained, 1);
  assert.deepEqual(viewJson(decoder.decode(delta(11, 1, "040101")).view), { ids: [1], values: [[99, 10]] });
});

test("a checksum mismatch is reported, not retained, and leaves the view; the next delta repairs it", () => {
  const decoder = decoderAtTick10();
  const view = new Map([[1, [99, 9]]]);
  const baseline = { seq: 1, tick: 10, view: new Map([[1, [90, 10]]]) };
  const bad = encodeSnapshot(small, { tick: 11, seq: 2, baseline, view });
  bad[bad.length - 1] ^= 0xff;
  const decoded = decoder.decode(bad);
  assert.equal(decoded.checksum, "mismatch");
  assert.deepEqual(viewJson(decoded.view), { ids: [1], values: [[99, 9]] });
  assert.equal(decoder.view.seq, 1);
  assert.equal(decoder.retained, 1);
  refused(() => decoder.decode(encodeSnapshot(small, { tick: 12, seq: 3, baseline: { seq: 2, tick: 11, view }, view })),
    "unknown-baseline");
  const repaired = decoder.decode(encodeSnapshot(small, { tick: 12, seq: 3, baseline, view }));
  assert.equal(repaired.checksum, "ok");
  assert.equal(decoder.retained, 2);
});

test("retention stays within the window even when a server's ticks leap by 2^31 - 1", () => {
  const decoder = new SnapshotDecoder(small, 2);
  const view = new Map([[1, [0, 0]]]);
  const retained = [0, 1, 2 ** 31, 2 ** 31 + 1].map((tick, i) => {
    decoder.decode(encodeSnapshot(small, { tick, seq: i + 1, view }));
    return decoder.retained;
  });
  // Ages are u32 differences: tick 0 is 2^31 ticks older than tick 2^31, so it goes.
  assert.deepEqual(retained, [1, 2, 1, 2]);
});

test("predictions are exact in 64 bits: residuals beyond 2^53 decode exactly, one off is refused", () => {
  const wide = new Schema([
    { name: "x", type: 1, min: MIN32, max: MAX32, stepsPerUnit: 1, predictor: 1, role: 0 },
    { name: "v", type: 1, min: MIN32, max: MAX32, stepsPerUnit: 1, predictor: -1, role: 0 },
  ]);
  for (const [x0, v0, x1, dt] of [
    [MAX32, MAX32, MAX32 - 1, 2 ** 30],
    [MIN32, MIN32, 0, 2 ** 31 - 1],
    [MAX32, -1, 12345, 3],
    [0, 2 ** 22 + 1, -7, 2 ** 31 - 1],
    [MAX32, MAX32, MIN32, 1],
  ]) {
    const baseline = { seq: 1, tick: 5, view: new Map([[3, [x0, v0]]]) };
    const decoder = new SnapshotDecoder(wide, 30);
    decoder.decode(encodeSnapshot(wide, { tick: 5, seq: 1, view: baseline.view }));
    const tick = (5 + dt) >>> 0;
    const good = encodeSnapshot(wide, { tick, seq: 2, baseline, view: new Map([[3, [x1, v0]]]) });
    const decoded = decoder.decode(good);
    assert.equal(decoded.checksum, "ok");
    assert.deepEqual(viewJson(decoded.view), { ids: [3], values: [[x1, v0]] });
    // The same residual plus one: a value of x1 + 1, out of range when x1 is the maximum.
    const predicted = BigInt(x0) + BigInt(v0) * BigInt(dt);
    const outside = BigInt(MAX32) + 1n - predicted;
    const w = header(new Writer(), { flags: 0, tick, seq: 2, baselineSeq: 1, ops: 1 }).u8(0x0c).u8(1)
      .varint64(outside >= 0n ? outside << 1n : (-outside << 1n) - 1n).finish();
    const fresh = new SnapshotDecoder(wide, 30);
    fresh.decode(encodeSnapshot(wide, { tick: 5, seq: 1, view: baseline.view }));
    refused(() => fresh.decode(w), "out-of-range");
  }
});

test("every corpus snapshot cut short or extended is refused, and leaves the decoder able to apply it", () => {
  const corpus = vectors("random.json");
  for (const history of corpus.snapshotHistories.slice(0, 6)) {
    const decoder = new SnapshotDecoder(new Schema(history.entitySchema), history.historyWindowTicks);
    for (const step of history.steps) {
      const bytes = hexToBytes(step.hex);
      for (let length = 0; length < bytes.length; length++) {
        refused(() => decoder.decode(bytes.subarray(0, length)));
      }
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      refused(() => decoder.decode(longer));
      assert.equal(decoder.decode(bytes).checksum, step.checksum);
    }
  }
});

/**
 * Plays a random history against a decoder: a world that moves along its predictors, jumps, loses and gains
 * entities; a server that deltas against the client's ack while it is within the window; a client that skips acks,
 * goes idle (ack frozen, so full snapshots once it ages out), and now and then receives a corrupted checksum.
 * Checks each view, and that the decoder keeps exactly the snapshots the protocol says, never more than the window.
 */
function playHistory(fields, window, seed, steps) {
  const schema = new Schema(fields);
  const random = prng(seed);
  const f = fields.length;
  const valueOf = (field) => {
    const pick = random.int(4);
    const any = field.min + Math.floor(random.next() * (field.max - field.min + 1));
    return pick === 0 ? field.min : pick === 1 ? field.max : any;
  };
  const world = new Map();
  const decoder = new SnapshotDecoder(schema, window);
  const sent = [];
  let tick = random.chance(0.3) ? 0xffffffff - random.int(40) : random.int(1000);
  let seq = random.chance(0.5) ? 1 : 0xffffffff - random.int(4);
  let ack = -1;
  let idle = 0;
  let newestBaselineSeq = 0;
  for (let step = 0; step < steps; step++) {
    const advance = random.chance(0.2) ? 2 + random.int(window + 2) : 1;
    for (let t = 0; t < advance; t++) {
      for (const values of world.values()) {
        for (let i = 0; i < f; i++) {
          const p = fields[i].predictor;
          const moved = p < 0 ? values[i] : values[i] + values[p];
          const outside = moved < fields[i].min || moved > fields[i].max;
          values[i] = random.chance(0.15) || outside ? valueOf(fields[i]) : moved;
        }
      }
      for (const id of [...world.keys()]) {
        if (random.chance(0.08)) {
          world.delete(id);
        }
      }
      while (world.size < (f > 8 ? 3 : 10) && random.chance(0.35)) {
        const id = [random.int(64), MAX32 - random.int(64), random.int(MAX32)][random.int(3)];
        world.set(id, fields.map(valueOf));
      }
    }
    tick = (tick + advance) >>> 0;
    idle = idle > 0 ? idle - 1 : random.chance(0.05) ? window + random.int(window * 2) : 0;
    if (idle === 0 && sent.length > 0 && random.chance(0.6)) {
      const from = Math.max(ack, 0);
      const candidate = from + random.int(sent.length - from);
      ack = sent[candidate].applied ? candidate : ack;
    }
    const baseline = ack >= 0 && ((tick - sent[ack].tick) | 0) <= window ? sent[ack] : undefined;
    const view = new Map([...world].map(([id, values]) => [id, [...values]]));
    const bytes = encodeSnapshot(schema, {
      tick, seq, baseline, view, lastInputSeq: step, messageAck: random.chance(0.3) ? 1 + random.int(1000) : 0,
      checksum: !random.chance(0.1),
    });
    const corrupt = bytes[1] % 2 === 1 && random.chance(0.08);
    if (corrupt) {
      bytes[bytes.length - 2] ^= 0x41;
    }
    const decoded = decoder.decode(bytes);
    assert.equal(decoded.checksum, corrupt ? "mismatch" : bytes[1] % 2 === 1 ? "ok" : "absent");
    const ids = [...view.keys()].sort((a, b) => a - b);
    assert.deepEqual(viewJson(decoded.view), { ids, values: ids.map((id) => view.get(id)) });
    sent.push({ seq, tick, view, applied: !corrupt });
    if (!corrupt && baseline !== undefined) {
      newestBaselineSeq = baseline.seq;
    }
    const expected = sent.filter((s) => s.applied && ((tick - s.tick) | 0) < window &&
      !(newestBaselineSeq !== 0 && isNewer(newestBaselineSeq, s.seq)));
    if (!corrupt) {
      assert.equal(decoder.retained, expected.length, `step ${step}`);
    }
    assert.ok(decoder.retained <= window, `retained ${decoder.retained} > window ${window}`);
    seq = (seq + (random.chance(0.15) ? 2 : 1)) >>> 0;
    seq = seq === 0 ? 1 : seq;
  }
}

test("random histories decode to the world, retention is exactly the protocol's and never above the window", () => {
  fc.assert(
    fc.property(
      entitySchemaFields(),
      fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 40 })),
      fc.integer(),
      (fields, window, seed) => playHistory(fields, window, seed, 60),
    ),
    { numRuns: 150 },
  );
});
