import { TickwireError } from "./errors.js";

/** The prefix of the subprotocol entry that carries a seat reservation (docs/SCALE.md). */
export const RESERVATION_SUBPROTOCOL_PREFIX = "tickwire.rsv.";
/** The subprotocol entry of a RESUME on a clustered node, which needs no reservation. */
export const RESUME_SUBPROTOCOL = "tickwire.resume";
/** The path of the matchmaking endpoint under the matchmaker's base URL. */
export const MATCHMAKE_PATH = "/matchmake";

/** The body of `POST /matchmake`. */
export interface MatchRequest {
  type: string;
  /** A room name, "any" (an open room) or "new". */
  room: string;
  options: Record<string, string>;
  name: string;
  /** The previous reservation, to be seated again by identity after a re-home. */
  rejoin?: string;
}

/** A seat reserved by the matchmaker: connect to `url` offering `reservation`, then JOIN `room` by name. */
export interface Placement {
  readonly url: string;
  readonly room: string;
  readonly reservation: string;
  readonly expiresInMs: number;
  /** The identity the seat belongs to; a re-home proves it with the reservation. */
  readonly subject: string;
  readonly node: string;
}

/** The part of `fetch` the client uses (the global one in browsers and Node 20, or one injected for tests). */
export type FetchLike = (url: string, init: {
  method: string; headers: Record<string, string>; body: string; signal: AbortSignal;
}) => Promise<{ status: number; text(): Promise<string> }>;

/** Longest answer body read, in characters; longer answers are refused. */
const MAX_BODY_LENGTH = 16 * 1024;
const MAX_RESERVATION_LENGTH = 4096;
const MAX_TEXT_LENGTH = 1024;
const MAX_ROOM_BYTES = 32;
/** Longest reservation validity and longest retryAfterMs accepted, ms. */
const MAX_MS = 3_600_000;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const utf8 = new TextEncoder();

/**
 * Asks the matchmaker for a seat. @returns the placement, every field checked (the answer comes from the network).
 * @throws TickwireError of kind "matchmaker": `matchmakerError` is the answer's `error` code ("FULL", "RESTORING",
 * ...), "NETWORK" when no answer came within `timeoutMs`, or "BAD_ANSWER"; `httpStatus` its status (0 for none),
 * `retryAfterMs` what the matchmaker asked to wait, and `retryable` whether asking again later may succeed (503,
 * 429, no answer).
 */
export async function matchmake(base: string, request: MatchRequest,
    settings: { fetch: FetchLike; bearerToken?: string; timeoutMs: number }): Promise<Placement> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (settings.bearerToken !== undefined && settings.bearerToken !== "") {
    headers.Authorization = `Bearer ${settings.bearerToken}`;
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), settings.timeoutMs);
  let status: number;
  let body: string;
  try {
    const response = await settings.fetch(base.replace(/\/+$/, "") + MATCHMAKE_PATH,
      { method: "POST", headers, body: JSON.stringify(request), signal: abort.signal });
    status = response.status;
    body = await response.text();
  } catch (error) {
    throw matchError("NETWORK", 0, 0, `matchmaker unreachable: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return readAnswer(status, body, request.room);
}

/**
 * Checks one answer of `POST /matchmake`. @returns the placement of a 200 whose every field is valid.
 * @throws TickwireError (kind "matchmaker") for an error status or an answer that breaks the contract.
 */
export function readAnswer(status: number, body: string, requestedRoom: string): Placement {
  if (body.length > MAX_BODY_LENGTH) {
    throw matchError("BAD_ANSWER", status, 0, `matchmaker answer of ${body.length} characters`);
  }
  const json = parseObject(body);
  if (status !== 200) {
    const code = typeof json?.error === "string" ? json.error.slice(0, 64) : `HTTP_${status}`;
    const retryAfter = json?.retryAfterMs;
    if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && (retryAfter as number) >= 0
        && (retryAfter as number) <= MAX_MS)) {
      throw matchError("BAD_ANSWER", status, 0, `retryAfterMs ${String(retryAfter)}`);
    }
    throw matchError(code, status, (retryAfter as number | undefined) ?? 0, `matchmaker: ${status} ${code}`);
  }
  if (json === null) {
    throw matchError("BAD_ANSWER", status, 0, "matchmaker: 200 without a JSON object");
  }
  const url = text(json, "url", MAX_TEXT_LENGTH);
  const room = text(json, "room", MAX_TEXT_LENGTH);
  const reservation = text(json, "reservation", MAX_RESERVATION_LENGTH);
  const subject = text(json, "subject", MAX_TEXT_LENGTH);
  const node = text(json, "node", MAX_TEXT_LENGTH);
  const expiresInMs = json.expiresInMs;
  const problem = url === null || !isWebSocketUrl(url) ? "url"
    : room === null || utf8.encode(room).length > MAX_ROOM_BYTES ? "room"
      : requestedRoom !== "any" && requestedRoom !== "new" && room !== requestedRoom ? "room (not the one asked for)"
        : reservation === null || !JWT.test(reservation) ? "reservation"
          : subject === null ? "subject" : node === null ? "node"
            : !(Number.isInteger(expiresInMs) && (expiresInMs as number) >= 1 && (expiresInMs as number) <= MAX_MS)
              ? "expiresInMs" : null;
  if (problem !== null) {
    throw matchError("BAD_ANSWER", status, 0, `matchmaker answer: bad ${problem}`);
  }
  return { url: url!, room: room!, reservation: reservation!, expiresInMs: expiresInMs as number,
    subject: subject!, node: node! };
}

function matchError(code: string, httpStatus: number, retryAfterMs: number, message: string): TickwireError {
  const retryable = code === "NETWORK" || httpStatus === 503 || httpStatus === 429;
  return new TickwireError("matchmaker", message, { matchmakerError: code, httpStatus, retryAfterMs, retryable });
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

function text(json: Record<string, unknown>, name: string, maxLength: number): string | null {
  const value = json[name];
  return typeof value === "string" && value.length > 0 && value.length <= maxLength ? value : null;
}

function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "ws:" || url.protocol === "wss:") && url.hostname !== "" && url.hash === "";
  } catch {
    return false;
  }
}
