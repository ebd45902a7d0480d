/** A line of the room's feed: chat, or a game or presence event. */
export interface FeedLine {
  readonly kind: "chat" | "event" | "kill";
  /** The sender's name for chat, else empty. */
  readonly who: string;
  readonly text: string;
}

/** Team scores of tag, from room metadata, the kill feed and round messages. */
export interface Scores {
  red: number;
  blue: number;
  round: number;
  phase: string;
}

const TEAMS = ["red", "blue"] as const;

/** The scores a WELCOME's room metadata shows (tag publishes red, blue, round and phase). */
export function scoresFromMetadata(metadata: ReadonlyMap<string, string>): Scores {
  const number = (key: string) => Number.parseInt(metadata.get(key) ?? "0", 10) || 0;
  return { red: number("red"), blue: number("blue"), round: number("round"), phase: metadata.get("phase") ?? "" };
}

/** Tag's kill feed line, and the point it gives the shooter's team (by its presence metadata `team`). */
export function onTagged(scores: Scores, shooter: string, target: string, shooterTeam: string | undefined): FeedLine {
  if (shooterTeam === "red") {
    scores.red++;
  } else if (shooterTeam === "blue") {
    scores.blue++;
  }
  return { kind: "kill", who: "", text: `${shooter} tagged ${target}` };
}

/** Tag's `round` message: event 0 a round starts, 1 a round is over (winner 0 red, 1 blue), with the scores. */
export function onRound(
  scores: Scores, event: number, round: number, winner: number, red: number, blue: number): FeedLine {
  scores.red = red;
  scores.blue = blue;
  scores.round = round;
  if (event === 0) {
    scores.phase = "playing";
    return { kind: "event", who: "", text: `round ${round} starts` };
  }
  scores.phase = "intermission";
  return { kind: "event", who: "", text: `round ${round}: ${TEAMS[winner] ?? "nobody"} wins ${red} to ${blue}` };
}

/** A presence change as a feed line. */
export function presenceLine(op: "join" | "leave" | "update", name: string): FeedLine | undefined {
  if (op === "update") {
    return undefined;
  }
  return { kind: "event", who: "", text: op === "join" ? `${name} joined` : `${name} left` };
}

/** The feed line of a chat message: the sender's name, or `#id` when presence has not named it yet. */
export function chatLine(name: string | undefined, playerId: number, text: string): FeedLine {
  return { kind: "chat", who: name ?? `#${playerId}`, text };
}
