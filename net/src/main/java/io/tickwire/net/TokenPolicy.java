package io.tickwire.net;

import java.nio.charset.StandardCharsets;

/**
 * How the server checks the tokens clients present at the WebSocket handshake: HMAC-SHA256 signed JWTs (HS256) with
 * a subject and an expiry.
 *
 * @param secret        the shared HMAC key, at least {@link #MIN_SECRET_BYTES} bytes of UTF-8; never logged.
 * @param audience      the {@code aud} a token must name, or null to not check it.
 * @param issuer        the {@code iss} a token must carry, or null to not check it.
 * @param leewaySeconds clock skew allowed on {@code exp}, {@code nbf} and {@code iat}, in seconds.
 */
public record TokenPolicy(String secret, String audience, String issuer, long leewaySeconds)
{
    /** The shortest secret accepted: 256 bits, the size of the HS256 output. */
    public static final int MIN_SECRET_BYTES = 32;

    public TokenPolicy
    {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES)
        {
            throw new IllegalArgumentException("the token secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (leewaySeconds < 0 || leewaySeconds > 3600)
        {
            throw new IllegalArgumentException("the token clock leeway must be 0..3600 s: " + leewaySeconds);
        }
    }

    /**
     * Leaves the secret out, so a policy can be logged.
     */
    public String toString()
    {
        return "TokenPolicy[audience=" + audience + ", issuer=" + issuer + ", leewaySeconds=" + leewaySeconds + "]";
    }
}
