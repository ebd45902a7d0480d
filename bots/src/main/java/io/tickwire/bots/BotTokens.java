package io.tickwire.bots;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Mints the bots' tokens from the secret the server checks them with: one HS256 JWT per bot, subject and name
 * {@code bot-07} (the bot's player name), with the server's audience and issuer when it checks them, valid from a
 * minute before it is made for {@code ttlSeconds}. Made once per connection attempt, on the bot's event loop (a
 * cold path). Thread safe.
 *
 * @param secret     the server's HMAC secret; never logged ({@link #toString()} leaves it out).
 * @param audience   the {@code aud} to put in, or null.
 * @param issuer     the {@code iss} to put in, or null.
 * @param ttlSeconds how long a token is valid after it is made, in seconds.
 */
public record BotTokens(String secret, String audience, String issuer, long ttlSeconds)
{
    /** The subprotocol entry that carries a token; the server strips it and answers {@code tickwire.v2} alone. */
    public static final String TOKEN_SUBPROTOCOL_PREFIX = "tickwire.token.";

    private static final long NOT_BEFORE_SLACK_SECONDS = 60;

    public BotTokens
    {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32)
        {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes");
        }
        if (ttlSeconds < 1)
        {
            throw new IllegalArgumentException("tokens must be valid for at least a second: " + ttlSeconds);
        }
    }

    /**
     * @param botIndex the bot's index in the swarm.
     * @param now      when the token is made.
     * @return a signed token for bot {@code botIndex}.
     */
    public String mint(final int botIndex, final Instant now)
    {
        final String subject = SwarmConfig.playerName(botIndex);
        return JWT.create()
            .withSubject(subject)
            .withClaim("name", subject)
            .withAudience(audience == null ? null : new String[] {audience})
            .withIssuer(issuer)
            .withIssuedAt(now.minusSeconds(NOT_BEFORE_SLACK_SECONDS))
            .withNotBefore(now.minusSeconds(NOT_BEFORE_SLACK_SECONDS))
            .withExpiresAt(now.plusSeconds(ttlSeconds))
            .sign(Algorithm.HMAC256(secret));
    }

    public String toString()
    {
        return "BotTokens[audience=" + audience + ", issuer=" + issuer + ", ttlSeconds=" + ttlSeconds + "]";
    }
}
