// Shared pieces of the live tests: the server's address, clients, a TCP proxy that adds latency and cuts
// connections, and bounded waits. Every wait has a deadline; none sleeps to synchronise.
import net from "node:net";
import WebSocket from "ws";
import { TickwireClient } from "../../dist/sdk/index.js";
import { predictorFor } from "../../dist/demo/predict.js";

export const WS_URL = required("TICKWIRE_WS_URL");
export const HTTP_URL = required("TICKWIRE_HTTP_URL");

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: the live tests run against a server (net: WebSdkLiveTest)`);
  }
  return value;
}

/** A room name no other test uses. */
export function uniqueRoom(prefix) {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
}

export function connect(options) {
  return TickwireClient.connect({ url: WS_URL, WebSocket, ...options });
}

/** Polls `predicate` every 10 ms until it holds; fails after `timeoutMs` with `what`. */
export function waitFor(what, predicate, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      let value;
      try {
        value = predicate();
      } catch (error) {
        reject(error);
        return;
      }
      if (value) {
        resolve(value);
      } else if (Date.now() > deadline) {
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      } else {
        setTimeout(poll, 10);
      }
    };
    poll();
  });
}

const predictors = new WeakMap();

/**
 * The movement function of the room's game for the SDK's prediction: the demo's (arena and tag, exactly as their
 * Java javadoc states), made once per WELCOME.
 */
export function gamePredict(state, input, welcome) {
  let predict = predictors.get(welcome);
  if (predict === undefined) {
    predict = predictorFor(welcome);
    predictors.set(welcome, predict);
  }
  predict(state, input);
}

/**
 * A loopback TCP proxy to the server: `delayMs` each way (order kept: equal delays fire in order), and `cut()`
 * drops every connection at once without a close frame, as a lost network does. `refuse` makes it reset new
 * connections until set false; `blackhole` swallows every byte both ways, as a link that died silently does, so
 * what each end writes then is lost in flight. `url` is the WebSocket address through the proxy.
 */
export async function startProxy(delayMs = 0) {
  const target = new URL(WS_URL);
  const sockets = new Set();
  const proxy = { refuse: false, blackhole: false, connections: 0, url: "", server: null };
  const server = net.createServer((client) => {
    if (proxy.refuse) {
      client.resetAndDestroy();
      return;
    }
    proxy.connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    pipe(client, upstream, delayMs, proxy);
    pipe(upstream, client, delayMs, proxy);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.server = server;
  proxy.url = `ws://127.0.0.1:${server.address().port}${target.pathname}`;
  proxy.cut = () => {
    for (const socket of sockets) {
      socket.resetAndDestroy();
    }
    sockets.clear();
  };
  proxy.close = () => new Promise((resolve) => {
    proxy.cut();
    server.close(resolve);
  });
  return proxy;
}

function pipe(from, to, delayMs, proxy) {
  from.on("data", (chunk) => {
    if (proxy.blackhole) {
      return;
    }
    if (delayMs === 0) {
      to.write(chunk);
    } else {
      setTimeout(() => to.destroyed || to.write(chunk), delayMs);
    }
  });
  from.on("end", () => (delayMs === 0 ? to.end() : setTimeout(() => to.end(), delayMs)));
}
