package io.tickwire.api;

import java.util.Map;
import java.util.Objects;

/**
 * Who a player is, as the server verified it from a signed token at the WebSocket handshake. The server never
 * passes a token to a game, only what it proved.
 *
 * @param subject the token's subject ({@code sub}): the stable id of the account, unique per issuer.
 * @param name    the token's display name claim, or the subject when the token has none.
 * @param claims  the token's other string claims (registered claims such as {@code exp} left out), unmodifiable.
 */
public record Identity(String subject, String name, Map<String, String> claims)
{
    public Identity
    {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
        claims = Map.copyOf(claims);
    }
}
