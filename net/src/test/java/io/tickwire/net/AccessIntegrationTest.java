package io.tickwire.net;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.tickwire.codec.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who gets in, live, on an ephemeral loopback port: HTTP request limits, the WebSocket path with a query string,
 * tokens through the JDK's WebSocket client (with the logs checked for the token), connection caps and the
 * handshake deadline.
 */
class AccessIntegrationTest
{
    private static final String SECRET = "0123456789abcdef0123456789abcdef-live-secret";
    private static final long TIMEOUT_S = 30;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = TIMEOUT_S, unit = TimeUnit.SECONDS)
    void oversizedRequestsAreRefusedAndClosed() throws Exception
    {
        try (LiveServer live = LiveServer.start(1))
        {
            final int port = live.server().port();
            final RawHttp.Answer headers = RawHttp.exchange(port, RawHttp.ascii(
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100 * 1024) + "\r\n\r\n"));
            assertTrue(headers.response().startsWith("HTTP/1.1 431 "), headers.response());
            assertTrue(headers.closed());

            final RawHttp.Answer line = RawHttp.exchange(port, RawHttp.ascii(
                "GET /health?" + "q".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertTrue(line.response().startsWith("HTTP/1.1 414 "), line.response());
            assertTrue(line.closed());

            final RawHttp.Answer body = RawHttp.exchange(port, RawHttp.ascii(
                "POST /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 100000\r\n\r\n"));
            assertTrue(body.response().startsWith("HTTP/1.1 413 "), body.response());
            assertTrue(body.closed(), "the 413 closes the connection instead of waiting for the idle timeout");

            final RawHttp.Answer garbage = RawHttp.exchange(port, RawHttp.ascii("\u0001\u0002 nonsense\r\n\r\n"));
            assertTrue(garbage.response().startsWith("HTTP/1.1 400 "), garbage.response());

            final NetCounters counters = live.server().netCounters();
            assertEquals(1, counters.refusals(Refusal.HTTP_HEADERS_TOO_LARGE));
            assertEquals(1, counters.refusals(Refusal.HTTP_LINE_TOO_LONG));
            assertEquals(1, counters.refusals(Refusal.HTTP_BODY_TOO_LARGE));
            assertEquals(1, counters.refusals(Refusal.HTTP_BAD_REQUEST));
        }
    }

    @Test
    @Timeout(value = TIMEOUT_S, unit = TimeUnit.SECONDS)
    void theWebSocketPathTakesAQueryStringAndOtherPathsStill404() throws Exception
    {
        try (LiveServer live = LiveServer.start(1))
        {
            final WebSocket socket = open(live, "/ws?token=ignored-without-a-secret", List.of()).join();
            assertEquals(WireFormat.SUBPROTOCOL, socket.getSubprotocol());
            socket.abort();
            assertEquals(404, live.get("/ws/other").statusCode());
            assertEquals(404, live.get("/wsx?token=abc").statusCode());
        }
    }

    @Test
    @Timeout(value = TIMEOUT_S, unit = TimeUnit.SECONDS)
    void tokensAreCheckedAtTheHandshakeAndNeverLogged() throws Exception
    {
        final Logger root = (Logger)LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final Logger tickwire = (Logger)LoggerFactory.getLogger("io.tickwire");
        final Logger netty = (Logger)LoggerFactory.getLogger("io.netty");
        final Level tickwireLevel = tickwire.getLevel();
        final Level nettyLevel = netty.getLevel();
        final ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        tickwire.setLevel(Level.DEBUG);
        netty.setLevel(Level.DEBUG);
        final String valid = token("tickwire", Instant.now().plusSeconds(60));
        final String expired = token("tickwire", Instant.now().minusSeconds(600));
        final String otherAudience = token("other-game", Instant.now().plusSeconds(60));
        try (LiveServer live = LiveServer.start(LiveServer.config(1).withAccess(AccessConfig.defaults()
            .withTokens(new TokenPolicy(SECRET, "tickwire", null, 5))), LiveServer.catalog()))
        {
            final NetCounters counters = live.server().netCounters();
            assertEquals(401, refusedStatus(open(live, "/ws", List.of())));
            assertEquals(401, refusedStatus(open(live, "/ws?token=" + expired, List.of())));
            assertEquals(403, refusedStatus(open(live, "/ws", List.of("tickwire.token." + otherAudience))));
            assertEquals(0, counters.handshakes.get(), "no refused client got a session");

            final WebSocket byProtocol = open(live, "/ws", List.of("tickwire.token." + valid)).join();
            assertEquals(WireFormat.SUBPROTOCOL, byProtocol.getSubprotocol(), "the server answers tickwire.v2 only");
            final WebSocket byQuery = open(live, "/ws?token=" + valid, List.of()).join();
            assertEquals(WireFormat.SUBPROTOCOL, byQuery.getSubprotocol());
            byProtocol.abort();
            byQuery.abort();

            assertEquals(1, counters.refusals(Refusal.TOKEN_MISSING));
            assertEquals(1, counters.refusals(Refusal.TOKEN_EXPIRED));
            assertEquals(1, counters.refusals(Refusal.TOKEN_WRONG_AUDIENCE));
            await().atMost(Duration.ofSeconds(5)).until(() -> counters.handshakes.get() == 2);
            assertTrue(counters.violations.logSummary().contains("TOKEN_EXPIRED=1"));
        }
        finally
        {
            root.detachAppender(logs);
            tickwire.setLevel(tickwireLevel);
            netty.setLevel(nettyLevel);
        }
        assertFalse(logs.list.isEmpty(), "DEBUG was on: the refusals were logged");
        for (final ILoggingEvent event : logs.list)
        {
            final String text = event.getFormattedMessage() +
                (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            for (final String secret : List.of(valid, expired, otherAudience, SECRET))
            {
                assertFalse(text.contains(secret), "a token or the secret in the log: " + text);
            }
        }
    }

    @Test
    @Timeout(value = TIMEOUT_S, unit = TimeUnit.SECONDS)
    void connectionsOverTheCapsAreRefusedAtAccept() throws Exception
    {
        try (LiveServer live = LiveServer.start(
            LiveServer.config(1).withAccess(AccessConfig.defaults().withConnectionCaps(100, 2)), LiveServer.catalog()))
        {
            try (Socket first = RawHttp.connect(live.server().port());
                 Socket second = RawHttp.connect(live.server().port()))
            {
                assertTrue(first.isConnected() && second.isConnected());
                await().atMost(Duration.ofSeconds(5))
                    .until(() -> live.server().netCounters().activeConnections() == 2);
                final RawHttp.Answer third = RawHttp.exchange(live.server().port(), new byte[0]);
                assertTrue(third.response().startsWith("HTTP/1.1 429 "), third.response());
                assertTrue(third.closed());
                assertEquals(1, live.server().netCounters().refusals(Refusal.TOO_MANY_FROM_ADDRESS));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> live.server().netCounters().activeConnections() == 0);
            assertEquals(200, live.get("/health").statusCode(), "closed connections free their place");
        }
        try (LiveServer live = LiveServer.start(
            LiveServer.config(1).withAccess(AccessConfig.defaults().withConnectionCaps(1, 10)), LiveServer.catalog()))
        {
            try (Socket first = RawHttp.connect(live.server().port()))
            {
                assertTrue(first.isConnected());
                await().atMost(Duration.ofSeconds(5))
                    .until(() -> live.server().netCounters().activeConnections() == 1);
                final RawHttp.Answer second = RawHttp.exchange(live.server().port(), new byte[0]);
                assertTrue(second.response().startsWith("HTTP/1.1 503 "), second.response());
                assertEquals(1, live.server().netCounters().refusals(Refusal.TOO_MANY_CONNECTIONS));
            }
        }
    }

    @Test
    @Timeout(value = TIMEOUT_S, unit = TimeUnit.SECONDS)
    void aConnectionThatDoesNotCompleteItsHandshakeInTimeIsClosed() throws Exception
    {
        try (LiveServer live = LiveServer.start(
            LiveServer.config(1).withAccess(AccessConfig.defaults().withHandshakeTimeoutMs(300)),
            LiveServer.catalog()))
        {
            final long startNs = System.nanoTime();
            final RawHttp.Answer slow = RawHttp.exchange(live.server().port(), RawHttp.ascii(
                "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(slow.closed(), "closed at the deadline, long before the idle timeout");
            assertEquals("", slow.response());
            assertTrue(elapsedMs >= 250 && elapsedMs < RawHttp.READ_TIMEOUT_MS, elapsedMs + " ms");
            assertEquals(1, live.server().netCounters().refusals(Refusal.HANDSHAKE_TIMEOUT));
        }
    }

    private java.util.concurrent.CompletableFuture<WebSocket> open(
        final LiveServer live, final String pathAndQuery, final List<String> moreProtocols)
    {
        final String[] more = moreProtocols.toArray(new String[0]);
        return http.newWebSocketBuilder()
            .subprotocols(WireFormat.SUBPROTOCOL, more)
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + live.server().port() + pathAndQuery),
                new WebSocket.Listener()
                {
                });
    }

    private static int refusedStatus(final java.util.concurrent.CompletableFuture<WebSocket> opening)
    {
        final CompletionException failed = assertThrows(CompletionException.class, opening::join);
        return assertInstanceOf(WebSocketHandshakeException.class, failed.getCause()).getResponse().statusCode();
    }

    private static String token(final String audience, final Instant expiresAt)
    {
        return JWT.create().withSubject("user-1").withAudience(audience).withExpiresAt(expiresAt)
            .sign(Algorithm.HMAC256(SECRET));
    }
}
