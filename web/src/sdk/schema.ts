/**
 * Schemas as the WELCOME carries them (docs/PROTOCOL.md, "WELCOME" and "A field"), and the rules a received
 * schema must follow, checked as the server's own constructors check them.
 */
import { ProtocolError } from "./wire.js";

export const FieldType = { UINT: 0, INT: 1, ENUM: 2, FIXED: 3, TEXT: 4, BYTES: 5 } as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/** Field roles: 0 none, 1 position x, 2 position y. */
export type FieldRole = 0 | 1 | 2;

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Numeric fields: the smallest value (int32). TEXT and BYTES: 0. */
  min: number;
  /** Numeric fields: the largest value (int32). TEXT and BYTES: the length limit in bytes, 1..4096. */
  max: number;
  /** 1, or the quantization of a FIXED field: units = value / stepsPerUnit. */
  stepsPerUnit: number;
  /** The index of the field holding this field's change per tick, or -1. */
  predictor: number;
  role: FieldRole;
}

/** A numeric field's value is the raw integer; TEXT is a string; BYTES a Uint8Array. */
export type FieldValue = number | string | Uint8Array;

export interface MessageTypeDef {
  id: number;
  name: string;
  /** 1 client -> room, 2 room -> client, 3 both. */
  direction: 1 | 2 | 3;
  ratePerSecond: number;
  burst: number;
  fields: readonly FieldDef[];
}

/** Most bytes of a client MESSAGE's fields and of a room MESSAGE's fields. */
export const MAX_CLIENT_FIELDS_LENGTH = 240;
export const MAX_ROOM_FIELDS_LENGTH = 8192;

export function isNumeric(type: FieldType): boolean {
  return type <= FieldType.FIXED;
}

/** An entity or input schema: numeric fields in wire order, with lookups the codec's hot loops use. */
export class Schema {
  readonly fields: readonly FieldDef[];
  /** The index of the role-1 (position x) field, or -1. */
  readonly xIndex: number;
  /** The index of the role-2 (position y) field, or -1. */
  readonly yIndex: number;
  /** Per field: min, max and predictor (-1 none), for loops by index. */
  readonly mins: Float64Array;
  readonly maxs: Float64Array;
  readonly predictors: Int32Array;

  constructor(fields: readonly FieldDef[]) {
    this.fields = Object.freeze(fields.map((f) => Object.freeze({ ...f })));
    const count = fields.length;
    this.mins = new Float64Array(count);
    this.maxs = new Float64Array(count);
    this.predictors = new Int32Array(count);
    let x = -1;
    let y = -1;
    for (let i = 0; i < count; i++) {
      const field = fields[i]!;
      this.mins[i] = field.min;
      this.maxs[i] = field.max;
      this.predictors[i] = field.predictor;
      if (field.role === 1) {
        x = i;
      } else if (field.role === 2) {
        y = i;
      }
    }
    this.xIndex = x;
    this.yIndex = y;
  }

  get fieldCount(): number {
    return this.fields.length;
  }

  /** @return the index of the field named `name`, or -1. */
  indexOf(name: string): number {
    for (let i = 0; i < this.fields.length; i++) {
      if (this.fields[i]!.name === name) {
        return i;
      }
    }
    return -1;
  }
}

function invalid(detail: string): ProtocolError {
  return new ProtocolError("bad-schema", detail);
}

/** Checks one field as the server's FieldDef does. */
export function checkField(field: FieldDef): void {
  const { name, type, min, max, stepsPerUnit, predictor, role } = field;
  if (min > max) {
    throw invalid(`field ${name}: min ${min} > max ${max}`);
  }
  if (stepsPerUnit < 1 || (type !== FieldType.FIXED && stepsPerUnit !== 1)) {
    throw invalid(`field ${name}: stepsPerUnit ${stepsPerUnit}`);
  }
  if (type === FieldType.UINT && min < 0) {
    throw invalid(`field ${name}: UINT with min ${min}`);
  }
  if (!isNumeric(type) && (min !== 0 || max < 1 || max > 4096 || predictor !== -1 || role !== 0)) {
    throw invalid(`field ${name}: TEXT or BYTES needs min 0, max 1..4096, no predictor or role`);
  }
}

function checkDistinctNames(fields: readonly FieldDef[], what: string): void {
  const names = new Set<string>();
  for (const field of fields) {
    if (names.has(field.name)) {
      throw invalid(`${what}: duplicate field name ${field.name}`);
    }
    names.add(field.name);
  }
}

/** Checks an entity schema: 1..32 numeric fields, distinct names, valid predictors, both position roles or none. */
export function checkEntitySchema(fields: readonly FieldDef[]): void {
  if (fields.length < 1 || fields.length > 32) {
    throw invalid(`an entity schema has 1..32 fields: ${fields.length}`);
  }
  checkDistinctNames(fields, "entity schema");
  let x = -1;
  let y = -1;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    checkField(field);
    if (!isNumeric(field.type)) {
      throw invalid(`entity field ${field.name} must be numeric`);
    }
    if (field.predictor !== -1 && (field.predictor >= fields.length || field.predictor === i)) {
      throw invalid(`entity field ${field.name}: bad predictor ${field.predictor}`);
    }
    if ((field.role === 1 && x >= 0) || (field.role === 2 && y >= 0)) {
      throw invalid(`two fields with role ${field.role}`);
    }
    x = field.role === 1 ? i : x;
    y = field.role === 2 ? i : y;
  }
  if ((x < 0) !== (y < 0)) {
    throw invalid("an entity schema has both position roles or neither");
  }
}

/** Checks an input schema: 0..32 numeric fields, distinct names, no predictor or role. */
export function checkInputSchema(fields: readonly FieldDef[]): void {
  if (fields.length > 32) {
    throw invalid(`an input schema has 0..32 fields: ${fields.length}`);
  }
  checkDistinctNames(fields, "input schema");
  for (const field of fields) {
    checkField(field);
    if (!isNumeric(field.type) || field.predictor !== -1 || field.role !== 0) {
      throw invalid(`input field ${field.name}: numeric, no predictor and no role`);
    }
  }
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) {
    length++;
  }
  return length;
}

/** The most bytes the fields of a message of this type take on the wire. */
export function maxFieldsLength(fields: readonly FieldDef[]): number {
  let length = 0;
  for (const field of fields) {
    length += isNumeric(field.type) ? varintLength(field.max - field.min) : varintLength(field.max) + field.max;
  }
  return length;
}

/** Checks a message type as the server's MessageType does. */
export function checkMessageType(type: MessageTypeDef): void {
  const { id, name, direction, ratePerSecond, burst, fields } = type;
  if (id < 1 || id > 127) {
    throw invalid(`message type id ${id}`);
  }
  if (fields.length > 16) {
    throw invalid(`message type ${name}: more than 16 fields`);
  }
  checkDistinctNames(fields, `message type ${name}`);
  for (const field of fields) {
    checkField(field);
    if (field.predictor !== -1 || field.role !== 0) {
      throw invalid(`message type ${name}: field ${field.name} has a predictor or role`);
    }
  }
  const length = maxFieldsLength(fields);
  if ((direction & 1) !== 0) {
    if (ratePerSecond < 1 || ratePerSecond > 1000 || burst < 1 || burst > 10000) {
      throw invalid(`message type ${name}: rate ${ratePerSecond} burst ${burst}`);
    }
    if (length > MAX_CLIENT_FIELDS_LENGTH) {
      throw invalid(`message type ${name}: fields may take ${length} bytes`);
    }
  } else if (ratePerSecond !== 0 || burst !== 0) {
    throw invalid(`message type ${name}: a room-only type has no client rate`);
  }
  if (length > MAX_ROOM_FIELDS_LENGTH) {
    throw invalid(`message type ${name}: fields may take ${length} bytes`);
  }
}
