package io.tickwire.net;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.tickwire.api.Identity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every way a token is accepted or refused, against a fixed clock.
 */
class TokenVerifierTest
{
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final long LEEWAY_SECONDS = 30;

    private final TokenVerifier verifier = new TokenVerifier(
        new TokenPolicy(SECRET, "tickwire", "auth.example", LEEWAY_SECONDS), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidTokenGivesItsIdentityWithItsOwnStringClaims()
    {
        final String token = valid().withClaim("name", "Ada").withClaim("team", "red").withClaim("level", 7)
            .withJWTId("j-1").sign(Algorithm.HMAC256(SECRET));
        final TokenVerifier.Verdict verdict = verifier.verify(token);
        assertNull(verdict.refusal());
        assertEquals(new Identity("user-1", "Ada", Map.of("team", "red")), verdict.identity());
    }

    @Test
    void withoutANameClaimTheSubjectIsTheName()
    {
        assertEquals(new Identity("user-1", "user-1", Map.of()), verifier.verify(sign(valid())).identity());
    }

    @Test
    void missingOrEmptyIsMissing()
    {
        assertEquals(Refusal.TOKEN_MISSING, verifier.verify(null).refusal());
        assertEquals(Refusal.TOKEN_MISSING, verifier.verify("").refusal());
    }

    @Test
    void garbageOrAnOversizedTokenIsMalformed()
    {
        assertEquals(Refusal.TOKEN_MALFORMED, verifier.verify("not-a-jwt").refusal());
        assertEquals(Refusal.TOKEN_MALFORMED, verifier.verify("a.b.c").refusal());
        assertEquals(Refusal.TOKEN_MALFORMED,
            verifier.verify("x".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1)).refusal());
    }

    @Test
    void aTokenWithoutSubjectOrExpiryIsMalformed()
    {
        assertEquals(Refusal.TOKEN_MALFORMED, verifier.verify(sign(JWT.create().withAudience("tickwire")
            .withIssuer("auth.example").withExpiresAt(NOW.plusSeconds(60)))).refusal());
        assertEquals(Refusal.TOKEN_MALFORMED, verifier.verify(sign(JWT.create().withSubject("user-1")
            .withAudience("tickwire").withIssuer("auth.example"))).refusal());
    }

    @Test
    void anotherSecretAnotherAlgorithmOrNoneIsForged()
    {
        assertEquals(Refusal.TOKEN_FORGED, verifier.verify(
            valid().sign(Algorithm.HMAC256("another-secret-another-secret-another"))).refusal());
        assertEquals(Refusal.TOKEN_FORGED, verifier.verify(valid().sign(Algorithm.HMAC512(SECRET))).refusal());
        assertEquals(Refusal.TOKEN_FORGED, verifier.verify(valid().sign(Algorithm.none())).refusal());

        final String token = sign(valid());
        final String[] parts = token.split("\\.");
        final String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("user-1", "admin0").getBytes(StandardCharsets.UTF_8));
        assertEquals(Refusal.TOKEN_FORGED,
            verifier.verify(parts[0] + "." + tamperedPayload + "." + parts[2]).refusal());
    }

    @Test
    void expiryIsCheckedWithTheLeeway()
    {
        assertEquals(Refusal.TOKEN_EXPIRED,
            verifier.verify(sign(valid().withExpiresAt(NOW.minusSeconds(LEEWAY_SECONDS + 1)))).refusal());
        assertNull(verifier.verify(sign(valid().withExpiresAt(NOW.minusSeconds(LEEWAY_SECONDS - 1)))).refusal());
    }

    @Test
    void aTokenNotYetValidIsRefused()
    {
        assertEquals(Refusal.TOKEN_NOT_YET_VALID,
            verifier.verify(sign(valid().withNotBefore(NOW.plusSeconds(LEEWAY_SECONDS + 1)))).refusal());
        assertEquals(Refusal.TOKEN_NOT_YET_VALID,
            verifier.verify(sign(valid().withIssuedAt(NOW.plusSeconds(LEEWAY_SECONDS + 60)))).refusal());
        assertNull(verifier.verify(sign(valid().withNotBefore(NOW.plusSeconds(LEEWAY_SECONDS - 1)))).refusal());
    }

    @Test
    void anotherAudienceOrIssuerIsRefused()
    {
        assertEquals(Refusal.TOKEN_WRONG_AUDIENCE,
            verifier.verify(sign(valid().withAudience("other-game"))).refusal());
        assertEquals(Refusal.TOKEN_WRONG_ISSUER, verifier.verify(sign(valid().withIssuer("evil.example"))).refusal());
    }

    @Test
    void aShortSecretIsRefusedAtStartAndThePolicyNeverPrintsIt()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenPolicy("short", null, null, 0));
        assertEquals(-1, new TokenPolicy(SECRET, null, null, 0).toString().indexOf(SECRET));
    }

    private static JWTCreator.Builder valid()
    {
        return JWT.create().withSubject("user-1").withAudience("tickwire").withIssuer("auth.example")
            .withIssuedAt(NOW.minusSeconds(5)).withExpiresAt(NOW.plusSeconds(300));
    }

    private static String sign(final JWTCreator.Builder builder)
    {
        return builder.sign(Algorithm.HMAC256(SECRET));
    }
}
