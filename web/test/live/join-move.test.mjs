// A client joins a live server, moves, and sees its avatar move: in the authoritative snapshots, in its own
// prediction, and in a second client's interpolated view, with the presence lists agreeing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gamePredict, connect, uniqueRoom, waitFor } from "./support.mjs";

test("join an arena room, read the schemas, move right and see the avatar move", async (t) => {
  const room = uniqueRoom("sdk-move");
  const ann = await connect({ roomType: "arena", room, playerName: "ann", predict: gamePredict });
  const bob = await connect({ roomType: "arena", room, playerName: "bob" });
  t.after(() => {
    ann.close();
    bob.close();
  });

  const welcome = ann.welcome;
  assert.equal(welcome.roomType, "arena");
  assert.equal(welcome.room, room);
  assert.deepEqual(welcome.entitySchema.fields.map((field) => field.name), ["x", "y", "vx", "vy", "hp", "kind"]);
  assert.deepEqual(welcome.inputSchema.fields.map((field) => field.name), ["moveX", "moveY", "buttons"]);
  assert.ok(welcome.entityId >= 0, "the arena gives every player an avatar");
  assert.equal(welcome.resumeToken.length, 16);

  await waitFor("both players in both presence lists", () =>
    [ann, bob].every((c) => [...c.players.values()].map((p) => p.name).sort().join() === "ann,bob"));
  const annEntity = welcome.entityId;
  await waitFor("ann's avatar in her snapshots", () => ann.view?.get(annEntity));
  // Players spawn anywhere in the world, and each sees only what is within the view radius of it: bob walks to
  // ann, steering by both clients' own positions, until she is in his view and close.
  const position = (client) => client.view?.get(client.welcome.entityId)?.values;
  await waitFor("both avatars in their snapshots", () => position(ann) && position(bob));
  bob.startInputLoop(() => {
    const [ax, ay] = position(ann);
    const [bx, by] = position(bob);
    const length = Math.hypot(ax - bx, ay - by) || 1;
    return { moveX: Math.round((ax - bx) / length * 127), moveY: Math.round((ay - by) / length * 127) };
  });
  await waitFor("bob to reach ann", () => {
    const [ax, ay] = position(ann);
    const [bx, by] = position(bob);
    return Math.hypot(ax - bx, ay - by) < 30 * 16 && bob.view.get(annEntity);
  }, 20_000);
  bob.startInputLoop(null);
  const startX = ann.view.get(annEntity).values[0];
  const startSeenByBob = await waitFor("ann still in bob's view", () => bob.view?.get(annEntity));

  const moveX = startX > 8000 ? -127 : 127;
  ann.startInputLoop(() => ({ moveX }));
  const speed = Number(welcome.metadata.get("speedSteps"));
  const moved = (values) => Math.sign(values[0] - startX) === Math.sign(moveX) &&
    Math.abs(values[0] - startX) >= 10 * speed;
  await waitFor("the server to move ann's avatar ten ticks' worth", () => moved(ann.view.get(annEntity).values));
  // Drawn, the prediction blends over the latest tick: at most one tick behind its newest state.
  const drawn = ann.ownEntity().values[0];
  assert.ok(Math.sign(drawn - startX) === Math.sign(moveX) && Math.abs(drawn - startX) >= 9 * speed,
    `the predicted avatar moved too: ${startX} -> ${drawn}`);
  await waitFor("bob's interpolated view to show ann moving", () => {
    const seen = bob.entities().find((e) => e.id === annEntity);
    return seen !== undefined && Math.abs(seen.values[0] - startSeenByBob.values[0]) >= 10 * speed;
  });
  ann.startInputLoop(null);

  assert.equal(ann.stats.checksumMismatches, 0);
  assert.equal(ann.stats.invalidSnapshots, 0);
  assert.equal(bob.stats.checksumMismatches, 0);
  assert.ok(ann.stats.inputsSent >= 10);
  assert.ok(ann.stats.prediction.corrections > 0, "snapshots confirmed predicted inputs");
  assert.ok(ann.field(ann.view.get(annEntity), "x") === ann.view.get(annEntity).values[0] / 16);

  await ann.leave();
  assert.equal(ann.state, "closed");
  await waitFor("bob to see ann leave", () => !bob.players.has(welcome.playerId));
});

test("a join the server refuses rejects connect with a typed error", async () => {
  await assert.rejects(connect({ roomType: "no-such-game", room: "x", playerName: "eve" }), (error) => {
    assert.equal(error.name, "TickwireError");
    assert.equal(error.closeCode, 1002);
    assert.equal(error.fatal, true);
    return true;
  });
  await assert.rejects(connect({ roomType: "tag", room: uniqueRoom("t"), playerName: "eve",
    options: { scoreLimit: "1000" } }), (error) => error.closeCode === 1002);
});
