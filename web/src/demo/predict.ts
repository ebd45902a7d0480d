import { advance, arenaIntent, tagIntent, type Intent } from "./motion.js";

/** The parts of a schema the predictor reads (the SDK's Schema has them). */
export interface SchemaLike {
  indexOf(name: string): number;
  readonly fields: ReadonlyArray<{ readonly max: number }>;
}

/** The parts of a WELCOME the predictor reads (the SDK's Welcome has them). */
export interface WelcomeLike {
  readonly roomType: string;
  readonly metadata: ReadonlyMap<string, string>;
  readonly entitySchema: SchemaLike;
  readonly inputSchema: SchemaLike;
}

/** Moves the own entity's field values (schema order) by one tick of one input (schema order), in place. */
export type Predict = (state: number[], input: readonly number[]) => void;

type IntentRule = (moveX: number, moveY: number, speedSteps: number) => Intent;

const RULES: ReadonlyMap<string, IntentRule> = new Map([
  ["arena", arenaIntent],
  ["tag", tagIntent],
]);

/**
 * The own-entity movement function of the room's game, or undefined when the game is not one the demo knows or the
 * room does not publish its player speed (metadata `speedSteps`, steps per tick): the demo then shows the
 * interpolated server position instead of predicting it.
 */
export function predictorFor(welcome: WelcomeLike): Predict | undefined {
  const rule = RULES.get(welcome.roomType);
  const speedSteps = Number.parseInt(welcome.metadata.get("speedSteps") ?? "", 10);
  const entity = welcome.entitySchema;
  const x = entity.indexOf("x");
  const y = entity.indexOf("y");
  const vx = entity.indexOf("vx");
  const vy = entity.indexOf("vy");
  const moveX = welcome.inputSchema.indexOf("moveX");
  const moveY = welcome.inputSchema.indexOf("moveY");
  if (rule === undefined || !Number.isFinite(speedSteps) || Math.min(x, y, vx, vy, moveX, moveY) < 0) {
    return undefined;
  }
  const maxX = entity.fields[x]!.max;
  const maxY = entity.fields[y]!.max;
  const aimState = entity.indexOf("aim");
  const aimInput = welcome.inputSchema.indexOf("aim");
  return (state, input) => {
    const intent = rule(input[moveX] ?? 0, input[moveY] ?? 0, speedSteps);
    const nextX = advance(state[x]!, intent.x, maxX);
    const nextY = advance(state[y]!, intent.y, maxY);
    state[vx] = nextX - state[x]!;
    state[vy] = nextY - state[y]!;
    state[x] = nextX;
    state[y] = nextY;
    if (aimState >= 0 && aimInput >= 0) {
      state[aimState] = input[aimInput] ?? 0;
    }
  };
}
