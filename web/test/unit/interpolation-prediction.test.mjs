// The interpolation buffer (remote entities drawn in the past) and prediction with reconciliation (the own one).
import { test } from "node:test";
import assert from "node:assert/strict";
import { FieldType, InterpolationBuffer, Prediction } from "../../dist/sdk/index.js";

const field = (name, type, role = 0) => ({ name, type, min: -1e6, max: 1e6, stepsPerUnit: 16, predictor: -1, role });
const SCHEMA = {
  fields: [field("x", FieldType.FIXED, 1), field("y", FieldType.FIXED, 2), field("hp", FieldType.UINT)],
  xIndex: 0, yIndex: 1, indexOf: (name) => ["x", "y", "hp"].indexOf(name),
};

function view(tick, entities) {
  const list = entities.map(([id, ...values]) => ({ id, values }));
  return { tick, seq: tick, entities: list, get: (id) => list.find((e) => e.id === id) };
}

test("remote entities are drawn delayMs in the past, blended between the snapshots around that moment", () => {
  const buffer = new InterpolationBuffer(SCHEMA, 100, 200);
  buffer.push(view(10, [[1, 0, 0, 100], [2, 50, 50, 7]]), 1000);
  buffer.push(view(11, [[1, 160, 320, 90], [3, 5, 5, 1]]), 1100);
  // Tick 10 is due at 1000 ms: at 1250 ms the picture is of 1050 ms, halfway from tick 10 to 11.
  const mid = buffer.sample(1250);
  assert.deepEqual(mid.map((e) => e.id), [1, 2], "entity 3 enters at tick 11; entity 2 leaves then");
  assert.deepEqual(mid[0].values, [80, 160, 100], "positions blend; a UINT steps at the newer tick");
  assert.deepEqual(buffer.sample(1300).map((e) => [e.id, ...e.values]), [[1, 160, 320, 90], [3, 5, 5, 1]]);
  assert.equal(buffer.viewTick(1250), 10, "the view tick is the integer part of the render tick");
  assert.equal(buffer.sample(1250, 1).length, 1, "the own entity is left out");
  assert.deepEqual(buffer.sample(5000)[0].values, [160, 320, 90], "a stall holds the last values");
});

test("the tick clock follows the earliest arrival, so late snapshots do not shake the picture", () => {
  const buffer = new InterpolationBuffer(SCHEMA, 100, 100);
  buffer.push(view(1, [[1, 0, 0, 0]]), 0);
  buffer.push(view(2, [[1, 100, 0, 0]]), 190);
  buffer.push(view(3, [[1, 200, 0, 0]]), 200);
  assert.ok(Math.abs(buffer.renderTick(250) - 1.5) < 0.1, `render tick ${buffer.renderTick(250)} (ticks since the first)`);
  buffer.push(view(2, [[1, 0, 0, 0]]), 300);
  assert.equal(buffer.sample(300).length, 1, "an older tick starts a new history");
});

// One tick of "move by input[0] steps on x", the game's movement function in these tests.
const step = (state, input) => {
  state[0] += input[0];
};

test("prediction applies inputs at once and replays the unconfirmed ones on each snapshot", () => {
  const prediction = new Prediction(step, null, SCHEMA, 100, 100, 8);
  prediction.reconcile([0, 0, 100], 0, 0);
  prediction.input(1, [16], 0);
  prediction.input(2, [16], 100);
  prediction.input(3, [16], 200);
  assert.deepEqual(prediction.state(), [48, 0, 100]);
  // The server applied inputs 1 and 2 but was blocked once: 16 steps short.
  prediction.reconcile([16, 0, 100], 2, 250);
  assert.deepEqual(prediction.state(), [32, 0, 100], "authoritative + input 3 replayed");
  assert.equal(prediction.stats.corrections, 1);
  assert.equal(prediction.stats.lastErrorUnits, 1, "predicted 32 steps for input 2, the server said 16: 1 unit");
  assert.equal(prediction.stats.pending, 1);
  const eased = prediction.displayed(250)[0];
  assert.ok(eased > 32 && eased <= 48, `the correction eases out from where the avatar was drawn: ${eased}`);
  assert.ok(Math.abs(prediction.displayed(2000)[0] - 32) < 0.01, "and is gone a while later");
  prediction.reconcile([32, 0, 100], 3, 2000);
  assert.equal(prediction.stats.lastErrorUnits, 0);
  assert.equal(prediction.stats.meanErrorUnits, 0.5);
});

test("a correction larger than the snap distance jumps (a respawn), and inputs beyond a wrap still order", () => {
  const prediction = new Prediction(step, null, SCHEMA, 100, 100, 8);
  prediction.reconcile([0, 0, 0], 0, 0);
  prediction.input(0xffffffff, [16], 0);
  prediction.input(1, [16], 100);
  prediction.reconcile([5000, 0, 0], 0xffffffff, 200);
  assert.deepEqual(prediction.state(), [5016, 0, 0], "input 1 follows 0xffffffff");
  assert.equal(prediction.displayed(200)[0], 5016);
});
