import {
  type DecodedSnapshot, type FieldValue, type MessageTypeDef, type View, type Welcome,
  CloseCode, FieldType, JoinMode, MessageKind, NoticeCode, ProtocolError, SnapshotDecoder,
  decodeNotice, decodePong, decodePresence, decodeRoomMessage, decodeWelcome,
  encodeAck, encodeClientMessage, encodeInput, encodeJoin, encodeLeave, encodePing,
} from "./codec.js";
import { Backoff, type ReconnectPolicy } from "./backoff.js";
import { Connection, type WebSocketFactory } from "./connection.js";
import { Emitter } from "./emitter.js";
import { TickwireError, closeAction } from "./errors.js";
import {
  type FetchLike, type MatchRequest, type Placement, RESERVATION_SUBPROTOCOL_PREFIX, RESUME_SUBPROTOCOL, matchmake,
} from "./matchmaker.js";
import { type EntityState, InterpolationBuffer } from "./interpolation.js";
import { MAX_UNCONFIRMED, Outbox } from "./outbox.js";
import { RateWindow } from "./rate.js";
import { type PredictFn, Prediction, type PredictionStats } from "./prediction.js";

/** The WebSocket subprotocol of protocol v2. */
export const SUBPROTOCOL = "tickwire.v2";
/** The prefix of the subprotocol entry that carries a token (PROTOCOL.md "Who gets in"). */
export const TOKEN_SUBPROTOCOL_PREFIX = "tickwire.token.";

/** What the game can show: connecting (first time), connected (joined), reconnecting (after a drop), closed. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "closed";

export interface ClientOptions {
  /** The server's WebSocket address, e.g. `ws://127.0.0.1:7777/ws` or `wss://...`; not used with a matchmaker. */
  url?: string;
  /**
   * A cluster's matchmaker, its HTTP base URL (`http://host:7777`), or several (any nodes'): every connect and
   * reconnect first asks `POST <matchmaker>/matchmake` for a seat, then connects to the node it names offering the
   * reservation (`tickwire.rsv.<jwt>`) and JOINs the room it names; after a lost node the client re-homes through it
   * (docs/SCALE.md). With several, a matchmaker that does not answer is followed by the next.
   */
  matchmaker?: string | readonly string[];
  /**
   * A signed token (JWT): sent as the subprotocol entry `tickwire.token.<jwt>`, or, with a matchmaker, as
   * `Authorization: Bearer <jwt>` of each matchmake; needed when the server asks.
   */
  token?: string;
  /** The room type (game), e.g. `arena`. */
  roomType: string;
  /** A room name: joined ("named", the default when given) or created ("create"). */
  room?: string;
  /** How to find the room: "named" (default with a room), "any" open room (default without), or "create". */
  join?: "named" | "any" | "create";
  /** The display name. */
  playerName?: string;
  /** Join options the room type declares. */
  options?: Record<string, string>;
  /** How far behind the newest snapshot remote entities are drawn, ms (default 100). */
  interpolationDelayMs?: number;
  /** The game's movement function: turns on prediction of the player's own entity. */
  predict?: PredictFn;
  /** Reconnection after a drop (default on: 250 ms doubling to 5 s, full jitter, no attempt limit), or false. */
  reconnect?: ReconnectPolicy | false;
  /** PING period, ms (default 1000; 0 = never). */
  pingIntervalMs?: number;
  /** A WELCOME must arrive this long after a connect starts, or the attempt counts as failed, ms (default 10000). */
  joinTimeoutMs?: number;
  /** The WebSocket implementation (default `globalThis.WebSocket`; in Node 20 pass `WebSocket` from `ws`). */
  WebSocket?: WebSocketFactory;
  /** The fetch the matchmaker is asked with (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** A millisecond clock (default `performance.now()`). */
  now?: () => number;
  /** A source of randomness in [0, 1) for the reconnect jitter (default `Math.random`). */
  random?: () => number;
}

/** A player of the room, from the presence stream. */
export interface PlayerInfo {
  readonly playerId: number;
  /** The avatar's entity id, or -1 for none. */
  readonly entityId: number;
  readonly name: string;
  readonly metadata: ReadonlyMap<string, string>;
}

export interface PresenceEvent {
  readonly op: "join" | "leave" | "update";
  readonly player: PlayerInfo;
  /** LEAVE only: 1 LEFT, 2 DISCONNECTED, 3 KICKED, 4 IDLE, 5 SERVER_SHUTDOWN, 6 ROOM_CLOSED; else 0. */
  readonly reason: number;
}

/** A game message from the room. */
export interface GameMessage {
  readonly type: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Its stream sequence. */
  readonly seq: number;
}

/** A game message given up: sent, not confirmed, and the seat it was sent from was lost. */
export interface LostMessage {
  readonly type: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export interface ClientStats {
  /** The last PING round trip, ms (network, WebSocket stack and the server's event loop; not the tick). */
  pingMs: number;
  /** Snapshots applied, and bytes received (every frame), over the last whole second. */
  snapshotsPerSecond: number;
  bytesPerSecond: number;
  /** Entities in the newest view. */
  entitiesInView: number;
  snapshots: number;
  bytesReceived: number;
  /** Snapshots discarded: checksum mismatches, and invalid ones (the server never sends one). */
  checksumMismatches: number;
  invalidSnapshots: number;
  inputsSent: number;
  inputsRefused: number;
  messagesSent: number;
  messagesResent: number;
  messagesReceived: number;
  /** Connections made after the first, those that resumed the seat, and fresh joins after a lost seat. */
  reconnects: number;
  resumes: number;
  rejoins: number;
  /** Seats the matchmaker reserved; WELCOMEs through it after a lost connection, and those with another entity. */
  matchmakes: number;
  rehomes: number;
  rehomeEntityChanged: number;
  prediction: PredictionStats | null;
}

export interface ClientEvents {
  state: (state: ConnectionState, previous: ConnectionState) => void;
  /** A WELCOME: the first, after each reconnect (`resumed`: the same seat), or after a fresh join. */
  welcome: (welcome: Welcome, resumed: boolean) => void;
  snapshot: (snapshot: DecodedSnapshot) => void;
  message: (message: GameMessage) => void;
  presence: (event: PresenceEvent) => void;
  error: (error: TickwireError) => void;
  /** The seat was lost with these messages unconfirmed; they are not resent (they may have been delivered). */
  lost: (messages: readonly LostMessage[]) => void;
}

const DEFAULT_INTERPOLATION_DELAY_MS = 100;
const DEFAULT_PING_INTERVAL_MS = 1000;
const DEFAULT_JOIN_TIMEOUT_MS = 10_000;
/** How long {@link TickwireClient.leave} waits for the server's close after its LEAVE, ms. */
const LEAVE_TIMEOUT_MS = 1000;
/**
 * A connection that has lived this long is healthy: the backoff starts again from its first delay, so a flapping
 * server (a WELCOME, then a failure, again and again) meets a growing delay, not a tight loop.
 */
const HEALTHY_AFTER_MS = 5000;
/** Connections in a row ended for server bytes this client cannot accept before it stops: a version mismatch. */
const MAX_PROTOCOL_ERRORS = 3;
/** A client close that says "I am done": the server answers by echoing it. */
const CLIENT_CLOSE_NORMAL = 1000;
/** A client close after bytes it could not accept; 4000..4999 are the codes an application may use. */
const CLIENT_CLOSE_PROTOCOL = 4000;

type NextJoin = "first" | "resume" | "rejoin";

/**
 * A Tickwire client: one player in one room, over one WebSocket at a time, across reconnects.
 * <p>
 * It joins, reads the schemas from the WELCOME, keeps the presence list, decodes snapshots against its baselines
 * (verifying checksums) and acknowledges them, delivers room messages in order exactly once, numbers inputs and
 * messages, resends unconfirmed messages after a resume, interpolates remote entities and predicts the player's own.
 * After an unexpected close it reconnects with exponential backoff and full jitter and RESUMEs the seat (same avatar,
 * nothing lost or repeated), or joins the same room afresh when the server refuses the resume or the room is gone;
 * it stops on refusals that retrying cannot fix (kicked, replaced, join refused, a protocol error). Everything runs on
 * the caller's event loop (the page's, or Node's): no method may be called from elsewhere.
 */
export class TickwireClient {
  readonly stats: ClientStats = {
    pingMs: NaN, snapshotsPerSecond: 0, bytesPerSecond: 0, entitiesInView: 0, snapshots: 0, bytesReceived: 0,
    checksumMismatches: 0, invalidSnapshots: 0, inputsSent: 0, inputsRefused: 0, messagesSent: 0,
    messagesResent: 0, messagesReceived: 0, reconnects: 0, resumes: 0, rejoins: 0, matchmakes: 0, rehomes: 0,
    rehomeEntityChanged: 0, prediction: null,
  };

  private readonly events = new Emitter<ClientEvents>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: Backoff | null;
  private readonly outbox = new Outbox();
  private readonly playerList = new Map<number, PlayerInfo>();
  private currentState: ConnectionState = "connecting";
  private connection: Connection | null = null;
  private currentWelcome: Welcome | null = null;
  private typesByName = new Map<string, MessageTypeDef>();
  private typesById = new Map<number, MessageTypeDef>();
  private decoder: SnapshotDecoder | null = null;
  private newestView: View | null = null;
  private interpolation: InterpolationBuffer | null = null;
  private prediction: Prediction | null = null;
  private nextJoin: NextJoin = "first";
  private joinedThisConnection = false;
  private lastNoticeCode = 0;
  private lastNoticeDetail = 0;
  private closing = false;
  private snapshotAck = 0;
  private sentSnapshotAck = 0;
  private streamSeq = 0;
  private sentStreamAck = 0;
  private inputSeq = 0;
  private inputSampler: (() => Record<string, number>) | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private secondTimer: ReturnType<typeof setInterval> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private healthyTimer: ReturnType<typeof setTimeout> | null = null;
  /** Connections in a row this client ended for bytes it could not accept. */
  private protocolErrors = 0;
  /** When a message that carries the snapshot ack was last written, ms. */
  private ackWrittenMs = -Infinity;
  private joinTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The seat the matchmaker reserved last; null before the first, or without a matchmaker. */
  private currentPlacement: Placement | null = null;
  /** Whether the next matchmake proves the lost seat's identity with the last reservation (`rejoin`). */
  private rejoinWithReservation = false;
  /** Whether the current connection was opened to RESUME at the node of the last placement. */
  private resumingAtNode = false;
  /** Matchmakes started; an answer to an older one is dropped. */
  private matchAttempt = 0;
  /** Which matchmaker is asked: the next after one that did not answer. */
  private matchmakerIndex = 0;
  /** The entity before the connection was lost, while the client re-homes through the matchmaker; else -1. */
  private entityBeforeLoss = -1;
  private readonly snapshotRate = new RateWindow();
  private readonly byteRate = new RateWindow(1000, 4096);
  private settle: { resolve: (client: TickwireClient) => void; reject: (error: TickwireError) => void } | null;

  private constructor(private readonly options: ClientOptions, settle: TickwireClient["settle"]) {
    this.now = options.now ?? (() => performance.now());
    this.random = options.random ?? Math.random;
    this.backoff = options.reconnect === false ? null : new Backoff(options.reconnect ?? {}, this.random);
    this.settle = settle;
  }

  /**
   * Connects and joins. @returns a promise of the client once the first WELCOME arrived; it rejects with a
   * {@link TickwireError} when that connection fails or is refused (no retry before the first WELCOME: the
   * caller decides), or at once (`usage`) when the JOIN cannot be encoded (a name over 32 bytes, bad option keys).
   */
  static connect(options: ClientOptions): Promise<TickwireClient> {
    return new Promise((resolve, reject) => {
      if ((options.url ?? "") === "" && matchmakers(options).length === 0) {
        reject(new TickwireError("usage", "connect: give a url or a matchmaker", { fatal: true }));
        return;
      }
      const client = new TickwireClient(options, { resolve, reject });
      try {
        client.joinMessage();
      } catch (error) {
        reject(new TickwireError("usage", `join: ${(error as Error).message}`, { fatal: true }));
        return;
      }
      client.open();
    });
  }

  /** @returns the connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** @returns the newest WELCOME (room, schemas, message types, metadata, this player's ids). */
  get welcome(): Welcome {
    return this.currentWelcome!;
  }

  /**
   * @returns the seat the matchmaker reserved last (its node, room, identity `subject` and reservation), or null
   * without a matchmaker or before the first answer.
   */
  get placement(): Placement | null {
    return this.currentPlacement;
  }

  /** @returns the room's players by player id, the presence stream applied in order. */
  get players(): ReadonlyMap<number, PlayerInfo> {
    return this.playerList;
  }

  /** @returns how many game messages sent wait for the server's confirmation (or to be written). */
  get unconfirmedMessages(): number {
    return this.outbox.unconfirmed().length;
  }

  /** @returns the newest applied view (not interpolated), or null before the first snapshot. */
  get view(): View | null {
    return this.newestView;
  }

  /** Subscribes to an event. @returns the function that unsubscribes. */
  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): () => void {
    return this.events.on(event, handler);
  }

  /**
   * Sends one input now, in the room's input schema: `values` by field name (absent fields are 0, or the field's
   * min when 0 is out of its range). Call it once per tick period (or use {@link startInputLoop}); the player's
   * own entity is predicted with it at once when a `predict` function was given.
   * @returns the input's sequence, or 0 when not connected (the input is dropped: the server never had it).
   * @throws TickwireError (usage) for an unknown field or a value that is not an integer within its range.
   */
  sendInput(values: Record<string, number>): number {
    const welcome = this.currentWelcome;
    if (welcome === null || this.currentState !== "connected" || this.connection === null) {
      return 0;
    }
    const schema = welcome.inputSchema;
    const ordered = schema.fields.map((field) => field.min > 0 || field.max < 0 ? field.min : 0);
    for (const [name, value] of Object.entries(values)) {
      const index = schema.indexOf(name);
      const field = schema.fields[index];
      if (field === undefined) {
        throw new TickwireError("usage", `input field "${name}" is not in the room's input schema`);
      }
      if (!Number.isInteger(value) || value < field.min || value > field.max) {
        throw new TickwireError("usage",
          `input ${name} = ${value}: needs an integer within ${field.min}..${field.max}`);
      }
      ordered[index] = value;
    }
    const nowMs = this.now();
    this.inputSeq = this.inputSeq === 0xffffffff ? 1 : this.inputSeq + 1;
    const viewTick = this.interpolation?.viewTick(nowMs) ?? 0;
    this.write(encodeInput(this.snapshotAck, this.inputSeq, viewTick, schema, ordered));
    this.sentSnapshotAck = this.snapshotAck;
    this.ackWrittenMs = nowMs;
    this.stats.inputsSent++;
    this.prediction?.input(this.inputSeq, ordered, nowMs);
    return this.inputSeq;
  }

  /**
   * Sends an input every tick period, from `sample` (called each time), while connected; replaces any previous
   * loop. `null` stops it. The loop runs on the client's tick timer, which also writes acks and queued messages.
   */
  startInputLoop(sample: (() => Record<string, number>) | null): void {
    this.inputSampler = sample;
  }

  /**
   * Sends a game message of a type the room lets clients send, with its fields by name (absent numeric fields
   * are 0, absent text and bytes empty). The message is delivered to the game exactly once and in order, across
   * reconnects that resume the seat; it waits while its type's rate is spent or the client reconnects.
   * @returns the message's sequence.
   * @throws TickwireError (usage) for an unknown or room-only type, an unknown field, a value it refuses, or when
   * {@link MAX_UNCONFIRMED} messages already wait (sent faster than the server confirms, or while unreachable).
   */
  send(type: string, fields: Record<string, FieldValue> = {}): number {
    if (this.currentState === "closed" || this.currentWelcome === null) {
      throw new TickwireError("usage", "send: the client is closed or not joined");
    }
    const messageType = this.typesByName.get(type);
    if (messageType === undefined || messageType.direction === 2) {
      throw new TickwireError("usage", `message type "${type}" is not one the room lets clients send`);
    }
    const values = orderFields(messageType, fields);
    try {
      encodeClientMessage(0, 1, messageType, values);
    } catch (error) {
      throw new TickwireError("usage", `message ${type}: ${(error as Error).message}`);
    }
    if (this.outbox.full) {
      throw new TickwireError("usage", `send: ${MAX_UNCONFIRMED} messages wait for the server already`);
    }
    const message = this.outbox.add(messageType, values);
    this.flushMessages();
    return message.seq;
  }

  /**
   * @param nowMs the time to draw (default now).
   * @returns what to draw: the remote entities interpolated `interpolationDelayMs` in the past, and the player's
   * own entity predicted (with a `predict` function) or as in the newest snapshot.
   */
  entities(nowMs: number = this.now()): EntityState[] {
    const own = this.ownEntity(nowMs);
    const remote = this.interpolation?.sample(nowMs, this.ownEntityId()) ?? [];
    if (own !== undefined) {
      remote.push(own);
    }
    return remote;
  }

  /** @returns the player's own entity as drawn at `nowMs`: predicted, or the newest snapshot's; or undefined. */
  ownEntity(nowMs: number = this.now()): EntityState | undefined {
    const id = this.ownEntityId();
    const predicted = this.prediction?.displayed(nowMs);
    if (predicted !== undefined && predicted !== null) {
      return { id, values: predicted, own: true };
    }
    const entity = id < 0 ? undefined : this.newestView?.get(id);
    return entity === undefined ? undefined : { id, values: entity.values.slice(), own: true };
  }

  /** @returns the value of the named entity field of `entity` in units (FIXED divided by its steps), or NaN. */
  field(entity: EntityState, name: string): number {
    const schema = this.currentWelcome?.entitySchema;
    const index = schema?.indexOf(name) ?? -1;
    if (index < 0) {
      return NaN;
    }
    const field = schema!.fields[index]!;
    const value = entity.values[index]!;
    return field.type === FieldType.FIXED ? value / field.stepsPerUnit : value;
  }

  /** Sends LEAVE and waits for the server's close (at most a second). The client ends in state "closed". */
  leave(): Promise<void> {
    if (this.currentState === "closed") {
      return Promise.resolve();
    }
    if (this.connection === null || this.currentState !== "connected") {
      this.close();
      return Promise.resolve();
    }
    this.closing = true;
    this.write(encodeLeave(this.snapshotAck));
    return new Promise((resolve) => {
      const done = this.on("state", (state) => {
        if (state === "closed") {
          done();
          clearTimeout(timer);
          resolve();
        }
      });
      const timer = setTimeout(() => this.close(), LEAVE_TIMEOUT_MS);
    });
  }

  /**
   * Closes the connection (close 1000) and stops reconnecting. The server keeps the seat for its resume grace, as
   * for any connection that ends without a LEAVE; {@link leave} frees it at once.
   */
  close(): void {
    this.closing = true;
    this.clearTimers();
    const connection = this.connection;
    this.connection = null;
    connection?.close(CLIENT_CLOSE_NORMAL);
    this.setState("closed");
    this.fail(new TickwireError("usage", "closed by the client", { fatal: true }));
  }

  private ownEntityId(): number {
    return this.currentWelcome?.entityId ?? -1;
  }

  /**
   * Starts a connection: without a matchmaker to the url; with one, a RESUME goes back to the node of the last
   * placement (no reservation needed), and anything else asks the matchmaker for a seat first.
   */
  private open(): void {
    this.joinedThisConnection = false;
    this.lastNoticeCode = 0;
    this.lastNoticeDetail = 0;
    const bases = matchmakers(this.options);
    this.resumingAtNode = bases.length > 0 && this.nextJoin === "resume" && this.currentPlacement !== null;
    if (this.resumingAtNode) {
      this.openSocket(this.currentPlacement!.url, [SUBPROTOCOL, RESUME_SUBPROTOCOL]);
    } else if (bases.length > 0) {
      this.openThroughMatchmaker(bases[this.matchmakerIndex % bases.length]!);
    } else {
      const protocols = [SUBPROTOCOL];
      if (this.options.token !== undefined && this.options.token !== "") {
        protocols.push(TOKEN_SUBPROTOCOL_PREFIX + this.options.token);
      }
      this.openSocket(this.options.url!, protocols);
    }
  }

  private openThroughMatchmaker(matchmaker: string): void {
    const attempt = ++this.matchAttempt;
    const rejoin = this.rejoinWithReservation && this.currentPlacement !== null;
    const request: MatchRequest = {
      type: this.options.roomType, room: rejoin ? this.currentPlacement!.room : this.firstRoomRequest(),
      options: this.options.options ?? {}, name: this.options.playerName ?? "",
    };
    if (rejoin) {
      request.rejoin = this.currentPlacement!.reservation;
    }
    const fetcher = this.options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (fetcher === undefined) {
      this.stop(new TickwireError("usage", "no fetch: pass options.fetch", { fatal: true }));
      return;
    }
    matchmake(matchmaker, request, {
      fetch: fetcher, bearerToken: this.options.token, timeoutMs: this.options.joinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS,
    }).then((placement) => {
      if (attempt === this.matchAttempt && !this.closing) {
        this.currentPlacement = placement;
        this.stats.matchmakes++;
        this.openSocket(placement.url, [SUBPROTOCOL, RESERVATION_SUBPROTOCOL_PREFIX + placement.reservation]);
      }
    }, (error: TickwireError) => {
      if (attempt === this.matchAttempt && !this.closing) {
        this.matchmakeFailed(error, rejoin);
      }
    });
  }

  /** @returns the room of a first matchmake (or one after the lost seat is gone): named, "any" or "new". */
  private firstRoomRequest(): string {
    const room = this.options.room ?? "";
    const join = this.options.join ?? (room === "" ? "any" : "named");
    return join === "any" ? "any" : join === "create" && room === "" ? "new" : room;
  }

  /**
   * The matchmaker gave no seat. One that did not answer is followed by the next (at once for a first connect, until
   * each was asked once). Before the first WELCOME the caller decides (connect rejects); a rejoin whose room is
   * gone asks afresh at once; a temporary refusal (503, 429, no answer) is asked again after the backoff, at least its
   * `retryAfterMs`; anything else ends the client.
   */
  private matchmakeFailed(error: TickwireError, rejoin: boolean): void {
    if (error.matchmakerError === "NETWORK") {
      this.matchmakerIndex++;
      if (this.currentWelcome === null && this.matchmakerIndex < matchmakers(this.options).length) {
        this.open();
        return;
      }
    }
    if (this.currentWelcome === null) {
      this.stop(error.asFatal());
      return;
    }
    if (rejoin && error.matchmakerError === "ROOM_GONE") {
      this.events.emit("error", error);
      this.rejoinWithReservation = false;
      this.open();
      return;
    }
    if (!error.retryable || this.backoff === null || this.backoff.exhausted) {
      this.stop(error.asFatal());
      return;
    }
    this.events.emit("error", error);
    this.setState("reconnecting");
    this.retryTimer = setTimeout(() => {
      if (!this.closing) {
        this.open();
      }
    }, Math.max(error.retryAfterMs, this.backoff.next()));
  }

  private openSocket(url: string, protocols: string[]): void {
    const factory = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
    if (factory === undefined) {
      this.stop(new TickwireError("usage", "no WebSocket: pass options.WebSocket (e.g. from the ws package)",
        { fatal: true }));
      return;
    }
    try {
      this.connection = new Connection(factory, url, protocols, {
        opened: () => this.write(this.joinMessage()),
        frame: (bytes) => this.receive(bytes),
        closed: (code, reason) => this.closed(code, reason),
      });
    } catch (error) {
      this.stop(new TickwireError("usage", `cannot open ${url}: ${(error as Error).message}`,
        { fatal: true }));
      return;
    }
    const connection = this.connection;
    this.joinTimer = setTimeout(() => {
      if (this.connection === connection && !this.joinedThisConnection) {
        this.dropConnection("network", "no WELCOME within the join timeout");
      }
    }, this.options.joinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS);
  }

  private joinMessage(): Uint8Array {
    const welcome = this.currentWelcome;
    if (this.nextJoin === "resume" && welcome !== null) {
      return encodeJoin({
        roomType: welcome.roomType, mode: JoinMode.RESUME, room: welcome.room, player: "", options: [],
        resumeToken: welcome.resumeToken, messageAck: this.streamSeq,
      });
    }
    const options = Object.entries(this.options.options ?? {});
    const player = this.options.playerName ?? "";
    const placement = this.currentPlacement;
    if (placement !== null && matchmakers(this.options).length > 0) {
      return encodeJoin({ roomType: this.options.roomType, mode: JoinMode.NAMED, room: placement.room, player, options });
    }
    if (this.nextJoin === "rejoin" && welcome !== null) {
      return encodeJoin({ roomType: welcome.roomType, mode: JoinMode.NAMED, room: welcome.room, player, options });
    }
    const room = this.options.room ?? "";
    const join = this.options.join ?? (room === "" ? "any" : "named");
    const mode = join === "any" ? JoinMode.ANY : join === "create" ? JoinMode.CREATE : JoinMode.NAMED;
    return encodeJoin({ roomType: this.options.roomType, mode, room: join === "any" ? "" : room, player, options });
  }

  private receive(bytes: Uint8Array | null): void {
    if (bytes === null || bytes.length === 0) {
      this.dropConnection("protocol", "a text or empty frame from the server");
      return;
    }
    this.stats.bytesReceived += bytes.length;
    this.byteRate.record(this.now(), bytes.length);
    try {
      switch (bytes[0]) {
        case MessageKind.WELCOME:
          this.onWelcome(decodeWelcome(bytes));
          break;
        case MessageKind.SNAPSHOT:
          this.onSnapshot(bytes);
          break;
        case MessageKind.NOTICE:
          this.onNotice(bytes);
          break;
        case MessageKind.PONG:
          this.stats.pingMs = this.now() - Number(decodePong(bytes)) / 1000;
          break;
        case MessageKind.MESSAGE:
          this.onRoomMessage(bytes);
          break;
        case MessageKind.PRESENCE:
          this.onPresence(bytes);
          break;
        default:
          throw new ProtocolError(`unknown message type 0x${bytes[0]!.toString(16)}`);
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        throw error;
      }
      this.dropConnection("protocol", error.message);
    }
  }

  private onWelcome(welcome: Welcome): void {
    const previous = this.currentWelcome;
    const resumed = this.nextJoin === "resume" && previous !== null && welcome.playerId === previous.playerId &&
      welcome.room === previous.room && welcome.presenceCount === 0;
    if (this.entityBeforeLoss !== -1 && !resumed) {
      this.stats.rehomes++;
      this.stats.rehomeEntityChanged += welcome.entityId === this.entityBeforeLoss ? 0 : 1;
    }
    this.entityBeforeLoss = -1;
    this.rejoinWithReservation = false;
    this.joinedThisConnection = true;
    clearTimeout(this.joinTimer ?? undefined);
    this.currentWelcome = welcome;
    this.typesByName = new Map(welcome.messageTypes.map((type) => [type.name, type]));
    this.typesById = new Map(welcome.messageTypes.map((type) => [type.id, type]));
    this.decoder = new SnapshotDecoder(welcome.entitySchema, welcome.historyWindowTicks);
    this.snapshotAck = 0;
    this.sentSnapshotAck = 0;
    const periodMs = 1000 / welcome.tickRateHz;
    if (resumed) {
      this.stats.resumes++;
      this.outbox.rewind();
    } else {
      if (previous !== null) {
        this.stats.rejoins++;
        this.reportLost();
      }
      this.streamSeq = 0;
      this.sentStreamAck = 0;
      this.playerList.clear();
      this.newestView = null;
      this.interpolation = new InterpolationBuffer(welcome.entitySchema, periodMs,
        this.options.interpolationDelayMs ?? DEFAULT_INTERPOLATION_DELAY_MS);
      this.prediction = this.options.predict === undefined ? null
        : new Prediction(this.options.predict, welcome, welcome.entitySchema, periodMs);
      this.stats.prediction = this.prediction?.stats ?? null;
    }
    this.nextJoin = "resume";
    this.startTimers(periodMs);
    this.setState("connected");
    this.events.emit("welcome", welcome, resumed);
    const settle = this.settle;
    this.settle = null;
    settle?.resolve(this);
    this.flushMessages();
  }

  private reportLost(): void {
    const lost = this.outbox.restart().map((message) => ({
      type: message.type.name, fields: namedFields(message.type, message.values),
    }));
    if (lost.length > 0) {
      this.events.emit("lost", lost);
    }
  }

  private onSnapshot(bytes: Uint8Array): void {
    if (this.decoder === null) {
      throw new ProtocolError("a SNAPSHOT before the WELCOME");
    }
    let snapshot: DecodedSnapshot;
    try {
      snapshot = this.decoder.decode(bytes);
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        throw error;
      }
      this.stats.invalidSnapshots++;
      this.events.emit("error", new TickwireError("protocol", `invalid snapshot discarded: ${error.message}`));
      return;
    }
    if (snapshot.checksum === "mismatch") {
      this.stats.checksumMismatches++;
      return;
    }
    const nowMs = this.now();
    this.snapshotAck = snapshot.seq;
    if (snapshot.messageAck !== 0) {
      this.outbox.confirm(snapshot.messageAck);
    }
    this.newestView = snapshot.view;
    this.stats.snapshots++;
    this.snapshotRate.record(nowMs);
    this.stats.entitiesInView = snapshot.view.entities.length;
    this.interpolation?.push(snapshot.view, nowMs);
    const own = this.ownEntityId();
    this.prediction?.reconcile(own < 0 ? undefined : snapshot.view.get(own)?.values, snapshot.lastInputSeq,
      nowMs);
    this.events.emit("snapshot", snapshot);
    this.ackIfDue(nowMs);
  }

  private onNotice(bytes: Uint8Array): void {
    const notice = decodeNotice(bytes);
    if (notice.code === NoticeCode.INPUT_REFUSED) {
      this.stats.inputsRefused++;
      return;
    }
    this.lastNoticeCode = notice.code;
    this.lastNoticeDetail = notice.detail;
    this.events.emit("error", new TickwireError("notice", notice.text === "" ? `NOTICE ${notice.code}` : notice.text,
      { noticeCode: notice.code, detail: notice.detail }));
  }

  private nextStreamSeq(seq: number): void {
    const expected = this.streamSeq === 0xffffffff ? 1 : this.streamSeq + 1;
    if (seq !== expected) {
      throw new ProtocolError(`stream message ${seq} where ${expected} was due`);
    }
    this.streamSeq = seq;
  }

  private onRoomMessage(bytes: Uint8Array): void {
    const message = decodeRoomMessage(bytes, this.typesById);
    this.nextStreamSeq(message.seq);
    this.stats.messagesReceived++;
    this.events.emit("message", {
      type: message.type.name, fields: namedFields(message.type, message.values), seq: message.seq,
    });
    this.ackIfDue(this.now());
  }

  private onPresence(bytes: Uint8Array): void {
    const presence = decodePresence(bytes);
    this.nextStreamSeq(presence.seq);
    for (const entry of presence.entries) {
      const known = this.playerList.get(entry.playerId);
      if (entry.op === 2) {
        this.playerList.delete(entry.playerId);
        const player = known ?? { playerId: entry.playerId, entityId: -1, name: "", metadata: new Map() };
        this.events.emit("presence", { op: "leave", player, reason: entry.reason });
        continue;
      }
      const player: PlayerInfo = {
        playerId: entry.playerId, entityId: entry.entityId, name: entry.name, metadata: entry.metadata,
      };
      this.playerList.set(entry.playerId, player);
      this.events.emit("presence", { op: entry.op === 1 ? "join" : "update", player, reason: 0 });
    }
    this.ackIfDue(this.now());
  }

  private startTimers(periodMs: number): void {
    this.clearTimers();
    this.tickTimer = setInterval(() => this.onTick(), periodMs);
    this.secondTimer = setInterval(() => this.onSecond(), 1000);
    this.healthyTimer = setTimeout(() => {
      this.backoff?.reset();
      this.protocolErrors = 0;
    }, HEALTHY_AFTER_MS);
    const pingMs = this.options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    if (pingMs > 0) {
      this.ping();
      this.pingTimer = setInterval(() => this.ping(), pingMs);
    }
  }

  private clearTimers(): void {
    clearInterval(this.tickTimer ?? undefined);
    clearInterval(this.secondTimer ?? undefined);
    clearInterval(this.pingTimer ?? undefined);
    clearTimeout(this.healthyTimer ?? undefined);
    clearTimeout(this.joinTimer ?? undefined);
    clearTimeout(this.retryTimer ?? undefined);
    this.tickTimer = null;
    this.secondTimer = null;
    this.pingTimer = null;
    this.healthyTimer = null;
    this.joinTimer = null;
    this.retryTimer = null;
  }

  private onTick(): void {
    const sample = this.inputSampler;
    if (sample !== null) {
      try {
        this.sendInput(sample());
      } catch (error) {
        this.inputSampler = null;
        this.events.emit("error", error instanceof TickwireError ? error
          : new TickwireError("usage", `input loop stopped: ${(error as Error).message}`));
      }
    }
    this.flushMessages();
    this.ackIfDue(this.now());
  }

  /**
   * Writes an ACK when acks are new and nothing carried them for about a tick period. Called by the tick timer and
   * on every arrival, so acks keep pace with snapshots even where timers are throttled (a background tab runs them
   * about once a second, which would age every baseline out of the window and make every snapshot full). The first
   * snapshot of a connection is acknowledged at once: the server sends no other until it hears of it (or a few
   * ticks pass).
   */
  private ackIfDue(nowMs: number): void {
    const welcome = this.currentWelcome;
    if (welcome === null || (this.snapshotAck === this.sentSnapshotAck && this.streamSeq === this.sentStreamAck)) {
      return;
    }
    const firstSnapshotAck = this.sentSnapshotAck === 0 && this.snapshotAck !== 0;
    if (!firstSnapshotAck && nowMs - this.ackWrittenMs < 900 / welcome.tickRateHz) {
      return;
    }
    this.write(encodeAck(this.snapshotAck, this.streamSeq));
    this.sentSnapshotAck = this.snapshotAck;
    this.sentStreamAck = this.streamSeq;
    this.ackWrittenMs = nowMs;
  }

  private onSecond(): void {
    const nowMs = this.now();
    this.stats.snapshotsPerSecond = this.snapshotRate.perSecond(nowMs);
    this.stats.bytesPerSecond = this.byteRate.perSecond(nowMs);
  }

  private ping(): void {
    const nowMs = this.now();
    this.write(encodePing(this.snapshotAck, BigInt(Math.round(nowMs * 1000))));
    this.sentSnapshotAck = this.snapshotAck;
    this.ackWrittenMs = nowMs;
  }

  private flushMessages(): void {
    if (this.currentState !== "connected" || this.connection === null) {
      return;
    }
    const nowMs = this.now();
    this.outbox.flush(nowMs, (message, resend) => {
      this.write(encodeClientMessage(this.snapshotAck, message.seq, message.type, message.values));
      this.sentSnapshotAck = this.snapshotAck;
      this.ackWrittenMs = nowMs;
      if (resend) {
        this.stats.messagesResent++;
      } else {
        this.stats.messagesSent++;
      }
    });
  }

  private write(bytes: Uint8Array): void {
    this.connection?.send(bytes);
  }

  /**
   * Ends the current connection after a failure found on this side (a protocol error, a join timeout), then
   * decides what follows as for a close by the server, reporting `kind`.
   */
  private dropConnection(kind: "protocol" | "network", reason: string): void {
    const connection = this.connection;
    if (connection === null) {
      return;
    }
    connection.close(CLIENT_CLOSE_PROTOCOL, reason.slice(0, 40));
    if (kind === "protocol") {
      this.protocolErrors++;
    }
    this.closed(kind === "protocol" ? CLIENT_CLOSE_PROTOCOL : 1006, reason, kind);
  }

  private closed(code: number, reason: string, kind?: "protocol" | "network"): void {
    this.connection = null;
    this.clearTimers();
    if (this.closing) {
      this.setState("closed");
      return;
    }
    const error = new TickwireError(
      kind ?? (this.lastNoticeCode !== 0 ? "notice" : code === 1006 ? "network" : "close"),
      reason === "" ? `connection closed (${code})` : reason,
      { noticeCode: this.lastNoticeCode, detail: this.lastNoticeDetail, closeCode: code });
    if (this.currentWelcome === null) {
      this.stop(new TickwireError(error.kind, error.message,
        { noticeCode: error.noticeCode, detail: error.detail, closeCode: code, fatal: true }));
      return;
    }
    // A drain ends the server (its seats with it); the same code without NOTICE 12 is an idle close, which resumes.
    const action = this.lastNoticeCode === NoticeCode.SERVER_DRAINING ? "rejoin" : closeAction(code);
    if (action === "stop" || this.backoff === null || this.backoff.exhausted ||
      this.protocolErrors >= MAX_PROTOCOL_ERRORS) {
      this.stop(new TickwireError(error.kind, error.message,
        { noticeCode: error.noticeCode, detail: error.detail, closeCode: code, fatal: true }));
      return;
    }
    this.events.emit("error", error);
    const refusedResume = this.lastNoticeCode === NoticeCode.RESUME_REFUSED;
    this.nextJoin = action === "resume" && this.currentWelcome.resumeToken.length === 16 ? "resume" : "rejoin";
    if (matchmakers(this.options).length > 0) {
      this.planRehome(code);
    }
    const drainDelayMs = this.lastNoticeCode === NoticeCode.SERVER_DRAINING ? this.lastNoticeDetail : 0;
    const delayMs = refusedResume ? 0 : drainDelayMs + this.backoff.next();
    this.stats.reconnects++;
    this.setState("reconnecting");
    this.retryTimer = setTimeout(() => {
      if (!this.closing) {
        this.open();
      }
    }, delayMs);
  }

  /**
   * After a lost connection with a matchmaker: a RESUME at the same node comes first, unless that is what just failed
   * (the node is gone); then the matchmaker is asked for the same room with the last reservation as proof of the
   * seat, unless the node said it holds no seat for it (4008), in which case it is asked afresh.
   */
  private planRehome(closeCode: number): void {
    if (this.resumingAtNode && !this.joinedThisConnection) {
      this.nextJoin = "rejoin";
    }
    this.rejoinWithReservation = closeCode !== CloseCode.RESERVATION_MISMATCH;
    if (this.entityBeforeLoss === -1) {
      this.entityBeforeLoss = this.currentWelcome?.entityId ?? -1;
    }
  }

  private stop(error: TickwireError): void {
    this.clearTimers();
    this.connection = null;
    this.setState("closed");
    this.events.emit("error", error);
    this.fail(error);
  }

  private fail(error: TickwireError): void {
    const settle = this.settle;
    this.settle = null;
    settle?.reject(error);
  }

  private setState(state: ConnectionState): void {
    const previous = this.currentState;
    if (previous === state) {
      return;
    }
    this.currentState = state;
    this.events.emit("state", state, previous);
  }
}

/** @returns the matchmakers' base URLs the options give, none without a matchmaker. */
function matchmakers(options: ClientOptions): readonly string[] {
  const given = options.matchmaker ?? [];
  return (typeof given === "string" ? [given] : given).filter((base) => base !== "");
}

/** @returns the values of a message's fields in declaration order, from names; absent ones zero or empty. */
function orderFields(type: MessageTypeDef, fields: Record<string, FieldValue>): FieldValue[] {
  for (const name of Object.keys(fields)) {
    if (!type.fields.some((field) => field.name === name)) {
      throw new TickwireError("usage", `message ${type.name} has no field "${name}"`);
    }
  }
  return type.fields.map((field) => {
    const value = fields[field.name];
    if (value !== undefined) {
      return value;
    }
    return field.type === FieldType.TEXT ? "" : field.type === FieldType.BYTES ? new Uint8Array(0)
      : field.min > 0 || field.max < 0 ? field.min : 0;
  });
}

function namedFields(type: MessageTypeDef, values: readonly FieldValue[]): Record<string, FieldValue> {
  const named: Record<string, FieldValue> = {};
  type.fields.forEach((field, i) => {
    named[field.name] = values[i]!;
  });
  return named;
}
