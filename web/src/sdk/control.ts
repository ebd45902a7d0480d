/**
 * Every message but SNAPSHOT (docs/PROTOCOL.md, "Messages"): encoders for what a client sends, decoders for what
 * it receives. Decoders check every byte and throw ProtocolError; encoders throw RangeError for values that break
 * a rule (a bug of the caller).
 */
import {
  type FieldDef,
  type FieldValue,
  type MessageTypeDef,
  FieldType,
  Schema,
  checkEntitySchema,
  checkInputSchema,
  checkMessageType,
  isNumeric,
} from "./schema.js";
import { ProtocolError, Reader, Writer } from "./wire.js";

export const MessageKind = {
  JOIN: 0x01,
  INPUT: 0x02,
  LEAVE: 0x03,
  PING: 0x04,
  CLIENT_MESSAGE: 0x05,
  ACK: 0x06,
  WELCOME: 0x41,
  SNAPSHOT: 0x42,
  NOTICE: 0x43,
  PONG: 0x44,
  MESSAGE: 0x45,
  PRESENCE: 0x46,
} as const;

export const JoinMode = { NAMED: 0, ANY: 1, CREATE: 2, RESUME: 3 } as const;
export type JoinMode = (typeof JoinMode)[keyof typeof JoinMode];

export const NoticeCode = {
  SERVER_BUSY: 1,
  ROOM_FULL: 2,
  INPUT_REFUSED: 3,
  JOIN_REFUSED: 4,
  NO_ROOM: 5,
  ROOM_NOT_FOUND: 6,
  ROOM_LOCKED: 7,
  KICKED: 8,
  SERVER_ERROR: 9,
  ROOM_EXISTS: 10,
  ROOM_CLOSED: 11,
  SERVER_DRAINING: 12,
  RESUME_REFUSED: 13,
  REPLACED: 14,
} as const;

export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
  KICKED: 4001,
  BACKLOG: 4002,
  JOIN_REFUSED: 4003,
  REPLACED: 4004,
  RESUME_REFUSED: 4005,
  NOT_READING: 4006,
  /** Clustered: the JOIN did not match the seat reservation of the connection (docs/SCALE.md). */
  RESERVATION_MISMATCH: 4008,
} as const;

/** Presence entry ops. */
export const PresenceOp = { JOIN: 1, LEAVE: 2, UPDATE: 3 } as const;

const MAX_CLIENT_MESSAGE = 256;
const MAX_WELCOME = 112876;
const MAX_NOTICE = 141;
const MAX_PRESENCE = 8192;
const MAX_ROOM_MESSAGE = 8198;
const MAX_INT32 = 2147483647;
const NAME = 32;
const KEY = 32;
const VALUE = 64;
const ENTRIES = 8;
const RESUME_TOKEN_LENGTH = 16;

export interface JoinRequest {
  roomType: string;
  mode: JoinMode;
  room: string;
  player: string;
  options: ReadonlyArray<readonly [string, string]>;
  /** RESUME only: the token of the last WELCOME (16 bytes). */
  resumeToken?: Uint8Array;
  /** RESUME only: the newest stream message received (0: none). */
  messageAck?: number;
}

const ROOM_TYPE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const OPTION_KEY = /^[a-zA-Z0-9_.-]{1,32}$/;

/** JOIN (0x01). */
export function encodeJoin(j: JoinRequest): Uint8Array {
  if (!ROOM_TYPE_NAME.test(j.roomType)) {
    throw new RangeError(`a room type is 1..32 of [a-z0-9_-], starting with a letter or digit: ${j.roomType}`);
  }
  const needsRoom = j.mode === JoinMode.NAMED || j.mode === JoinMode.RESUME;
  if ((needsRoom && j.room === "") || (j.mode === JoinMode.ANY && j.room !== "")) {
    throw new RangeError(`mode ${j.mode} with room "${j.room}"`);
  }
  const w = new Writer(MAX_CLIENT_MESSAGE).u8(MessageKind.JOIN).u32(0);
  w.text(j.roomType, 1, NAME).u8(j.mode).text(j.room, 0, NAME).text(j.player, 0, NAME);
  if (j.options.length > ENTRIES || (j.mode === JoinMode.RESUME && j.options.length > 0)) {
    throw new RangeError(`too many join options: ${j.options.length}`);
  }
  w.varint(j.options.length);
  const keys = new Set<string>();
  for (const [key, value] of j.options) {
    if (!OPTION_KEY.test(key) || keys.has(key)) {
      throw new RangeError(`bad or duplicate option name: ${key}`);
    }
    keys.add(key);
    w.text(key, 1, KEY).text(value, 0, VALUE);
  }
  if (j.mode === JoinMode.RESUME) {
    if (j.resumeToken === undefined || j.resumeToken.length !== RESUME_TOKEN_LENGTH) {
      throw new RangeError("a RESUME needs the 16-byte token of the last WELCOME");
    }
    w.raw(j.resumeToken).u32(j.messageAck ?? 0);
  }
  if (w.length > MAX_CLIENT_MESSAGE) {
    throw new RangeError(`a JOIN takes ${w.length} bytes, more than ${MAX_CLIENT_MESSAGE}`);
  }
  return w.finish();
}

function putNumeric(w: Writer, field: FieldDef, value: number): void {
  if (!Number.isInteger(value) || value < field.min || value > field.max) {
    throw new RangeError(`field ${field.name} out of ${field.min}..${field.max}: ${value}`);
  }
  w.varint(value - field.min);
}

/** INPUT (0x02): one value per input-schema field, each an integer within its range; inputSeq not 0. */
export function encodeInput(
  ack: number,
  inputSeq: number,
  viewTick: number,
  inputSchema: Schema,
  values: ArrayLike<number>,
): Uint8Array {
  const fields = inputSchema.fields;
  if (inputSeq === 0 || values.length !== fields.length) {
    throw new RangeError(`inputSeq ${inputSeq} with ${values.length} values for ${fields.length} fields`);
  }
  const w = new Writer(13 + 5 * fields.length).u8(MessageKind.INPUT).u32(ack).u32(inputSeq).u32(viewTick);
  for (let i = 0; i < fields.length; i++) {
    putNumeric(w, fields[i]!, values[i]!);
  }
  return w.finish();
}

/** LEAVE (0x03). */
export function encodeLeave(ack: number): Uint8Array {
  return new Writer(5).u8(MessageKind.LEAVE).u32(ack).finish();
}

/** PING (0x04): the u64 timestamp comes back in the PONG. */
export function encodePing(ack: number, timestamp: bigint): Uint8Array {
  return new Writer(13).u8(MessageKind.PING).u32(ack).u64(timestamp).finish();
}

/** ACK (0x06). */
export function encodeAck(ack: number, messageAck: number): Uint8Array {
  return new Writer(9).u8(MessageKind.ACK).u32(ack).u32(messageAck).finish();
}

function putFields(w: Writer, type: MessageTypeDef, values: readonly FieldValue[]): void {
  if (values.length !== type.fields.length) {
    throw new RangeError(`message type ${type.name} has ${type.fields.length} fields, ${values.length} given`);
  }
  for (let i = 0; i < values.length; i++) {
    const field = type.fields[i]!;
    const value = values[i]!;
    if (isNumeric(field.type)) {
      if (typeof value !== "number") {
        throw new RangeError(`field ${field.name} is numeric`);
      }
      putNumeric(w, field, value);
    } else if (field.type === FieldType.TEXT) {
      if (typeof value !== "string") {
        throw new RangeError(`field ${field.name} is TEXT`);
      }
      w.text(value, 0, field.max);
    } else {
      if (!(value instanceof Uint8Array)) {
        throw new RangeError(`field ${field.name} is BYTES`);
      }
      w.bytes(value, field.max);
    }
  }
}

/** Client MESSAGE (0x05) of a type clients may send (direction 1 or 3). */
export function encodeClientMessage(
  ack: number,
  messageSeq: number,
  type: MessageTypeDef,
  values: readonly FieldValue[],
): Uint8Array {
  if ((type.direction & 1) === 0) {
    throw new RangeError(`message type ${type.name} is sent by the room only`);
  }
  const w = new Writer(MAX_CLIENT_MESSAGE).u8(MessageKind.CLIENT_MESSAGE).u32(ack).u32(messageSeq).varint(type.id);
  putFields(w, type, values);
  if (w.length > MAX_CLIENT_MESSAGE) {
    throw new RangeError(`a MESSAGE takes ${w.length} bytes, more than ${MAX_CLIENT_MESSAGE}`);
  }
  return w.finish();
}

/** Room MESSAGE (0x45), as a server writes it: for tests and tools. */
export function encodeRoomMessage(seq: number, type: MessageTypeDef, values: readonly FieldValue[]): Uint8Array {
  if ((type.direction & 2) === 0) {
    throw new RangeError(`message type ${type.name} is sent by clients only`);
  }
  const w = new Writer(64).u8(MessageKind.MESSAGE).u32(seq).varint(type.id);
  putFields(w, type, values);
  return w.finish();
}

function readerOf(bytes: Uint8Array, kind: number, min: number, max: number): Reader {
  if (bytes.length < min || bytes.length > max) {
    throw new ProtocolError("bad-length", `${bytes.length} bytes, not in ${min}..${max}`);
  }
  const r = new Reader(bytes);
  const type = r.u8();
  if (type !== kind) {
    throw new ProtocolError("bad-type", `0x${type.toString(16)}, expected 0x${kind.toString(16)}`);
  }
  return r;
}

export interface Welcome {
  sessionId: bigint;
  tickRateHz: number;
  playerId: number;
  /** The player's avatar in snapshots, -1 for none. */
  entityId: number;
  roomType: string;
  room: string;
  historyWindowTicks: number;
  entitySchema: Schema;
  inputSchema: Schema;
  messageTypes: MessageTypeDef[];
  metadata: Map<string, string>;
  presenceCount: number;
  /** Length 0 (resume off) or 16. */
  resumeToken: Uint8Array;
}

function readFields(r: Reader, maxCount: number): FieldDef[] {
  const count = r.varintMax(maxCount, "field count");
  const fields: FieldDef[] = [];
  for (let i = 0; i < count; i++) {
    const name = r.text(1, NAME);
    const type = r.u8();
    const min = r.zigzag32();
    const max = r.zigzag32();
    const stepsPerUnit = r.varintMax(MAX_INT32, "stepsPerUnit");
    const predictor = r.varintMax(32, "predictor") - 1;
    const role = r.u8();
    if (type > FieldType.BYTES || role > 2) {
      throw new ProtocolError("bad-schema", `field ${name}: type ${type} role ${role}`);
    }
    fields.push({ name, type: type as FieldType, min, max, stepsPerUnit, predictor, role: role as 0 | 1 | 2 });
  }
  return fields;
}

/** Key/value entries: 0..8, keys text(1..32) distinct, values text(0..64), in wire order. */
function readEntries(r: Reader): Map<string, string> {
  const count = r.varintMax(ENTRIES, "entry count");
  const entries = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const key = r.text(1, KEY);
    const value = r.text(0, VALUE);
    if (entries.has(key)) {
      throw new ProtocolError("duplicate-key", key);
    }
    entries.set(key, value);
  }
  return entries;
}

function readMessageTypes(r: Reader): MessageTypeDef[] {
  const count = r.varintMax(127, "message type count");
  const types: MessageTypeDef[] = [];
  const ids = new Set<number>();
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const id = r.varintMax(127, "message type id");
    const name = r.text(1, NAME);
    const direction = r.u8();
    const ratePerSecond = r.varintMax(MAX_INT32, "ratePerSecond");
    const burst = r.varintMax(MAX_INT32, "burst");
    const fields = readFields(r, 16);
    if (direction < 1 || direction > 3 || ids.has(id) || names.has(name)) {
      throw new ProtocolError("bad-message-type", `${id} ${name} direction ${direction}`);
    }
    const type: MessageTypeDef = { id, name, direction: direction as 1 | 2 | 3, ratePerSecond, burst, fields };
    checkMessageType(type);
    ids.add(id);
    names.add(name);
    types.push(type);
  }
  return types;
}

/** WELCOME (0x41). */
export function decodeWelcome(bytes: Uint8Array): Welcome {
  const r = readerOf(bytes, MessageKind.WELCOME, 2, MAX_WELCOME);
  const sessionId = r.varint64();
  const tickRateHz = r.varintMax(1024, "tickRateHz");
  const playerId = r.varintMax(MAX_INT32, "playerId");
  const entityId = r.varintMax(MAX_INT32, "entityId") - 1;
  const roomType = r.text(1, NAME);
  const room = r.text(1, NAME);
  const historyWindowTicks = r.varintMax(65536, "historyWindowTicks");
  const entityFields = readFields(r, 32);
  checkEntitySchema(entityFields);
  const inputFields = readFields(r, 32);
  checkInputSchema(inputFields);
  const messageTypes = readMessageTypes(r);
  const metadata = readEntries(r);
  const presenceCount = r.varintMax(65536, "presenceCount");
  const resumeToken = r.bytes(RESUME_TOKEN_LENGTH);
  r.expectEnd();
  if (tickRateHz < 1 || playerId < 1 || historyWindowTicks < 1) {
    throw new ProtocolError("out-of-range", "tickRateHz, playerId and historyWindowTicks are 1 or more");
  }
  if (resumeToken.length !== 0 && resumeToken.length !== RESUME_TOKEN_LENGTH) {
    throw new ProtocolError("bad-resume-token", `${resumeToken.length} bytes`);
  }
  return {
    sessionId,
    tickRateHz,
    playerId,
    entityId,
    roomType,
    room,
    historyWindowTicks,
    entitySchema: new Schema(entityFields),
    inputSchema: new Schema(inputFields),
    messageTypes,
    metadata,
    presenceCount,
    resumeToken,
  };
}

export interface Notice {
  code: number;
  detail: number;
  text: string;
}

/** NOTICE (0x43). */
export function decodeNotice(bytes: Uint8Array): Notice {
  const r = readerOf(bytes, MessageKind.NOTICE, 2, MAX_NOTICE);
  const code = r.varintMax(0xffffffff, "code");
  const detail = r.varintMax(0xffffffff, "detail");
  const text = r.text(0, 128);
  r.expectEnd();
  return { code, detail, text };
}

/** PONG (0x44): the timestamp of the PING it answers. */
export function decodePong(bytes: Uint8Array): bigint {
  const r = readerOf(bytes, MessageKind.PONG, 9, 9);
  return r.u64();
}

export interface PresenceEntry {
  /** 1 JOIN, 2 LEAVE, 3 UPDATE. */
  op: 1 | 2 | 3;
  playerId: number;
  /** -1 for none (and for LEAVE). */
  entityId: number;
  /** "" for LEAVE. */
  name: string;
  metadata: Map<string, string>;
  /** LEAVE only (1..6), else 0. */
  reason: number;
}

function streamSeq(r: Reader): number {
  const seq = r.u32();
  if (seq === 0) {
    throw new ProtocolError("bad-sequence", "a stream sequence is never 0");
  }
  return seq;
}

/** PRESENCE (0x46): one or more entries, in order. */
export function decodePresence(bytes: Uint8Array): { seq: number; entries: PresenceEntry[] } {
  const r = readerOf(bytes, MessageKind.PRESENCE, 6, MAX_PRESENCE);
  const seq = streamSeq(r);
  const entries: PresenceEntry[] = [];
  while (r.remaining() > 0) {
    const op = r.u8();
    const playerId = r.varintMax(MAX_INT32, "playerId");
    if (playerId < 1) {
      throw new ProtocolError("out-of-range", "playerId 0");
    }
    if (op === PresenceOp.LEAVE) {
      const reason = r.u8();
      if (reason < 1 || reason > 6) {
        throw new ProtocolError("out-of-range", `leave reason ${reason}`);
      }
      entries.push({ op, playerId, entityId: -1, name: "", metadata: new Map(), reason });
    } else if (op === PresenceOp.JOIN || op === PresenceOp.UPDATE) {
      const entityId = r.varintMax(MAX_INT32, "entityId") - 1;
      const name = r.text(0, NAME);
      const metadata = readEntries(r);
      entries.push({ op, playerId, entityId, name, metadata, reason: 0 });
    } else {
      throw new ProtocolError("bad-presence-op", `${op}`);
    }
  }
  return { seq, entries };
}

function readFieldValues(r: Reader, type: MessageTypeDef): FieldValue[] {
  const values: FieldValue[] = [];
  for (const field of type.fields) {
    if (isNumeric(field.type)) {
      values.push(r.ranged(field.min, field.max));
    } else if (field.type === FieldType.TEXT) {
      values.push(r.text(0, field.max));
    } else {
      values.push(r.bytes(field.max));
    }
  }
  r.expectEnd();
  return values;
}

/** Room MESSAGE (0x45) of a type the room may send (direction 2 or 3). */
export function decodeRoomMessage(
  bytes: Uint8Array,
  typesById: Map<number, MessageTypeDef>,
): { seq: number; type: MessageTypeDef; values: FieldValue[] } {
  const r = readerOf(bytes, MessageKind.MESSAGE, 6, MAX_ROOM_MESSAGE);
  const seq = streamSeq(r);
  const id = r.varint();
  const type = typesById.get(id);
  if (type === undefined || (type.direction & 2) === 0) {
    throw new ProtocolError("unknown-message-type", `${id}`);
  }
  return { seq, type, values: readFieldValues(r, type) };
}

/** Client MESSAGE (0x05), as a server reads it: for tests and tools. */
export function decodeClientMessage(
  bytes: Uint8Array,
  typesById: Map<number, MessageTypeDef>,
): { ack: number; messageSeq: number; type: MessageTypeDef; values: FieldValue[] } {
  const r = readerOf(bytes, MessageKind.CLIENT_MESSAGE, 10, MAX_CLIENT_MESSAGE);
  const ack = r.u32();
  const messageSeq = r.u32();
  const id = r.varint();
  const type = typesById.get(id);
  if (type === undefined || (type.direction & 1) === 0) {
    throw new ProtocolError("unknown-message-type", `${id}`);
  }
  return { ack, messageSeq, type, values: readFieldValues(r, type) };
}

/** INPUT (0x02), as a server reads it: for tests and tools. */
export function decodeInput(
  bytes: Uint8Array,
  inputSchema: Schema,
): { ack: number; inputSeq: number; viewTick: number; values: number[] } {
  const r = readerOf(bytes, MessageKind.INPUT, 13, MAX_CLIENT_MESSAGE);
  const ack = r.u32();
  const inputSeq = r.u32();
  const viewTick = r.u32();
  if (inputSeq === 0) {
    throw new ProtocolError("bad-sequence", "inputSeq 0");
  }
  const values: number[] = [];
  for (const field of inputSchema.fields) {
    values.push(r.ranged(field.min, field.max));
  }
  r.expectEnd();
  return { ack, inputSeq, viewTick, values };
}

