// Properties of the primitive encodings and of the client and stream messages: round trips at the extremes, the
// shortest-form rule, strict text, and every malformed variant refused with a ProtocolError, never garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  FieldType,
  ProtocolError,
  Reader,
  Schema,
  Writer,
  checkText,
  decodeClientMessage,
  decodeInput,
  decodeNotice,
  decodePong,
  decodePresence,
  decodeRoomMessage,
  decodeWelcome,
  encodeClientMessage,
  encodeInput,
  encodeJoin,
  encodeRoomMessage,
  isNewer,
  seqDiff,
} from "../../dist/sdk/index.js";
import { inputSchemaFields, messageType, messageValues, value } from "./arbitraries.mjs";
import { hexToBytes, vectors } from "./support.mjs";

const RUNS = { numRuns: 300 };

function refused(fn, reason) {
  assert.throws(fn, (e) => e instanceof ProtocolError && (reason === undefined || e.reason === reason));
}

/** Every cut of `bytes` short of its end, and `bytes` with one more byte, must be refused. */
function everyCutAndExtensionRefused(bytes, decode) {
  for (let length = 0; length < bytes.length; length++) {
    refused(() => decode(bytes.subarray(0, length)));
  }
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  refused(() => decode(longer), "trailing-bytes");
}

const safeVarint = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 7 }).map((k) => 128 ** k),
  fc.integer({ min: 1, max: 7 }).map((k) => 128 ** k - 1),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constant(Number.MAX_SAFE_INTEGER),
);

test("varints round-trip in their shortest form; a longer form of the same value is refused", () => {
  fc.assert(
    fc.property(safeVarint, (n) => {
      const bytes = new Writer().varint(n).finish();
      assert.equal(bytes.length, Math.max(1, Math.ceil(n.toString(2).length / 7)));
      const r = new Reader(bytes);
      assert.equal(r.varint(), n);
      r.expectEnd();
      assert.equal(new Reader(bytes).varint64(), BigInt(n));
      const padded = new Uint8Array(bytes.length + 1);
      padded.set(bytes);
      padded[bytes.length - 1] |= 0x80;
      if (bytes.length < 10) {
        refused(() => new Reader(padded).varint(), "varint-not-shortest");
        refused(() => new Reader(padded).varint64(), "varint-not-shortest");
        refused(() => new Reader(padded).zigzag64(), "varint-not-shortest");
      }
    }),
    RUNS,
  );
});

test("64-bit varints round-trip up to 2^64 - 1; above it, or longer than 10 bytes, they are refused", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
      const bytes = new Writer().varint64(n).finish();
      assert.equal(new Reader(bytes).varint64(), n);
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
        refused(() => new Reader(bytes).varint(), "varint-too-large");
      }
    }),
    RUNS,
  );
  refused(() => new Reader(hexToBytes("ffffffffffffffffff02")).varint64(), "varint-overflow");
  refused(() => new Reader(hexToBytes("ffffffffffffffffff8001")).varint64(), "varint-overflow");
  assert.equal(new Reader(hexToBytes("ffffffffffffffffff01")).varint64(), (1n << 64n) - 1n);
  refused(() => new Reader(hexToBytes("80")).varint(), "truncated");
});

test("zigzag32 round-trips every int32 and refuses values beyond 32 bits", () => {
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
      const bytes = new Writer().zigzag32(n).finish();
      assert.equal(new Reader(bytes).zigzag32(), n);
      assert.equal(new Reader(bytes).zigzag64(), n);
    }),
    RUNS,
  );
  assert.deepEqual([0, 1, 2, 3, 4].map((z) => new Reader(new Uint8Array([z])).zigzag32()), [0, -1, 1, -2, 2]);
  refused(() => new Reader(new Writer().varint(2 ** 32).finish()).zigzag32(), "out-of-range");
});

test("zigzag64 is exact beyond 2^53", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (n) => {
      const z = n >= 0n ? n << 1n : (-n << 1n) - 1n;
      const decoded = new Reader(new Writer().varint64(z).finish()).zigzag64();
      assert.equal(BigInt(decoded), n);
      assert.equal(typeof decoded, Number.isSafeInteger(Number(n)) ? "number" : "bigint");
    }),
    RUNS,
  );
});

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const utf8 = new TextEncoder();

test("text accepts exactly well-formed UTF-8 without control characters (oracle: a fatal TextDecoder)", () => {
  const candidate = fc.oneof(
    fc.uint8Array({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 8 }).map((s) => utf8.encode(s)),
    fc.tuple(fc.string({ unit: "binary", maxLength: 4 }), fc.uint8Array({ maxLength: 3 })).map(([s, tail]) => {
      const head = utf8.encode(s);
      const out = new Uint8Array(head.length + tail.length);
      out.set(head);
      out.set(tail, head.length);
      return out;
    }),
  );
  fc.assert(
    fc.property(candidate, (bytes) => {
      let expected;
      try {
        const s = fatal.decode(bytes);
        expected = CONTROL.test(s) ? undefined : s;
      } catch {
        expected = undefined;
      }
      assert.equal(checkText(bytes, 0, bytes.length), expected !== undefined);
      const message = new Writer().varint(bytes.length).raw(bytes).finish();
      if (expected === undefined) {
        refused(() => new Reader(message).text(0, 64), "bad-text");
      } else {
        assert.equal(new Reader(message).text(0, 64), expected);
      }
    }),
    { numRuns: 2000 },
  );
  for (const hex of ["c080", "e08080", "eda080", "f4908080", "f5", "c280", "c29f", "7f", "00", "1f", "c2", "e282"]) {
    assert.equal(checkText(hexToBytes(hex), 0, hex.length / 2), false, hex);
  }
  for (const hex of ["c2a0", "7e", "efbfbd", "f48fbfbf", "e282ac"]) {
    assert.equal(checkText(hexToBytes(hex), 0, hex.length / 2), true, hex);
  }
  refused(() => new Reader(new Writer().text("abc").finish()).text(0, 2), "text-length");
  refused(() => new Reader(new Writer().text("").finish()).text(1, 2), "text-length");
  assert.throws(() => new Writer().text("a\u0001"), RangeError);
  assert.throws(() => new Writer().text("\ud800"), RangeError);
});

test("sequences compare wrap-safe", () => {
  assert.ok(isNewer(1, 0xffffffff));
  assert.ok(!isNewer(0xffffffff, 1));
  assert.ok(!isNewer(5, 5));
  assert.equal(seqDiff(2, 0xfffffffe), 4);
  assert.ok(isNewer(0x7fffffff, 0));
  assert.ok(!isNewer(0x80000000, 0));
});

const inputCase = inputSchemaFields().chain((fields) =>
  fc.tuple(
    fc.constant(fields),
    fc.tuple(...fields.map(value)),
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.integer({ min: 1, max: 0xffffffff }),
    fc.integer({ min: 0, max: 0xffffffff }),
  ),
);

test("INPUTs round-trip at extreme ranges; every cut, extension and out-of-range value is refused", () => {
  fc.assert(
    fc.property(inputCase, fc.nat(), ([fields, values, ack, inputSeq, viewTick], pick) => {
      const schema = new Schema(fields);
      const bytes = encodeInput(ack, inputSeq, viewTick, schema, values);
      assert.deepEqual(decodeInput(bytes, schema), { ack, inputSeq, viewTick, values });
      everyCutAndExtensionRefused(bytes, (b) => decodeInput(b, schema));
      if (fields.length > 0) {
        const i = pick % fields.length;
        const span = fields[i].max - fields[i].min;
        const w = new Writer().u8(2).u32(ack).u32(inputSeq).u32(viewTick);
        fields.forEach((f, k) => w.varint(k === i ? span + 1 : values[k] - f.min));
        refused(() => decodeInput(w.finish(), schema), "out-of-range");
        const outside = [...values];
        outside[i] = fields[i].max + 1;
        assert.throws(() => encodeInput(ack, inputSeq, viewTick, schema, outside), RangeError);
      }
    }),
    { numRuns: 200 },
  );
});

const messageCase = messageType().chain((type) =>
  fc.tuple(fc.constant(type), messageValues(type), fc.integer({ min: 1, max: 0xffffffff })),
);

test("MESSAGEs round-trip both ways; every cut or extension, and a control character in text, is refused", () => {
  fc.assert(
    fc.property(messageCase, ([type, values, seq]) => {
      const typesById = new Map([[type.id, type]]);
      if ((type.direction & 2) !== 0) {
        const bytes = encodeRoomMessage(seq, type, values);
        const decoded = decodeRoomMessage(bytes, typesById);
        assert.deepEqual(decoded.values, values);
        assert.equal(decoded.seq, seq);
        everyCutAndExtensionRefused(bytes, (b) => decodeRoomMessage(b, typesById));
        refused(() => decodeRoomMessage(bytes, new Map()), "unknown-message-type");
        const textAt = type.fields.findIndex((f, i) => f.type === FieldType.TEXT && values[i].startsWith("a"));
        if (textAt >= 0) {
          // The text's first byte: after the fields before it and the text's length varint.
          const before = { ...type, fields: type.fields.slice(0, textAt) };
          const at = encodeRoomMessage(seq, before, values.slice(0, textAt)).length +
            new Writer().varint(utf8.encode(values[textAt]).length).finish().length;
          const corrupted = bytes.slice();
          assert.equal(corrupted[at], 0x61);
          corrupted[at] = 0x01;
          refused(() => decodeRoomMessage(corrupted, typesById), "bad-text");
        }
      } else {
        refused(() => decodeRoomMessage(new Writer().u8(0x45).u32(seq).varint(type.id).finish(), typesById),
          "unknown-message-type");
      }
      if ((type.direction & 1) !== 0) {
        const bytes = encodeClientMessage(7, seq, type, values);
        assert.ok(bytes.length <= 256);
        assert.deepEqual(decodeClientMessage(bytes, typesById).values, values);
        everyCutAndExtensionRefused(bytes, (b) => decodeClientMessage(b, typesById));
      } else {
        assert.throws(() => encodeClientMessage(7, seq, type, values), RangeError);
      }
    }),
    { numRuns: 300 },
  );
});

const corpus = vectors("random.json");

test("every WELCOME of the corpus cut short or extended is refused", () => {
  for (const welcome of corpus.welcomes) {
    everyCutAndExtensionRefused(hexToBytes(welcome.hex), decodeWelcome);
  }
});

test("a PRESENCE whose seq is 0, whose op or reason is unknown, or whose metadata repeats a key is refused", () => {
  refused(() => decodePresence(hexToBytes("4600000000020102")), "bad-sequence");
  refused(() => decodePresence(hexToBytes("4603000000040102")), "bad-presence-op");
  refused(() => decodePresence(hexToBytes("4603000000020107")), "out-of-range");
  refused(() => decodePresence(hexToBytes("4603000000020002")), "out-of-range");
  refused(() => decodePresence(hexToBytes("4603000000")), "bad-length");
  refused(() => decodePresence(hexToBytes("46030000000101000002016b00016b00")), "duplicate-key");
  assert.equal(decodePresence(hexToBytes("46030000000101000001016b00")).entries[0].metadata.get("k"), "");
});

test("NOTICE and PONG are checked to the byte", () => {
  const notice = decodeNotice(hexToBytes("430ce807026869"));
  assert.deepEqual(notice, { code: 12, detail: 1000, text: "hi" });
  refused(() => decodeNotice(hexToBytes("430c8000026869")), "varint-not-shortest");
  refused(() => decodeNotice(hexToBytes("430c0002686900")), "trailing-bytes");
  refused(() => decodeNotice(hexToBytes("4380808080100000")), "out-of-range");
  refused(() => decodeNotice(hexToBytes("430c00020169")), "bad-text");
  refused(() => decodePong(hexToBytes("4408070605040302")), "bad-length");
  refused(() => decodePong(hexToBytes("450807060504030201")), "bad-type");
});

const goldenWelcome = hexToBytes(vectors("golden.json").hex["welcome.hex"]);

function mutateWelcome(pattern, at, byte) {
  const bytes = goldenWelcome.slice();
  const hex = Buffer.from(bytes).toString("hex");
  const start = hex.indexOf(pattern);
  assert.ok(start >= 0 && start % 2 === 0, pattern);
  bytes[start / 2 + at] = byte;
  return bytes;
}

test("a WELCOME breaking a schema or range rule is refused", () => {
  decodeWelcome(goldenWelcome);
  const xField = "0178030080fa01100301";
  refused(() => decodeWelcome(mutateWelcome("41071e", 2, 0)), "out-of-range");
  refused(() => decodeWelcome(mutateWelcome(xField, 8, 0x01)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome(xField, 8, 0x07)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome(xField, 9, 0x02)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome(xField, 9, 0x00)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome(xField, 9, 0x03)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome(xField, 2, 0x06)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome(xField, 2, 0x00)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome("02767903", 2, 0x78)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome("0104636861740305", 7, 0x00)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome("02066b696c6c65640200", 9, 0x01)), "bad-schema");
  refused(() => decodeWelcome(mutateWelcome("02066b696c6c65640200", 0, 0x01)), "bad-message-type");
  refused(() => decodeWelcome(mutateWelcome("02066b696c6c65640200", 8, 0x04)), "bad-message-type");
  refused(() => decodeWelcome(mutateWelcome("100001020304", 0, 0x11)), "bytes-length");
  refused(() => decodeWelcome(mutateWelcome("100001020304", 0, 0x0f).subarray(0, goldenWelcome.length - 1)),
    "bad-resume-token");
});

test("JOIN refuses what the server would refuse", () => {
  const base = { roomType: "arena", mode: 0, room: "demo", player: "ann", options: [] };
  assert.throws(() => encodeJoin({ ...base, roomType: "-arena" }), RangeError);
  assert.throws(() => encodeJoin({ ...base, roomType: "Arena" }), RangeError);
  assert.throws(() => encodeJoin({ ...base, room: "" }), RangeError);
  assert.throws(() => encodeJoin({ ...base, mode: 1 }), RangeError);
  assert.throws(() => encodeJoin({ ...base, options: [["a", "1"], ["a", "2"]] }), RangeError);
  assert.throws(() => encodeJoin({ ...base, options: [["a b", "1"]] }), RangeError);
  assert.throws(() => encodeJoin({ ...base, mode: 3 }), RangeError);
  assert.throws(() => encodeJoin({ ...base, player: "x".repeat(33) }), RangeError);
  assert.equal(encodeJoin({ ...base, mode: 1, room: "" }).length, 5 + 6 + 1 + 1 + 4 + 1);
});
