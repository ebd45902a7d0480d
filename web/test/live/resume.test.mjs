// Session resume through a live server: a client whose connection drops comes back on the same seat, and every
// game message, both ways, arrives exactly once and in order; when the seat has expired it joins afresh.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, startProxy, uniqueRoom, waitFor } from "./support.mjs";

const FAST_RECONNECT = { initialDelayMs: 50, maxDelayMs: 200 };

/** Ann connects through a proxy the test can cut, bob directly, both to a new tag room; all closed after `t`. */
async function annThroughProxyAndBob(t, prefix) {
  const proxy = await startProxy();
  const room = uniqueRoom(prefix);
  const ann = await connect({ url: proxy.url, roomType: "tag", room, playerName: "ann", reconnect: FAST_RECONNECT });
  const bob = await connect({ roomType: "tag", room, playerName: "bob" });
  t.after(async () => {
    ann.close();
    bob.close();
    await proxy.close();
  });
  return { proxy, room, ann, bob };
}

function chatLog(client) {
  const texts = [];
  client.on("message", (m) => m.type === "chat" && texts.push(`${m.fields.player}:${m.fields.text}`));
  return texts;
}

test("a dropped socket resumes the seat: same avatar, no message lost or repeated", async (t) => {
  const { proxy, ann, bob } = await annThroughProxyAndBob(t, "sdk-resume");
  const annHeard = chatLog(ann);
  const bobHeard = chatLog(bob);
  const states = [];
  ann.on("state", (state) => states.push(state));
  const welcomes = [];
  ann.on("welcome", (welcome, resumed) => welcomes.push({ welcome, resumed }));
  const leaves = [];
  bob.on("presence", (event) => event.op === "leave" && leaves.push(event));
  const first = ann.welcome;
  ann.startInputLoop(() => ({ moveX: 50, aim: 3 }));

  const annLines = [];
  const bobLines = [];
  const say = (client, lines, text) => {
    lines.push(`${client.welcome.playerId}:${text}`);
    client.send("chat", { text });
  };
  for (let i = 0; i < 4; i++) {
    say(ann, annLines, `a${i}`);
    say(bob, bobLines, `b${i}`);
  }
  await waitFor("the first lines at both ends", () => bobHeard.length === 8 && annHeard.length === 8);

  // The link dies silently: what both sides write now is lost in flight, then the socket drops.
  proxy.blackhole = true;
  for (let i = 4; i < 6; i++) {
    say(ann, annLines, `a${i}`);
    say(bob, bobLines, `b${i}`);
  }
  await waitFor("ann to have written her lines into the dead link", () => ann.stats.messagesSent === 6);
  await waitFor("the room to have relayed bob's lines into it", () => bobHeard.length >= 10);
  assert.ok(ann.unconfirmedMessages >= 2, "ann's lines in flight are unconfirmed");
  proxy.refuse = true;
  proxy.cut();
  proxy.blackhole = false;
  await waitFor("ann to notice the drop", () => ann.state === "reconnecting");
  for (let i = 6; i < 8; i++) {
    say(ann, annLines, `a${i}`);
    say(bob, bobLines, `b${i}`);
  }
  proxy.refuse = false;
  await waitFor("ann to resume", () => ann.state === "connected" && ann.stats.resumes === 1, 10_000);
  for (let i = 8; i < 10; i++) {
    say(ann, annLines, `a${i}`);
    say(bob, bobLines, `b${i}`);
  }

  const everyLine = [...annLines, ...bobLines].sort();
  await waitFor("every line at both ends", () => annHeard.length >= 20 && bobHeard.length >= 20, 15_000)
    .catch((error) => assert.fail(`${error.message}: ann ${annHeard}, bob ${bobHeard}, ann stats ${JSON.stringify(ann.stats)}`));
  await waitFor("ann's messages confirmed", () => ann.unconfirmedMessages === 0, 5000);
  assert.deepEqual([...annHeard].sort(), everyLine, "ann heard every line exactly once");
  assert.deepEqual([...bobHeard].sort(), everyLine, "bob heard every line exactly once");
  assert.deepEqual(annHeard.filter((l) => l.startsWith(`${first.playerId}:`)), annLines, "ann's lines in order");
  assert.deepEqual(bobHeard.filter((l) => l.startsWith(`${bob.welcome.playerId}:`)), bobLines, "bob's in order");

  assert.deepEqual(states.slice(0, 2), ["reconnecting", "connected"]);
  assert.equal(welcomes[0].resumed, true);
  assert.equal(ann.welcome.playerId, first.playerId, "same player");
  assert.equal(ann.welcome.entityId, first.entityId, "same avatar");
  assert.notDeepEqual([...ann.welcome.resumeToken], [...first.resumeToken], "a new token");
  assert.equal(ann.stats.rejoins, 0);
  assert.ok(ann.stats.messagesResent >= 2, "the lines lost in flight were written again");
  assert.deepEqual(leaves, [], "bob never saw ann leave");
  assert.ok(ann.players.has(bob.welcome.playerId) && ann.players.size === 2, "ann's presence list kept");
  await waitFor("snapshots again after the resume", () => ann.view?.get(first.entityId));
  assert.equal(ann.stats.checksumMismatches, 0);
  assert.equal(ann.stats.invalidSnapshots, 0);
});

test("when the seat has expired, the client joins the room afresh and sends what it never sent", async (t) => {
  const { proxy, room, ann, bob } = await annThroughProxyAndBob(t, "sdk-expired");
  const bobHeard = chatLog(bob);
  const lost = [];
  ann.on("lost", (messages) => lost.push(...messages));
  const first = ann.welcome;
  ann.send("chat", { text: "before" });
  await waitFor("the first line confirmed", () => ann.unconfirmedMessages === 0 && bobHeard.length === 1);

  proxy.refuse = true;
  proxy.cut();
  await waitFor("ann to notice the drop", () => ann.state === "reconnecting");
  ann.send("chat", { text: "while away" });
  const left = await waitFor("the grace to run out (bob sees ann leave, DISCONNECTED)", () =>
    !bob.players.has(first.playerId), 20_000);
  assert.ok(left);
  proxy.refuse = false;
  await waitFor("ann to join afresh", () => ann.state === "connected" && ann.stats.rejoins === 1, 15_000);

  assert.notEqual(ann.welcome.playerId, first.playerId, "a new player");
  assert.equal(ann.welcome.room, room, "in the same room");
  await waitFor("the line written while away to arrive once", () => bobHeard.length === 2, 5000);
  assert.deepEqual(bobHeard, [`${first.playerId}:before`, `${ann.welcome.playerId}:while away`]);
  assert.deepEqual(lost, [], "nothing was unconfirmed when the seat went");
  await waitFor("ann's presence list rebuilt", () => ann.players.has(bob.welcome.playerId)
    && ann.players.has(ann.welcome.playerId));
});
