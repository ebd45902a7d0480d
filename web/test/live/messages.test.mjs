// Game messages through a live server: sent by name, relayed by the room, received by every player in order
// exactly once, and confirmed by the snapshots' messageAck.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, uniqueRoom, waitFor } from "./support.mjs";

test("chat round trip in a tag room: both players get every line once, in order", async (t) => {
  const room = uniqueRoom("sdk-chat");
  const ann = await connect({ roomType: "tag", room, playerName: "ann" });
  const bob = await connect({ roomType: "tag", room, playerName: "bob" });
  t.after(() => {
    ann.close();
    bob.close();
  });
  const received = { ann: [], bob: [] };
  ann.on("message", (m) => m.type === "chat" && received.ann.push(m));
  bob.on("message", (m) => m.type === "chat" && received.bob.push(m));

  const lines = Array.from({ length: 12 }, (_, i) => `line ${i} é✓`);
  for (const text of lines) {
    ann.send("chat", { text });
  }
  await waitFor("bob to get every line", () => received.bob.length === lines.length, 10_000);
  await waitFor("ann to get her own lines back", () => received.ann.length === lines.length, 10_000);
  for (const got of [received.ann, received.bob]) {
    assert.deepEqual(got.map((m) => m.fields.text), lines);
    assert.ok(got.every((m) => m.fields.player === ann.welcome.playerId));
    for (let i = 1; i < got.length; i++) {
      assert.ok(got[i].seq > got[i - 1].seq, "stream order");
    }
  }
  // Twelve lines at 5/s with bursts of 10: the client paced them instead of being closed with 1008.
  assert.equal(ann.state, "connected");
  await waitFor("the server to confirm every message", () => ann.unconfirmedMessages === 0);
  assert.equal(ann.stats.messagesSent, lines.length);
  assert.equal(ann.stats.messagesResent, 0);

  assert.throws(() => ann.send("tagged", { shooter: 1, target: 2 }), /not one the room lets clients send/);
  assert.throws(() => ann.send("chat", { text: "x".repeat(97) }), (error) => error.kind === "usage");
  assert.throws(() => ann.send("chat", { colour: 3 }), /no field "colour"/);
});
