/** The part of the WebSocket API the client uses: the browser's, or Node's `ws` package. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketFactory = new (url: string, protocols: string[]) => WebSocketLike;

/** What a {@link Connection} reports, on the caller's event loop. */
export interface ConnectionListener {
  /** The WebSocket handshake completed: the first message may be written. */
  opened(): void;
  /** One binary message, whole; a text frame arrives as null. */
  frame(bytes: Uint8Array | null): void;
  /** The connection ended, once, unless {@link Connection.close} ended it first. */
  closed(code: number, reason: string): void;
}

const OPEN = 1;

/**
 * One WebSocket's lifetime: opened with the client's subprotocols, binary frames in as bytes, one close reported.
 * After {@link close}, or after its close was reported, it is detached: a late event of its socket reaches no one,
 * so a reconnect never hears the previous socket.
 */
export class Connection {
  private readonly socket: WebSocketLike;
  private listener: ConnectionListener | null;

  /** @throws whatever the WebSocket constructor throws for a bad URL or subprotocol. */
  constructor(factory: WebSocketFactory, url: string, protocols: string[], listener: ConnectionListener) {
    this.listener = listener;
    this.socket = new factory(url, protocols);
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => this.listener?.opened();
    this.socket.onmessage = (event) => this.listener?.frame(toBytes(event.data));
    this.socket.onclose = (event) => {
      const current = this.listener;
      this.listener = null;
      current?.closed(event.code, event.reason);
    };
    this.socket.onerror = () => undefined;
  }

  /** Writes one message if the socket is open; drops it otherwise (the session resends what must arrive). */
  send(bytes: Uint8Array): void {
    if (this.listener !== null && this.socket.readyState === OPEN) {
      this.socket.send(bytes);
    }
  }

  /** Closes with `code` (1000, or 3000..4999) and detaches: no close is reported for this connection. */
  close(code: number, reason = ""): void {
    this.listener = null;
    this.socket.close(code, reason);
  }
}

function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
}
