// What a player feels, measured: snapshot rate, bytes per second, and the prediction error (the distance between
// the position predicted for an input and the one the server computed for it) with 0 and 100 ms of added
// latency each way. Prints one FIGURES line per run for docs/PERFORMANCE.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { arenaPredict, connect, startProxy, uniqueRoom, waitFor } from "./support.mjs";

const RUN_MS = 6000;

async function measure(delayMs) {
  const proxy = await startProxy(delayMs);
  const client = await connect({
    url: proxy.url, roomType: "arena", room: uniqueRoom("sdk-smooth"), playerName: "runner", predict: arenaPredict,
  });
  try {
    await waitFor("the avatar's first snapshot", () => client.view?.get(client.welcome.entityId));
    // A new heading every half second: prediction matters only when the input changes.
    const headings = [[127, 0], [0, 127], [-127, 0], [0, -127], [90, 90], [-90, 90], [90, -90], [-90, -90]];
    const startedMs = Date.now();
    client.startInputLoop(() => {
      const [moveX, moveY] = headings[Math.floor((Date.now() - startedMs) / 500) % headings.length];
      return { moveX, moveY };
    });
    await waitFor(`${RUN_MS} ms of play`, () => {
      if (Date.now() - startedMs < RUN_MS) {
        return false;
      }
      client.startInputLoop(null);
      return true;
    }, RUN_MS + 2000);
    const prediction = { ...client.stats.prediction };
    const figures = {
      addedLatencyMsEachWay: delayMs, tickRateHz: client.welcome.tickRateHz,
      snapshotsPerSecond: client.stats.snapshotsPerSecond, bytesPerSecond: client.stats.bytesPerSecond,
      pingMs: Math.round(client.stats.pingMs * 10) / 10, corrections: prediction.corrections,
      predictionErrorMeanUnits: Math.round(prediction.meanErrorUnits * 1000) / 1000,
      predictionErrorMaxUnits: Math.round(prediction.maxErrorUnits * 1000) / 1000,
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
    assert.ok(figures.corrections > 50, "the server confirmed the predicted inputs");
    // The player speed is 120 units/s, 4 a tick: an error above two ticks of motion is a broken prediction.
    assert.ok(figures.predictionErrorMeanUnits < 8, `mean prediction error ${figures.predictionErrorMeanUnits}`);
  }
});
