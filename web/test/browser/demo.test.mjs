// The demo page in headless Chromium against a live server with demo bots (room `demo` for the arena, `tag-demo`
// for tag) and room inspection on: run by net's BrowserDemoTest, which sets TICKWIRE_HTTP_URL, CHROMIUM_PATH and
// TICKWIRE_ARTIFACTS. Uses the system Chromium through playwright-core; never downloads a browser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { chromium } from "playwright-core";

const HTTP_URL = required("TICKWIRE_HTTP_URL");
const ARTIFACTS = required("TICKWIRE_ARTIFACTS");
const STEPS_PER_UNIT = 16;

let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // As root Chromium needs --no-sandbox; the machine's closed network refuses QUIC and the GPU process is useless.
  browser = await chromium.launch({
    executablePath: required("CHROMIUM_PATH"),
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic"],
  });
});

after(async () => {
  await browser?.close();
});

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through net's BrowserDemoTest (mvn verify)`);
  }
  return value;
}

/** A page whose errors fail the test: uncaught exceptions and console errors. */
async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      errors.push(`console: ${message.text()}`);
    }
  });
  return { page, errors };
}

/** Joins from the lobby and waits until the own entity is drawn. */
async function joinGame(page, game, name) {
  await page.goto(`${HTTP_URL}/`);
  await page.check(`input[name="game"][value="${game}"]`);
  await page.fill("#name", name);
  await page.click("#join");
  await page.waitForFunction(
    () => window.tickwireDemo.state === "connected" && window.tickwireDemo.ownPosition !== null,
    undefined, { timeout: 10_000 });
}

/**
 * GET of a JSON document, on a connection of its own: the server closes plain HTTP connections at its handshake
 * deadline, so a pooled keep-alive socket may be gone when reused.
 */
function getJson(path) {
  return new Promise((resolve, reject) => {
    const request = http.get(`${HTTP_URL}${path}`, { agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
      });
      response.on("end", () => {
        if (response.statusCode === 200) {
          resolve(JSON.parse(body));
        } else {
          reject(new Error(`GET ${path}: ${response.statusCode} ${body}`));
        }
      });
    });
    request.setTimeout(5000, () => request.destroy(new Error(`GET ${path} timed out`)));
    request.on("error", reject);
  });
}

/** The room as the server sees it (GET /rooms/<name>, inspection on). */
function inspect(room) {
  return getJson(`/rooms/${encodeURIComponent(room)}`);
}

/** The side of the room's square world in position steps, from the metadata its game publishes (GET /rooms). */
async function worldSteps(room) {
  const listing = (await getJson("/rooms")).find((candidate) => candidate.name === room);
  assert.ok(listing?.metadata?.worldSize, `worldSize of ${room} in ${JSON.stringify(listing)}`);
  return Number(listing.metadata.worldSize) * STEPS_PER_UNIT;
}

async function serverPlayer(room, playerId) {
  const view = await inspect(room);
  const player = view.players.find((candidate) => candidate.playerId === playerId);
  assert.ok(player, `player ${playerId} in ${JSON.stringify(view.players.map((p) => p.name))}`);
  return player;
}

/** Polls until check() returns a truthy value, or fails with what it last saw. */
async function eventually(what, check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last?.ok) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: last saw ${JSON.stringify(last)}`);
}

/** Holds keys for a while; the page sends an input every tick meanwhile. */
async function hold(page, keys, ms) {
  for (const key of keys) {
    await page.keyboard.down(key);
  }
  await page.waitForTimeout(ms);
  for (const key of keys) {
    await page.keyboard.up(key);
  }
}

/** Pixels of the canvas that are not transparent, in a grid sample (the canvas clears to transparent). */
async function paintedPixels(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById("view");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4 * 7) {
      if (data[i] !== 0) {
        painted++;
      }
    }
    return painted;
  });
}

/**
 * Moves toward the middle of the world (an avatar spawned near an edge or a corner has room to move there); asserts
 * the server moved the avatar, and the page's prediction agrees with it.
 */
async function assertMoves(page, room) {
  const playerId = await page.evaluate(() => window.tickwireDemo.playerId);
  const start = (await serverPlayer(room, playerId)).fields;
  const middle = (await worldSteps(room)) / 2;
  const dx = start.x < middle ? 1 : -1;
  const dy = start.y < middle ? 1 : -1;
  await hold(page, [dx > 0 ? "KeyD" : "KeyA", dy > 0 ? "ArrowDown" : "ArrowUp"], 900);
  const moved = await eventually("the server moves the avatar toward the middle", async () => {
    const now = (await serverPlayer(room, playerId)).fields;
    return {
      ok: (now.x - start.x) * dx > 20 * STEPS_PER_UNIT && (now.y - start.y) * dy > 20 * STEPS_PER_UNIT,
      start, now, dx, dy,
    };
  });
  // Standing still again, the prediction settles on the authoritative position.
  await page.waitForTimeout(500);
  const settled = (await serverPlayer(room, playerId)).fields;
  const own = await page.evaluate(() => window.tickwireDemo.ownPosition);
  const errorUnits = Math.hypot(own.x - settled.x / STEPS_PER_UNIT, own.y - settled.y / STEPS_PER_UNIT);
  assert.ok(errorUnits < 2, `predicted ${JSON.stringify(own)} vs server ${JSON.stringify(settled)}`);
  return moved;
}

/**
 * Walks toward the nearest other player, as the server places them, until it is within `withinUnits` (well inside
 * the view radius); returns its name. In tag's open world a few bots may all be out of view at first.
 */
async function walkToNearestPlayer(page, room, withinUnits, opponentsOnly = false) {
  const playerId = await page.evaluate(() => window.tickwireDemo.playerId);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { players } = await inspect(room);
    const me = players.find((player) => player.playerId === playerId);
    assert.ok(me, `player ${playerId} in ${JSON.stringify(players)}`);
    const distance = (other) => Math.hypot(other.fields.x - me.fields.x, other.fields.y - me.fields.y);
    const nearest = players.filter((player) => player.playerId !== playerId &&
      (!opponentsOnly || player.fields.team !== me.fields.team)).sort((a, b) => distance(a) - distance(b))[0];
    assert.ok(nearest, `another player in ${JSON.stringify(players)}`);
    if (distance(nearest) < withinUnits * STEPS_PER_UNIT) {
      return nearest.name;
    }
    assert.ok(Date.now() < deadline, `${nearest.name} stays ${distance(nearest) / STEPS_PER_UNIT} units away`);
    const keys = [];
    const dx = nearest.fields.x - me.fields.x;
    const dy = nearest.fields.y - me.fields.y;
    if (Math.abs(dx) > (withinUnits / 2) * STEPS_PER_UNIT) {
      keys.push(dx > 0 ? "KeyD" : "KeyA");
    }
    if (Math.abs(dy) > (withinUnits / 2) * STEPS_PER_UNIT) {
      keys.push(dy > 0 ? "KeyS" : "KeyW");
    }
    await hold(page, keys, 200);
  }
}

/** Other players are drawn with their names, other entities too, and the canvas is not blank. */
async function assertDrawsOthers(page, room) {
  const near = await walkToNearestPlayer(page, room, 50);
  await page.waitForFunction((name) => window.tickwireDemo.namesDrawn.includes(name), near, { timeout: 5_000 })
    .catch(async () => assert.fail(`${near} is not drawn: ${JSON.stringify(
      await page.evaluate(() => [window.tickwireDemo.remoteDrawn, window.tickwireDemo.namesDrawn]))}`));
  assert.ok(await page.evaluate(() => window.tickwireDemo.remoteDrawn) > 0);
  const painted = await paintedPixels(page);
  assert.ok(painted > 500, `canvas pixels painted (sampled): ${painted}`);
}

/**
 * Points at the nearest opponent the page draws and clicks, until the kill feed shows this player tagging someone.
 * The server rewinds to the tick the page was showing, so a shot at the drawn position hits.
 *
 * @returns the kill feed line.
 */
async function tagAnOpponent(page, room, name) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const feed = await page.evaluate(() => window.tickwireDemo.feed);
    const line = feed.find((entry) => entry.startsWith(`${name} tagged `));
    if (line !== undefined) {
      return line;
    }
    const target = await page.evaluate(() => {
      const demo = window.tickwireDemo;
      const own = demo.sprites.find((sprite) => sprite.own);
      const camera = demo.camera;
      const distance = (sprite) => Math.hypot(sprite.x - own.x, sprite.y - own.y);
      const nearest = demo.sprites.filter((sprite) => !sprite.own && sprite.team !== own?.team && !sprite.invulnerable)
        .sort((a, b) => distance(a) - distance(b))[0];
      if (own === undefined || camera === null || nearest === undefined || distance(nearest) > 150) {
        return null;
      }
      const box = document.getElementById("view").getBoundingClientRect();
      return {
        x: box.left + (nearest.x - camera.centreX) * camera.pixelsPerUnit + box.width / 2,
        y: box.top + (nearest.y - camera.centreY) * camera.pixelsPerUnit + box.height / 2,
      };
    });
    if (target === null) {
      await walkToNearestPlayer(page, room, 80, true);
      continue;
    }
    await page.mouse.move(target.x, target.y);
    await page.mouse.down();
    await page.waitForTimeout(40);
    await page.mouse.up();
    await page.waitForTimeout(420);
  }
  const feed = await page.evaluate(() => window.tickwireDemo.feed);
  assert.fail(`no tag by ${name} in the kill feed: ${JSON.stringify(feed)}`);
}

/** Mentions a bot of the room in the chat box; the bot's answer appears in the page's chat. */
async function assertBotAnswers(page, name) {
  const bot = await eventually("a bot in the room", async () => {
    const players = await page.evaluate(() => window.tickwireDemo.players);
    const other = players.find((player) => player.name !== name);
    return { ok: other !== undefined, name: other?.name, players };
  });
  await page.click("#chat-text");
  await page.keyboard.type(`@${bot.name} hello`);
  await page.keyboard.press("Enter");
  await eventually(`${bot.name} answers`, async () => {
    const chat = await page.evaluate(() => window.tickwireDemo.chat);
    return { ok: chat.some((line) => line.startsWith(`${bot.name}: @${name} `)), chat };
  });
}

/** Logs what the page's stats show, for the closing note's figures. */
async function logStats(page, game) {
  const stats = await page.evaluate(() => window.tickwireDemo.stats);
  const hud = await page.locator("#hud").innerText();
  console.log(`demo ${game}: snapshotsPerSecond=${stats.snapshotsPerSecond.toFixed(1)} ` +
    `bytesPerSecond=${Math.round(stats.bytesPerSecond)} entitiesInView=${stats.entitiesInView} ` +
    `pingMs=${Number(stats.pingMs).toFixed(1)} predictionErrorUnits(mean/max)=` +
    `${stats.prediction?.meanErrorUnits?.toFixed(3)}/${stats.prediction?.maxErrorUnits?.toFixed(3)} ` +
    `| HUD: ${hud.replace(/\s+/g, " ")}`);
  assert.ok(stats.snapshotsPerSecond > 10, `snapshots/s ${stats.snapshotsPerSecond}`);
  assert.ok(stats.bytesPerSecond > 0, `bytes/s ${stats.bytesPerSecond}`);
}

/** Runs a test on a fresh page; page errors fail it, and a failure leaves a screenshot of the page. */
async function withPage(label, body) {
  const { page, errors } = await openPage();
  try {
    await body(page);
    assert.deepEqual(errors, [], "the page logged errors");
    await page.screenshot({ path: join(ARTIFACTS, `demo-${label}.png`) });
  } catch (failure) {
    await page.screenshot({ path: join(ARTIFACTS, `demo-${label}-failed.png`) }).catch(() => undefined);
    throw failure;
  } finally {
    await page.close();
  }
}

test("arena: keys move the avatar on the server, others are drawn, a bot answers a chat", () =>
  withPage("arena", async (page) => {
    const name = "browser-arena";
    await joinGame(page, "arena", name);
    assert.equal(await page.evaluate(() => window.tickwireDemo.room), "demo");
    await assertMoves(page, "demo");
    await assertDrawsOthers(page, "demo");
    await assertBotAnswers(page, name);
    await logStats(page, "arena");
  }));

test("tag: keys move the avatar, the mouse aims on the server, a click tags an opponent, a bot answers a chat", () =>
  withPage("tag", async (page) => {
    const name = "browser-tag";
    await joinGame(page, "tag", name);
    assert.equal(await page.evaluate(() => window.tickwireDemo.room), "tag-demo");
    await assertMoves(page, "tag-demo");
    await assertDrawsOthers(page, "tag-demo");

    // Pointer straight above the avatar: aim 768 (3/4 of a turn, y down), which the server then holds.
    const box = await page.locator("#view").boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 150);
    assert.equal(await page.evaluate(() => window.tickwireDemo.aim), 768);
    const playerId = await page.evaluate(() => window.tickwireDemo.playerId);
    await eventually("the server holds the page's aim", async () => {
      const fields = (await serverPlayer("tag-demo", playerId)).fields;
      return { ok: fields.aim === 768, fields };
    });
    const kill = await tagAnOpponent(page, "tag-demo", name);
    console.log(`demo tag: kill feed: ${kill}; scores ${JSON.stringify(await page.evaluate(() =>
      window.tickwireDemo.scores))}`);
    await assertBotAnswers(page, name);
    await logStats(page, "tag");
  }));
