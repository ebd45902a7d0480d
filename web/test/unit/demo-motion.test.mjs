// The demo's prediction against the real games: web/test/vectors/demo-motion.json was written by
// net/src/test/java/io/tickwire/net/DemoMotionVectorsTest.java driving ArenaGame and TagGame through FakeRoom.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { advance, arenaIntent, ceilSqrt, tagIntent } from "../../dist/demo/motion.js";
import { predictorFor } from "../../dist/demo/predict.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/demo-motion.json", import.meta.url), "utf8"));
const RULES = { arena: arenaIntent, tag: tagIntent };

function fnv(hash, value) {
  let h = hash;
  for (let shift = 0; shift < 32; shift += 8) {
    h = Math.imul(h ^ ((value >>> shift) & 0xff), 0x01000193);
  }
  return h;
}

/** The digest DemoMotionVectorsTest takes: every stick's intent, moveX outer, moveY inner. */
function digestOf(rule, speedSteps) {
  let digest = 0x811c9dc5 | 0;
  for (let moveX = -127; moveX <= 127; moveX++) {
    for (let moveY = -127; moveY <= 127; moveY++) {
      const intent = rule(moveX, moveY, speedSteps);
      digest = fnv(fnv(digest, intent.x), intent.y);
    }
  }
  return digest >>> 0;
}

/** A WELCOME's parts the predictor reads, for a game whose positions run 0..maxPosition. */
function welcomeFor(game, speedSteps, maxPosition) {
  const entityFields = game === "arena"
    ? ["x", "y", "vx", "vy", "hp", "kind"] : ["x", "y", "vx", "vy", "aim", "team", "flags"];
  const inputFields = game === "arena" ? ["moveX", "moveY", "buttons"] : ["moveX", "moveY", "aim", "buttons"];
  const schema = (names) => ({
    fields: names.map((name) => ({ name, max: name === "x" || name === "y" ? maxPosition : 1023 })),
    indexOf: (name) => names.indexOf(name),
  });
  return {
    roomType: game,
    metadata: new Map([["speedSteps", String(speedSteps)]]),
    entitySchema: schema(entityFields),
    inputSchema: schema(inputFields),
  };
}

for (const game of ["arena", "tag"]) {
  for (const vector of vectors[game]) {
    const label = `${game} at playerSpeed ${vector.playerSpeed} (${vector.speedSteps} steps a tick)`;

    test(`${label}: the intent of every stick matches the game's`, () => {
      for (const [moveX, moveY, vx, vy] of vector.samples) {
        assert.deepEqual(RULES[game](moveX, moveY, vector.speedSteps), { x: vx, y: vy }, `stick ${moveX},${moveY}`);
      }
      assert.equal(digestOf(RULES[game], vector.speedSteps), vector.digest, "all 65,025 sticks");
    });

    test(`${label}: the predictor replays the game's path into the walls`, () => {
      const { trajectory } = vector;
      const predict = predictorFor(welcomeFor(game, vector.speedSteps, trajectory.maxPosition));
      assert.ok(predict);
      const state = game === "arena" ? [...trajectory.start, 0, 0, 100, 1] : [...trajectory.start, 0, 0, 0, 0, 0];
      trajectory.steps.forEach(([moveX, moveY, x, y, vx, vy], tick) => {
        predict(state, game === "arena" ? [moveX, moveY, 0] : [moveX, moveY, 7, 0]);
        assert.deepEqual(state.slice(0, 4), [x, y, vx, vy], `tick ${tick + 1}`);
      });
      if (game === "tag") {
        assert.equal(state[4], 7, "tag's aim takes effect at once");
      }
    });
  }
}

test("ceilSqrt is the least root whose square reaches n", () => {
  for (const n of [0, 1, 2, 3, 4, 5, 16128, 16129, 16130, 32258, 2147395600, 2147395601, 2147483647]) {
    const root = ceilSqrt(n);
    assert.ok(root * root >= n && (root === 0 || (root - 1) * (root - 1) < n), `n ${n} gave ${root}`);
  }
});

test("advance clamps to the world", () => {
  assert.equal(advance(10, -64, 320), 0);
  assert.equal(advance(300, 64, 320), 320);
  assert.equal(advance(100, 45, 320), 145);
});

test("no prediction without the room's player speed or for an unknown game", () => {
  const arena = welcomeFor("arena", 64, 16000);
  assert.equal(predictorFor({ ...arena, metadata: new Map() }), undefined);
  assert.equal(predictorFor({ ...arena, roomType: "koth" }), undefined);
});
