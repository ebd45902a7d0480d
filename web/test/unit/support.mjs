// Helpers of the codec tests: hex, the vectors Java writes (web/test/vectors/), JSON shapes of decoded values, and a
// reference snapshot encoder in BigInt arithmetic (as the server encodes) for property tests.
import { readFileSync } from "node:fs";
import { Writer, viewChecksum, FieldType } from "../../dist/sdk/index.js";

export function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
  }
  return bytes;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function vectors(name) {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8"));
}

/** A message's values from the vectors' JSON: BYTES fields are hex there. */
export function valuesFromJson(type, values) {
  return values.map((value, i) => (type.fields[i].type === FieldType.BYTES ? hexToBytes(value) : value));
}

/** A message's values as the vectors' JSON has them. */
export function valuesToJson(type, values) {
  return values.map((value, i) => (type.fields[i].type === FieldType.BYTES ? bytesToHex(value) : value));
}

export function fieldJson(field) {
  const { name, type, min, max, stepsPerUnit, predictor, role } = field;
  return { name, type, min, max, stepsPerUnit, predictor, role };
}

export function messageTypeJson(type) {
  const { id, name, direction, ratePerSecond, burst } = type;
  return { id, name, direction, ratePerSecond, burst, fields: type.fields.map(fieldJson) };
}

/** A decoded Welcome in the shape WebVectorsTest writes. */
export function welcomeJson(w) {
  return {
    sessionId: w.sessionId.toString(),
    tickRateHz: w.tickRateHz,
    playerId: w.playerId,
    entityId: w.entityId,
    roomType: w.roomType,
    room: w.room,
    historyWindowTicks: w.historyWindowTicks,
    entitySchema: w.entitySchema.fields.map(fieldJson),
    inputSchema: w.inputSchema.fields.map(fieldJson),
    messageTypes: w.messageTypes.map(messageTypeJson),
    metadata: [...w.metadata],
    presenceCount: w.presenceCount,
    resumeToken: bytesToHex(w.resumeToken),
  };
}

/** A decoded PRESENCE in the shape WebVectorsTest writes. */
export function presenceJson(p) {
  return {
    seq: p.seq,
    entries: p.entries.map((e) => ({
      op: e.op,
      playerId: e.playerId,
      entityId: e.entityId,
      name: e.name,
      reason: e.reason,
      metadata: [...e.metadata],
    })),
  };
}

/** A view as ids and value rows. */
export function viewJson(view) {
  return { ids: view.entities.map((e) => e.id), values: view.entities.map((e) => [...e.values]) };
}

/** A small seeded PRNG (mulberry32), so a fast-check seed drives a whole history reproducibly. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    range: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
  };
}

const zigzag64 = (v) => (v >= 0n ? v << 1n : (-v << 1n) - 1n);

/**
 * Encodes a snapshot as the server does (docs/PROTOCOL.md): `view` and `baseline` are Maps id -> values; every
 * prediction in BigInt (64-bit, never clamped).
 */
export function encodeSnapshot(schema, snapshot) {
  const { tick, seq, baseline, lastInputSeq = 0, messageAck = 0, checksum = true, view } = snapshot;
  const f = schema.fields.length;
  const dt = baseline ? BigInt((tick - baseline.tick) | 0) : 0n;
  const ops = new Writer();
  let opCount = 0;
  let previous = -1;
  const key = (id, kind) => {
    ops.varint((id - previous - 1) * 4 + kind);
    previous = id;
    opCount++;
  };
  const ids = [...new Set([...view.keys(), ...(baseline ? baseline.view.keys() : [])])].sort((a, b) => a - b);
  for (const id of ids) {
    const now = view.get(id);
    const before = baseline?.view.get(id);
    if (now === undefined) {
      key(id, 2);
    } else if (before === undefined) {
      key(id, 1);
      for (let i = 0; i < f; i++) {
        ops.varint(now[i] - schema.fields[i].min);
      }
    } else {
      const residuals = [];
      let mask = 0;
      for (let i = 0; i < f; i++) {
        const p = schema.fields[i].predictor;
        const predicted = p < 0 ? BigInt(before[i]) : BigInt(before[i]) + BigInt(before[p]) * dt;
        const residual = BigInt(now[i]) - predicted;
        if (residual !== 0n) {
          mask += 2 ** i;
          residuals.push(residual);
        }
      }
      if (mask !== 0) {
        key(id, 0);
        ops.varint(mask);
        for (const r of residuals) {
          ops.varint64(zigzag64(r));
        }
      }
    }
  }
  const w = new Writer();
  w.u8(0x42).u8((checksum ? 1 : 0) | (messageAck !== 0 ? 2 : 0)).u32(tick).u32(seq).u32(baseline ? baseline.seq : 0);
  w.u32(lastInputSeq).u16(opCount);
  if (messageAck !== 0) {
    w.u32(messageAck);
  }
  w.raw(ops.finish());
  if (checksum) {
    const sorted = [...view.keys()].sort((a, b) => a - b);
    w.u32(viewChecksum(sorted, sorted.map((id) => view.get(id)), sorted.length));
  }
  return w.finish();
}
