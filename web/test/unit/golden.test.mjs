// The protocol's golden vectors (codec/src/test/resources/golden/, copied with the values Java decodes from them
// into web/test/vectors/golden.json by WebVectorsTest): the SDK decodes exactly those values and encodes exactly
// those bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  JoinMode,
  ProtocolError,
  SnapshotDecoder,
  decodePong,
  decodePresence,
  decodeRoomMessage,
  decodeWelcome,
  encodeAck,
  encodeClientMessage,
  encodeInput,
  encodeJoin,
  encodeLeave,
  encodePing,
  viewChecksum,
} from "../../dist/sdk/index.js";
import { bytesToHex, hexToBytes, presenceJson, vectors, viewJson, welcomeJson } from "./support.mjs";

const golden = vectors("golden.json");
const bytes = (name) => hexToBytes(golden.hex[name]);
const welcome = decodeWelcome(bytes("welcome.hex"));
const typesById = new Map(welcome.messageTypes.map((t) => [t.id, t]));

test("welcome.hex decodes to the values Java decodes", () => {
  assert.deepEqual(welcomeJson(welcome), golden.welcome);
  assert.equal(welcome.entitySchema.xIndex, 0);
  assert.equal(welcome.entitySchema.yIndex, 1);
  assert.equal(welcome.entitySchema.indexOf("hp"), 4);
  assert.equal(welcome.entitySchema.indexOf("nope"), -1);
});

test("join.hex and resume-join.hex are what encodeJoin writes", () => {
  const join = golden.join;
  assert.equal(bytesToHex(encodeJoin({ ...join, options: join.options })), golden.hex["join.hex"]);
  const resume = golden.resumeJoin;
  assert.equal(resume.mode, JoinMode.RESUME);
  const encoded = encodeJoin({ ...resume, resumeToken: hexToBytes(resume.resumeToken) });
  assert.equal(bytesToHex(encoded), golden.hex["resume-join.hex"]);
  assert.equal(bytesToHex(welcome.resumeToken), resume.resumeToken);
});

test("input.hex is what encodeInput writes in the arena's input schema", () => {
  const { ack, inputSeq, viewTick, values } = golden.input;
  assert.deepEqual(values, [-1, 127, 3]);
  assert.equal(bytesToHex(encodeInput(ack, inputSeq, viewTick, welcome.inputSchema, values)), golden.hex["input.hex"]);
});

test("client-message.hex and ack.hex are what the encoders write", () => {
  const { ack, seq, typeId, values } = golden.clientMessage;
  const encoded = encodeClientMessage(ack, seq, typesById.get(typeId), values);
  assert.equal(bytesToHex(encoded), golden.hex["client-message.hex"]);
  assert.equal(bytesToHex(encodeAck(golden.ack.ack, golden.ack.messageAck)), golden.hex["ack.hex"]);
});

test("room-message.hex decodes to killed 1 300 at stream seq 2", () => {
  const message = decodeRoomMessage(bytes("room-message.hex"), typesById);
  assert.deepEqual({ seq: message.seq, typeId: message.type.id, values: message.values }, golden.roomMessage);
  assert.equal(message.type.name, "killed");
});

test("presence-join.hex and presence-leave.hex decode to the values Java decodes", () => {
  assert.deepEqual(presenceJson(decodePresence(bytes("presence-join.hex"))), golden.presenceJoin);
  assert.deepEqual(presenceJson(decodePresence(bytes("presence-leave.hex"))), golden.presenceLeave);
});

test("the full, delta and message-ack snapshots decode in turn to Java's views, checksums and headers", () => {
  const decoder = new SnapshotDecoder(welcome.entitySchema, welcome.historyWindowTicks);
  for (const expected of golden.snapshots) {
    const decoded = decoder.decode(bytes(expected.file));
    assert.equal(decoded.checksum, "ok", expected.file);
    const { tick, seq, baselineSeq, lastInputSeq, messageAck } = decoded;
    assert.deepEqual({ tick, seq, baselineSeq, lastInputSeq, messageAck }, {
      tick: expected.tick, seq: expected.seq, baselineSeq: expected.baselineSeq,
      lastInputSeq: expected.lastInputSeq, messageAck: expected.messageAck,
    });
    const view = viewJson(decoded.view);
    assert.deepEqual(view, { ids: expected.ids, values: expected.values }, expected.file);
    assert.equal(viewChecksum(view.ids, view.values, view.ids.length), expected.checksum);
    assert.equal(decoded.view.get(expected.ids[1]).values[0], expected.values[1][0]);
    assert.equal(decoded.view.get(424242), undefined);
  }
  // Snapshot 1 is older than the newest baseline (4): only 4 and 5 can still be baselines.
  assert.equal(decoder.retained, 2);
});

test("the checksum's worked example: id 7 with 100 and -3 gives 0x6013a889", () => {
  assert.equal(viewChecksum([7], [[100, -3]], 1), 0x6013a889);
  assert.equal(golden.checksumExample.checksum, 0x6013a889);
  assert.equal(viewChecksum([], [], 0), 0);
});

test("PING, PONG and LEAVE as PROTOCOL.md shows them", () => {
  assert.equal(bytesToHex(encodePing(0, 0x0102030405060708n)), "04000000000807060504030201");
  assert.equal(decodePong(hexToBytes("440807060504030201")), 0x0102030405060708n);
  assert.equal(bytesToHex(encodeLeave(7)), "0307000000");
});

test("a PRESENCE cut short is refused, or at an entry boundary gives the entries before it", () => {
  const whole = bytes("presence-join.hex");
  const entries = presenceJson(decodePresence(whole)).entries;
  for (let length = 0; length < whole.length; length++) {
    let decoded;
    try {
      decoded = presenceJson(decodePresence(whole.subarray(0, length)));
    } catch (e) {
      assert.ok(e instanceof ProtocolError, `cut at ${length}: ${e}`);
      continue;
    }
    assert.deepEqual(decoded.entries, entries.slice(0, decoded.entries.length), `cut at ${length}`);
    assert.ok(decoded.entries.length > 0 && decoded.entries.length < entries.length);
  }
});

test("every other golden server message cut short at any offset, or with a byte more, is refused", () => {
  const decoders = {
    "welcome.hex": (b) => decodeWelcome(b),
    "presence-leave.hex": (b) => decodePresence(b),
    "room-message.hex": (b) => decodeRoomMessage(b, typesById),
    "full-snapshot.hex": (b) => new SnapshotDecoder(welcome.entitySchema, 30).decode(b),
  };
  for (const [name, decode] of Object.entries(decoders)) {
    const whole = bytes(name);
    decode(whole);
    for (let length = 0; length < whole.length; length++) {
      assert.throws(() => decode(whole.subarray(0, length)), ProtocolError, `${name} cut at ${length}`);
    }
    const longer = new Uint8Array(whole.length + 1);
    longer.set(whole);
    assert.throws(() => decode(longer), ProtocolError, `${name} with a trailing byte`);
  }
});
