/** Tickwire client SDK: protocol v2 (docs/PROTOCOL.md) for browsers and Node 20. */
export const PROTOCOL_SUBPROTOCOL = "tickwire.v2";
export * from "./codec.js";
