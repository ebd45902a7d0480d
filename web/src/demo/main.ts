import { TickwireClient, type ConnectionState, type EntityState, type Welcome } from "../sdk/index.js";
import { aimDirection, aimFromVector } from "./aim.js";
import { chatLine, onRound, onTagged, presenceLine, scoresFromMetadata, type FeedLine, type Scores } from "./events.js";
import { isMoveKey, stickFromKeys } from "./keys.js";
import { predictorFor, type Predict } from "./predict.js";
import { cameraFor, drawScene, type Camera, type Scene, type Sprite, type Trace } from "./render.js";

/** What GET /server tells about the server (the fields the demo reads). */
interface ServerInfo {
  readonly tickRateHz?: number;
  readonly viewRadiusUnits?: number;
}

/** The games of the lobby: room type, the room the demo bots play in, and the aim line's length in units. */
const GAMES: Readonly<Record<string, { readonly room: string; readonly aimRange: number }>> = {
  arena: { room: "demo", aimRange: 0 },
  tag: { room: "tag-demo", aimRange: 250 },
};
const FIRE_COOLDOWN_MS = 400;
const MAX_FEED_LINES = 200;

/**
 * The demo's state, read-only to the page's tests through `window.tickwireDemo`. Owned by the page's one thread.
 */
const demo = {
  state: "lobby" as ConnectionState | "lobby",
  room: "",
  roomType: "",
  playerId: -1,
  entityId: -1,
  /** The own entity's predicted position in units, or null before it exists. */
  ownPosition: null as { x: number; y: number } | null,
  /** Entities other than the own one drawn on the canvas in the last frame. */
  remoteDrawn: 0,
  /** Names of the other players drawn in the last frame. */
  namesDrawn: [] as readonly string[],
  /** The last frame's entities (units) and the canvas point of a world point: x' = (x - centreX) * ppu + w / 2. */
  sprites: [] as readonly Sprite[],
  frames: 0,
  chat: [] as string[],
  feed: [] as string[],
  lastError: "",
};

let client: TickwireClient | undefined;
let serverInfo: ServerInfo = {};
let camera: Camera | undefined;
let scores: Scores = { red: 0, blue: 0, round: 0, phase: "" };
let traces: Trace[] = [];
let aim = 0;
let fireHeld = false;
let nextFireMs = 0;
const heldKeys = new Set<string>();
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

Object.defineProperty(window, "tickwireDemo", {
  value: Object.freeze({
    get state() { return demo.state; },
    get room() { return demo.room; },
    get roomType() { return demo.roomType; },
    get playerId() { return demo.playerId; },
    get entityId() { return demo.entityId; },
    get ownPosition() { return demo.ownPosition === null ? null : { ...demo.ownPosition }; },
    get remoteDrawn() { return demo.remoteDrawn; },
    get namesDrawn() { return [...demo.namesDrawn]; },
    get sprites() { return demo.sprites.map((sprite) => ({ ...sprite })); },
    get camera() { return camera === undefined ? null : { ...camera }; },
    get frames() { return demo.frames; },
    get chat() { return [...demo.chat]; },
    get feed() { return [...demo.feed]; },
    get lastError() { return demo.lastError; },
    get aim() { return aim; },
    get scores() { return { ...scores }; },
    get players() {
      return client === undefined ? [] : [...client.players.values()].map((player) =>
        ({ playerId: player.playerId, entityId: player.entityId, name: player.name }));
    },
    get stats() { return client === undefined ? null : { ...client.stats }; },
  }),
});

void start();

async function start(): Promise<void> {
  const name = element<HTMLInputElement>("name");
  name.value = sessionStorage.getItem("tickwire.name") ?? `guest-${Math.floor(Math.random() * 9000 + 1000)}`;
  element<HTMLFormElement>("lobby").addEventListener("submit", (event) => {
    event.preventDefault();
    const game = (new FormData(event.target as HTMLFormElement).get("game") as string | null) ?? "arena";
    sessionStorage.setItem("tickwire.name", name.value);
    void join(game, name.value.trim());
  });
  element<HTMLButtonElement>("leave").addEventListener("click", () => void leave());
  element<HTMLFormElement>("chat").addEventListener("submit", onChatSubmit);
  bindControls();
  try {
    const response = await fetch("/server");
    serverInfo = response.ok ? (await response.json()) as ServerInfo : {};
    element("server-info").textContent =
      `${serverInfo.tickRateHz ?? "?"} ticks/s, view radius ${serverInfo.viewRadiusUnits ?? "?"} units`;
  } catch {
    serverInfo = {};
  }
}

async function join(game: string, playerName: string): Promise<void> {
  const setup = GAMES[game] ?? GAMES["arena"]!;
  const error = element("lobby-error");
  error.textContent = "";
  element<HTMLButtonElement>("join").disabled = true;
  let cached: { welcome: Welcome; predict: Predict | undefined } | undefined;
  try {
    const token = new URLSearchParams(location.search).get("token") ?? undefined;
    const connected = await TickwireClient.connect({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`,
      ...(token === undefined ? {} : { token }),
      roomType: game,
      room: setup.room,
      join: "named",
      playerName,
      predict: (state: number[], input: readonly number[], welcome: Welcome) => {
        if (cached?.welcome !== welcome) {
          cached = { welcome, predict: predictorFor(welcome) };
        }
        cached.predict?.(state, input);
      },
    });
    client = connected;
    enterRoom(connected, setup.aimRange);
  } catch (failure) {
    demo.lastError = failure instanceof Error ? failure.message : String(failure);
    error.textContent = `Could not join: ${demo.lastError}`;
    demo.state = "lobby";
  } finally {
    element<HTMLButtonElement>("join").disabled = false;
  }
}

function enterRoom(connected: TickwireClient, aimRange: number): void {
  onWelcome(connected.welcome);
  demo.state = connected.state;
  demo.chat = [];
  demo.feed = [];
  element("feed").replaceChildren();
  traces = [];
  connected.on("state", (state: ConnectionState) => {
    demo.state = state;
    if (state === "closed" && client === connected) {
      client = undefined;
      showLobby(demo.lastError === "" ? "" : `Disconnected: ${demo.lastError}`);
    }
  });
  connected.on("welcome", (welcome: Welcome) => onWelcome(welcome));
  connected.on("error", (failure: Error) => {
    demo.lastError = failure.message;
  });
  connected.on("presence", (event: { op: "join" | "leave" | "update"; player: { name: string } }) => {
    const line = presenceLine(event.op, event.player.name);
    if (line !== undefined) {
      addFeed(line);
    }
  });
  connected.on("message", (message: { type: string; fields: Record<string, unknown> }) =>
    onRoomMessage(connected, message.type, message.fields));
  element("lobby").hidden = true;
  element("game").hidden = false;
  element("room-title").textContent = `${connected.welcome.roomType} · ${connected.welcome.room}`;
  element("scores").hidden = connected.welcome.roomType !== "tag";
  const chat = element<HTMLInputElement>("chat-text");
  chat.disabled = !connected.welcome.messageTypes.some((type) => type.name === "chat" && type.direction !== 2);
  chat.placeholder = chat.disabled ? "This room has no chat" : "Say something, Enter sends";
  element("view").focus();
  startLoops(connected, aimRange);
}

function onWelcome(welcome: Welcome): void {
  demo.room = welcome.room;
  demo.roomType = welcome.roomType;
  demo.playerId = welcome.playerId;
  demo.entityId = welcome.entityId;
  scores = scoresFromMetadata(welcome.metadata);
  showScores();
}

function onRoomMessage(connected: TickwireClient, type: string, fields: Record<string, unknown>): void {
  const nameOf = (id: unknown) => connected.players.get(Number(id))?.name;
  if (type === "chat") {
    const line = chatLine(nameOf(fields["player"]), Number(fields["player"]), String(fields["text"]));
    demo.chat.push(`${line.who}: ${line.text}`);
    addFeed(line);
  } else if (type === "tagged") {
    const shooter = connected.players.get(Number(fields["shooter"]));
    const target = connected.players.get(Number(fields["target"]));
    addFeed(onTagged(scores, shooter?.name ?? `#${fields["shooter"]}`, target?.name ?? `#${fields["target"]}`,
      shooter?.metadata.get("team")));
    traceTag(connected, shooter?.entityId, target?.entityId);
    showScores();
  } else if (type === "round") {
    const value = (key: string) => Number(fields[key]);
    addFeed(onRound(scores, value("event"), value("round"), value("winner"), value("red"), value("blue")));
    showScores();
  }
}

function traceTag(connected: TickwireClient, shooterEntity: number | undefined, targetEntity: number | undefined) {
  const entities = connected.entities();
  const shooter = entities.find((entity) => entity.id === shooterEntity);
  const target = entities.find((entity) => entity.id === targetEntity);
  if (shooter !== undefined && target !== undefined) {
    const from = unitsOf(connected.welcome, shooter);
    const to = unitsOf(connected.welcome, target);
    traces.push({ fromX: from.x, fromY: from.y, toX: to.x, toY: to.y, colour: "#ffd166", untilMs: now() + 400 });
  }
}

function startLoops(connected: TickwireClient, aimRange: number): void {
  connected.startInputLoop(() => sampleInput(connected, aimRange));
  const hudTimer = setInterval(() => {
    if (client !== connected) {
      clearInterval(hudTimer);
      return;
    }
    showHud(connected);
  }, 250);
  const frame = () => {
    if (client !== connected) {
      return;
    }
    drawFrame(connected, aimRange);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** The input of this tick from the keys, pointer and buttons held; shows the shot when it fires. */
function sampleInput(connected: TickwireClient, aimRange: number): Record<string, number> {
  const stick = stickFromKeys(heldKeys);
  const fire = aimRange > 0 && fireHeld;
  const values: Record<string, number> = { moveX: stick.moveX, moveY: stick.moveY, buttons: fire ? 1 : 0 };
  if (connected.welcome.inputSchema.indexOf("aim") >= 0) {
    values["aim"] = aim;
  }
  const own = connected.ownEntity();
  if (fire && own !== undefined && now() >= nextFireMs) {
    nextFireMs = now() + FIRE_COOLDOWN_MS;
    const from = unitsOf(connected.welcome, own);
    const direction = aimDirection(aim);
    traces.push({ fromX: from.x, fromY: from.y, toX: from.x + direction.x * aimRange,
      toY: from.y + direction.y * aimRange, colour: "rgba(255, 255, 255, 0.7)", untilMs: now() + 120 });
  }
  return values;
}

function drawFrame(connected: TickwireClient, aimRange: number): void {
  const canvas = element<HTMLCanvasElement>("view");
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext("2d");
  if (context === null) {
    return;
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  const scene = sceneOf(connected, aimRange);
  camera = cameraFor(scene, width, height);
  const drawn = drawScene(context, scene, camera, width, height);
  demo.remoteDrawn = drawn.remoteDrawn;
  demo.namesDrawn = drawn.namesDrawn;
  demo.sprites = scene.sprites;
  demo.frames++;
  const own = scene.sprites.find((sprite) => sprite.own);
  demo.ownPosition = own === undefined ? null : { x: own.x, y: own.y };
}

function sceneOf(connected: TickwireClient, aimRange: number): Scene {
  const welcome = connected.welcome;
  const names = new Map<number, string>();
  for (const player of connected.players.values()) {
    if (player.entityId >= 0) {
      names.set(player.entityId, player.name);
    }
  }
  const schema = welcome.entitySchema;
  const kind = schema.indexOf("kind");
  const team = schema.indexOf("team");
  const aimField = schema.indexOf("aim");
  const flags = schema.indexOf("flags");
  const sprites: Sprite[] = connected.entities().map((entity: EntityState) => {
    const position = unitsOf(welcome, entity);
    return {
      x: position.x,
      y: position.y,
      own: entity.own,
      npc: kind >= 0 && entity.values[kind] === 0,
      name: names.get(entity.id),
      team: team >= 0 ? entity.values[team]! : -1,
      aim: entity.own && aimRange > 0 ? aim : aimField >= 0 ? entity.values[aimField]! : -1,
      invulnerable: flags >= 0 && (entity.values[flags]! & 1) !== 0,
    };
  });
  const nowMs = now();
  traces = traces.filter((trace) => trace.untilMs > nowMs);
  const worldSize = Number.parseInt(welcome.metadata.get("worldSize") ?? "", 10) ||
    (schema.xIndex >= 0 ? schema.fields[schema.xIndex]!.max / schema.fields[schema.xIndex]!.stepsPerUnit : 1000);
  return { worldSize, viewRadius: serverInfo.viewRadiusUnits ?? 0, sprites, traces, aimRange, nowMs };
}

/** An entity's position in world units: its x and y fields (role 1 and 2) over their steps per unit. */
function unitsOf(welcome: Welcome, entity: EntityState): { x: number; y: number } {
  const schema = welcome.entitySchema;
  const x = schema.fields[schema.xIndex]!;
  const y = schema.fields[schema.yIndex]!;
  return {
    x: entity.values[schema.xIndex]! / (x.stepsPerUnit || 1),
    y: entity.values[schema.yIndex]! / (y.stepsPerUnit || 1),
  };
}

function showHud(connected: TickwireClient): void {
  const stats = connected.stats;
  element("hud-state").textContent = connected.state;
  element("hud-ping").textContent = Number.isFinite(stats.pingMs) ? `${Math.round(stats.pingMs)} ms` : "-";
  element("hud-rate").textContent = stats.snapshotsPerSecond.toFixed(1);
  element("hud-bytes").textContent = `${(stats.bytesPerSecond / 1024).toFixed(1)} KiB/s`;
  element("hud-entities").textContent = String(stats.entitiesInView);
}

function showScores(): void {
  element("score-red").textContent = String(scores.red);
  element("score-blue").textContent = String(scores.blue);
  element("score-round").textContent = scores.round > 0 ? `round ${scores.round}` : "";
}

function addFeed(line: FeedLine): void {
  const item = document.createElement("li");
  item.className = line.kind;
  if (line.kind === "chat") {
    const who = document.createElement("b");
    who.textContent = `${line.who}: `;
    item.append(who, line.text);
  } else {
    item.textContent = line.text;
  }
  demo.feed.push(line.kind === "chat" ? `${line.who}: ${line.text}` : line.text);
  const feed = element("feed");
  feed.append(item);
  while (feed.childElementCount > MAX_FEED_LINES) {
    feed.firstElementChild?.remove();
  }
  if (demo.feed.length > MAX_FEED_LINES) {
    demo.feed.splice(0, demo.feed.length - MAX_FEED_LINES);
  }
  feed.scrollTop = feed.scrollHeight;
}

function onChatSubmit(event: SubmitEvent): void {
  event.preventDefault();
  const input = element<HTMLInputElement>("chat-text");
  const text = input.value.trim();
  if (text !== "" && client !== undefined && client.state === "connected") {
    client.send("chat", { player: 0, text });
    input.value = "";
  }
  element("view").focus();
}

function bindControls(): void {
  const canvas = element<HTMLCanvasElement>("view");
  const chat = element<HTMLInputElement>("chat-text");
  window.addEventListener("keydown", (event) => {
    if (event.target === chat) {
      if (event.key === "Escape") {
        canvas.focus();
      }
      return;
    }
    if (isMoveKey(event.code) || event.code === "Space") {
      event.preventDefault();
      heldKeys.add(event.code);
      fireHeld = fireHeld || event.code === "Space";
    } else if (event.key === "Enter" && client !== undefined) {
      event.preventDefault();
      chat.focus();
    }
  });
  window.addEventListener("keyup", (event) => {
    heldKeys.delete(event.code);
    if (event.code === "Space") {
      fireHeld = false;
    }
  });
  window.addEventListener("blur", () => {
    heldKeys.clear();
    fireHeld = false;
  });
  canvas.addEventListener("mousemove", (event) => {
    const own = demo.ownPosition;
    if (camera === undefined || own === null) {
      return;
    }
    const bounds = canvas.getBoundingClientRect();
    const worldX = camera.centreX + (event.clientX - bounds.left - bounds.width / 2) / camera.pixelsPerUnit;
    const worldY = camera.centreY + (event.clientY - bounds.top - bounds.height / 2) / camera.pixelsPerUnit;
    aim = aimFromVector(worldX - own.x, worldY - own.y);
  });
  canvas.addEventListener("mousedown", () => {
    fireHeld = true;
    canvas.focus();
  });
  window.addEventListener("mouseup", () => {
    fireHeld = false;
  });
}

async function leave(): Promise<void> {
  const leaving = client;
  client = undefined;
  showLobby("");
  await leaving?.leave();
}

function showLobby(message: string): void {
  demo.state = "lobby";
  demo.ownPosition = null;
  element("game").hidden = true;
  element("lobby").hidden = false;
  element("lobby-error").textContent = message;
}

function now(): number {
  return performance.now();
}
