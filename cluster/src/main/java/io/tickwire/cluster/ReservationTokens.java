package io.tickwire.cluster;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;

import io.tickwire.api.Identity;

/**
 * Signs and checks reservation tokens: HS256 JWTs by the cluster secret (design §3) with the claims
 * {@code iss "tickwire-mm"}, {@code aud <target node id>}, {@code sub}, {@code name}, {@code jti <rid>}, {@code room},
 * {@code type}, {@code rj} (rejoin), {@code iat}, {@code exp}, and the bearer token's other string claims under
 * {@code cl}. Thread safe (java-jwt's signer and verifiers are immutable); CPU only, so event loops may call it.
 */
public final class ReservationTokens
{
    /** The issuer of every reservation. */
    public static final String ISSUER = "tickwire-mm";
    /** Longest token looked at, in characters. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Bearer claims carried at most. */
    public static final int MAX_CLAIMS = 8;
    /**
     * Clock leeway of the handshake check, seconds. Reservation times are Redis's clock, and the expiry that counts is
     * checked by Redis when the seat is taken; a node's own check only filters, so it tolerates this much skew.
     */
    public static final long LEEWAY_SECONDS = 30;

    private static final String ROOM = "room";
    private static final String TYPE = "type";
    private static final String NAME = "name";
    private static final String REJOIN = "rj";
    private static final String CLAIMS = "cl";
    private static final long MAX_REJOIN_AGE_SECONDS = 3_600;

    private final Algorithm algorithm;
    private final Clock clock;
    private final JWTVerifier handshakeVerifier;
    private final JWTVerifier proofVerifier;

    /** Why a token is refused, with the HTTP status of the refused handshake. */
    public enum Refusal
    {
        /** Bad signature, other algorithm, or not a reservation at all. */
        RESERVATION_FORGED(401),
        /** Past its expiry (plus leeway). */
        RESERVATION_EXPIRED(410),
        /** Signed for another node. */
        WRONG_NODE(421);

        private final int httpStatus;

        Refusal(final int httpStatus)
        {
            this.httpStatus = httpStatus;
        }

        /** @return the HTTP status of the refused handshake */
        public int httpStatus()
        {
            return httpStatus;
        }
    }

    /**
     * The outcome of a check.
     *
     * @param reservation what the token states, or null when refused
     * @param refusal     why it is refused, or null when accepted
     */
    public record Verdict(Reservation reservation, Refusal refusal)
    {
    }

    /**
     * @param secret the cluster secret (HS256 key)
     * @param nodeId this node's id: the audience {@link #verify} requires
     * @param clock  the clock of issue and expiry times; the system UTC clock outside tests
     */
    public ReservationTokens(final byte[] secret, final String nodeId, final Clock clock)
    {
        this.algorithm = Algorithm.HMAC256(secret);
        this.clock = clock;
        this.handshakeVerifier = build(required().withAudience(nodeId).acceptLeeway(LEEWAY_SECONDS).ignoreIssuedAt());
        // Expiry is ignored up to an hour: a rejoin proves the subject with the previous, usually expired, token.
        this.proofVerifier = build(required().acceptExpiresAt(MAX_REJOIN_AGE_SECONDS).acceptLeeway(LEEWAY_SECONDS));
    }

    /**
     * Signs a reservation; its audience is {@link Reservation#node()}.
     *
     * @param reservation the reservation; at most {@link #MAX_CLAIMS} claims of its identity are carried
     * @return the compact JWT
     */
    public String issue(final Reservation reservation)
    {
        final Identity identity = reservation.identity();
        final Map<String, Object> claims = new HashMap<>();
        for (final Map.Entry<String, String> claim : identity.claims().entrySet())
        {
            if (claims.size() == MAX_CLAIMS)
            {
                break;
            }
            claims.put(claim.getKey(), claim.getValue());
        }
        return JWT.create()
            .withIssuer(ISSUER)
            .withAudience(reservation.node())
            .withSubject(identity.subject())
            .withClaim(NAME, identity.name())
            .withJWTId(reservation.rid())
            .withClaim(ROOM, reservation.room())
            .withClaim(TYPE, reservation.type())
            .withClaim(REJOIN, reservation.rejoin())
            .withClaim(CLAIMS, claims)
            .withIssuedAt(Instant.ofEpochMilli(reservation.issuedAtMs()))
            .withExpiresAt(Instant.ofEpochMilli(reservation.expiresAtMs()))
            .sign(algorithm);
    }

    /**
     * The handshake check: signature, issuer, audience = this node, expiry (leeway {@value #LEEWAY_SECONDS} s).
     *
     * @param token the token as presented, or null
     * @return the reservation, or the refusal; never throws
     */
    public Verdict verify(final String token)
    {
        return check(handshakeVerifier, token);
    }

    /**
     * The rejoin proof of a matchmake: signature and issuer, any audience, issued within the last hour, expiry
     * ignored.
     *
     * @param token the previous reservation token, or null
     * @return the reservation it stated, or the refusal {@link Refusal#RESERVATION_FORGED} (forged or too old)
     */
    public Verdict verifyRejoinProof(final String token)
    {
        final Verdict verdict = check(proofVerifier, token);
        if (verdict.reservation() != null
            && verdict.reservation().issuedAtMs() < clock.millis() - MAX_REJOIN_AGE_SECONDS * 1000)
        {
            return new Verdict(null, Refusal.RESERVATION_FORGED);
        }
        return verdict.refusal() == Refusal.RESERVATION_EXPIRED ? new Verdict(null, Refusal.RESERVATION_FORGED)
            : verdict;
    }

    private Verification required()
    {
        return JWT.require(algorithm)
            .withIssuer(ISSUER)
            .withClaimPresence("sub")
            .withClaimPresence("jti")
            .withClaimPresence("iat")
            .withClaimPresence("exp")
            .withClaimPresence(ROOM)
            .withClaimPresence(TYPE)
            .withClaimPresence(NAME);
    }

    private JWTVerifier build(final Verification verification)
    {
        // java-jwt's own verification type is the only one that takes a clock.
        return ((JWTVerifier.BaseVerification)verification).build(clock);
    }

    private static Verdict check(final JWTVerifier verifier, final String token)
    {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)
        {
            return new Verdict(null, Refusal.RESERVATION_FORGED);
        }
        try
        {
            final DecodedJWT jwt = verifier.verify(token);
            if (jwt.getClaim(ROOM).asString() == null || jwt.getClaim(TYPE).asString() == null
                || jwt.getClaim(NAME).asString() == null || jwt.getAudience() == null || jwt.getAudience().size() != 1)
            {
                return new Verdict(null, Refusal.RESERVATION_FORGED);
            }
            return new Verdict(reservationOf(jwt), null);
        }
        catch (final TokenExpiredException ex)
        {
            return new Verdict(null, Refusal.RESERVATION_EXPIRED);
        }
        catch (final IncorrectClaimException ex)
        {
            return new Verdict(null, "aud".equals(ex.getClaimName()) ? Refusal.WRONG_NODE : Refusal.RESERVATION_FORGED);
        }
        catch (final JWTVerificationException ex)
        {
            return new Verdict(null, Refusal.RESERVATION_FORGED);
        }
    }

    private static Reservation reservationOf(final DecodedJWT jwt)
    {
        final Map<String, String> claims = new HashMap<>();
        final Map<String, Object> carried = jwt.getClaim(CLAIMS).asMap();
        if (carried != null)
        {
            for (final Map.Entry<String, Object> claim : carried.entrySet())
            {
                if (claim.getValue() instanceof String && claims.size() < MAX_CLAIMS)
                {
                    claims.put(claim.getKey(), (String)claim.getValue());
                }
            }
        }
        final Claim rejoin = jwt.getClaim(REJOIN);
        return new Reservation(jwt.getId(), jwt.getClaim(ROOM).asString(), jwt.getClaim(TYPE).asString(),
            new Identity(jwt.getSubject(), jwt.getClaim(NAME).asString(), claims),
            Boolean.TRUE.equals(rejoin.asBoolean()), jwt.getAudience().get(0),
            jwt.getIssuedAtAsInstant().toEpochMilli(),
            jwt.getExpiresAtAsInstant().toEpochMilli());
    }
}
