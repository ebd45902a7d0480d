// The SDK through a real cluster (run by net's WebSdkClusterLiveTest: one redis-server and two clustered nodes):
// it joins through the matchmakers, the node hosting its room is killed (SIGKILL), and it re-homes through the
// matchmaker to the other node, into the same seat: same player, same entity, snapshots flowing again.
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { TickwireClient } from "../../dist/sdk/index.js";

const MATCHMAKERS = required("TICKWIRE_MATCHMAKERS").split(",");
/** "port=pid,...": the nodes' processes, so the test can kill the one hosting its room. */
const PIDS = new Map(required("TICKWIRE_NODE_PIDS").split(",").map((entry) => entry.split("=")));

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: these tests run against a cluster (net: WebSdkClusterLiveTest)`);
  }
  return value;
}

/** Polls `predicate` every 20 ms until it holds; fails after `timeoutMs` with `what`. */
function waitFor(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (predicate()) {
        resolve();
      } else if (Date.now() > deadline) {
        reject(new Error(`timed out waiting for ${what}`));
      } else {
        setTimeout(poll, 20);
      }
    };
    poll();
  });
}

test("a client whose node is killed re-homes through the matchmaker into the same seat", async (t) => {
  const room = `sdk-rehome-${process.pid}`;
  const client = await TickwireClient.connect({
    matchmaker: MATCHMAKERS, roomType: "arena", room, playerName: "ann", WebSocket,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
  });
  t.after(() => client.close());
  const welcomes = [];
  client.on("welcome", (welcome, resumed) => welcomes.push({ welcome, resumed }));
  let snapshots = 0;
  client.on("snapshot", () => snapshots++);
  client.startInputLoop(() => ({ moveX: 60 }));
  const first = { node: client.placement.node, playerId: client.welcome.playerId, entityId: client.welcome.entityId };
  assert.equal(client.placement.room, room);
  assert.match(client.placement.subject, /^anon:/);
  // A checkpoint is written every second: play past two before the kill, so the room can be restored.
  await waitFor("2.5 s of snapshots", () => snapshots >= 70, 10_000);

  const port = first.node.split(":")[1].split("-")[0];
  assert.ok(PIDS.has(port), `the node ${first.node} is one of ${[...PIDS.keys()]}`);
  process.kill(Number(PIDS.get(port)), "SIGKILL");
  await waitFor("a WELCOME on another node", () => welcomes.length === 1, 20_000);
  const before = snapshots;
  await waitFor("snapshots on the new node", () => snapshots >= before + 30, 5_000);

  assert.notEqual(client.placement.node, first.node);
  assert.equal(welcomes[0].resumed, false, "a new stream on the new node");
  assert.equal(welcomes[0].welcome.playerId, first.playerId, "the same player");
  assert.equal(welcomes[0].welcome.entityId, first.entityId, "the same avatar");
  assert.equal(client.stats.rehomes, 1);
  assert.equal(client.stats.rehomeEntityChanged, 0);
  assert.equal(client.state, "connected");
});
