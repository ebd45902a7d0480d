package io.tickwire.net;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.RegisteredClaims;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import io.tickwire.api.Identity;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks a client's token with java-jwt: an HS256 signature by the server's secret (any other algorithm, {@code none}
 * included, is refused), a subject and an expiry present, the expiry, not-before and issued-at times within the
 * clock leeway, and the audience and issuer when the policy names them. Thread safe (the java-jwt verifier is
 * immutable); called on event loops during the handshake, never on a hot path.
 */
public final class TokenVerifier
{
    /** Longest token looked at, in characters; the HTTP header cap bounds it anyway. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    /** The display name claim; the subject stands in when a token has none. */
    public static final String NAME_CLAIM = "name";

    private static final Set<String> REGISTERED = Set.of(
        RegisteredClaims.ISSUER, RegisteredClaims.SUBJECT, RegisteredClaims.AUDIENCE, RegisteredClaims.EXPIRES_AT,
        RegisteredClaims.NOT_BEFORE, RegisteredClaims.ISSUED_AT, RegisteredClaims.JWT_ID, NAME_CLAIM);

    private final JWTVerifier verifier;

    /**
     * @param clock the clock tokens' times are checked against; the system UTC clock outside tests.
     */
    public TokenVerifier(final TokenPolicy policy, final Clock clock)
    {
        final Verification verification = JWT.require(Algorithm.HMAC256(policy.secret()))
            .withClaimPresence(RegisteredClaims.SUBJECT)
            .withClaimPresence(RegisteredClaims.EXPIRES_AT)
            .acceptLeeway(policy.leewaySeconds());
        if (policy.audience() != null)
        {
            verification.withAudience(policy.audience());
        }
        if (policy.issuer() != null)
        {
            verification.withIssuer(policy.issuer());
        }
        // java-jwt's own verification type is the only one that takes a clock.
        this.verifier = ((JWTVerifier.BaseVerification)verification).build(clock);
    }

    /**
     * The outcome of a check: an identity, or the reason the token is refused.
     *
     * @param identity what the token proves, or null when refused.
     * @param refusal  why the token is refused, or null when accepted.
     */
    public record Verdict(Identity identity, Refusal refusal)
    {
    }

    /**
     * @param token the token as presented, or null when none was.
     * @return the verified identity, or the refusal by reason; never throws.
     */
    public Verdict verify(final String token)
    {
        if (token == null || token.isEmpty())
        {
            return new Verdict(null, Refusal.TOKEN_MISSING);
        }
        if (token.length() > MAX_TOKEN_LENGTH)
        {
            return new Verdict(null, Refusal.TOKEN_MALFORMED);
        }
        try
        {
            return new Verdict(identityOf(verifier.verify(token)), null);
        }
        catch (final TokenExpiredException ex)
        {
            return new Verdict(null, Refusal.TOKEN_EXPIRED);
        }
        catch (final SignatureVerificationException | AlgorithmMismatchException ex)
        {
            return new Verdict(null, Refusal.TOKEN_FORGED);
        }
        catch (final IncorrectClaimException ex)
        {
            return new Verdict(null, refusalOf(ex.getClaimName()));
        }
        catch (final JWTVerificationException ex)
        {
            return new Verdict(null, Refusal.TOKEN_MALFORMED);
        }
    }

    private static Refusal refusalOf(final String claimName)
    {
        switch (claimName)
        {
            case RegisteredClaims.AUDIENCE:
                return Refusal.TOKEN_WRONG_AUDIENCE;
            case RegisteredClaims.ISSUER:
                return Refusal.TOKEN_WRONG_ISSUER;
            case RegisteredClaims.NOT_BEFORE:
            case RegisteredClaims.ISSUED_AT:
                return Refusal.TOKEN_NOT_YET_VALID;
            default:
                return Refusal.TOKEN_MALFORMED;
        }
    }

    private static Identity identityOf(final DecodedJWT jwt)
    {
        final String subject = jwt.getSubject();
        final Claim name = jwt.getClaim(NAME_CLAIM);
        final Map<String, String> claims = new HashMap<>();
        for (final Map.Entry<String, Claim> claim : jwt.getClaims().entrySet())
        {
            final String value = claim.getValue().asString();
            if (value != null && !REGISTERED.contains(claim.getKey()))
            {
                claims.put(claim.getKey(), value);
            }
        }
        return new Identity(subject, name.asString() != null ? name.asString() : subject, claims);
    }
}
