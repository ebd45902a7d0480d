package io.tickwire.net.pipeline;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.cluster.MatchRequest;
import io.tickwire.cluster.MatchResult;
import io.tickwire.net.NetCounters;
import io.tickwire.net.TokenPolicy;
import io.tickwire.net.TokenVerifier;
import io.tickwire.sim.GameCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /matchmake} in an {@link EmbeddedChannel} with a fake matchmaker: the request that reaches the
 * matchmaker, the answer written only once the matchmaker's stage completes (on the channel's event loop), every
 * refusal with its status and JSON error, CORS, bearer tokens, Redis silent past the timeout, and every request and
 * response buffer released.
 */
class MatchmakeHandlerTest
{
    private static final String SECRET = "0123456789abcdef0123456789abcdef-matchmake-secret";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final String ORIGIN = "https://game.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GameType ARENA = GameType.builder("arena")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .inputSchema(new InputSchema(List.of(FieldDef.uint("buttons", 255))))
        .joinOption(JoinOption.integer("level", 1, 3, 1))
        .factory(room ->
        {
            throw new UnsupportedOperationException("no rooms here");
        })
        .build();
    private static final MatchResult RESERVED = new MatchResult("ws://10.0.0.7:7777/ws", "arena-1", "jwt.of.seat",
        10_000, "anon:abc", "10.0.0.7:7777-3f9a1c2e", null, 200, 0);

    private final NetCounters counters = new NetCounters();
    private final List<MatchRequest> requests = new ArrayList<>();
    private final List<ByteBuf> requestBodies = new ArrayList<>();
    private CompletableFuture<MatchResult> pending = new CompletableFuture<>();
    private final EmbeddedChannel channel = channel(null, 1_000);

    @AfterEach
    void buffersAreReleased()
    {
        channel.finishAndReleaseAll();
        for (final ByteBuf body : requestBodies)
        {
            assertEquals(0, body.refCnt(), "request body released");
        }
    }

    @Test
    void aValidRequestIsAnsweredOnlyOnceTheMatchmakerAnswers() throws Exception
    {
        channel.writeInbound(post("{\"type\":\"arena\",\"room\":\"arena-1\",\"options\":{\"level\":2}," +
            "\"name\":\"ann\",\"rejoin\":\"previous.jwt\"}"));
        assertNull(channel.readOutbound(), "nothing written while Redis works");
        assertEquals(1, requests.size());
        final MatchRequest request = requests.get(0);
        assertEquals("arena", request.type());
        assertEquals("arena-1", request.room());
        assertEquals(Map.of("level", "2"), request.options());
        assertEquals("ann", request.name());
        assertEquals("previous.jwt", request.rejoin());
        assertNull(request.identity());

        pending.complete(RESERVED);
        channel.runPendingTasks();
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(200, response.status().code());
        final JsonNode body = body(response);
        assertEquals("ws://10.0.0.7:7777/ws", body.get("url").asText());
        assertEquals("arena-1", body.get("room").asText());
        assertEquals("jwt.of.seat", body.get("reservation").asText());
        assertEquals(10_000, body.get("expiresInMs").asLong());
        assertEquals("anon:abc", body.get("subject").asText());
        assertEquals("10.0.0.7:7777-3f9a1c2e", body.get("node").asText());
        assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION),
            "never kept alive: a reused connection closed at the handshake deadline would lose the POST");
        channel.runPendingTasks();
        assertFalse(channel.isActive(), "closed once answered");
        assertEquals(1, counters.matchmakes.get());
    }

    @Test
    void noRoomMeansAny()
    {
        channel.writeInbound(post("{\"type\":\"arena\"}"));
        assertEquals(MatchRequest.ANY, requests.get(0).room());
    }

    @Test
    void theMatchmakersRefusalIsAnsweredWithItsStatusAndRetryHint() throws Exception
    {
        channel.writeInbound(post("{\"type\":\"arena\",\"room\":\"new\"}"));
        pending.complete(new MatchResult(null, null, null, 0, null, null, "RESTORING", 503, 250));
        channel.runPendingTasks();
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(503, response.status().code());
        assertEquals("1", response.headers().get(HttpHeaderNames.RETRY_AFTER));
        final JsonNode body = body(response);
        assertEquals("RESTORING", body.get("error").asText());
        assertEquals(250, body.get("retryAfterMs").asLong());
        assertEquals(1, counters.matchmakesRefused.get());
    }

    @Test
    void redisSilentPastTheTimeoutIs503Unavailable() throws Exception
    {
        final EmbeddedChannel quick = channel(null, 50);
        quick.writeInbound(post("{\"type\":\"arena\"}"));
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        FullHttpResponse response = null;
        while (response == null && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
            quick.runPendingTasks();
            response = quick.readOutbound();
        }
        assertEquals(503, response.status().code());
        assertEquals("UNAVAILABLE", body(response).get("error").asText());
        assertFalse(quick.isActive(), "closed after the refusal");
        pending.complete(RESERVED);
        quick.runPendingTasks();
        assertNull(quick.readOutbound(), "a late answer writes nothing");
    }

    @Test
    void aClosedConnectionGetsNoLateAnswer()
    {
        channel.writeInbound(post("{\"type\":\"arena\"}"));
        channel.close();
        pending.complete(RESERVED);
        channel.runPendingTasks();
        assertNull(channel.readOutbound());
    }

    @Test
    void badBodiesAre400WithTheirCodeAndNeverReachTheMatchmaker() throws Exception
    {
        assertRefused(post("not json"), 400, "BAD_BODY");
        assertRefused(post("[1,2]"), 400, "BAD_BODY");
        assertRefused(post("{\"room\":\"any\"}"), 400, "BAD_BODY");
        assertRefused(post("{\"type\":7}"), 400, "BAD_BODY");
        assertRefused(post("{\"type\":\"arena\",\"extra\":1}"), 400, "BAD_BODY");
        assertRefused(post("{\"type\":\"arena\",\"room\":\"" + "r".repeat(33) + "\"}"), 400, "BAD_BODY");
        assertRefused(post("{\"type\":\"arena\",\"name\":\"\"}"), 400, "BAD_BODY");
        assertRefused(post("{\"type\":\"chess\"}"), 400, "UNKNOWN_TYPE");
        assertRefused(post("{\"type\":\"arena\",\"options\":{\"level\":9}}"), 400, "BAD_OPTIONS");
        assertRefused(post("{\"type\":\"arena\",\"options\":{\"colour\":\"red\"}}"), 400, "BAD_OPTIONS");
        assertRefused(post("{\"type\":\"arena\",\"options\":{\"level\":[1]}}"), 400, "BAD_OPTIONS");
        assertEquals(0, requests.size());
    }

    @Test
    void aBodyOver2KiBIs413AndAnotherMediaType415AndAnotherMethod405()
    {
        assertRefused(post("{\"type\":\"arena\",\"name\":\"" + "n".repeat(MatchmakeHandler.MAX_BODY_BYTES) + "\"}"),
            413, "BODY_TOO_LARGE");
        final FullHttpRequest text = post("{\"type\":\"arena\"}");
        text.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        assertRefused(text, 415, "UNSUPPORTED_MEDIA_TYPE");
        final FullHttpRequest noType = post("{\"type\":\"arena\"}");
        noType.headers().remove(HttpHeaderNames.CONTENT_TYPE);
        assertRefused(noType, 415, "UNSUPPORTED_MEDIA_TYPE");

        final FullHttpResponse response = exchange(channel(null, 1_000), request(HttpMethod.GET, ""));
        assertEquals(405, response.status().code());
        assertEquals("POST, OPTIONS", response.headers().get(HttpHeaderNames.ALLOW));
        response.release();
        assertEquals(0, requests.size());
    }

    @Test
    void jsonWithACharsetPasses()
    {
        final FullHttpRequest request = post("{\"type\":\"arena\"}");
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        channel.writeInbound(request);
        assertEquals(1, requests.size());
    }

    @Test
    void corsPreflightOfAnAllowedOriginIs204AndAnotherOriginIs403()
    {
        final EmbeddedChannel cors = channel(null, 1_000, List.of(ORIGIN));
        final FullHttpRequest preflight = request(HttpMethod.OPTIONS, "");
        preflight.headers().set(HttpHeaderNames.ORIGIN, ORIGIN);
        cors.writeInbound(preflight);
        final FullHttpResponse allowed = cors.readOutbound();
        assertEquals(204, allowed.status().code());
        assertTrue(cors.isActive(), "a preflight keeps the connection");
        assertEquals(ORIGIN, allowed.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertTrue(allowed.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS).contains("POST"));
        assertTrue(allowed.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS).contains("Authorization"));
        allowed.release();

        final FullHttpRequest foreign = post("{\"type\":\"arena\"}");
        foreign.headers().set(HttpHeaderNames.ORIGIN, "https://evil.example");
        final FullHttpResponse refused = exchange(channel(null, 1_000, List.of(ORIGIN)), foreign);
        assertEquals(403, refused.status().code());
        refused.release();
        assertEquals(0, requests.size());

        final FullHttpRequest fromGame = post("{\"type\":\"arena\"}");
        fromGame.headers().set(HttpHeaderNames.ORIGIN, ORIGIN);
        cors.writeInbound(fromGame);
        pending.complete(RESERVED);
        cors.runPendingTasks();
        final FullHttpResponse answered = cors.readOutbound();
        assertEquals(ORIGIN, answered.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        answered.release();
        cors.finishAndReleaseAll();
    }

    @Test
    void anAddressOverItsMatchmakeBudgetIs429AndNeverReachesTheMatchmaker() throws Exception
    {
        final MatchmakeHandler handler = new MatchmakeHandler(counters, request ->
        {
            requests.add(request);
            return pending;
        }, new GameCatalog(List.of(ARENA)), null, List.of(), 1_000, 1, 16);
        final int burst = MatchmakeBudget.BURST_SECONDS;
        for (int i = 0; i <= burst; i++)
        {
            final EmbeddedChannel fromOneAddress = new EmbeddedChannel(handler)
            {
                protected SocketAddress remoteAddress0()
                {
                    return new InetSocketAddress("10.0.0.9", 40_000);
                }
            };
            fromOneAddress.writeInbound(post("{\"type\":\"arena\"}"));
            if (i < burst)
            {
                assertNull(fromOneAddress.readOutbound(), "within the budget: waits for the matchmaker");
            }
            else
            {
                final FullHttpResponse response = fromOneAddress.readOutbound();
                assertEquals(429, response.status().code());
                final JsonNode body = body(response);
                assertEquals("TOO_MANY_MATCHMAKES", body.get("error").asText());
                assertEquals(1_000, body.get("retryAfterMs").asLong());
                assertFalse(fromOneAddress.isActive(), "closed after the refusal");
            }
            fromOneAddress.finishAndReleaseAll();
        }
        assertEquals(burst, requests.size());
        assertEquals(1, counters.matchmakesThrottled.get());
    }

    @Test
    void withTokensABearerIsRequiredAndItsIdentityTravels()
    {
        final TokenVerifier verifier =
            new TokenVerifier(new TokenPolicy(SECRET, null, null, 0), Clock.fixed(NOW, ZoneOffset.UTC));
        final EmbeddedChannel secured = channel(verifier, 1_000);
        final FullHttpResponse missing = exchange(secured, post("{\"type\":\"arena\"}"));
        assertEquals(401, missing.status().code());
        assertEquals("TOKEN_MISSING", body(missing).get("error").asText());

        final EmbeddedChannel forged = channel(verifier, 1_000);
        final FullHttpRequest badRequest = post("{\"type\":\"arena\"}");
        badRequest.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + JWT.create().withSubject("u")
            .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC256("another-secret-of-at-least-32-bytes!!")));
        final FullHttpResponse refused = exchange(forged, badRequest);
        assertEquals(401, refused.status().code());
        assertEquals("TOKEN_FORGED", body(refused).get("error").asText());
        assertEquals(0, requests.size());

        final EmbeddedChannel good = channel(verifier, 1_000);
        final FullHttpRequest signed = post("{\"type\":\"arena\"}");
        signed.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + JWT.create().withSubject("user-1")
            .withClaim("name", "Ada").withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC256(SECRET)));
        good.writeInbound(signed);
        assertEquals("user-1", requests.get(0).identity().subject());
        assertEquals("Ada", requests.get(0).identity().name());
        good.finishAndReleaseAll();
    }

    private void assertRefused(final FullHttpRequest request, final int status, final String code)
    {
        final FullHttpResponse response = exchange(channel(null, 1_000), request);
        assertEquals(status, response.status().code());
        assertEquals(code, body(response).get("error").asText());
    }

    /**
     * Sends a request that is answered at once, and returns the answer after checking the connection was closed.
     */
    private static FullHttpResponse exchange(final EmbeddedChannel embedded, final FullHttpRequest request)
    {
        embedded.writeInbound(request);
        final FullHttpResponse response = embedded.readOutbound();
        assertFalse(embedded.isActive(), "closed after the refusal");
        assertNull(embedded.readOutbound());
        return response;
    }

    private EmbeddedChannel channel(final TokenVerifier tokens, final long timeoutMs)
    {
        return channel(tokens, timeoutMs, List.of());
    }

    private EmbeddedChannel channel(final TokenVerifier tokens, final long timeoutMs, final List<String> origins)
    {
        return new EmbeddedChannel(new MatchmakeHandler(counters, request ->
        {
            requests.add(request);
            return pending;
        }, new GameCatalog(List.of(ARENA)), tokens, origins, timeoutMs, 0, 16));
    }

    private FullHttpRequest post(final String json)
    {
        final FullHttpRequest request = request(HttpMethod.POST, json);
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return request;
    }

    private FullHttpRequest request(final HttpMethod method, final String body)
    {
        final ByteBuf content = Unpooled.directBuffer().writeBytes(body.getBytes(CharsetUtil.UTF_8));
        requestBodies.add(content);
        final FullHttpRequest request =
            new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, MatchmakeHandler.MATCHMAKE_PATH, content);
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1:7777");
        return request;
    }

    private static JsonNode body(final FullHttpResponse response)
    {
        try
        {
            return JSON.readTree(response.content().toString(CharsetUtil.UTF_8));
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
        finally
        {
            response.release();
        }
    }
}
