/**
 * The games' input-to-motion rules, exactly as ArenaGame's and TagGame's javadoc state them, so the demo predicts
 * its own avatar with the server's arithmetic. Positions and intents are in steps (1/16 unit); speeds in steps per
 * tick. Pure functions.
 */

/** Largest |moveX| and |moveY| of both games' inputs (127 = full speed). */
export const MAX_MOVE = 127;

/** A per-tick displacement in steps, x then y. */
export interface Intent {
  readonly x: number;
  readonly y: number;
}

/**
 * The arena's intent: the stick as IEEE doubles, normalised when longer than 1, scaled by the speed and rounded
 * half up (floor(v + 0.5)), as ArenaGame does.
 */
export function arenaIntent(moveX: number, moveY: number, speedSteps: number): Intent {
  let dirX = moveX / MAX_MOVE;
  let dirY = moveY / MAX_MOVE;
  const length = Math.sqrt(dirX * dirX + dirY * dirY);
  if (length > 1) {
    dirX /= length;
    dirY /= length;
  }
  return { x: Math.floor(dirX * speedSteps + 0.5), y: Math.floor(dirY * speedSteps + 0.5) };
}

/** The least r with r * r >= n, for 0 <= n < 2^31 (TagGame.ceilSqrt). */
export function ceilSqrt(n: number): number {
  const root = Math.floor(Math.sqrt(n));
  return root * root < n ? root + 1 : root;
}

/**
 * Tag's intent in integer arithmetic: m = max(127, ceilSqrt(moveX^2 + moveY^2)), then move * S / m truncated
 * toward zero, as TagGame does.
 */
export function tagIntent(moveX: number, moveY: number, speedSteps: number): Intent {
  const m = Math.max(MAX_MOVE, ceilSqrt(moveX * moveX + moveY * moveY));
  // "| 0" truncates toward zero as Java's int division does, and gives 0 rather than -0.
  return { x: ((moveX * speedSteps) / m) | 0, y: ((moveY * speedSteps) / m) | 0 };
}

/** One tick along one axis of both games: the position plus the intent, clamped to 0..maxPosition. */
export function advance(position: number, intent: number, maxPosition: number): number {
  const next = position + intent;
  return next < 0 ? 0 : Math.min(next, maxPosition);
}
