import { type FieldValue, type MessageTypeDef, seqDiff } from "./codec.js";

/** A game message the client sent and the server has not yet confirmed (by a snapshot's messageAck). */
export interface OutgoingMessage {
  readonly seq: number;
  readonly type: MessageTypeDef;
  readonly values: readonly FieldValue[];
}

/**
 * Messages kept at most, unconfirmed or waiting: a minute of chat at its usual rate. A client that sends faster than
 * the server confirms (or while it cannot reach it) is told, rather than growing without bound.
 */
export const MAX_UNCONFIRMED = 1024;

/**
 * A client's outgoing game messages, kept until confirmed: numbered in order (`messageSeq`, 1 up per connection
 * stream), written within each type's declared rate, and written again, with the same sequences, after a resume.
 * <p>
 * Rate: the server closes a connection that sends a type faster than its `ratePerSecond` with bursts of `burst`
 * (close 1008), so each type has a token bucket a little stricter than the server's (90% of the rate, a burst one
 * smaller) that absorbs clock differences; a message waits, and every message after it (sequences must stay in
 * order), until its bucket has a token. Not thread-safe: the client's single thread (the page's event loop).
 */
export class Outbox {
  private readonly queue: OutgoingMessage[] = [];
  private readonly tokens = new Map<number, number>();
  private readonly refilledAtMs = new Map<number, number>();
  /** Messages of {@link queue} already written on the current connection. */
  private written = 0;
  private lastSeq = 0;
  /** The newest sequence ever written, on any connection: a message up to it may have reached the server. */
  private highestWritten = 0;
  /** Whether the current connection has written a MESSAGE: from then on its sequences must not skip. */
  private wroteOnConnection = false;

  /** @returns the sequence the next {@link add} gets; after 2^32 - 1 comes 1, as the server counts (0 is none). */
  get nextSeq(): number {
    return this.lastSeq === 0xffffffff ? 1 : this.lastSeq + 1;
  }

  /** @returns the unconfirmed messages, oldest first. */
  unconfirmed(): readonly OutgoingMessage[] {
    return this.queue;
  }

  /** @returns whether the queue is at its bound ({@link MAX_UNCONFIRMED}): a new message would be refused. */
  get full(): boolean {
    return this.queue.length >= MAX_UNCONFIRMED;
  }

  /** Queues a message with the next sequence. */
  add(type: MessageTypeDef, values: readonly FieldValue[]): OutgoingMessage {
    this.lastSeq = this.nextSeq;
    const message = { seq: this.lastSeq, type, values };
    this.queue.push(message);
    return message;
  }

  /**
   * Drops the messages the server confirmed: `messageAck` and all before it, except, once this connection has
   * written a message, those not yet written on it: after its first MESSAGE a connection's sequences must follow
   * one by one (the server closes on a gap with 1002), so they are written anyway, and the server drops them.
   */
  confirm(messageAck: number): void {
    let confirmed = 0;
    while (confirmed < this.queue.length && seqDiff(this.queue[confirmed]!.seq, messageAck) <= 0) {
      confirmed++;
    }
    if (this.wroteOnConnection) {
      confirmed = Math.min(confirmed, this.written);
    }
    this.queue.splice(0, confirmed);
    this.written -= Math.min(confirmed, this.written);
  }

  /**
   * A new connection resumed the session: every unconfirmed message is to be written again, in order. Its first
   * MESSAGE may have any sequence (the server skips those it accepted), so confirmations may still drop any of them.
   */
  rewind(): void {
    this.written = 0;
    this.wroteOnConnection = false;
  }

  /**
   * A fresh join: a new player, whose sequences start at 1. The messages ever written may have reached the old
   * seat, so they are given up (sending them again could deliver them twice); those never written are kept and
   * numbered again from 1. @returns the messages given up.
   */
  restart(): OutgoingMessage[] {
    let written = 0;
    while (written < this.queue.length && this.highestWritten !== 0 &&
      seqDiff(this.queue[written]!.seq, this.highestWritten) <= 0) {
      written++;
    }
    const lost = this.queue.splice(0, written);
    const kept = this.queue.splice(0, this.queue.length);
    this.written = 0;
    this.wroteOnConnection = false;
    this.lastSeq = 0;
    this.highestWritten = 0;
    for (const message of kept) {
      this.add(message.type, message.values);
    }
    return lost;
  }

  /**
   * Writes, through `write`, the messages not yet written on this connection, in order, while their types'
   * buckets allow; `resend` tells a message written before, on an earlier connection.
   */
  flush(nowMs: number, write: (message: OutgoingMessage, resend: boolean) => void): void {
    while (this.written < this.queue.length) {
      const message = this.queue[this.written]!;
      if (!this.take(message.type, nowMs)) {
        return;
      }
      const resend = this.highestWritten !== 0 && seqDiff(message.seq, this.highestWritten) <= 0;
      write(message, resend);
      this.wroteOnConnection = true;
      if (!resend) {
        this.highestWritten = message.seq;
      }
      this.written++;
    }
  }

  private take(type: MessageTypeDef, nowMs: number): boolean {
    const capacity = Math.max(1, type.burst - 1);
    const ratePerMs = type.ratePerSecond * 0.9 / 1000;
    const last = this.refilledAtMs.get(type.id);
    const before = last === undefined ? capacity : this.tokens.get(type.id)!;
    const tokens = Math.min(capacity, before + (last === undefined ? 0 : (nowMs - last) * ratePerMs));
    this.refilledAtMs.set(type.id, nowMs);
    if (tokens < 1) {
      this.tokens.set(type.id, tokens);
      return false;
    }
    this.tokens.set(type.id, tokens - 1);
    return true;
  }
}
