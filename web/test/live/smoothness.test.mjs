// What a player feels, measured: snapshot rate, bytes per second, and the prediction error (the distance between
// the position predicted for an input and the one the server computed for it) with 0 and 100 ms of added
// latency each way. Prints one FIGURES line per run for docs/PERFORMANCE.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gamePredict, connect, startProxy, uniqueRoom, waitFor } from "./support.mjs";

const RUN_MS = 6000;

async function measure(delayMs) {
  const proxy = await startProxy(delayMs);
  const client = await connect({
    url: proxy.url, roomType: "arena", room: uniqueRoom("sdk-smooth"), playerName: "runner", predict: gamePredict,
  });
  try {
    await waitFor("the avatar's first snapshot", () => client.view?.get(client.welcome.entityId));
    const errors = [];
    let corrections = client.stats.prediction.corrections;
    client.on("snapshot", () => {
      if (client.stats.prediction.corrections !== corrections) {
        corrections = client.stats.prediction.corrections;
        errors.push(client.stats.prediction.lastErrorUnits);
      }
    });
    // A new heading every half second: prediction matters only when the input changes.
    const headings = [[127, 0], [0, 127], [-127, 0], [0, -127], [90, 90], [-90, 90], [90, -90], [-90, -90]];
    const startedMs = Date.now();
    const snapshotsBefore = client.stats.snapshots;
    const bytesBefore = client.stats.bytesReceived;
    client.startInputLoop(() => {
      const [moveX, moveY] = headings[Math.floor((Date.now() - startedMs) / 500) % headings.length];
      return { moveX, moveY };
    });
    await waitFor(`${RUN_MS} ms of play`, () => Date.now() - startedMs >= RUN_MS, RUN_MS + 2000);
    client.startInputLoop(null);
    const seconds = (Date.now() - startedMs) / 1000;
    errors.sort((a, b) => a - b);
    const quantile = (q) => errors[Math.min(errors.length - 1, Math.floor(q * errors.length))];
    const round = (value) => Math.round(value * 1000) / 1000;
    const figures = {
      addedLatencyMsEachWay: delayMs, tickRateHz: client.welcome.tickRateHz, seconds: round(seconds),
      snapshotsPerSecond: round((client.stats.snapshots - snapshotsBefore) / seconds),
      bytesPerSecond: Math.round((client.stats.bytesReceived - bytesBefore) / seconds),
      pingMs: round(client.stats.pingMs), corrections: errors.length,
      predictionErrorUnits: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99), max: errors.at(-1),
        mean: round(errors.reduce((a, b) => a + b, 0) / errors.length), exact: round(errors.filter((e) => e === 0).length / errors.length) },
      checksumMismatches: client.stats.checksumMismatches,
    };
    console.log(`FIGURES ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    client.close();
    await proxy.close();
  }
}

test("snapshot rate, bytes/s and prediction error at 0 and 100 ms added latency", async () => {
  for (const delayMs of [0, 100]) {
    const figures = await measure(delayMs);
    assert.equal(figures.checksumMismatches, 0);
    assert.ok(figures.snapshotsPerSecond >= figures.tickRateHz * 0.8,
      `a snapshot every tick: ${figures.snapshotsPerSecond}/s at ${figures.tickRateHz} Hz`);
    assert.ok(figures.bytesPerSecond > 0);
    assert.ok(figures.corrections > RUN_MS / 1000 * figures.tickRateHz / 2, "the server confirmed the inputs");
    // The player speed is 120 units/s, 4 a tick: an error above two ticks of motion is a broken prediction.
    assert.ok(figures.predictionErrorUnits.p50 < 4, `median prediction error ${figures.predictionErrorUnits.p50}`);
  }
});
