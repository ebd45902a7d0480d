package io.tickwire.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import io.tickwire.api.Identity;
import io.tickwire.cluster.ReservationTokens.Refusal;
import io.tickwire.cluster.ReservationTokens.Verdict;

final class ReservationTokensTest
{
    private static final String NODE = "10.0.0.7:7777-3f9a1c2e";
    private static final Instant NOW = Instant.parse("2026-11-29T21:00:00Z");

    private final ReservationTokens tokens = at(NOW);

    @Test
    void carriesEveryClaimAndVerifiesForItsNode()
    {
        final Reservation sent = reservation(NOW, 10_000, false,
            new Identity("sub-1", "ann", Map.of("team", "red", "tier", "gold")));
        final String token = tokens.issue(sent);
        final Verdict verdict = tokens.verify(token);
        assertNull(verdict.refusal());
        assertEquals(sent, verdict.reservation());
        assertEquals("tickwire-mm", JWT.decode(token).getIssuer());
        assertEquals("rid-1", JWT.decode(token).getId());
    }

    @Test
    void refusesForgedOtherAlgorithmsWrongNodeAndExpired()
    {
        final String token = tokens.issue(reservation(NOW, 10_000, false, anon()));
        final String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        assertEquals(Refusal.RESERVATION_FORGED, tokens.verify(forged).refusal());
        final String otherKey = new ReservationTokens("another-secret-of-at-least-32-bytes!!".getBytes(
            StandardCharsets.UTF_8), NODE, Clock.fixed(NOW, ZoneOffset.UTC)).issue(reservation(NOW, 10_000, false,
            anon()));
        assertEquals(Refusal.RESERVATION_FORGED, tokens.verify(otherKey).refusal());
        final String unsigned = JWT.create().withIssuer("tickwire-mm").withAudience(NODE).withSubject("s")
            .sign(Algorithm.none());
        assertEquals(Refusal.RESERVATION_FORGED, tokens.verify(unsigned).refusal());
        assertEquals(Refusal.RESERVATION_FORGED, tokens.verify(null).refusal());
        assertEquals(Refusal.RESERVATION_FORGED, tokens.verify("x".repeat(5000)).refusal());

        final ReservationTokens otherNode = new ReservationTokens(RedisFixture.SECRET, "10.0.0.8:7777-00000000",
            Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Refusal.WRONG_NODE, otherNode.verify(token).refusal());

        assertNull(at(NOW.plusSeconds(39)).verify(token).refusal(), "within the 30 s leeway (Redis checks the expiry)");
        assertEquals(Refusal.RESERVATION_EXPIRED, at(NOW.plusSeconds(41)).verify(token).refusal());
        assertNull(at(NOW.minusSeconds(20)).verify(token).refusal(), "issued in Redis time, ahead of this node's clock");
    }

    @Test
    void aRejoinProofIgnoresExpiryForAnHourAndAnyAudience()
    {
        final Identity player = anon();
        final String token = tokens.issue(reservation(NOW, 10_000, false, player));
        final Verdict later = at(NOW.plus(Duration.ofMinutes(59))).verifyRejoinProof(token);
        assertNull(later.refusal());
        assertEquals(player, later.reservation().identity());
        assertEquals(Refusal.RESERVATION_FORGED, at(NOW.plus(Duration.ofMinutes(61))).verifyRejoinProof(token)
            .refusal(), "older than an hour");
        final String longLived = tokens.issue(reservation(NOW, Duration.ofMinutes(30).toMillis(), false, player));
        assertEquals(Refusal.RESERVATION_FORGED, at(NOW.plus(Duration.ofMinutes(61))).verifyRejoinProof(longLived)
            .refusal(), "issued more than an hour ago, whatever its expiry");
        final String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        assertEquals(Refusal.RESERVATION_FORGED, tokens.verifyRejoinProof(forged).refusal());
        final ReservationTokens otherNode = new ReservationTokens(RedisFixture.SECRET, "10.0.0.8:7777-00000000",
            Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC));
        assertNull(otherNode.verifyRejoinProof(token).refusal(), "a proof is checked on any node");
        assertNotNull(otherNode.verify(token).refusal(), "but never admits at a handshake");
    }

    @Test
    void rejoinFlagAndAtMostEightClaimsTravel()
    {
        final Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 12; i++)
        {
            many.put("k" + i, "v" + i);
        }
        final Verdict verdict = tokens.verify(tokens.issue(reservation(NOW, 10_000, true,
            new Identity("s", "n", many))));
        assertTrue(verdict.reservation().rejoin());
        assertEquals(ReservationTokens.MAX_CLAIMS, verdict.reservation().identity().claims().size());
        assertFalse(tokens.verify(tokens.issue(reservation(NOW, 10_000, false, anon()))).reservation().rejoin());
    }

    private static Identity anon()
    {
        return new Identity("anon:Qm9vb29vb29vb29vb29vbw", "anon:Qm9vb29vb29vb29vb29vbw", Map.of());
    }

    private static Reservation reservation(
        final Instant issued, final long ttlMs, final boolean rejoin, final Identity identity)
    {
        return new Reservation("rid-1", "arena-3f9a1c-12", "arena", identity, rejoin, NODE, issued.toEpochMilli(),
            issued.toEpochMilli() + ttlMs);
    }

    private static ReservationTokens at(final Instant now)
    {
        return new ReservationTokens(RedisFixture.SECRET, NODE, Clock.fixed(now, ZoneOffset.UTC));
    }
}
