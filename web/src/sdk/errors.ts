import { CloseCode, NoticeCode } from "./codec.js";

/** Where a {@link TickwireError} came from. */
export type TickwireErrorKind =
  /** The server sent a NOTICE (code 1..14, `noticeCode`); a close usually follows. */
  | "notice"
  /** The connection closed with a status code the client did not ask for (`closeCode`). */
  | "close"
  /** The server sent bytes this client cannot accept (a malformed message, a gap in the stream). */
  | "protocol"
  /** The socket could not be opened or dropped without a close frame (close 1006 in browsers). */
  | "network"
  /** A call on the client that its state or the room's schemas refuse (unknown message type, closed client). */
  | "usage"
  /** The matchmaker refused a seat or did not answer (`matchmakerError`, `httpStatus`, `retryAfterMs`). */
  | "matchmaker";

const NOTICE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(NoticeCode).map(([name, code]) => [code, name]));

/**
 * A typed failure reported to the game through the client's "error" event, and the rejection of
 * {@link TickwireClient.connect}. `noticeCode` and `closeCode` are 0 when they do not apply; `noticeName` is the
 * protocol's name of the NOTICE code ("ROOM_FULL"), or "" for none or an unknown code. A "matchmaker" error carries
 * the matchmaker's `error` code in `matchmakerError` ("FULL", "LOCKED", "ROOM_NOT_FOUND", "ROOM_GONE", "RESTORING",
 * "NO_NODE", ..., "NETWORK" when it did not answer, "BAD_ANSWER" when its answer broke the contract), the HTTP status
 * (0 for none), the `retryAfterMs` it asked for, and whether asking again later may succeed (`retryable`).
 */
export class TickwireError extends Error {
  readonly kind: TickwireErrorKind;
  readonly noticeCode: number;
  readonly noticeName: string;
  readonly detail: number;
  readonly closeCode: number;
  /** True when the client gives up on this connection for good (no reconnect follows). */
  readonly fatal: boolean;
  readonly matchmakerError: string;
  readonly httpStatus: number;
  readonly retryAfterMs: number;
  readonly retryable: boolean;

  constructor(kind: TickwireErrorKind, message: string,
        fields: {
          noticeCode?: number; detail?: number; closeCode?: number; fatal?: boolean; matchmakerError?: string;
          httpStatus?: number; retryAfterMs?: number; retryable?: boolean;
        } = {}) {
    super(message);
    this.name = "TickwireError";
    this.kind = kind;
    this.noticeCode = fields.noticeCode ?? 0;
    this.noticeName = NOTICE_NAMES[this.noticeCode] ?? "";
    this.detail = fields.detail ?? 0;
    this.closeCode = fields.closeCode ?? 0;
    this.fatal = fields.fatal ?? false;
    this.matchmakerError = fields.matchmakerError ?? "";
    this.httpStatus = fields.httpStatus ?? 0;
    this.retryAfterMs = fields.retryAfterMs ?? 0;
    this.retryable = fields.retryable ?? false;
  }

  /** @returns this error, marked as the end of the client (`fatal`). */
  asFatal(): TickwireError {
    return new TickwireError(this.kind, this.message, {
      noticeCode: this.noticeCode, detail: this.detail, closeCode: this.closeCode, fatal: true,
      matchmakerError: this.matchmakerError, httpStatus: this.httpStatus, retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
    });
  }
}

/** What the client does after a close it did not ask for, by close code (PROTOCOL.md "Close codes"). */
export type CloseAction =
  /** Connect again and RESUME the seat, falling back to a fresh JOIN when the server refuses. */
  | "resume"
  /** Connect again with a fresh JOIN of the same room (the seat is gone). */
  | "rejoin"
  /** Stop: retrying cannot help (refused, kicked, replaced, or this client broke the protocol). */
  | "stop";

/**
 * The reconnect policy by close code (a drain, NOTICE 12 with 1001, is the client's to tell: it joins afresh).
 * Drops, idle closes (1001), not-reading closes and a busy server (1013, whose seat the server keeps) resume; a refused
 * resume, a failed or closed room (1011) and a JOIN that did not match the seat reservation (4008, clustered) join
 * afresh (after a backoff); a refusal by the game, a kick, a newer
 * connection on the same seat and every protocol violation stop, since trying again would only repeat them.
 */
export function closeAction(closeCode: number): CloseAction {
  switch (closeCode) {
    case CloseCode.RESUME_REFUSED:
    case CloseCode.INTERNAL_ERROR:
    case CloseCode.RESERVATION_MISMATCH:
      return "rejoin";
    case CloseCode.KICKED:
    case CloseCode.JOIN_REFUSED:
    case CloseCode.REPLACED:
    case CloseCode.NORMAL:
    case CloseCode.PROTOCOL_ERROR:
    case CloseCode.UNSUPPORTED_DATA:
    case CloseCode.INVALID_PAYLOAD:
    case CloseCode.POLICY_VIOLATION:
    case CloseCode.MESSAGE_TOO_BIG:
      return "stop";
    default:
      return "resume";
  }
}
