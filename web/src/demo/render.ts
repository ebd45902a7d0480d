import { aimDirection } from "./aim.js";

/** Team colours of tag, by the entity's `team` field (0 red, 1 blue). */
export const TEAM_COLOURS: readonly string[] = ["#e5534b", "#4a90e2"];

/** One entity as the canvas draws it; positions in world units. */
export interface Sprite {
  readonly x: number;
  readonly y: number;
  readonly own: boolean;
  readonly npc: boolean;
  readonly name: string | undefined;
  /** Tag's team (0 red, 1 blue), or -1 in a game without teams. */
  readonly team: number;
  /** Tag's aim (0..1023), or -1 in a game without aim. */
  readonly aim: number;
  readonly invulnerable: boolean;
}

/** A line drawn for a short while: a shot fired, or a tag from shooter to target; world units, ms clock. */
export interface Trace {
  readonly fromX: number;
  readonly fromY: number;
  readonly toX: number;
  readonly toY: number;
  readonly colour: string;
  readonly untilMs: number;
}

/** Everything one frame shows. */
export interface Scene {
  readonly worldSize: number;
  /** The server's view radius in units; 0 when every client sees everything. */
  readonly viewRadius: number;
  readonly sprites: readonly Sprite[];
  readonly traces: readonly Trace[];
  /** Length of the own aim line in units, 0 for none (the arena). */
  readonly aimRange: number;
  readonly nowMs: number;
}

/** What a frame drew besides the own entity. */
export interface Drawn {
  readonly remoteDrawn: number;
  readonly namesDrawn: readonly string[];
}

/** The part of the world on the canvas: its centre in units, and pixels per unit. */
export interface Camera {
  readonly centreX: number;
  readonly centreY: number;
  readonly pixelsPerUnit: number;
}

const PLAYER_RADIUS = 12;
const NPC_RADIUS = 5;
const MINIMAP_PIXELS = 140;

/**
 * A camera on the own entity (or the world's centre before it exists) that shows the view radius with a margin, or
 * the whole world when the server sends everything.
 */
export function cameraFor(scene: Scene, width: number, height: number): Camera {
  const own = scene.sprites.find((sprite) => sprite.own);
  const shown = scene.viewRadius > 0 ? scene.viewRadius * 1.3 : scene.worldSize / 2;
  return {
    centreX: own?.x ?? scene.worldSize / 2,
    centreY: own?.y ?? scene.worldSize / 2,
    pixelsPerUnit: Math.max(0.05, Math.min(width, height) / (2 * shown)),
  };
}

/**
 * Draws a scene on a canvas of width x height CSS pixels (the context already scaled for the device).
 *
 * @returns the entities other than the own one drawn inside the canvas: how many, and the names shown.
 */
export function drawScene(
  context: CanvasRenderingContext2D, scene: Scene, camera: Camera, width: number, height: number): Drawn {
  const toX = (x: number) => (x - camera.centreX) * camera.pixelsPerUnit + width / 2;
  const toY = (y: number) => (y - camera.centreY) * camera.pixelsPerUnit + height / 2;
  const scale = camera.pixelsPerUnit;
  context.clearRect(0, 0, width, height);
  drawWorld(context, scene, toX, toY, scale);
  let remoteDrawn = 0;
  const namesDrawn: string[] = [];
  // The own entity last, so it is never hidden under another.
  const ordered = [...scene.sprites].sort((a, b) => Number(a.own) - Number(b.own));
  for (const sprite of ordered) {
    const x = toX(sprite.x);
    const y = toY(sprite.y);
    if (x < -50 || y < -50 || x > width + 50 || y > height + 50) {
      continue;
    }
    drawSprite(context, sprite, x, y, scale);
    if (!sprite.own) {
      remoteDrawn++;
      if (sprite.name !== undefined) {
        namesDrawn.push(sprite.name);
      }
    }
  }
  for (const trace of scene.traces) {
    if (trace.untilMs > scene.nowMs) {
      line(context, toX(trace.fromX), toY(trace.fromY), toX(trace.toX), toY(trace.toY), trace.colour, 2, []);
    }
  }
  const own = scene.sprites.find((sprite) => sprite.own);
  if (own !== undefined && scene.aimRange > 0 && own.aim >= 0) {
    const direction = aimDirection(own.aim);
    line(context, toX(own.x), toY(own.y), toX(own.x + direction.x * scene.aimRange),
      toY(own.y + direction.y * scene.aimRange), "rgba(242, 193, 78, 0.45)", 1, [6, 6]);
  }
  drawMinimap(context, scene, width, height);
  return { remoteDrawn, namesDrawn };
}

/** The whole world in the bottom-right corner: its bounds, what is in view, and the own entity. */
function drawMinimap(context: CanvasRenderingContext2D, scene: Scene, width: number, height: number): void {
  const size = Math.min(MINIMAP_PIXELS, width / 4, height / 4);
  const left = width - size - 10;
  const top = height - size - 10;
  const scale = size / scene.worldSize;
  context.fillStyle = "rgba(15, 20, 25, 0.85)";
  context.fillRect(left, top, size, size);
  context.strokeStyle = "#55626f";
  context.lineWidth = 1;
  context.strokeRect(left, top, size, size);
  for (const sprite of scene.sprites) {
    context.fillStyle = sprite.own ? "#f2c14e" : sprite.npc ? "#6b7785"
      : sprite.team >= 0 ? TEAM_COLOURS[sprite.team] ?? "#9aa5b1" : "#58b368";
    const dot = sprite.own ? 4 : 2;
    context.fillRect(left + sprite.x * scale - dot / 2, top + sprite.y * scale - dot / 2, dot, dot);
  }
}

function drawWorld(
  context: CanvasRenderingContext2D, scene: Scene, toX: (x: number) => number, toY: (y: number) => number,
  scale: number): void {
  const grid = 50;
  context.strokeStyle = "#1a222b";
  context.lineWidth = 1;
  context.beginPath();
  for (let at = 0; at <= scene.worldSize; at += grid) {
    context.moveTo(toX(at), toY(0));
    context.lineTo(toX(at), toY(scene.worldSize));
    context.moveTo(toX(0), toY(at));
    context.lineTo(toX(scene.worldSize), toY(at));
  }
  context.stroke();
  context.strokeStyle = "#55626f";
  context.lineWidth = 2;
  context.strokeRect(toX(0), toY(0), scene.worldSize * scale, scene.worldSize * scale);
  const own = scene.sprites.find((sprite) => sprite.own);
  if (own !== undefined && scene.viewRadius > 0) {
    context.setLineDash([4, 6]);
    context.strokeStyle = "rgba(242, 193, 78, 0.35)";
    context.beginPath();
    context.arc(toX(own.x), toY(own.y), scene.viewRadius * scale, 0, 2 * Math.PI);
    context.stroke();
    context.setLineDash([]);
  }
}

function drawSprite(
  context: CanvasRenderingContext2D, sprite: Sprite, x: number, y: number, scale: number): void {
  const radius = Math.max(3, (sprite.npc ? NPC_RADIUS : PLAYER_RADIUS) * scale);
  const colour = sprite.npc ? "#6b7785" : sprite.team >= 0 ? TEAM_COLOURS[sprite.team] ?? "#9aa5b1" : "#58b368";
  if (sprite.aim >= 0 && !sprite.own) {
    const direction = aimDirection(sprite.aim);
    line(context, x, y, x + direction.x * radius * 2, y + direction.y * radius * 2, colour, 2, []);
  }
  context.globalAlpha = sprite.invulnerable ? 0.5 : 1;
  context.fillStyle = colour;
  context.beginPath();
  context.arc(x, y, radius, 0, 2 * Math.PI);
  context.fill();
  context.globalAlpha = 1;
  if (sprite.own) {
    context.strokeStyle = "#f2c14e";
    context.lineWidth = 3;
    context.beginPath();
    context.arc(x, y, radius + 3, 0, 2 * Math.PI);
    context.stroke();
  }
  if (sprite.name !== undefined) {
    context.fillStyle = sprite.own ? "#f2c14e" : "#d8dee6";
    context.font = "12px system-ui, sans-serif";
    context.textAlign = "center";
    context.fillText(sprite.name, x, y - radius - 6);
  }
}

function line(
  context: CanvasRenderingContext2D, fromX: number, fromY: number, toX: number, toY: number, colour: string,
  width: number, dash: number[]): void {
  context.setLineDash(dash);
  context.strokeStyle = colour;
  context.lineWidth = width;
  context.beginPath();
  context.moveTo(fromX, fromY);
  context.lineTo(toX, toY);
  context.stroke();
  context.setLineDash([]);
}
