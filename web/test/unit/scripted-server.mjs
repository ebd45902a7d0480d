// The scripted server of the client tests: a fake WebSocket class whose sockets the test opens, feeds and drops,
// mocked timers with a clock to match, and the protocol's golden vectors.
import { mock } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { TickwireClient } from "../../dist/sdk/index.js";

const GOLDEN = new URL("../../../codec/src/test/resources/golden/", import.meta.url);

export function golden(name) {
  const hex = readFileSync(new URL(name, GOLDEN), "utf8").split("\n")
    .map((line) => line.replace(/#.*/, "")).join("").replace(/\s+/g, "");
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

/** The WELCOME that answers a RESUME: the golden one with presenceCount 0 (no list follows). */
export function resumeWelcome() {
  const bytes = golden("welcome.hex");
  assert.equal(bytes[bytes.length - 18], 2, "presenceCount sits before the 17 bytes of the token");
  bytes[bytes.length - 18] = 0;
  return bytes;
}

export const notice = (code, detail = 0) => Uint8Array.of(0x43, code, ...varint(detail), 0);

function varint(value) {
  const out = [];
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

export function harness(t, extra = {}) {
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  t.after(() => mock.timers.reset());
  const sockets = [];
  let nowMs = 0;
  class FakeSocket {
    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.readyState = 0;
      this.sent = [];
      this.closedWith = null;
      sockets.push(this);
    }

    send(bytes) {
      this.sent.push(Uint8Array.from(bytes));
    }

    close(code) {
      this.closedWith = code;
      this.readyState = 3;
    }

    open() {
      this.readyState = 1;
      this.onopen({});
    }

    deliver(bytes) {
      this.onmessage({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) });
    }

    drop(code) {
      this.readyState = 3;
      this.onclose({ code, reason: "" });
    }
  }
  const advance = (ms) => {
    nowMs += ms;
    mock.timers.tick(ms);
  };
  /** Moves the clock only: the timers do not run, as in a throttled background tab. */
  const skew = (ms) => {
    nowMs += ms;
  };
  const promise = TickwireClient.connect({
    url: "ws://server/ws", roomType: "arena", room: "demo", playerName: "ann", options: { team: "red" },
    WebSocket: FakeSocket, now: () => nowMs, random: () => 0.5, reconnect: { initialDelayMs: 100, maxDelayMs: 100 },
    pingIntervalMs: 0, ...extra,
  });
  return { sockets, advance, skew, promise };
}
