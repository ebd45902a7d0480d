// The random corpus the Java codec writes (WebVectorsTest, web/test/vectors/random.json): snapshot histories at
// extreme ranges with wraps, conflation, skipped acks and corrupted checksums; INPUTs; MESSAGEs both ways; WELCOMEs;
// PRESENCE batches. The SDK must decode and encode exactly as Java does.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Schema,
  SnapshotDecoder,
  decodeClientMessage,
  decodeInput,
  decodePresence,
  decodeRoomMessage,
  decodeWelcome,
  encodeClientMessage,
  encodeInput,
  encodeRoomMessage,
  viewChecksum,
} from "../../dist/sdk/index.js";
import {
  bytesToHex,
  hexToBytes,
  presenceJson,
  valuesFromJson,
  valuesToJson,
  vectors,
  viewJson,
  welcomeJson,
} from "./support.mjs";

const corpus = vectors("random.json");

test("the corpus has every kind of case", () => {
  const steps = corpus.snapshotHistories.flatMap((h) => h.steps);
  assert.ok(steps.some((s) => s.checksum === "mismatch"));
  assert.ok(steps.some((s) => s.checksum === "absent"));
  assert.ok(steps.some((s) => s.baselineSeq !== 0));
  assert.ok(steps.some((s) => s.messageAck !== 0));
  assert.ok(steps.some((s) => s.tick < 100) && steps.some((s) => s.tick > 0xffffff00), "ticks wrap");
  assert.ok(corpus.snapshotHistories.some((h) => h.entitySchema.length === 32));
  assert.ok(corpus.messages.some((m) => m.clientHex) && corpus.messages.some((m) => m.roomHex));
});

test("every snapshot history decodes to Java's views, checksums and headers; mismatches are not retained", () => {
  for (const [n, history] of corpus.snapshotHistories.entries()) {
    const decoder = new SnapshotDecoder(new Schema(history.entitySchema), history.historyWindowTicks);
    for (const [k, step] of history.steps.entries()) {
      const where = `history ${n} step ${k}`;
      const before = decoder.view;
      const decoded = decoder.decode(hexToBytes(step.hex));
      const { tick, seq, baselineSeq, lastInputSeq, messageAck, checksum } = decoded;
      assert.deepEqual({ tick, seq, baselineSeq, lastInputSeq, messageAck, checksum }, {
        tick: step.tick, seq: step.seq, baselineSeq: step.baselineSeq, lastInputSeq: step.lastInputSeq,
        messageAck: step.messageAck, checksum: step.checksum,
      }, where);
      const view = viewJson(decoded.view);
      assert.deepEqual(view, { ids: step.ids, values: step.values }, where);
      assert.equal(viewChecksum(view.ids, view.values, view.ids.length), step.viewChecksum, where);
      assert.equal(decoder.view, step.checksum === "mismatch" ? before : decoded.view, where);
      assert.ok(decoder.retained <= history.historyWindowTicks, where);
    }
  }
});

test("every INPUT is what encodeInput writes, and decodes back", () => {
  for (const input of corpus.inputs) {
    const schema = new Schema(input.inputSchema);
    const encoded = encodeInput(input.ack, input.inputSeq, input.viewTick, schema, input.values);
    assert.equal(bytesToHex(encoded), input.hex);
    const { ack, inputSeq, viewTick, values } = decodeInput(encoded, schema);
    assert.deepEqual({ ack, inputSeq, viewTick, values },
      { ack: input.ack, inputSeq: input.inputSeq, viewTick: input.viewTick, values: input.values });
  }
});

test("every client MESSAGE is what encodeClientMessage writes; every room MESSAGE decodes to its values", () => {
  for (const message of corpus.messages) {
    const type = message.type;
    const values = valuesFromJson(type, message.values);
    const typesById = new Map([[type.id, type]]);
    if (message.clientHex) {
      assert.equal(bytesToHex(encodeClientMessage(message.ack, message.seq, type, values)), message.clientHex);
      const decoded = decodeClientMessage(hexToBytes(message.clientHex), typesById);
      assert.deepEqual(valuesToJson(type, decoded.values), message.values);
      assert.equal(decoded.messageSeq, message.seq);
    }
    if (message.roomHex) {
      const decoded = decodeRoomMessage(hexToBytes(message.roomHex), typesById);
      assert.equal(decoded.seq, message.seq);
      assert.equal(decoded.type, type);
      assert.deepEqual(valuesToJson(type, decoded.values), message.values);
      assert.equal(bytesToHex(encodeRoomMessage(message.seq, type, values)), message.roomHex);
    }
  }
});

test("every WELCOME decodes to the values Java decodes", () => {
  for (const welcome of corpus.welcomes) {
    assert.deepEqual(welcomeJson(decodeWelcome(hexToBytes(welcome.hex))), welcome.welcome);
  }
});

test("every PRESENCE batch decodes to the entries Java decodes", () => {
  for (const presence of corpus.presences) {
    const { seq, entries } = presence;
    assert.deepEqual(presenceJson(decodePresence(hexToBytes(presence.hex))), { seq, entries });
  }
});
