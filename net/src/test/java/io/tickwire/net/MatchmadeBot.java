package io.tickwire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test player that joins through {@code POST /matchmake} like a clustered client: it matchmakes a named room
 * (created when absent), opens the WebSocket the answer names with its reservation ({@code tickwire.rsv.<jwt>}),
 * JOINs that room, decodes and checks every snapshot against its view checksum, and acknowledges them. When its
 * connection drops (a killed node) or the server drains, it matchmakes again with {@code rejoin} = its last
 * reservation, with backoff and jitter (250 ms base, 2 s cap; a 503 honours {@code retryAfterMs}), until it plays
 * again. Its state is read from the test thread; the JDK client's threads write it.
 */
final class MatchmadeBot implements WebSocket.Listener
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BACKOFF_BASE_MS = 250;
    private static final long BACKOFF_CAP_MS = 2000;
    private static final int ACK_EVERY_SNAPSHOTS = 5;

    final String type;
    final String room;
    final String name;
    /** Snapshots whose view checksum did not match, over every session. */
    final AtomicLong checksumMismatches = new AtomicLong();
    /** Sessions that began with a WELCOME. */
    final AtomicInteger welcomes = new AtomicInteger();
    /** Snapshots applied in the current session. */
    final AtomicInteger sessionSnapshots = new AtomicInteger();

    private final HttpClient http;
    private final List<URI> matchmakers;
    private final ControlCodec controlCodec = new ControlCodec();
    private final ControlCodec inboundCodec = new ControlCodec();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final UnsafeBuffer outBuffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private volatile boolean stopped;
    private volatile WebSocket socket;
    private volatile SnapshotDecoder decoder;
    private volatile String subject;
    private volatile String reservation;
    private volatile String node;
    private volatile int playerId;
    private volatile int entityId = Welcome.NO_ENTITY;
    private volatile int firstEntityId = Welcome.NO_ENTITY;
    private volatile int firstPlayerId;
    private volatile long lastTick;
    private volatile long disconnectedAtNs;
    private volatile int lastCloseCode;
    private volatile Notice lastNotice;
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);
    private int matchmakerTurn;
    private int attempts;

    /**
     * @param matchmakers the HTTP bases the bot matchmakes through, taken in turn from {@code firstMatchmaker}.
     */
    MatchmadeBot(
        final HttpClient http, final List<URI> matchmakers, final int firstMatchmaker, final String type,
        final String room, final String name)
    {
        this.http = http;
        this.matchmakers = List.copyOf(matchmakers);
        this.matchmakerTurn = firstMatchmaker;
        this.type = type;
        this.room = room;
        this.name = name;
    }

    /**
     * Matchmakes and connects, retrying with backoff until it has a socket or it is stopped. Any thread.
     */
    void start()
    {
        CompletableFuture.runAsync(this::connectUntilOpen);
    }

    /**
     * Leaves the room (LEAVE, so the seat is not held for a resume) and stops matchmaking.
     */
    void stop()
    {
        stopped = true;
        final WebSocket current = socket;
        if (current != null)
        {
            synchronized (this)
            {
                new ClientMessageFlyweight().wrap(outBuffer, 0, ClientMessageFlyweight.LEAVE_LENGTH)
                    .type(WireFormat.TYPE_LEAVE);
                send(current, ClientMessageFlyweight.LEAVE_LENGTH);
            }
            CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(current::abort);
        }
    }

    /**
     * @return whether the bot is in a room now and applied at least {@code snapshots} snapshots there.
     */
    boolean isPlaying(final int snapshots)
    {
        return socket != null && decoder != null && sessionSnapshots.get() >= snapshots;
    }

    String node()
    {
        return node;
    }

    int entityId()
    {
        return entityId;
    }

    int firstEntityId()
    {
        return firstEntityId;
    }

    int playerId()
    {
        return playerId;
    }

    int firstPlayerId()
    {
        return firstPlayerId;
    }

    /**
     * @return the tick of the newest snapshot applied, over every session.
     */
    long lastTick()
    {
        return lastTick;
    }

    long disconnectedAtNs()
    {
        return disconnectedAtNs;
    }

    int lastCloseCode()
    {
        return lastCloseCode;
    }

    Notice lastNotice()
    {
        return lastNotice;
    }

    public String toString()
    {
        return name + "(" + type + "/" + room + " on " + node + ", entity " + entityId + ", tick " + lastTick +
            ", snapshots " + sessionSnapshots.get() + ", close " + lastCloseCode + ")";
    }

    private void connectUntilOpen()
    {
        while (!stopped)
        {
            long retryAfterMs = backoffMs();
            try
            {
                final JsonNode answer = matchmake();
                if (answer.has("url"))
                {
                    open(answer);
                    return;
                }
                retryAfterMs = Math.max(retryAfterMs, answer.path("retryAfterMs").asLong(0));
            }
            catch (final Exception ex)
            {
                // The node asked is dead, or the one named in the answer is: ask again, another node in turn.
            }
            sleepMs(retryAfterMs);
        }
    }

    private JsonNode matchmake() throws Exception
    {
        final URI base = matchmakers.get(Math.floorMod(matchmakerTurn++, matchmakers.size()));
        final ObjectNode body = JSON.createObjectNode().put("type", type).put("room", room).put("name", name);
        if (reservation != null)
        {
            body.put("rejoin", reservation);
        }
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/matchmake"))
            .timeout(Duration.ofSeconds(3))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void open(final JsonNode answer) throws Exception
    {
        reservation = answer.get("reservation").asText();
        subject = answer.path("subject").asText(subject);
        node = answer.path("node").asText();
        decoder = null;
        sessionSnapshots.set(0);
        final WebSocket opened = http.newWebSocketBuilder()
            .subprotocols(WireFormat.SUBPROTOCOL, "tickwire.rsv." + reservation)
            .connectTimeout(Duration.ofSeconds(3))
            .buildAsync(URI.create(answer.get("url").asText()), this)
            .get(5, TimeUnit.SECONDS);
        socket = opened;
        attempts = 0;
        synchronized (this)
        {
            final int length = controlCodec.encode(
                new JoinRequest(type, JoinRequest.MODE_NAMED, answer.get("room").asText(), name, Map.of()),
                outBuffer, 0);
            send(opened, length);
        }
    }

    private long backoffMs()
    {
        final long capMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(attempts++, 4));
        return ThreadLocalRandom.current().nextLong(capMs / 2, capMs + 1);
    }

    public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last)
    {
        final byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        message.writeBytes(bytes);
        if (last)
        {
            final byte[] whole = message.toByteArray();
            message.reset();
            onMessage(webSocket, whole);
        }
        webSocket.request(1);
        return null;
    }

    private void onMessage(final WebSocket webSocket, final byte[] whole)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(whole);
        if (whole[0] == WireFormat.TYPE_WELCOME)
        {
            final Welcome welcome = (Welcome)inboundCodec.decode(buffer, 0, whole.length);
            playerId = welcome.playerId();
            entityId = welcome.entityId();
            if (welcomes.getAndIncrement() == 0)
            {
                firstPlayerId = playerId;
                firstEntityId = entityId;
            }
            decoder = new SnapshotDecoder(welcome.entitySchema(), welcome.historyWindowTicks(), 0xFFFF);
        }
        else if (whole[0] == WireFormat.TYPE_NOTICE)
        {
            lastNotice = (Notice)inboundCodec.decode(buffer, 0, whole.length);
        }
        else if (whole[0] == WireFormat.TYPE_SNAPSHOT && decoder != null)
        {
            final SnapshotDecoder.Result result = decoder.decode(buffer, 0, whole.length);
            if (result == SnapshotDecoder.Result.CHECKSUM_MISMATCH)
            {
                checksumMismatches.incrementAndGet();
            }
            else if (result == SnapshotDecoder.Result.APPLIED)
            {
                lastTick = decoder.tick();
                // The first at once (until it hears of it the server sends no other), then every few.
                final int applied = sessionSnapshots.incrementAndGet();
                if (applied == 1 || applied % ACK_EVERY_SNAPSHOTS == 0)
                {
                    synchronized (this)
                    {
                        new ClientMessageFlyweight().wrap(outBuffer, 0, ClientMessageFlyweight.ACK_LENGTH)
                            .type(WireFormat.TYPE_ACK).ack(decoder.ackSeq()).messageAck(0);
                        send(webSocket, ClientMessageFlyweight.ACK_LENGTH);
                    }
                }
            }
        }
    }

    /**
     * Sends the first {@code length} bytes of the out buffer after the sends before it (the JDK client takes one
     * send at a time).
     */
    private synchronized void send(final WebSocket webSocket, final int length)
    {
        final byte[] bytes = new byte[length];
        outBuffer.getBytes(0, bytes);
        lastSend = lastSend.exceptionally(error -> null)
            .thenCompose(previous -> webSocket.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
    {
        lastCloseCode = statusCode;
        onDropped(webSocket);
        return null;
    }

    public void onError(final WebSocket webSocket, final Throwable error)
    {
        lastCloseCode = -1;
        onDropped(webSocket);
    }

    /**
     * Matchmakes again unless stopped: after a drain's notice it waits the delay it names first.
     */
    private void onDropped(final WebSocket webSocket)
    {
        if (socket != webSocket)
        {
            return;
        }
        socket = null;
        disconnectedAtNs = System.nanoTime();
        if (stopped)
        {
            return;
        }
        final Notice notice = lastNotice;
        final long delayMs = notice != null && notice.code() == Notice.CODE_SERVER_DRAINING ? notice.detail() : 0;
        lastNotice = null;
        CompletableFuture.runAsync(this::connectUntilOpen,
            CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
    }

    private static void sleepMs(final long delayMs)
    {
        try
        {
            Thread.sleep(delayMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
