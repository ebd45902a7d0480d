/**
 * The protocol's primitive encodings (docs/PROTOCOL.md, "Encodings" and "Sequences"): little-endian integers,
 * shortest-form LEB128 varints, zigzag, strict UTF-8 text without control characters, length-prefixed bytes.
 * Reading treats every byte as hostile and throws {@link ProtocolError}; writing our own values throws RangeError
 * when a value breaks a rule, since that is a bug of the caller, not of the peer.
 */

/** Malformed bytes from the peer; `reason` is a short stable tag (e.g. "truncated", "varint-not-shortest"). */
export class ProtocolError extends Error {
  readonly reason: string;

  constructor(reason: string, detail?: string) {
    super(detail === undefined ? reason : `${reason}: ${detail}`);
    this.name = "ProtocolError";
    this.reason = reason;
  }
}

const TWO_POW_32 = 4294967296;
const U64_MAX = (1n << 64n) - 1n;
const decoder = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** True when `a` is newer than `b`: their signed 32-bit difference is positive (sequences and ticks, u32). */
export function isNewer(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** The signed 32-bit difference `a - b` of two u32 sequences or ticks. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * @return true when `bytes[start..end)` is well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most
 * U+10FFFF) without control characters (U+0000..U+001F, U+007F..U+009F).
 */
export function checkText(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      if (lead < 0x20 || lead === 0x7f) {
        return false;
      }
      i++;
      continue;
    }
    let count: number;
    let low = 0x80;
    let high = 0xbf;
    let codePoint: number;
    if (lead < 0xc2) {
      return false;
    } else if (lead < 0xe0) {
      count = 1;
      codePoint = lead & 0x1f;
    } else if (lead < 0xf0) {
      count = 2;
      codePoint = lead & 0x0f;
      low = lead === 0xe0 ? 0xa0 : low;
      high = lead === 0xed ? 0x9f : high;
    } else if (lead < 0xf5) {
      count = 3;
      codePoint = lead & 0x07;
      low = lead === 0xf0 ? 0x90 : low;
      high = lead === 0xf4 ? 0x8f : high;
    } else {
      return false;
    }
    if (i + count >= end) {
      return false;
    }
    for (let k = 1; k <= count; k++) {
      const b = bytes[i + k]!;
      if (b < low || b > high) {
        return false;
      }
      codePoint = (codePoint << 6) | (b & 0x3f);
      low = 0x80;
      high = 0xbf;
    }
    if (codePoint <= 0x9f) {
      return false;
    }
    i += count + 1;
  }
  return true;
}

/**
 * Reads one message from `bytes[offset..end)`. Every read checks the bytes it takes and throws ProtocolError on
 * truncation, a non-shortest or too large varint, a value out of range or bad text.
 */
export class Reader {
  private readonly buf: Uint8Array;
  private readonly end: number;
  private pos: number;

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    if (offset < 0 || end > bytes.length || offset > end) {
      throw new RangeError(`bad range ${offset}..${end} of ${bytes.length} bytes`);
    }
    this.buf = bytes;
    this.pos = offset;
    this.end = end;
  }

  /** The offset of the next byte to read. */
  get position(): number {
    return this.pos;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless every byte was read: trailing bytes make a message malformed. */
  expectEnd(): void {
    if (this.pos !== this.end) {
      throw new ProtocolError("trailing-bytes", `${this.end - this.pos} after the last field`);
    }
  }

  private need(count: number): number {
    const at = this.pos;
    if (count > this.end - at) {
      throw new ProtocolError("truncated", `${count} bytes needed at ${at}, ${this.end - at} left`);
    }
    this.pos = at + count;
    return at;
  }

  u8(): number {
    return this.buf[this.need(1)]!;
  }

  u16(): number {
    const at = this.need(2);
    return this.buf[at]! | (this.buf[at + 1]! << 8);
  }

  u32(): number {
    const at = this.need(4);
    const b = this.buf;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  u64(): bigint {
    const low = this.u32();
    const high = this.u32();
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /**
   * An unsigned varint up to 2^53 - 1 (exact as a number). Larger values, up to 2^64 - 1, are well formed but
   * throw "varint-too-large": the protocol never needs them where this is used.
   */
  varint(): number {
    const b = this.buf;
    const end = this.end;
    let pos = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) {
        throw new ProtocolError("truncated", "inside a varint");
      }
      const byte = b[pos++]!;
      // Each term is a multiple of `scale` below 128 * scale, so the sum is exact while it stays below 2^53.
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) {
          throw new ProtocolError("varint-not-shortest");
        }
        if (i === 9 && byte > 1) {
          throw new ProtocolError("varint-overflow", "above 2^64 - 1");
        }
        if (value > Number.MAX_SAFE_INTEGER) {
          throw new ProtocolError("varint-too-large", "above 2^53 - 1");
        }
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    throw new ProtocolError("varint-overflow", "more than 10 bytes");
  }

  /** An unsigned varint of up to 64 bits. */
  varint64(): bigint {
    const b = this.buf;
    const end = this.end;
    let pos = this.pos;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) {
        throw new ProtocolError("truncated", "inside a varint");
      }
      const byte = b[pos++]!;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) {
          throw new ProtocolError("varint-not-shortest");
        }
        if (i === 9 && byte > 1) {
          throw new ProtocolError("varint-overflow", "above 2^64 - 1");
        }
        this.pos = pos;
        return value;
      }
    }
    throw new ProtocolError("varint-overflow", "more than 10 bytes");
  }

  /** A varint in `0..max` (max at most 2^53 - 1). */
  varintMax(max: number, what = "value"): number {
    const value = this.varint();
    if (value > max) {
      throw new ProtocolError("out-of-range", `${what} ${value} above ${max}`);
    }
    return value;
  }

  /** A zigzag varint that must fit a signed 32-bit integer. */
  zigzag32(): number {
    const z = this.varint();
    if (z > 0xffffffff) {
      throw new ProtocolError("out-of-range", "zigzag value beyond 32 bits");
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /**
   * A zigzag varint of up to 64 bits: a number when its magnitude is at most 2^53 - 1, else a bigint, so the value
   * is always exact.
   */
  zigzag64(): number | bigint {
    const start = this.pos;
    const b = this.buf;
    // Up to 7 bytes hold less than 2^49: the fast, exact Number path.
    let pos = start;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7 && pos < this.end; i++) {
      const byte = b[pos++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) {
          throw new ProtocolError("varint-not-shortest");
        }
        this.pos = pos;
        return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
      }
      scale *= 128;
    }
    const z = this.varint64();
    const signed = (z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n);
    const asNumber = Number(signed);
    return Number.isSafeInteger(asNumber) ? asNumber : signed;
  }

  /**
   * A numeric field: the varint of `value - min`, at most `max - min` (which fits 32 bits for int32 min and max).
   */
  ranged(min: number, max: number): number {
    const offset = this.varint();
    if (offset > max - min) {
      throw new ProtocolError("out-of-range", `${min} + ${offset} above ${max}`);
    }
    return min + offset;
  }

  /** `text(min..max)`: a varint byte length in range, then well-formed UTF-8 without control characters. */
  text(min: number, max: number): string {
    const length = this.varint();
    if (length < min || length > max) {
      throw new ProtocolError("text-length", `${length} bytes, not in ${min}..${max}`);
    }
    const at = this.need(length);
    if (!checkText(this.buf, at, at + length)) {
      throw new ProtocolError("bad-text", "malformed UTF-8 or a control character");
    }
    return decoder.decode(this.buf.subarray(at, at + length));
  }

  /** `bytes(0..max)`: a varint length of at most `max`, then that many bytes (copied). */
  bytes(max: number): Uint8Array {
    const length = this.varint();
    if (length > max) {
      throw new ProtocolError("bytes-length", `${length} bytes, above ${max}`);
    }
    return this.raw(length);
  }

  /** `count` bytes as they are (copied). */
  raw(count: number): Uint8Array {
    const at = this.need(count);
    return this.buf.slice(at, at + count);
  }
}

function requireInteger(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in ${min}..${max}: ${value}`);
  }
}

/** The UTF-8 bytes of `text`, refusing lone surrogates and control characters (our own write). */
export function encodeText(text: string): Uint8Array {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      throw new RangeError(`control character U+${c.toString(16)} in text`);
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        throw new RangeError("lone surrogate in text");
      }
      i++;
    }
  }
  return encoder.encode(text);
}

/** Builds one message in a growing buffer. Values that break a rule throw RangeError (a bug of the caller). */
export class Writer {
  private buf: Uint8Array;
  private pos = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.pos;
  }

  private room(count: number): number {
    if (this.pos + count > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + count));
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
    }
    const at = this.pos;
    this.pos += count;
    return at;
  }

  /** One byte; `room` may replace the buffer, so it runs before the buffer is read. */
  private put(byte: number): void {
    const at = this.room(1);
    this.buf[at] = byte;
  }

  u8(v: number): this {
    requireInteger(v, 0, 255, "u8");
    this.put(v);
    return this;
  }

  u16(v: number): this {
    requireInteger(v, 0, 0xffff, "u16");
    const at = this.room(2);
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = v >>> 8;
    return this;
  }

  /** A u32; any integer of -2^31..2^32-1 is written as its 32 low bits. */
  u32(v: number): this {
    requireInteger(v, -2147483648, TWO_POW_32 - 1, "u32");
    const at = this.room(4);
    const b = this.buf;
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
    b[at + 2] = (v >>> 16) & 0xff;
    b[at + 3] = (v >>> 24) & 0xff;
    return this;
  }

  u64(v: bigint): this {
    if (v < 0n || v > U64_MAX) {
      throw new RangeError(`u64 out of range: ${v}`);
    }
    this.u32(Number(v & 0xffffffffn));
    return this.u32(Number(v >> 32n));
  }

  /** An unsigned varint of 0..2^53 - 1, in its shortest form. */
  varint(v: number): this {
    requireInteger(v, 0, Number.MAX_SAFE_INTEGER, "varint");
    let rest = v;
    while (rest >= 0x80) {
      this.put((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.put(rest);
    return this;
  }

  /** An unsigned varint of up to 64 bits. */
  varint64(v: bigint): this {
    if (v < 0n || v > U64_MAX) {
      throw new RangeError(`varint64 out of range: ${v}`);
    }
    let rest = v;
    while (rest >= 0x80n) {
      this.put(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.put(Number(rest));
    return this;
  }

  /** The zigzag varint of a signed 32-bit integer. */
  zigzag32(v: number): this {
    requireInteger(v, -2147483648, 2147483647, "zigzag32");
    return this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** `text(min..max)`: the varint UTF-8 length, then the bytes; lengths are in bytes. */
  text(s: string, min = 0, max = 4096): this {
    const utf8 = encodeText(s);
    if (utf8.length < min || utf8.length > max) {
      throw new RangeError(`text of ${utf8.length} bytes, not in ${min}..${max}: ${s}`);
    }
    this.varint(utf8.length);
    return this.raw(utf8);
  }

  /** `bytes(0..max)`: the varint length, then the bytes. */
  bytes(b: Uint8Array, max = 4096): this {
    if (b.length > max) {
      throw new RangeError(`${b.length} bytes, above ${max}`);
    }
    this.varint(b.length);
    return this.raw(b);
  }

  /** The bytes as they are, without a length. */
  raw(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** The message written so far, as a new array. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
