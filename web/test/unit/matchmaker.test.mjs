// The client through a scripted matchmaker (an injected fetch) and the scripted server: the matchmake before every
// connect, the reservation it offers, the JOIN of the room the answer names, and the re-home after a lost node
// (RESUME at the same node first, then a rejoin with the last reservation, a fresh matchmake when the room is gone or
// the node holds no seat), temporary refusals waited out, and the answers checked field by field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { CloseCode, matchmake, readAnswer } from "../../dist/sdk/index.js";
import { golden, harness, notice, resumeWelcome } from "./scripted-server.mjs";

const JWT_1 = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiIxIn0.c2lnMQ";
const JWT_2 = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiIyIn0.c2lnMg";
const NODE_A = "ws://10.0.0.7:7801/ws";
const NODE_B = "ws://10.0.0.8:7802/ws";

function placed(url, reservation, room = "demo") {
  return { status: 200, body: JSON.stringify({ url, room, reservation, expiresInMs: 10000, subject: "anon:Qm9",
    node: `${url}-node` }) };
}

/** A fetch answering each request with the next scripted reply, and keeping the requests. */
function scriptedFetch(replies) {
  const requests = [];
  const fetch = async (url, init) => {
    requests.push({ url, method: init.method, headers: init.headers, body: JSON.parse(init.body) });
    const reply = replies.shift();
    if (reply === undefined || reply === "network") {
      throw new Error("connection refused");
    }
    return { status: reply.status, text: async () => reply.body };
  };
  return { fetch, requests };
}

/** Lets the promise callbacks of an answered fetch run (the timers are mocked; setImmediate is not). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function clustered(t, replies, extra = {}) {
  const matchmaker = scriptedFetch(replies);
  const session = harness(t, { url: undefined, matchmaker: "http://mm:7777/", fetch: matchmaker.fetch, ...extra });
  return { ...session, requests: matchmaker.requests };
}

async function joined(t, replies = [placed(NODE_A, JWT_1)], extra = {}) {
  const session = clustered(t, replies, extra);
  await settle();
  session.sockets[0].open();
  session.sockets[0].deliver(golden("welcome.hex"));
  const client = await session.promise;
  return { ...session, client };
}

test("every connect asks the matchmaker first, offers the reservation and JOINs the room it names", async (t) => {
  const { sockets, requests, client } = await joined(t, [placed(NODE_A, JWT_1)], { token: "a.b.c" });

  assert.deepEqual(requests, [{ url: "http://mm:7777/matchmake", method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer a.b.c" },
    body: { type: "arena", room: "demo", options: { team: "red" }, name: "ann" } }]);
  assert.equal(sockets[0].url, NODE_A);
  assert.deepEqual(sockets[0].protocols, ["tickwire.v2", `tickwire.rsv.${JWT_1}`], "no token in the handshake");
  assert.deepEqual(sockets[0].sent[0], golden("join.hex"), "a NAMED JOIN of the answer's room");
  assert.equal(client.placement.subject, "anon:Qm9");
  assert.equal(client.stats.matchmakes, 1);
});

test("join any asks for any open room and joins the one the matchmaker names", async (t) => {
  const { sockets, requests } = clustered(t, [placed(NODE_A, JWT_1, "demo")], { room: undefined, join: "any" });
  await settle();
  assert.equal(requests[0].body.room, "any");
  sockets[0].open();
  assert.deepEqual(sockets[0].sent[0], golden("join.hex"));
});

test("a lost node: RESUME at the same node first, then a rejoin with the last reservation", async (t) => {
  const { sockets, requests, advance, client } = await joined(t, [placed(NODE_A, JWT_1), placed(NODE_B, JWT_2)]);
  sockets[0].drop(1006);
  advance(50);
  assert.equal(sockets[1].url, NODE_A);
  assert.deepEqual(sockets[1].protocols, ["tickwire.v2", "tickwire.resume"]);
  assert.equal(requests.length, 1, "no matchmake for the RESUME");

  sockets[1].drop(1006);
  advance(50);
  await settle();
  assert.deepEqual(requests[1].body, { type: "arena", room: "demo", options: { team: "red" }, name: "ann",
    rejoin: JWT_1 });
  assert.equal(sockets[2].url, NODE_B);
  assert.deepEqual(sockets[2].protocols, ["tickwire.v2", `tickwire.rsv.${JWT_2}`]);
  sockets[2].open();
  assert.deepEqual(sockets[2].sent[0], golden("join.hex"), "a NAMED JOIN: the node seats the identity again");
  sockets[2].deliver(golden("welcome.hex"));
  assert.equal(client.stats.rehomes, 1);
  assert.equal(client.stats.rehomeEntityChanged, 0);
  assert.equal(client.state, "connected");
});

test("a resume the node takes is no re-home", async (t) => {
  const { sockets, advance, client } = await joined(t);
  sockets[0].drop(1006);
  advance(50);
  sockets[1].open();
  sockets[1].deliver(resumeWelcome());
  assert.equal(client.stats.resumes, 1);
  assert.equal(client.stats.rehomes, 0);
});

test("a temporary refusal is asked again no sooner than its retryAfterMs, and is no end", async (t) => {
  const { sockets, requests, advance, client } = await joined(t, [placed(NODE_A, JWT_1),
    { status: 503, body: "{\"error\":\"RESTORING\",\"retryAfterMs\":700}" }, placed(NODE_B, JWT_2)]);
  const errors = [];
  client.on("error", (error) => errors.push(error.matchmakerError || error.closeCode));
  sockets[0].drop(CloseCode.RESUME_REFUSED);
  advance(50);
  await settle();
  assert.equal(requests.length, 2);
  assert.equal(sockets.length, 1, "RESTORING: no socket");
  advance(699);
  await settle();
  assert.equal(requests.length, 2, "not before the retry-after");
  advance(1);
  await settle();
  assert.equal(sockets.length, 2);
  assert.equal(sockets[1].url, NODE_B);
  assert.deepEqual(errors, [CloseCode.RESUME_REFUSED, "RESTORING"]);
  assert.equal(client.state, "reconnecting");
});

test("a rejoin whose room is gone asks afresh at once; a 4008 from the node asks afresh too", async (t) => {
  const { sockets, requests, advance, client } = await joined(t, [placed(NODE_A, JWT_1),
    { status: 404, body: "{\"error\":\"ROOM_GONE\"}" }, placed(NODE_B, JWT_2), placed(NODE_B, JWT_1)]);
  const errors = [];
  client.on("error", (error) => errors.push(`${error.kind}:${error.matchmakerError || error.closeCode}`));
  sockets[0].deliver(notice(12, 0));
  sockets[0].drop(CloseCode.GOING_AWAY);
  advance(50);
  await settle();
  await settle();
  assert.equal(requests[1].body.rejoin, JWT_1);
  assert.equal(requests[2].body.rejoin, undefined, "the room is gone: a fresh matchmake");
  assert.deepEqual(errors, ["notice:0", "notice:1001", "matchmaker:ROOM_GONE"]);

  sockets[1].open();
  sockets[1].deliver(notice(6));
  sockets[1].drop(CloseCode.RESERVATION_MISMATCH);
  advance(100);
  await settle();
  assert.equal(requests[3].body.rejoin, undefined, "no seat for this identity: asked afresh");
  assert.equal(client.state, "reconnecting");
});

test("with several matchmakers, one that does not answer is followed by the next", async (t) => {
  const { sockets, requests, advance, client } = await joined(t, ["network", placed(NODE_A, JWT_1), "network",
    placed(NODE_B, JWT_2)], { matchmaker: ["http://a:1", "http://b:2"] });
  assert.deepEqual(requests.map((r) => r.url), ["http://a:1/matchmake", "http://b:2/matchmake"]);
  assert.equal(sockets[0].url, NODE_A);

  sockets[0].drop(CloseCode.RESUME_REFUSED);
  advance(50);
  await settle();
  assert.equal(requests[2].url, "http://b:2/matchmake", "the one that answered last");
  advance(100);
  await settle();
  assert.equal(requests[3].url, "http://a:1/matchmake");
  assert.equal(sockets[1].url, NODE_B);
  assert.equal(client.state, "reconnecting");
});

test("a refusal for good ends the client; before the first WELCOME it rejects connect", async (t) => {
  const { promise, sockets } = clustered(t, [{ status: 409, body: "{\"error\":\"FULL\"}" }]);
  await assert.rejects(promise, (error) => error.kind === "matchmaker" && error.matchmakerError === "FULL" &&
    error.httpStatus === 409 && error.fatal && !error.retryable);
  assert.equal(sockets.length, 0);
});

test("connect needs a url or a matchmaker", async () => {
  const { TickwireClient } = await import("../../dist/sdk/index.js");
  await assert.rejects(TickwireClient.connect({ roomType: "arena" }), (error) => error.kind === "usage");
});

test("answers are checked field by field", () => {
  const ok = placed(NODE_A, JWT_1).body;
  assert.equal(readAnswer(200, ok, "demo").reservation, JWT_1);
  const bad = (status, body, room = "demo") => assert.throws(() => readAnswer(status, body, room),
    (error) => error.kind === "matchmaker" && error.matchmakerError === "BAD_ANSWER", body);
  const with_ = (field, value) => JSON.stringify({ ...JSON.parse(ok), [field]: value });
  bad(200, with_("url", "http://10.0.0.7/ws"));
  bad(200, with_("url", 7));
  bad(200, with_("room", "other"));
  bad(200, with_("room", "x".repeat(33)), "any");
  bad(200, with_("reservation", "a.b"));
  bad(200, with_("reservation", `${JWT_1}, tickwire.v1`));
  bad(200, with_("expiresInMs", 0));
  bad(200, with_("expiresInMs", 1.5));
  bad(200, with_("subject", ""));
  bad(200, with_("node", null));
  bad(200, "[1]");
  bad(200, "x".repeat(20000));
  bad(503, "{\"error\":\"RESTORING\",\"retryAfterMs\":-1}");
  assert.equal(readAnswer(200, with_("room", "arena-3f-1"), "any").room, "arena-3f-1");

  const refusal = (status, body) => {
    try {
      readAnswer(status, body, "demo");
    } catch (error) {
      return [error.matchmakerError, error.httpStatus, error.retryAfterMs, error.retryable];
    }
    assert.fail("no refusal");
  };
  assert.deepEqual(refusal(503, "{\"error\":\"RESTORING\",\"retryAfterMs\":250}"), ["RESTORING", 503, 250, true]);
  assert.deepEqual(refusal(503, "{\"error\":\"NO_NODE\"}"), ["NO_NODE", 503, 0, true]);
  assert.deepEqual(refusal(409, "{\"error\":\"LOCKED\"}"), ["LOCKED", 409, 0, false]);
  assert.deepEqual(refusal(404, "{\"error\":\"ROOM_GONE\"}"), ["ROOM_GONE", 404, 0, false]);
  assert.deepEqual(refusal(429, "slow down"), ["HTTP_429", 429, 0, true]);
});

test("matchmake over real HTTP with the global fetch", async (t) => {
  const seen = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ method: request.method, path: request.url, type: request.headers["content-type"], body });
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(placed(NODE_A, JWT_1, JSON.parse(body).room).body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}`;

  const placement = await matchmake(base, { type: "tag", room: "tag-1", options: {}, name: "ann" },
    { fetch: globalThis.fetch, timeoutMs: 2000 });

  assert.equal(placement.url, NODE_A);
  assert.equal(placement.room, "tag-1");
  assert.deepEqual(seen, [{ method: "POST", path: "/matchmake", type: "application/json",
    body: "{\"type\":\"tag\",\"room\":\"tag-1\",\"options\":{},\"name\":\"ann\"}" }]);
  const refused = await matchmake("http://127.0.0.1:1", { type: "tag", room: "any", options: {}, name: "" },
    { fetch: globalThis.fetch, timeoutMs: 2000 }).catch((error) => error);
  assert.equal(refused.matchmakerError, "NETWORK");
  assert.equal(refused.retryable, true);
});
