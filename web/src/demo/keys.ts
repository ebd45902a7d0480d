/** Keys that move: WASD and the arrows, by KeyboardEvent.code. */
const DIRECTIONS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ["KeyW", [0, -1]], ["ArrowUp", [0, -1]],
  ["KeyS", [0, 1]], ["ArrowDown", [0, 1]],
  ["KeyA", [-1, 0]], ["ArrowLeft", [-1, 0]],
  ["KeyD", [1, 0]], ["ArrowRight", [1, 0]],
]);

/** Whether a key code is one the demo moves with (so the page does not scroll on it). */
export function isMoveKey(code: string): boolean {
  return DIRECTIONS.has(code);
}

/**
 * The stick for the keys held: each axis -127, 0 or 127 (y down), opposite keys cancelling (W and Up together
 * are still one step up). A diagonal is (127, 127),
 * which both games normalise to full speed.
 */
export function stickFromKeys(held: ReadonlySet<string>): { readonly moveX: number; readonly moveY: number } {
  let x = 0;
  let y = 0;
  for (const code of held) {
    const direction = DIRECTIONS.get(code);
    if (direction !== undefined) {
      x += direction[0];
      y += direction[1];
    }
  }
  return { moveX: Math.sign(x) * 127, moveY: Math.sign(y) * 127 };
}
