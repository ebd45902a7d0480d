// The client against a scripted server (a fake WebSocket and mocked timers), fed the protocol's golden vectors:
// the JOIN it writes, the session it keeps, the acks it sends, and what it does after each kind of close.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CloseCode, closeAction, encodeAck, encodeClientMessage } from "../../dist/sdk/index.js";
import { golden, harness, notice, resumeWelcome } from "./scripted-server.mjs";

test("a session: the golden JOIN, WELCOME, presence, snapshot, acks, a room message, a drop and the resume", async (t) => {
  const { sockets, advance, promise } = harness(t);
  assert.deepEqual(sockets[0].protocols, ["tickwire.v2"]);
  sockets[0].open();
  assert.deepEqual(sockets[0].sent[0], golden("join.hex"), "the JOIN is the golden vector's bytes");

  sockets[0].deliver(golden("welcome.hex"));
  const client = await promise;
  assert.equal(client.state, "connected");
  assert.equal(client.welcome.entityId, 201);
  const presence = [];
  client.on("presence", (event) => presence.push(`${event.op}:${event.player.name || event.player.playerId}`));
  sockets[0].deliver(golden("presence-join.hex"));
  assert.deepEqual([...client.players.values()].map((p) => p.name), ["bob", "ann"]);

  sockets[0].deliver(golden("full-snapshot.hex"));
  assert.deepEqual(client.view.entities.map((e) => e.id), [1, 5, 201]);
  assert.deepEqual(client.ownEntity().values, [4000, 4000, 0, 0, 100, 1]);
  advance(34);
  assert.deepEqual(sockets[0].sent.at(-1), encodeAck(1, 1), "one ACK in the tick: snapshot 1, stream 1");
  const before = sockets[0].sent.length;
  advance(34);
  assert.equal(sockets[0].sent.length, before, "no new acks, no ACK");

  const messages = [];
  client.on("message", (m) => messages.push(m));
  sockets[0].deliver(golden("room-message.hex"));
  assert.deepEqual(messages.map((m) => [m.type, m.fields, m.seq]), [["killed", { killer: 1, victim: 300 }, 2]]);
  const chat = client.welcome.messageTypes.find((type) => type.name === "chat");
  assert.equal(client.send("chat", { text: "gg" }), 1);
  assert.deepEqual(sockets[0].sent.at(-1), encodeClientMessage(1, 1, chat, ["gg"]));
  sockets[0].deliver(golden("presence-leave.hex"));
  assert.deepEqual(presence, ["join:bob", "join:ann", "leave:bob"]);
  assert.equal(client.players.has(1), false);

  const states = [];
  client.on("state", (state) => states.push(state));
  sockets[0].drop(1006);
  assert.equal(client.state, "reconnecting");
  advance(49);
  assert.equal(sockets.length, 1, "the backoff waits (0.5 x 100 ms with this jitter)");
  advance(1);
  sockets[1].open();
  assert.deepEqual(sockets[1].sent[0], golden("resume-join.hex"), "the RESUME is the golden vector's bytes");
  let resumed = null;
  client.on("welcome", (_, flag) => {
    resumed = flag;
  });
  sockets[1].deliver(resumeWelcome());
  assert.equal(resumed, true);
  assert.deepEqual(states, ["reconnecting", "connected"]);
  assert.deepEqual(sockets[1].sent.at(-1), encodeClientMessage(0, 1, chat, ["gg"]), "the unconfirmed chat again");
  assert.equal(client.stats.messagesResent, 1);
  assert.deepEqual([...client.players.values()].map((p) => p.name), ["ann"], "the presence list is kept");

  const errors = [];
  client.on("error", (error) => errors.push(error));
  sockets[1].deliver(notice(14));
  sockets[1].drop(CloseCode.REPLACED);
  assert.equal(client.state, "closed", "replaced: another connection has the seat, no retry");
  const fatal = errors.at(-1);
  assert.equal(fatal.fatal, true);
  assert.equal(fatal.noticeName, "REPLACED");
  assert.equal(fatal.closeCode, 4004);
  advance(10_000);
  assert.equal(sockets.length, 2);
});

test("a refused resume joins the same room afresh at once; a drain waits its delay and joins afresh", async (t) => {
  const { sockets, advance, promise } = harness(t);
  sockets[0].open();
  sockets[0].deliver(golden("welcome.hex"));
  const client = await promise;
  sockets[0].drop(1006);
  advance(50);
  sockets[1].open();
  sockets[1].deliver(notice(13));
  sockets[1].drop(CloseCode.RESUME_REFUSED);
  advance(0);
  assert.equal(sockets.length, 3, "no backoff after a refused resume");
  sockets[2].open();
  assert.deepEqual(sockets[2].sent[0], golden("join.hex"), "a NAMED JOIN of the WELCOME's room");
  sockets[2].deliver(golden("welcome.hex"));
  assert.equal(client.stats.rejoins, 1);

  sockets[2].deliver(notice(12, 1000));
  sockets[2].drop(CloseCode.GOING_AWAY);
  advance(1049);
  assert.equal(sockets.length, 3, "the drain's delay, then the jitter");
  advance(1);
  sockets[3].open();
  assert.deepEqual(sockets[3].sent[0], golden("join.hex"), "after a drain: a fresh JOIN");
});

test("the first connection's failure rejects connect; a token rides in the subprotocol list", async (t) => {
  const { sockets, promise } = harness(t, { token: "a.b.c" });
  assert.deepEqual(sockets[0].protocols, ["tickwire.v2", "tickwire.token.a.b.c"]);
  sockets[0].drop(1006);
  await assert.rejects(promise, (error) => error.kind === "network" && error.fatal);
});

test("close codes map to resume, rejoin or stop", () => {
  assert.equal(closeAction(1006), "resume");
  assert.equal(closeAction(CloseCode.NOT_READING), "resume");
  assert.equal(closeAction(CloseCode.GOING_AWAY), "resume", "an idle close keeps the seat (a drain has NOTICE 12)");
  assert.equal(closeAction(CloseCode.TRY_AGAIN_LATER), "resume", "a busy server keeps the seat too");
  assert.equal(closeAction(CloseCode.RESUME_REFUSED), "rejoin");
  assert.equal(closeAction(CloseCode.INTERNAL_ERROR), "rejoin");
  for (const code of [CloseCode.KICKED, CloseCode.JOIN_REFUSED, CloseCode.REPLACED, 1002, 1008, 1000]) {
    assert.equal(closeAction(code), "stop", `close ${code}`);
  }
});

test("a JOIN that cannot be encoded rejects connect at once, with a usage error", async (t) => {
  const { sockets, promise } = harness(t, { playerName: "名前".repeat(6) });
  await assert.rejects(promise, (error) => error.kind === "usage" && /join/.test(error.message));
  assert.equal(sockets.length, 0, "no socket opened");
});

test("acks keep pace with arrivals when the timers are throttled (a background tab)", async (t) => {
  const { sockets, skew, promise } = harness(t);
  sockets[0].open();
  sockets[0].deliver(golden("welcome.hex"));
  await promise;
  sockets[0].deliver(golden("presence-join.hex"));
  assert.deepEqual(sockets[0].sent.at(-1), encodeAck(0, 1), "the first arrival is acknowledged at once");
  sockets[0].deliver(golden("full-snapshot.hex"));
  assert.deepEqual(sockets[0].sent.at(-1), encodeAck(1, 1),
    "the first snapshot too, within the tick period: the server sends no other until it hears of it");
  const sent = sockets[0].sent.length;
  sockets[0].deliver(golden("room-message.hex"));
  assert.equal(sockets[0].sent.length, sent, "then not twice within one tick period");
  skew(40);
  sockets[0].deliver(golden("presence-leave.hex"));
  assert.deepEqual(sockets[0].sent.at(-1), encodeAck(1, 3), "a tick period later, the next arrival acknowledges");
});

test("a server whose bytes the client cannot read three connections in a row: the client stops", async (t) => {
  const { sockets, advance, promise } = harness(t);
  sockets[0].open();
  sockets[0].deliver(golden("welcome.hex"));
  const client = await promise;
  const garbage = Uint8Array.of(0x7f);
  sockets[0].deliver(garbage);
  assert.equal(sockets[0].closedWith, 4000, "the client closes with an application code a browser allows");
  for (let i = 1; i <= 2; i++) {
    advance(100);
    sockets[i].open();
    sockets[i].deliver(resumeWelcome());
    sockets[i].deliver(garbage);
  }
  assert.equal(client.state, "closed");
  advance(10_000);
  assert.equal(sockets.length, 3);
});
