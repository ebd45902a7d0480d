package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tickwire.api.Identity;
import io.tickwire.cluster.ConsumeResult;
import io.tickwire.cluster.Reservation;
import io.tickwire.cluster.ReservationTokens;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;
import io.tickwire.net.ReservedSeat;
import io.tickwire.net.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clustered upgrade guard in an {@link EmbeddedChannel}, with real reservation tokens and a fake Redis: a
 * reservation is verified on the event loop, reading pauses while it is consumed, and the handshake goes on (with the
 * reservation's identity and seat, the reservation gone from the request) or is refused with its status once Redis
 * answers; a resume passes without Redis; every request buffer is released.
 */
class UpgradeGuardReservationTest
{
    private static final byte[] SECRET =
        "0123456789abcdef0123456789abcdef-cluster-secret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final String NODE = "127.0.0.1:7777-0a1b2c3d";
    private static final Identity ANN = new Identity("anon:ann", "ann", Map.of("team", "red"));

    private final NetCounters counters = new NetCounters();
    private final ReservationTokens tokens = new ReservationTokens(SECRET, NODE, Clock.fixed(NOW, ZoneOffset.UTC));
    private final List<Reservation> consumed = new ArrayList<>();
    private final List<ByteBuf> bodies = new ArrayList<>();
    private CompletableFuture<ConsumeResult> redis = new CompletableFuture<>();
    private final ReservationGate gate = new ReservationGate()
    {
        public ReservationTokens.Verdict verify(final String token)
        {
            return tokens.verify(token);
        }

        public ReservationTokens.Verdict verifyProof(final String token)
        {
            return tokens.verifyRejoinProof(token);
        }

        public CompletionStage<ConsumeResult> consume(final Reservation reservation)
        {
            consumed.add(reservation);
            return redis;
        }
    };
    private final UpgradeGuard guard = new UpgradeGuard("/ws", counters, null, List.of(), gate);
    private final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), guard);

    @AfterEach
    void releaseAll()
    {
        channel.finishAndReleaseAll();
        for (final ByteBuf body : bodies)
        {
            assertEquals(0, body.refCnt(), "request released");
        }
    }

    @Test
    void aReservationIsConsumedThenTheHandshakeGoesOnWithItsIdentityAndSeat()
    {
        final FullHttpRequest request = upgrade("/ws", WireFormat.SUBPROTOCOL + ", tickwire.rsv." + token(NODE, 10));
        channel.writeInbound(request);
        assertNull(channel.readInbound(), "held while Redis consumes");
        assertFalse(ReadDriver.isReading(channel), "reading paused");
        assertEquals(1, consumed.size());
        assertEquals("rid-1", consumed.get(0).rid());

        redis.complete(ConsumeResult.OK);
        channel.runPendingTasks();
        final FullHttpRequest passed = channel.readInbound();
        assertSame(request, passed);
        assertEquals(WireFormat.SUBPROTOCOL, passed.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        assertEquals("/ws", passed.uri());
        assertEquals(ANN, channel.attr(Session.IDENTITY).get());
        assertEquals(new ReservedSeat("rid-1", "arena", "arena-1", false), channel.attr(Session.RESERVED_SEAT).get());
        assertTrue(ReadDriver.isReading(channel));
        passed.release();
        assertEquals(0, counters.handshakesRefused.get());
    }

    @Test
    void aReservationInTheQueryStringAndARejoinPass()
    {
        channel.writeInbound(upgrade("/ws?rsv=" + token(NODE, 10), WireFormat.SUBPROTOCOL));
        redis.complete(ConsumeResult.REJOIN);
        channel.runPendingTasks();
        final FullHttpRequest passed = channel.readInbound();
        assertEquals("/ws", passed.uri());
        assertEquals("anon:ann", channel.attr(Session.IDENTITY).get().subject());
        passed.release();
    }

    @Test
    void whatTheTokenSaysIsRefusedBeforeRedisIsAsked()
    {
        assertRefused(upgrade("/ws", WireFormat.SUBPROTOCOL), Refusal.RESERVATION_MISSING, 401);
        assertRefused(upgrade("/ws?rsv=nonsense", WireFormat.SUBPROTOCOL), Refusal.RESERVATION_FORGED, 401);
        final ReservationTokens forger = new ReservationTokens(
            "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), NODE, Clock.systemUTC());
        assertRefused(upgrade("/ws?rsv=" + forger.issue(reservation(NODE, 10)), WireFormat.SUBPROTOCOL),
            Refusal.RESERVATION_FORGED, 401);
        assertRefused(upgrade("/ws?rsv=" + token(NODE, -60), WireFormat.SUBPROTOCOL), Refusal.RESERVATION_EXPIRED, 410);
        assertRefused(upgrade("/ws?rsv=" + token("10.0.0.9:7777-99999999", 10), WireFormat.SUBPROTOCOL),
            Refusal.WRONG_NODE, 421);
        assertEquals(0, consumed.size(), "Redis never asked");
        assertEquals(5, counters.handshakesRefused.get());
    }

    @Test
    void whatRedisSaysIsAnsweredWithItsStatus()
    {
        assertConsumeRefused(ConsumeResult.USED, Refusal.RESERVATION_USED, 410);
        assertConsumeRefused(ConsumeResult.EXPIRED, Refusal.RESERVATION_EXPIRED, 410);
        assertConsumeRefused(ConsumeResult.WRONG_NODE, Refusal.WRONG_NODE, 421);
        assertConsumeRefused(ConsumeResult.UNAVAILABLE, Refusal.CLUSTER_UNAVAILABLE, 503);
    }

    @Test
    void aConnectionThatClosedWhileRedisWorkedIsForgotten()
    {
        final FullHttpRequest request = upgrade("/ws", WireFormat.SUBPROTOCOL + ", tickwire.rsv." + token(NODE, 10));
        channel.writeInbound(request);
        channel.close();
        redis.complete(ConsumeResult.OK);
        channel.runPendingTasks();
        assertNull(channel.readInbound());
        assertEquals(0, request.refCnt());
    }

    @Test
    void aResumePassesWithoutRedisWithTheIdentityItsPreviousReservationProves()
    {
        final FullHttpRequest request = upgrade(
            "/ws", WireFormat.SUBPROTOCOL + ", tickwire.resume, tickwire.rsv." + token("10.0.0.9:7777-99999999", -60));
        channel.writeInbound(request);
        final FullHttpRequest passed = channel.readInbound();
        assertSame(request, passed);
        assertEquals(WireFormat.SUBPROTOCOL, passed.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        assertEquals(ANN, channel.attr(Session.IDENTITY).get());
        assertSame(ReservedSeat.RESUME_ONLY, channel.attr(Session.RESERVED_SEAT).get());
        assertEquals(0, consumed.size());
        passed.release();

        final EmbeddedChannel anonymous = new EmbeddedChannel(new ReadDriver(), guard);
        anonymous.writeInbound(upgrade("/ws", WireFormat.SUBPROTOCOL + ", tickwire.resume"));
        final FullHttpRequest alone = anonymous.readInbound();
        assertNull(anonymous.attr(Session.IDENTITY).get(), "no proof, no identity: the shard refuses a held seat");
        alone.release();
    }

    @Test
    void anythingReadWhileRedisWorksIsRefused()
    {
        channel.writeInbound(upgrade("/ws?rsv=" + token(NODE, 10), WireFormat.SUBPROTOCOL));
        channel.writeInbound(upgrade("/health", WireFormat.SUBPROTOCOL));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(400, response.status().code());
        response.release();
        redis.complete(ConsumeResult.OK);
        channel.runPendingTasks();
        assertNull(channel.readInbound(), "the connection closed meanwhile");
    }

    private void assertConsumeRefused(final ConsumeResult result, final Refusal refusal, final int status)
    {
        redis = new CompletableFuture<>();
        final EmbeddedChannel embedded = new EmbeddedChannel(new ReadDriver(), guard);
        final FullHttpRequest request = upgrade("/ws?rsv=" + token(NODE, 10), WireFormat.SUBPROTOCOL);
        embedded.writeInbound(request);
        assertNull(embedded.readOutbound());
        redis.complete(result);
        embedded.runPendingTasks();
        final FullHttpResponse response = embedded.readOutbound();
        assertEquals(status, response.status().code());
        response.release();
        assertNull(embedded.readInbound());
        assertFalse(embedded.isActive());
        assertEquals(0, request.refCnt());
        assertEquals(1, counters.refusals(refusal));
    }

    private void assertRefused(final FullHttpRequest request, final Refusal refusal, final int status)
    {
        final long before = counters.refusals(refusal);
        final EmbeddedChannel embedded = new EmbeddedChannel(new ReadDriver(), guard);
        embedded.writeInbound(request);
        final FullHttpResponse response = embedded.readOutbound();
        assertEquals(status, response.status().code());
        assertEquals(HttpHeaderValues.CLOSE.toString(), response.headers().get(HttpHeaderNames.CONNECTION));
        response.release();
        assertNull(embedded.readInbound());
        assertFalse(embedded.isActive());
        assertEquals(0, request.refCnt());
        assertEquals(before + 1, counters.refusals(refusal));
    }

    private String token(final String node, final long expiresInSeconds)
    {
        return tokens.issue(reservation(node, expiresInSeconds));
    }

    private static Reservation reservation(final String node, final long expiresInSeconds)
    {
        return new Reservation("rid-1", "arena-1", "arena", ANN, false, node, NOW.minusSeconds(120).toEpochMilli(),
            NOW.plusSeconds(expiresInSeconds).toEpochMilli());
    }

    private FullHttpRequest upgrade(final String uri, final String protocols)
    {
        final ByteBuf body = Unpooled.buffer(0);
        bodies.add(body);
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, body);
        request.headers()
            .set(HttpHeaderNames.HOST, "127.0.0.1:7777")
            .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
            .set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, protocols);
        return request;
    }
}
