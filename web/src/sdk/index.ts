/** Tickwire client SDK: protocol v2 (docs/PROTOCOL.md) for browsers and Node 20. */
export * from "./codec.js";
export * from "./client.js";
export type { WebSocketFactory, WebSocketLike } from "./connection.js";
export { TickwireError, closeAction, type CloseAction, type TickwireErrorKind } from "./errors.js";
export { Backoff, type ReconnectPolicy } from "./backoff.js";
export {
  MATCHMAKE_PATH, RESERVATION_SUBPROTOCOL_PREFIX, RESUME_SUBPROTOCOL, matchmake, readAnswer, type FetchLike,
  type MatchRequest, type Placement,
} from "./matchmaker.js";
export { InterpolationBuffer, type EntityState } from "./interpolation.js";
export { Prediction, type PredictFn, type PredictionStats } from "./prediction.js";
