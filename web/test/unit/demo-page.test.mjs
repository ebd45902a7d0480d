// The demo page's pure parts: aim from the pointer, the stick from the keys, tag's scores and kill feed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aimDirection, aimFromVector } from "../../dist/demo/aim.js";
import { isMoveKey, stickFromKeys } from "../../dist/demo/keys.js";
import { chatLine, onRound, onTagged, presenceLine, scoresFromMetadata } from "../../dist/demo/events.js";

test("aim is the pointer's angle from +x toward +y (y down) in 1024ths of a turn, as TagGame fires", () => {
  assert.equal(aimFromVector(10, 0), 0);
  assert.equal(aimFromVector(0, 10), 256);
  assert.equal(aimFromVector(-10, 0), 512);
  assert.equal(aimFromVector(0, -10), 768);
  assert.equal(aimFromVector(5, -0.001), 0, "just above +x wraps to 0, never 1024");
  assert.equal(aimFromVector(0, 0), 0);
  for (let aim = 0; aim < 1024; aim++) {
    const direction = aimDirection(aim);
    assert.equal(aimFromVector(direction.x * 300, direction.y * 300), aim, `aim ${aim} round trip`);
  }
});

test("keys give a full stick per axis, opposite keys cancel, arrows equal WASD", () => {
  assert.deepEqual(stickFromKeys(new Set()), { moveX: 0, moveY: 0 });
  assert.deepEqual(stickFromKeys(new Set(["KeyD", "KeyS"])), { moveX: 127, moveY: 127 });
  assert.deepEqual(stickFromKeys(new Set(["ArrowLeft", "ArrowUp"])), { moveX: -127, moveY: -127 });
  assert.deepEqual(stickFromKeys(new Set(["KeyA", "KeyD", "KeyW", "ArrowUp"])), { moveX: 0, moveY: -127 });
  assert.deepEqual(stickFromKeys(new Set(["Space", "KeyQ"])), { moveX: 0, moveY: 0 });
  assert.ok(isMoveKey("ArrowDown") && !isMoveKey("Space"));
});

test("tag's scores: metadata at the welcome, a point per tag to the shooter's team, rounds reset them", () => {
  const scores = scoresFromMetadata(new Map([["red", "3"], ["blue", "5"], ["round", "2"], ["phase", "playing"]]));
  assert.deepEqual(scores, { red: 3, blue: 5, round: 2, phase: "playing" });
  assert.deepEqual(onTagged(scores, "ann", "bob", "red"), { kind: "kill", who: "", text: "ann tagged bob" });
  onTagged(scores, "bob", "ann", "blue");
  onTagged(scores, "eve", "ann", undefined);
  assert.deepEqual([scores.red, scores.blue], [4, 6]);
  assert.equal(onRound(scores, 1, 2, 1, 4, 10).text, "round 2: blue wins 4 to 10");
  assert.deepEqual(scores, { red: 4, blue: 10, round: 2, phase: "intermission" });
  assert.equal(onRound(scores, 0, 3, 2, 0, 0).text, "round 3 starts");
  assert.deepEqual(scores, { red: 0, blue: 0, round: 3, phase: "playing" });
});

test("feed lines: chat by name (or #id before presence names the sender), joins and leaves but no updates", () => {
  assert.deepEqual(chatLine("bot-07", 7, "hi"), { kind: "chat", who: "bot-07", text: "hi" });
  assert.equal(chatLine(undefined, 9, "hi").who, "#9");
  assert.equal(presenceLine("join", "ann").text, "ann joined");
  assert.equal(presenceLine("leave", "ann").text, "ann left");
  assert.equal(presenceLine("update", "ann"), undefined);
});
