// The reconnect delays and the outgoing message queue of the client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Backoff } from "../../dist/sdk/index.js";
import { MAX_UNCONFIRMED, Outbox } from "../../dist/sdk/outbox.js";

test("backoff doubles from the initial delay to the cap, with full jitter, and stops after maxAttempts", () => {
  const top = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 6 }, () => 0.999999);
  const ceilings = [];
  while (!top.exhausted) {
    ceilings.push(Math.round(top.next()));
  }
  assert.deepEqual(ceilings, [100, 200, 400, 800, 1000, 1000]);
  top.reset();
  assert.equal(top.attempts, 0);
  assert.equal(new Backoff({}, () => 0).next(), 0, "full jitter reaches zero");
  assert.throws(() => new Backoff({ initialDelayMs: 0 }));
  assert.throws(() => new Backoff({ initialDelayMs: 500, maxDelayMs: 100 }));
});

const CHAT = { id: 2, name: "chat", direction: 3, ratePerSecond: 5, burst: 10, fields: [] };
const EMOTE = { id: 3, name: "emote", direction: 1, ratePerSecond: 1000, burst: 10000, fields: [] };

function written(outbox, nowMs) {
  const out = [];
  outbox.flush(nowMs, (message, resend) => out.push(`${message.seq}${resend ? "r" : ""}`));
  return out;
}

test("messages are numbered from 1, confirmed by messageAck, and written again after a resume", () => {
  const outbox = new Outbox();
  for (let i = 0; i < 3; i++) {
    outbox.add(EMOTE, []);
  }
  assert.deepEqual(written(outbox, 0), ["1", "2", "3"]);
  assert.deepEqual(written(outbox, 0), [], "each is written once per connection");
  outbox.confirm(1);
  assert.equal(outbox.unconfirmed().length, 2);
  outbox.rewind();
  outbox.add(EMOTE, []);
  assert.deepEqual(written(outbox, 0), ["2r", "3r", "4"], "resent with their sequences, then the new one");
  outbox.confirm(4);
  assert.equal(outbox.unconfirmed().length, 0);
  assert.equal(outbox.nextSeq, 5);
  for (let i = 0; i < MAX_UNCONFIRMED; i++) {
    assert.equal(outbox.full, false);
    outbox.add(EMOTE, []);
  }
  assert.equal(outbox.full, true, "bounded: the client refuses more rather than growing");
});

test("after a resume, confirmations never make the connection's sequences skip", () => {
  const oneAtATime = { id: 4, name: "move", direction: 1, ratePerSecond: 1, burst: 2, fields: [] };
  const outbox = new Outbox();
  for (let i = 0; i < 6; i++) {
    outbox.add(oneAtATime, []);
  }
  for (let seq = 1; seq <= 6; seq++) {
    assert.deepEqual(written(outbox, seq * 2000), [`${seq}`]);
  }
  outbox.confirm(2);
  outbox.rewind();
  outbox.confirm(3);
  assert.equal(outbox.unconfirmed()[0].seq, 4, "before the first write, anything confirmed may go");
  assert.deepEqual(written(outbox, 20_000), ["4r"]);
  outbox.confirm(5);
  assert.deepEqual(written(outbox, 30_000), ["5r"], "5 is confirmed but written anyway: no gap from 4 to 6");
  assert.deepEqual(written(outbox, 40_000), ["6r"]);
});

test("a fresh join gives up what was written and renumbers what never was from 1", () => {
  const outbox = new Outbox();
  outbox.add(EMOTE, ["a"]);
  outbox.add(EMOTE, ["b"]);
  written(outbox, 0);
  outbox.add(EMOTE, ["c"]);
  const lost = outbox.restart();
  assert.deepEqual(lost.map((m) => m.values[0]), ["a", "b"]);
  assert.deepEqual(outbox.unconfirmed().map((m) => [m.seq, m.values[0]]), [[1, "c"]]);
  assert.deepEqual(written(outbox, 0), ["1"], "a new seat: not a resend");
});

test("a type's rate paces the queue below the server's limit, and later types wait behind it", () => {
  const outbox = new Outbox();
  for (let i = 0; i < 12; i++) {
    outbox.add(CHAT, []);
  }
  outbox.add(EMOTE, []);
  assert.equal(written(outbox, 0).length, 9, "a burst one smaller than the server's");
  assert.deepEqual(written(outbox, 100), [], "4.5 a second: none after 100 ms");
  assert.deepEqual(written(outbox, 230), ["10"]);
  assert.deepEqual(written(outbox, 10_000), ["11", "12", "13"], "the emote waited for the chats before it");
});
