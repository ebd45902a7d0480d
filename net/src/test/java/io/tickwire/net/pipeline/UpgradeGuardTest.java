package io.tickwire.net.pipeline;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tickwire.api.Identity;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;
import io.tickwire.net.Session;
import io.tickwire.net.TokenPolicy;
import io.tickwire.net.TokenVerifier;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade guard in an {@link EmbeddedChannel}: a token from the subprotocol list or the query string, every
 * refusal with its status, counter and a closed connection, the origin allow-list, and the token gone from the
 * request that passes.
 */
class UpgradeGuardTest
{
    private static final String SECRET = "0123456789abcdef0123456789abcdef-guard-secret";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final String ALLOWED_ORIGIN = "https://game.example.com";

    private final NetCounters counters = new NetCounters();
    private final TokenVerifier verifier = new TokenVerifier(
        new TokenPolicy(SECRET, "tickwire", "auth.example", 0), Clock.fixed(NOW, ZoneOffset.UTC));
    private final EmbeddedChannel channel =
        new EmbeddedChannel(new UpgradeGuard("/ws", counters, verifier, List.of(ALLOWED_ORIGIN)));

    @Test
    void aTokenInTheSubprotocolListPassesWithoutItsEntryAndSetsTheIdentity()
    {
        final String token = sign(valid().withClaim("name", "Ada"));
        final FullHttpRequest request = upgrade("/ws", WireFormat.SUBPROTOCOL + ", tickwire.token." + token);
        channel.writeInbound(request);

        final FullHttpRequest passed = channel.readInbound();
        assertSame(request, passed);
        assertEquals(WireFormat.SUBPROTOCOL, passed.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        assertEquals("/ws", passed.uri());
        assertEquals(new Identity("user-1", "Ada", Map.of()), channel.attr(Session.IDENTITY).get());
        passed.release();
        assertTrue(channel.isActive());
        assertEquals(0, counters.handshakesRefused.get());
    }

    @Test
    void aTokenInTheQueryStringPassesAndTheUriLosesItsQuery()
    {
        final String token = sign(valid());
        final FullHttpRequest request = upgrade("/ws?room=a&token=" + token, WireFormat.SUBPROTOCOL);
        channel.writeInbound(request);

        final FullHttpRequest passed = channel.readInbound();
        assertEquals("/ws", passed.uri(), "Netty's exact path match accepts it, and the token goes no further");
        assertEquals("user-1", channel.attr(Session.IDENTITY).get().subject());
        passed.release();
    }

    @Test
    void eachBadTokenIsRefusedWithItsStatusAndCounter()
    {
        assertRefused(upgrade("/ws", WireFormat.SUBPROTOCOL), Refusal.TOKEN_MISSING, 401);
        assertRefused(upgrade("/ws?token=nonsense", WireFormat.SUBPROTOCOL), Refusal.TOKEN_MALFORMED, 401);
        assertRefused(withToken(valid().sign(Algorithm.HMAC256("another-secret-of-at-least-32-bytes!!"))),
            Refusal.TOKEN_FORGED, 401);
        assertRefused(withToken(sign(valid().withExpiresAt(NOW.minusSeconds(1)))), Refusal.TOKEN_EXPIRED, 401);
        assertRefused(withToken(sign(valid().withNotBefore(NOW.plusSeconds(60)))), Refusal.TOKEN_NOT_YET_VALID, 401);
        assertRefused(withToken(sign(valid().withIssuer("evil.example"))), Refusal.TOKEN_WRONG_ISSUER, 401);
        assertRefused(withToken(sign(valid().withAudience("other-game"))), Refusal.TOKEN_WRONG_AUDIENCE, 403);
        assertEquals(7, counters.handshakesRefused.get());
    }

    @Test
    void anOriginOutsideTheListIsRefusedWith403AndNoOriginPasses()
    {
        final FullHttpRequest foreign = withToken(sign(valid()));
        foreign.headers().set(HttpHeaderNames.ORIGIN, "https://evil.example");
        assertRefused(foreign, Refusal.ORIGIN_NOT_ALLOWED, 403);

        final EmbeddedChannel allowed = new EmbeddedChannel(
            new UpgradeGuard("/ws", counters, verifier, List.of(ALLOWED_ORIGIN)));
        final FullHttpRequest fromGame = withToken(sign(valid()));
        fromGame.headers().set(HttpHeaderNames.ORIGIN, ALLOWED_ORIGIN);
        allowed.writeInbound(fromGame);
        ((FullHttpRequest)allowed.readInbound()).release();

        final EmbeddedChannel noOrigin = new EmbeddedChannel(
            new UpgradeGuard("/ws", counters, verifier, List.of(ALLOWED_ORIGIN)));
        noOrigin.writeInbound(withToken(sign(valid())));
        ((FullHttpRequest)noOrigin.readInbound()).release();
        assertEquals(1, counters.refusals(Refusal.ORIGIN_NOT_ALLOWED));
    }

    @Test
    void theServersOwnOriginPassesWhateverTheList()
    {
        final EmbeddedChannel own = new EmbeddedChannel(
            new UpgradeGuard("/ws", counters, verifier, List.of(ALLOWED_ORIGIN)));
        final FullHttpRequest fromOwnPage = withToken(sign(valid()));
        fromOwnPage.headers().set(HttpHeaderNames.ORIGIN, "http://127.0.0.1:7777");
        fromOwnPage.headers().set(HttpHeaderNames.HOST, "127.0.0.1:7777");
        own.writeInbound(fromOwnPage);
        ((FullHttpRequest)own.readInbound()).release();

        final FullHttpRequest otherPort = withToken(sign(valid()));
        otherPort.headers().set(HttpHeaderNames.ORIGIN, "http://127.0.0.1:8080");
        otherPort.headers().set(HttpHeaderNames.HOST, "127.0.0.1:7777");
        assertRefused(otherPort, Refusal.ORIGIN_NOT_ALLOWED, 403);
    }

    @Test
    void sameOriginComparesHostAndPortWithTheSchemesDefault()
    {
        assertTrue(UpgradeGuard.isSameOrigin("http://localhost:7777", "localhost:7777"));
        assertTrue(UpgradeGuard.isSameOrigin("https://Game.Example.com", "game.example.com"));
        assertTrue(UpgradeGuard.isSameOrigin("https://game.example.com", "game.example.com:443"));
        assertTrue(UpgradeGuard.isSameOrigin("http://[::1]:7777", "[::1]:7777"));
        assertTrue(UpgradeGuard.isSameOrigin("http://[::1]", "[::1]:80"));
        assertFalse(UpgradeGuard.isSameOrigin("http://game.example.com", "game.example.com:443"));
        assertFalse(UpgradeGuard.isSameOrigin("https://evil.example", "game.example.com"));
        assertFalse(UpgradeGuard.isSameOrigin("https://game.example.com.evil.example", "game.example.com"));
        assertFalse(UpgradeGuard.isSameOrigin("null", "game.example.com"));
        assertFalse(UpgradeGuard.isSameOrigin("file://game.example.com", "game.example.com"));
        assertFalse(UpgradeGuard.isSameOrigin("https://game.example.com", null));
        assertFalse(UpgradeGuard.isSameOrigin("https://user@game.example.com", "game.example.com"));
    }

    @Test
    void withoutTheSubprotocolAValidTokenIsStillRefused()
    {
        assertRefused(upgrade("/ws?token=" + sign(valid()), "chat"), Refusal.NO_SUBPROTOCOL, 400);
    }

    @Test
    void otherPathsPassUntouched()
    {
        final FullHttpRequest request = upgrade("/wsx?token=abc", null);
        channel.writeInbound(request);
        final FullHttpRequest passed = channel.readInbound();
        assertEquals("/wsx?token=abc", passed.uri());
        passed.release();
        assertNull(channel.attr(Session.IDENTITY).get());
    }

    private void assertRefused(final FullHttpRequest request, final Refusal reason, final int status)
    {
        final EmbeddedChannel refused = new EmbeddedChannel(
            new UpgradeGuard("/ws", counters, verifier, List.of(ALLOWED_ORIGIN)));
        final long before = counters.refusals(reason);
        refused.writeInbound(request);
        final FullHttpResponse response = refused.readOutbound();
        assertEquals(status, response.status().code(), reason.name());
        assertEquals(status, reason.httpStatus());
        assertEquals(HttpHeaderValues.CLOSE.toString(), response.headers().get(HttpHeaderNames.CONNECTION));
        response.release();
        assertEquals(0, request.refCnt(), "the refused request is released");
        assertFalse(refused.isActive(), "the connection is closed");
        assertNull(refused.readInbound(), "nothing reaches the handshake");
        assertNull(refused.attr(Session.IDENTITY).get());
        assertEquals(before + 1, counters.refusals(reason), reason.name());
    }

    private static FullHttpRequest withToken(final String token)
    {
        return upgrade("/ws", WireFormat.SUBPROTOCOL + ",tickwire.token." + token);
    }

    private static FullHttpRequest upgrade(final String uri, final String protocols)
    {
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (protocols != null)
        {
            request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, protocols);
        }
        return request;
    }

    private static JWTCreator.Builder valid()
    {
        return JWT.create().withSubject("user-1").withAudience("tickwire").withIssuer("auth.example")
            .withExpiresAt(NOW.plusSeconds(300));
    }

    private static String sign(final JWTCreator.Builder builder)
    {
        return builder.sign(Algorithm.HMAC256(SECRET));
    }
}
