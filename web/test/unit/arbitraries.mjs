// fast-check generators that reach the protocol's corners: int32 extremes, single-value ranges, text at its byte limit
// with 2-, 3- and 4-byte characters, message types at the 240-byte client budget, schemas of 32 fields.
import fc from "fast-check";
import { FieldType, maxFieldsLength } from "../../dist/sdk/index.js";

export const MIN32 = -(2 ** 31);
export const MAX32 = 2 ** 31 - 1;
const int32 = fc.integer({ min: MIN32, max: MAX32 });

export const range = fc.oneof(
  fc.constant([MIN32, MAX32]),
  fc.integer({ min: 0, max: 2 }).map((d) => [MIN32, MIN32 + d]),
  fc.integer({ min: 0, max: 2 }).map((d) => [MAX32 - d, MAX32]),
  fc.integer({ min: 0, max: MAX32 }).map((max) => [0, max]),
  fc.tuple(int32, int32).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
  fc.integer({ min: -1000, max: 1000 }).chain((min) => fc.integer({ min, max: min + 2000 }).map((max) => [min, max])),
);

export function numericField(name) {
  return fc
    .tuple(
      range,
      fc.constantFrom(FieldType.UINT, FieldType.INT, FieldType.ENUM, FieldType.FIXED),
      fc.integer({ min: 1, max: 64 }),
    )
    .map(([[min, max], type, steps]) => ({
      name,
      type: type === FieldType.UINT && min < 0 ? FieldType.INT : type,
      min,
      max,
      stepsPerUnit: type === FieldType.FIXED ? steps : 1,
      predictor: -1,
      role: 0,
    }));
}

export function value(field) {
  return fc.oneof(fc.constant(field.min), fc.constant(field.max), fc.integer({ min: field.min, max: field.max }));
}

export function inputSchemaFields() {
  return fc
    .oneof(fc.integer({ min: 0, max: 5 }), fc.constant(32))
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => numericField(`in${i}`))));
}

const index = (count) => fc.integer({ min: 0, max: count - 1 });

/** 1..6 fields (sometimes 32), each predicted by any other a good part of the time, position roles on two or none. */
export function entitySchemaFields() {
  return fc
    .oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constant(32) })
    .chain((count) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: count }, (_, i) => numericField(`e${i}`))),
        fc.array(fc.oneof(fc.constant(-1), index(count)), { minLength: count, maxLength: count }),
        count >= 2 ? fc.option(fc.uniqueArray(index(count), { minLength: 2, maxLength: 2 })) : fc.constant(null),
      ),
    )
    .map(([fields, predictors, roles]) =>
      fields.map((f, i) => ({
        ...f,
        predictor: predictors[i] === i ? -1 : predictors[i],
        role: roles === null ? 0 : roles[0] === i ? 1 : roles[1] === i ? 2 : 0,
      })),
    );
}

const PIECES = ["a", "Z", "0", " ", "~", "é", "ÿ", "Ω", "中", "€", "\u{1F600}", "-", "\u00a0", "\u{10FFFF}"];
const utf8 = new TextEncoder();

/** Text without control characters of at most `maxBytes` UTF-8 bytes, often at the limit. */
export function text(maxBytes) {
  return fc.array(fc.constantFrom(...PIECES), { maxLength: Math.min(maxBytes, 300) }).map((pieces) => {
    let out = "";
    let length = 0;
    for (const piece of pieces) {
      const pieceLength = utf8.encode(piece).length;
      if (length + pieceLength > maxBytes) {
        break;
      }
      out += piece;
      length += pieceLength;
    }
    return out;
  });
}

function messageField(name) {
  return fc.oneof(
    { weight: 2, arbitrary: numericField(name) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(FieldType.TEXT, FieldType.BYTES),
          fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(4096)),
        )
        .map(([type, max]) => ({ name, type, min: 0, max, stepsPerUnit: 1, predictor: -1, role: 0 })),
    },
  );
}

/** A message type whose fields fit its direction's budget (240 bytes for types clients may send). */
export function messageType() {
  return fc
    .tuple(
      fc.integer({ min: 1, max: 127 }),
      fc.constantFrom(1, 2, 3),
      fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(16)),
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 1, max: 10000 }),
    )
    .chain(([id, direction, count, rate, burst]) =>
      fc.tuple(...Array.from({ length: count }, (_, i) => messageField(`f${i}`))).map((fields) => {
        const budget = (direction & 1) !== 0 ? 240 : 8192;
        const kept = [...fields];
        while (maxFieldsLength(kept) > budget) {
          kept.pop();
        }
        const clients = (direction & 1) !== 0;
        const ratePerSecond = clients ? rate : 0;
        return { id, name: `type-${id}`, direction, ratePerSecond, burst: clients ? burst : 0, fields: kept };
      }),
    );
}

export function messageValues(type) {
  return fc.tuple(
    ...type.fields.map((field) =>
      field.type === FieldType.TEXT
        ? text(field.max)
        : field.type === FieldType.BYTES
          ? fc.uint8Array({ maxLength: Math.min(field.max, 64) })
          : value(field),
    ),
  );
}
