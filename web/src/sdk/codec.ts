/** The protocol codec layer: pure functions and small classes, no I/O (docs/PROTOCOL.md). */
export * from "./wire.js";
export * from "./schema.js";
export * from "./checksum.js";
export * from "./control.js";
export * from "./snapshot.js";
