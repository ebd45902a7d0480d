/** Directions of tag's aim: 0..1023 around the circle. */
export const AIM_DIRECTIONS = 1024;

/**
 * Tag's aim for a direction in world axes (x right, y down, as the canvas draws them): the angle from +x toward +y,
 * angle * 1024 / 2pi rounded to the nearest direction, in 0..1023. TagGame fires along (cos, sin) of
 * aim * 2pi / 1024, so the shot goes where the pointer is.
 */
export function aimFromVector(dx: number, dy: number): number {
  if (dx === 0 && dy === 0) {
    return 0;
  }
  const turns = Math.atan2(dy, dx) / (2 * Math.PI);
  return ((Math.round(turns * AIM_DIRECTIONS) % AIM_DIRECTIONS) + AIM_DIRECTIONS) % AIM_DIRECTIONS;
}

/** The unit direction TagGame fires along for an aim. */
export function aimDirection(aim: number): { readonly x: number; readonly y: number } {
  const angle = (aim * 2 * Math.PI) / AIM_DIRECTIONS;
  return { x: Math.cos(angle), y: Math.sin(angle) };
}
